package engine

/*
#include <stdlib.h>
#include "cshim.h"
*/
import "C"

import (
	"unsafe"

	"github.com/callscribe/callscribe/transcribe"
)

// params builds whisper_full_params for one decode. The returned func frees
// the C strings it allocated.
func (d *Decoder) params(samples []float32, opts transcribe.Options) (C.struct_whisper_full_params, func(), error) {
	strategy := C.enum_whisper_sampling_strategy(C.WHISPER_SAMPLING_GREEDY)
	if opts.BeamSize > 1 {
		strategy = C.WHISPER_SAMPLING_BEAM_SEARCH
	}
	p := C.whisper_full_default_params(strategy)
	threads := opts.Threads
	if threads <= 0 {
		threads = 1
	}
	p.n_threads = C.int(threads)
	// Each decode stands alone: context comes only from opts.Prompt, so a
	// worker's previous call never leaks into the next one.
	p.no_context = true
	p.no_timestamps = false // without timestamps, audio over 30 s loses whole windows
	p.single_segment = C.bool(opts.SingleSegment)
	p.print_special = false
	p.print_progress = false
	p.print_realtime = false
	p.print_timestamps = false
	p.token_timestamps = true
	p.suppress_blank = true
	p.suppress_nst = true
	p.temperature = 0
	if opts.NoFallback {
		p.temperature_inc = 0
	}
	if opts.BeamSize > 1 {
		p.beam_search.beam_size = C.int(opts.BeamSize)
	}
	p.audio_ctx = C.int(audioCtxFor(len(samples), opts.AudioCtx, d.fullCtx()))

	var cstrs []*C.char
	free := func() {
		for _, s := range cstrs {
			C.free(unsafe.Pointer(s))
		}
	}
	lang, err := d.model.language(opts.Language)
	if err != nil {
		return p, free, err
	}
	clang := C.CString(lang)
	cstrs = append(cstrs, clang)
	p.language = clang
	p.detect_language = false
	if opts.Prompt != "" {
		cp := C.CString(opts.Prompt)
		cstrs = append(cstrs, cp)
		p.initial_prompt = cp
	}
	return p, free, nil
}
