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
	// A context cut to the clip saves most of the encoder's work on short
	// utterances, but tiny models then loop now and then, mostly with a
	// prompt: the decoder fills the window's padding with the same phrase
	// again. Such a result is decoded again with a larger window, and if
	// that loops too, with the full one: a loop costs one or two more
	// decodes instead of a wrong transcript. Until the full window,
	// whisper.cpp's own remedy for loops, temperature fallback, is off: it
	// samples best-of-5 at up to five temperatures, each to the token
	// cap, and a looping 2 s utterance cost 1.0-1.6 s of CPU that way in
	// the load bench, against 0.3 s for a retry at 512 frames.
	retries := loopRetries(len(samples), opts.AudioCtx, d.fullCtx())
	first := opts
	if opts.RetryLoops && len(retries) > 0 {
		first.NoFallback = true
	}
	res, err := d.run(ctx, samples, first)
	if err != nil {
		return res, err
	}
	if opts.RetryLoops && res.RepeatsPhrase() {
		for _, retry := range retries {
			again := first
			again.AudioCtx = retry
			if retry == 0 {
				again.NoFallback = opts.NoFallback
			}
			if res, err = d.run(ctx, samples, again); err != nil {
				return res, err
			}
			res.Redecoded = true
			if !res.RepeatsPhrase() {
				break
			}
		}
	}
	return res, nil
}

// loopRetries returns the encoder contexts (as Options.AudioCtx takes
// them) a decode that looped with requested is decoded again with, in
// order, each larger than the last: at least retryFloor frames, then the
// full window. None if requested was the full window already. (A window
// cut exactly to the clip loops less still, but greedy decodes on it drop
// and invent words at the clip's end: the load bench's WER tripled.)
func loopRetries(samples, requested, full int) []int {
	sized := audioCtxFor(samples, requested, full)
	if sized == 0 {
		return nil
	}
	var retries []int
	if floor := audioCtxFor(samples, retryFloor, full); floor != 0 && floor > sized {
		retries = append(retries, retryFloor)
	}
	return append(retries, 0)
}

// retryFloor is the least encoder context of a retry after a loop on a
// smaller one: 512 frames (10.24 s), where the service's decodes on short
// telephone utterances stopped looping, at about a quarter of the full
// window's cost.
const retryFloor = 512

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
