package call

import (
	"math"
	"sync"
	"time"

	"github.com/callscribe/callscribe/bridge/clock"
	"github.com/callscribe/callscribe/bridge/event"
)

// trackedTimer is a Timer counted in Hub.timers until it fires or is
// stopped.
type trackedTimer struct {
	inner clock.Timer
	wg    *sync.WaitGroup
}

func (t *trackedTimer) Stop() bool {
	if t.inner.Stop() {
		t.wg.Done()
		return true
	}
	return false
}

// afterFunc arms a tracked timer. The caller holds h.mu and has checked
// that the hub is not closed, so no timer is added while Close waits.
func (h *Hub) afterFunc(d time.Duration, f func()) clock.Timer {
	h.timers.Add(1)
	inner := h.clock.AfterFunc(d, func() {
		defer h.timers.Done()
		f()
	})
	return &trackedTimer{inner: inner, wg: &h.timers}
}

func stopTimer(t *clock.Timer) {
	if *t != nil {
		(*t).Stop()
		*t = nil
	}
}

// graceExpired ends the call unless a stream started since the timer was
// armed (gen changed) or the call is already ending.
func (h *Hub) graceExpired(c *callState, gen uint64) {
	h.mu.Lock()
	c.mu.Lock()
	stale := c.ending || len(c.live) > 0 || c.graceGen != gen
	if !stale {
		c.ending = true
		c.grace = nil
		delete(h.byKey, c.key)
	}
	reason := c.endReason
	c.mu.Unlock()
	h.mu.Unlock()
	if stale {
		return
	}
	c.finish(reason)
	h.retainEnded(c)
}

// finish emits call.ended. The caller has set c.ending, so it runs once.
func (c *callState) finish(reason string) {
	c.emitMu.Lock()
	defer c.emitMu.Unlock()
	c.mu.Lock()
	info := c.info
	info.Tracks = append([]string(nil), c.info.Tracks...)
	endedAt := c.lastEnd
	if len(c.live) > 0 || endedAt.IsZero() {
		endedAt = c.hub.clock.Now()
	}
	c.endedAt = endedAt
	info.EndedAt = formatTime(endedAt)
	info.DurationSec = roundMS(max(c.media, c.rec.lastEnd))
	if len(c.speech) > 0 {
		info.SpeechSec = make(map[string]float64, len(c.speech))
		for track, sec := range c.speech {
			info.SpeechSec[track] = roundMS(sec)
		}
	}
	info.Streams = c.streams
	c.mu.Unlock()
	info.Utterances = len(c.rec.finals)
	info.Words = c.rec.words
	if reason == "" {
		reason = "stream ended"
	}
	info.EndReason = reason
	c.emitLocked(event.Event{Type: event.CallEnded, Call: &info, Transcript: c.rec.transcript()}, "")
	c.endInRegistry(endedAt)
	c.hub.metrics.CallsEnded.Add(1)
	c.log.Info("call ended", "reason", reason, "streams", info.Streams,
		"duration_sec", info.DurationSec, "utterances", info.Utterances)
}

// retainEnded keeps an ended call readable for Config.Retention.
func (h *Hub) retainEnded(c *callState) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return
	}
	c.mu.Lock()
	// Once: a follower's end may be seen by two pulls at once.
	if c.retain == nil {
		c.retain = h.afterFunc(h.cfg.Retention, func() { h.forget(c) })
	}
	c.mu.Unlock()
}

func (h *Hub) forget(c *callState) {
	h.mu.Lock()
	if h.byID[c.id] == c {
		delete(h.byID, c.id)
	}
	h.mu.Unlock()
	c.log.Debug("call forgotten")
}

func roundMS(sec float64) float64 { return math.Round(sec*1000) / 1000 }
