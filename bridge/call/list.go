package call

import (
	"cmp"
	"context"
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
	// Node holds the call, when nodes share a registry; the stream
	// counts of a call another node holds are unknown here.
	Node string `json:"node,omitempty"`
	// Followed is true when another node holds the call and this one
	// follows it for subscribers here.
	Followed bool `json:"followed,omitempty"`
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
			Followed:    c.remote,
		}
		if !c.remote && h.cfg.Registry != nil {
			sum.Node = h.cfg.Node
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

// ListHandler serves GET /v1/calls: {"calls": [CallSummary...]}, the
// calls this hub keeps and, with a Registry, the calls other nodes hold or
// ended within the retention.
func (h *Hub) ListHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls, err := h.AllCalls(r.Context())
		if err != nil {
			h.log.Error("listing the calls of other nodes", "err", err)
			writeError(w, http.StatusServiceUnavailable, "the registry of calls is unavailable")
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"calls": calls})
	})
}

// AllCalls is Calls, with the calls the Registry knows that other nodes
// hold or ended within the retention.
func (h *Hub) AllCalls(ctx context.Context) ([]CallSummary, error) {
	local := h.Calls()
	if h.cfg.Registry == nil {
		return local, nil
	}
	recs, err := h.cfg.Registry.Calls(ctx, h.clock.Now().Add(-h.cfg.Retention))
	if err != nil {
		return nil, err
	}
	seen := map[string]int{}
	for i, c := range local {
		seen[c.CallID] = i
	}
	for _, r := range recs {
		if i, ok := seen[r.CallID]; ok {
			if local[i].Followed {
				local[i].Node = r.Node
			}
			continue
		}
		sum := CallSummary{CallID: r.CallID, Key: r.Key, Source: r.Info.Source, StartedAt: r.Info.StartedAt,
			LastSeq: r.LastSeq, Ended: !r.EndedAt.IsZero(), Node: r.Node}
		if sum.Ended {
			sum.EndedAt = formatTime(r.EndedAt)
		}
		local = append(local, sum)
	}
	slices.SortFunc(local, func(a, b CallSummary) int {
		return cmp.Or(cmp.Compare(a.StartedAt, b.StartedAt), cmp.Compare(a.CallID, b.CallID))
	})
	return local, nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v) // the client may be gone; nothing to do about it
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}
