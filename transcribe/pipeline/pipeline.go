// Package pipeline turns a track's live audio into transcript events: Silero
// VAD and the segmenter find utterances, the streaming policy decides what
// to decode, the shared Pool decodes, and the policy's partials and finals
// leave as events. It implements bridge.Transcriber, so transports hand it
// audio without knowing any of this.
//
// Each track has one goroutine that owns its VAD, segmenter and policy (all
// pure, none safe for concurrent use), one goroutine for its finals (run in
// order, never dropped) and at most one partial decode in flight.
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/callscribe/callscribe/bridge"
	"github.com/callscribe/callscribe/bridge/event"
	"github.com/callscribe/callscribe/transcribe"
	"github.com/callscribe/callscribe/transcribe/segment"
	"github.com/callscribe/callscribe/transcribe/stream"
	"github.com/callscribe/callscribe/transcribe/vad"
)

// ErrOverloaded reports that the service is at capacity: a new call is
// refused, or a track's audio queue is full.
var ErrOverloaded = errors.New("pipeline: overloaded")

// Config tunes the pipeline.
type Config struct {
	// Stream is the streaming policy template; Track and Language are set
	// per track.
	Stream stream.Config
	// Segment tunes utterance segmentation.
	Segment segment.Config
	// Language is the default decode language.
	Language string
	// QueueChunks bounds a track's audio waiting for its goroutine (one
	// chunk is one transport frame, 20 ms for Twilio). VAD costs about 1%
	// of a core per track, so the queue only fills when the machine is
	// starved; Write then fails and the transport closes the stream.
	QueueChunks int
	// PartialTimeout drops a partial still waiting after this long: by
	// then newer speech has made it stale.
	PartialTimeout time.Duration
	// MaxTracks refuses new calls once this many tracks are open (0: no
	// limit besides the pool's backlog).
	MaxTracks int
	// MaxFinalBacklog refuses new calls while more finals than this wait
	// for a worker: existing calls keep their latency. 0 means 4 per worker.
	MaxFinalBacklog int
	// Speculate decodes an utterance's final during the pause that may end
	// it, when a worker is idle, so the final leaves as soon as the
	// silence confirms the end. It costs a wasted decode when speech
	// resumes; the pool preempts it for any real final.
	Speculate bool
}

// DefaultConfig returns telephony defaults.
func DefaultConfig() Config {
	return Config{
		Stream:         stream.DefaultConfig("track"),
		Segment:        telephonySegments(),
		Language:       "en",
		QueueChunks:    1000,
		PartialTimeout: 3 * time.Second,
		Speculate:      true,
	}
}

// telephonySegments tunes the segmenter for whole-utterance decoding: a
// 300 ms pad gives Whisper the onset of the first word (the VAD scores
// speech onsets late on telephone audio), and 700 ms of silence before an
// utterance ends keeps a speaker's pause for effect inside one utterance,
// where Whisper decodes it with its context. Both were measured on the
// two-track call test (outbound WER 0.137 with 200/600 ms).
func telephonySegments() segment.Config {
	c := segment.DefaultConfig()
	c.SpeechPad = 300 * time.Millisecond
	c.MinSilence = 700 * time.Millisecond
	return c
}

// Transcriber opens track pipelines on a shared pool and VAD model.
type Transcriber struct {
	cfg    Config
	pool   *transcribe.Pool
	vad    *vad.Model
	log    *slog.Logger
	now    func() time.Time
	tracks atomic.Int64
}

// New returns a Transcriber. log may be nil.
func New(cfg Config, pool *transcribe.Pool, model *vad.Model, log *slog.Logger) (*Transcriber, error) {
	if log == nil {
		log = slog.Default()
	}
	if cfg.QueueChunks <= 0 {
		return nil, fmt.Errorf("pipeline: QueueChunks must be positive")
	}
	if err := cfg.Segment.Validate(); err != nil {
		return nil, err
	}
	probe := cfg.Stream
	probe.Track = "probe"
	if err := probe.Validate(); err != nil {
		return nil, err
	}
	if cfg.MaxFinalBacklog <= 0 {
		cfg.MaxFinalBacklog = 4 * pool.Stats().Workers
	}
	return &Transcriber{cfg: cfg, pool: pool, vad: model, log: log, now: time.Now}, nil
}

// Admit refuses a new call when the service is at capacity: too many open
// tracks, or finals already waiting for a worker.
func (t *Transcriber) Admit() error {
	if t.cfg.MaxTracks > 0 && int(t.tracks.Load()) >= t.cfg.MaxTracks {
		return fmt.Errorf("%w: %d tracks open", ErrOverloaded, t.tracks.Load())
	}
	if q := t.pool.Stats().QueuedFinals; q > t.cfg.MaxFinalBacklog {
		return fmt.Errorf("%w: %d finals waiting for a worker", ErrOverloaded, q)
	}
	return nil
}

// OpenTracks is the number of tracks running.
func (t *Transcriber) OpenTracks() int { return int(t.tracks.Load()) }

// OpenTrack starts a track's pipeline. emit receives its events from the
// track's goroutine.
func (t *Transcriber) OpenTrack(ctx context.Context, info bridge.TrackInfo, emit func(event.Event)) (bridge.TrackSink, error) {
	cfg := t.cfg.Stream
	cfg.Track = info.Track
	cfg.Language = info.Language
	if cfg.Language == "" {
		cfg.Language = t.cfg.Language
	}
	policy, err := stream.NewUtterancePolicy(cfg)
	if err != nil {
		return nil, err
	}
	seg, err := segment.New(t.cfg.Segment)
	if err != nil {
		return nil, err
	}
	tr := newTrack(t, info, emit, policy, seg)
	t.tracks.Add(1)
	go tr.run(context.WithoutCancel(ctx))
	go tr.runFinals()
	return tr, nil
}
