package webhooks

import (
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"slices"
	"strings"

	"github.com/callscribe/callscribe/bridge/event"
)

// transcriptFormat is one rendering of a transcript.
type transcriptFormat struct {
	name      string
	mediaType string   // Content-Type of the answer
	names     []string // values of ?format=
	accept    []string // media types matched in Accept
}

var transcriptFormats = []transcriptFormat{
	{"json", "application/json", []string{"json"}, []string{"application/json"}},
	{"text", "text/plain; charset=utf-8", []string{"text", "txt"}, []string{"text/plain"}},
	{"srt", "application/x-subrip", []string{"srt"}, []string{"application/x-subrip", "text/srt"}},
	{"vtt", "text/vtt; charset=utf-8", []string{"vtt", "webvtt"}, []string{"text/vtt"}},
}

// TranscriptHandler serves stored transcripts at
//
//	GET /v1/calls/{call_id}/transcript
//
// as JSON (a Transcript), plain text, SRT or WebVTT. The format comes from
// ?format=json|text|srt|vtt, else from the first supported media type in
// the Accept header (application/json, text/plain, application/x-subrip,
// text/vtt), else JSON. Utterances are in time order across both tracks.
// Mount it with mux.Handle("/v1/calls/{call_id}/transcript", h).
func TranscriptHandler(store TranscriptStore, log *slog.Logger) http.Handler {
	if log == nil {
		log = slog.Default()
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/calls/{call_id}/transcript", func(w http.ResponseWriter, r *http.Request) {
		format, err := negotiate(r)
		if err != nil {
			writeError(w, log, err)
			return
		}
		t, err := store.Transcript(r.Context(), r.PathValue("call_id"))
		if err != nil {
			writeError(w, log, err)
			return
		}
		event.SortUtterances(t.Utterances)
		var body string
		switch format.name {
		case "json":
			if t.Utterances == nil {
				t.Utterances = []event.Utterance{}
			}
			writeJSON(w, http.StatusOK, t)
			return
		case "text":
			body = event.PlainText(t.Utterances)
		case "srt":
			body = FormatSRT(t.Utterances)
		case "vtt":
			body = FormatWebVTT(t.Utterances)
		}
		w.Header().Set("Content-Type", format.mediaType)
		_, _ = w.Write([]byte(body))
	})
	return mux
}

// negotiate picks the transcript format of a request.
func negotiate(r *http.Request) (transcriptFormat, error) {
	if v := strings.ToLower(r.URL.Query().Get("format")); v != "" {
		for _, f := range transcriptFormats {
			if slices.Contains(f.names, v) {
				return f, nil
			}
		}
		return transcriptFormat{}, fmt.Errorf("%w: format %q: want json, text, srt or vtt", errBadRequest, v)
	}
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil || params["q"] == "0" {
			continue
		}
		for _, f := range transcriptFormats {
			if slices.Contains(f.accept, mt) {
				return f, nil
			}
		}
	}
	return transcriptFormats[0], nil
}
