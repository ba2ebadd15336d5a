package wsconn

import (
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"github.com/callscribe/callscribe/bridge"
	"github.com/callscribe/callscribe/bridge/clock"
)

// limits end a session that lasts too long or stops sending media. Their
// timers run on the Config's clock; a limit reached interrupts the read
// loop, which then ends the session as if the Handler had returned the
// CloseError: Finish runs before the close frame, so the last finals still
// reach the peer.
type limits struct {
	s         *Session
	lastMedia atomic.Int64  // clock time of the last media, in ns
	timers    []clock.Timer // s.mu
	stopped   bool          // s.mu: no timer is armed any more
}

func (l *limits) start() {
	cfg := l.s.cfg
	if cfg.MaxDuration > 0 {
		t := cfg.Clock.AfterFunc(cfg.MaxDuration, func() {
			l.s.stopFor(&CloseError{Code: websocket.ClosePolicyViolation, Reason: ReasonTooLong}, bridge.RefusedLimitDuration)
		})
		l.s.mu.Lock()
		l.timers = append(l.timers, t)
		l.s.mu.Unlock()
	}
	if cfg.MediaTimeout > 0 {
		l.lastMedia.Store(cfg.Clock.Now().UnixNano())
		l.armMedia(cfg.MediaTimeout)
	}
}

// armMedia checks for media after d. Rather than resetting a timer on every
// frame, the check re-arms itself for the rest of the timeout.
func (l *limits) armMedia(d time.Duration) {
	cfg := l.s.cfg
	l.s.mu.Lock()
	defer l.s.mu.Unlock()
	if l.stopped {
		return
	}
	l.timers = append(l.timers, cfg.Clock.AfterFunc(d, func() {
		idle := cfg.Clock.Now().Sub(time.Unix(0, l.lastMedia.Load()))
		if idle >= cfg.MediaTimeout {
			l.s.stopFor(&CloseError{Code: cfg.NoMediaCode, Reason: cfg.NoMediaReason}, bridge.RefusedLimitIdle)
			return
		}
		l.armMedia(cfg.MediaTimeout - idle)
	}))
}

func (l *limits) stop() {
	l.s.mu.Lock()
	defer l.s.mu.Unlock()
	l.stopped = true
	for _, t := range l.timers {
		t.Stop()
	}
	l.timers = nil
}

// MediaArrived tells the session that the peer sent media (audio, or
// whatever keeps a stream alive in its protocol), for MediaTimeout.
func (s *Session) MediaArrived() { s.limits.lastMedia.Store(s.cfg.Clock.Now().UnixNano()) }

// stopFor ends the session for a limit (why, for the metrics): the read
// loop returns ce as the Handler's decision. A session already closing
// keeps its own decision.
func (s *Session) stopFor(ce *CloseError, why string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing || s.interrupted || s.limit != nil {
		return
	}
	s.cfg.Refusals.Refused(why)
	s.limit = ce
	_ = s.conn.SetReadDeadline(time.Unix(1, 0))
}
