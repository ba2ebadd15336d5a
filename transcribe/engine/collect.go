package engine

/*
#include "cshim.h"
*/
import "C"

import (
	"github.com/callscribe/callscribe/transcribe"
)

// collect copies the decoder state's segments and tokens into Go values.
// whisper.cpp's times are in 10 ms units from the clip start.
func (d *Decoder) collect(seconds float64) transcribe.Result {
	st, ctx := d.state, d.model.ctx
	n := int(C.whisper_full_n_segments_from_state(st))
	res := transcribe.Result{Duration: seconds, Segments: make([]transcribe.Segment, 0, n)}
	if id := C.whisper_full_lang_id_from_state(st); id >= 0 {
		res.Language = C.GoString(C.whisper_lang_str(id))
	}
	for i := 0; i < n; i++ {
		ci := C.int(i)
		seg := transcribe.Segment{
			Start:        centis(int64(C.whisper_full_get_segment_t0_from_state(st, ci)), seconds),
			End:          centis(int64(C.whisper_full_get_segment_t1_from_state(st, ci)), seconds),
			Text:         C.GoString(C.whisper_full_get_segment_text_from_state(st, ci)),
			NoSpeechProb: float32(C.whisper_full_get_segment_no_speech_prob_from_state(st, ci)),
		}
		nt := int(C.whisper_full_n_tokens_from_state(st, ci))
		for j := 0; j < nt; j++ {
			cj := C.int(j)
			data := C.whisper_full_get_token_data_from_state(st, ci, cj)
			if data.id >= d.model.eot {
				continue // special and timestamp tokens
			}
			seg.Tokens = append(seg.Tokens, transcribe.Token{
				ID:    int(data.id),
				Text:  C.GoString(C.whisper_full_get_token_text_from_state(ctx, st, ci, cj)),
				Start: centis(int64(data.t0), seconds),
				End:   centis(int64(data.t1), seconds),
				P:     float32(data.p),
			})
		}
		res.Segments = append(res.Segments, seg)
	}
	return res
}

// centis converts whisper.cpp's 10 ms units to seconds, clamped to the clip.
func centis(t int64, max float64) float64 {
	s := float64(t) / 100
	if s < 0 {
		return 0
	}
	if s > max {
		return max
	}
	return s
}
