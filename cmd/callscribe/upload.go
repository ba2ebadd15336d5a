package main

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/callscribe/callscribe/codec"
	"github.com/callscribe/callscribe/transcribe"
)

// uploadHandler serves POST /v1/transcribe: a WAV body in, its transcript
// as JSON out (the same document as `callscribe transcribe --json`).
// ?language= and ?prompt= override the defaults.
func uploadHandler(pool *transcribe.Pool, opts transcribe.Options, maxBody int64, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		o := opts
		if l := r.URL.Query().Get("language"); l != "" {
			o.Language = l
		}
		o.Prompt = r.URL.Query().Get("prompt")
		a, err := codec.ReadWAV(http.MaxBytesReader(w, r.Body, maxBody))
		if err == nil && a.Frames() == 0 {
			err = errors.New("no audio samples")
		}
		if err == nil {
			a, err = a.Resampled(transcribe.SampleRate)
		}
		if err != nil {
			httpError(w, http.StatusBadRequest, err)
			return
		}
		ft, err := transcribeAudio(r.Context(), pool, "upload", a, o)
		if err != nil {
			log.Warn("transcribe upload", "err", err)
			httpError(w, http.StatusUnprocessableEntity, err)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(ft)
	})
}

func httpError(w http.ResponseWriter, code int, err error) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": err.Error()})
}
