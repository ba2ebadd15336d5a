package call

import (
	"cmp"
	"encoding/json"
	"net/http"
	"slices"
)

// CallSummary describes one call the hub keeps, for listings.
type CallSummary struct {
	CallID    string `json:"call_id"`
	Key       string `json:"key"`
	Source    string `json:"source,omitempty"`
	StartedAt string `json:"started_at"`
	// Streams counts the streams the call had; OpenStreams those still open.
	Streams     int `json:"streams"`
	OpenStreams int `json:"open_streams"`
	// LastSeq is the seq of the call's latest event.
	LastSeq uint64 `json:"last_seq"`
	// Ended is true once call.ended was emitted, at EndedAt.
	Ended   bool   `json:"ended"`
	EndedAt string `json:"ended_at,omitempty"`
}

// Calls lists the calls the hub keeps, open and recently ended, oldest
// first.
func (h *Hub) Calls() []CallSummary {
	h.mu.Lock()
	calls := make([]*callState, 0, len(h.byID))
	for _, c := range h.byID {
		calls = append(calls, c)
	}
	h.mu.Unlock()
	out := make([]CallSummary, 0, len(calls))
	for _, c := range calls {
		c.mu.Lock()
		sum := CallSummary{
			CallID:      c.id,
			Key:         c.key,
			Source:      c.info.Source,
			StartedAt:   c.info.StartedAt,
			Streams:     c.streams,
			OpenStreams: len(c.live),
			LastSeq:     c.published,
			Ended:       c.ended,
		}
		if c.ended {
			sum.EndedAt = formatTime(c.endedAt)
		}
		c.mu.Unlock()
		out = append(out, sum)
	}
	slices.SortFunc(out, func(a, b CallSummary) int {
		return cmp.Or(cmp.Compare(a.StartedAt, b.StartedAt), cmp.Compare(a.CallID, b.CallID))
	})
	return out
}

// ListHandler serves GET /v1/calls: {"calls": [CallSummary...]}.
func (h *Hub) ListHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"calls": h.Calls()})
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v) // the client may be gone; nothing to do about it
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}
