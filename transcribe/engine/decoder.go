package engine

/*
#include <stdlib.h>
#include "cshim.h"
*/
import "C"

import (
	"context"
	"fmt"
	"math"
	"unsafe"

	"github.com/callscribe/callscribe/transcribe"
)

// defaultTokensPerSecond caps decoded tokens per second of audio. Fast
// speech runs near 4-5 text tokens a second plus timestamp tokens; twice
// that leaves room for any real speech and stops loops early.
const defaultTokensPerSecond = 10

// Decoder transcribes with its own whisper_state on a shared Model. It is
// not safe for concurrent use.
type Decoder struct {
	model *Model
	state *C.struct_whisper_state
	// guard lives in C memory: whisper.cpp's threads read it while Go may
	// write it, and Go memory must not be held by C across calls.
	guard *C.cs_decode_guard
}

// NewDecoder allocates a whisper_state (encoder and decoder buffers, about
// tens of MB) that shares m's weights.
func (m *Model) NewDecoder() (*Decoder, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return nil, ErrClosed
	}
	st := C.whisper_init_state(m.ctx)
	if st == nil {
		return nil, fmt.Errorf("%w: whisper_init_state failed", ErrDecode)
	}
	m.states++
	g := (*C.cs_decode_guard)(C.calloc(1, C.size_t(unsafe.Sizeof(C.cs_decode_guard{}))))
	return &Decoder{model: m, state: st, guard: g}, nil
}

// Close frees the decoder's state.
func (d *Decoder) Close() error {
	if d.state == nil {
		return nil
	}
	C.whisper_free_state(d.state)
	C.free(unsafe.Pointer(d.guard))
	d.state, d.guard = nil, nil
	d.model.mu.Lock()
	d.model.states--
	d.model.mu.Unlock()
	return nil
}

// Decode transcribes 16 kHz mono samples. Cancelling ctx aborts the
// computation inside whisper.cpp at its next check.
func (d *Decoder) Decode(ctx context.Context, samples []float32, opts transcribe.Options) (transcribe.Result, error) {
	if d.state == nil {
		return transcribe.Result{}, ErrClosed
	}
	if len(samples) == 0 {
		return transcribe.Result{}, fmt.Errorf("%w: no samples", ErrInput)
	}
	for _, s := range samples {
		if math.IsNaN(float64(s)) || math.IsInf(float64(s), 0) {
			return transcribe.Result{}, fmt.Errorf("%w: samples are not finite", ErrInput)
		}
	}
	if err := ctx.Err(); err != nil {
		return transcribe.Result{}, fmt.Errorf("engine: decode not started: %w", err)
	}
	res, err := d.run(ctx, samples, opts)
	if err != nil {
		return res, err
	}
	// A context cut to the clip saves most of the encoder's work on short
	// utterances, but tiny models then loop now and then inside a segment.
	// Such a result is decoded again with the full window: a loop costs one
	// more decode instead of a wrong transcript.
	if opts.RetryLoops && audioCtxFor(len(samples), opts.AudioCtx, d.fullCtx()) != 0 && res.RepeatsPhrase() {
		full := opts
		full.AudioCtx = 0
		if res, err = d.run(ctx, samples, full); err != nil {
			return res, err
		}
		res.Redecoded = true
	}
	return res, nil
}

// fullCtx is the model's encoder window in 20 ms frames.
func (d *Decoder) fullCtx() int { return int(d.model.info.HParams.NAudioCtx) }

// run is one whisper_full call on the decoder's state.
func (d *Decoder) run(ctx context.Context, samples []float32, opts transcribe.Options) (transcribe.Result, error) {
	seconds := float64(len(samples)) / transcribe.SampleRate
	params, free, err := d.params(samples, opts)
	if err != nil {
		return transcribe.Result{}, err
	}
	defer free()

	*d.guard = C.cs_decode_guard{eot: d.model.eot, max_tokens: C.int(tokenCap(seconds, opts.MaxTokensPerSecond))}
	C.cs_install_guard(&params, d.guard)

	// The abort func may still be running when whisper_full returns: wait
	// for it, so it never touches a guard that a later decode reset or
	// Close freed.
	aborted := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		C.cs_guard_abort(d.guard)
		close(aborted)
	})
	rc := C.whisper_full_with_state(d.model.ctx, d.state, params, (*C.float)(unsafe.Pointer(&samples[0])), C.int(len(samples)))
	if !stop() {
		<-aborted
		return transcribe.Result{}, fmt.Errorf("engine: decode aborted: %w", context.Cause(ctx))
	}
	if ctx.Err() != nil {
		return transcribe.Result{}, fmt.Errorf("engine: decode aborted: %w", context.Cause(ctx))
	}
	if rc != 0 {
		return transcribe.Result{}, fmt.Errorf("%w: whisper_full returned %d", ErrDecode, int(rc))
	}
	res := d.collect(seconds)
	res.DropRepeatedSegments()
	return res, nil
}

// tokenCap returns the token limit of one decoding window for a clip.
func tokenCap(seconds float64, perSecond int) int {
	if perSecond < 0 {
		return 0
	}
	if perSecond == 0 {
		perSecond = defaultTokensPerSecond
	}
	window := math.Min(seconds, 30)
	return 16 + int(math.Ceil(window*float64(perSecond)))
}

// audioCtxFor returns the encoder context (20 ms frames) for a clip, 0
// meaning the full window. Sized contexts are rounded up to a multiple of
// 64 frames plus a margin: tight fits let the decoder run past the audio's
// end and loop. A requested context is a floor: a clip longer than it
// still gets the frames it needs, so no audio is ever cut off.
func audioCtxFor(samples, requested, full int) int {
	if requested == 0 || requested >= full {
		return 0
	}
	frames := samples/320 + 1
	if requested == transcribe.AudioCtxExact {
		if frames >= full {
			return 0
		}
		return frames
	}
	ctx := (frames + 64 + 63) / 64 * 64
	if requested > ctx {
		ctx = requested
	}
	if ctx >= full {
		return 0
	}
	return ctx
}

// encoderStarted reports whether the current decode reached the encoder.
func (d *Decoder) encoderStarted() bool { return C.cs_guard_encoding(d.guard) != 0 }
