package pipeline

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/callscribe/callscribe/bridge/event"

	"github.com/callscribe/callscribe/transcribe"
)

// blockedDecoder holds every decode until released: a pool that cannot
// keep up.
type blockedDecoder struct{ release chan struct{} }

func (d blockedDecoder) Decode(ctx context.Context, s []float32, _ transcribe.Options) (transcribe.Result, error) {
	select {
	case <-d.release:
	case <-ctx.Done():
		return transcribe.Result{}, ctx.Err()
	}
	return transcribe.Result{}, nil
}

func (blockedDecoder) Close() error { return nil }

// TestAdmitRefusesWhenFinalsBackUp checks that new calls are refused once
// finals wait for a worker, so that existing calls keep their latency, and
// admitted again when the backlog clears.
func TestAdmitRefusesWhenFinalsBackUp(t *testing.T) {
	release := make(chan struct{})
	pool, err := transcribe.NewPool(func() (transcribe.Decoder, error) { return blockedDecoder{release}, nil }, transcribe.PoolConfig{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	var cfg Config
	cfg.MaxFinalBacklog = 2
	cfg.MaxTracks = 100
	tx, err := New(cfg, pool, loadVAD(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.Admit(); err != nil {
		t.Fatalf("idle service refuses: %v", err)
	}
	done := make(chan error, 4)
	for i := 0; i < 4; i++ { // one decoding, three waiting
		go func() {
			_, err := pool.Transcribe(context.Background(), []float32{0}, transcribe.Options{})
			done <- err
		}()
	}
	for pool.Stats().QueuedFinals < 3 {
		time.Sleep(time.Millisecond)
	}
	if err := tx.Admit(); !errors.Is(err, ErrOverloaded) {
		t.Fatalf("with 3 finals waiting and a backlog limit of 2: %v", err)
	}
	close(release)
	for i := 0; i < 4; i++ {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Admit(); err != nil {
		t.Fatalf("after the backlog cleared: %v", err)
	}

	cfg.MaxTracks = 1
	tx, err = New(cfg, pool, loadVAD(t))
	if err != nil {
		t.Fatal(err)
	}
	sink, err := tx.OpenTrack(context.Background(), trackInfo("c2"), func(event.Event) {})
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.Admit(); !errors.Is(err, ErrOverloaded) {
		t.Fatalf("at the track limit: %v", err)
	}
	if err := sink.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := tx.Admit(); err != nil {
		t.Fatalf("after the track closed: %v", err)
	}
}
