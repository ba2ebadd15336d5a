package webrtc

import (
	"context"
	"time"

	pion "github.com/pion/webrtc/v4"

	"github.com/callscribe/callscribe/bridge"
	"github.com/callscribe/callscribe/bridge/wsconn"
)

// tickInterval is how often a session checks its limits and whether a
// track's sender went quiet behind a gap.
const tickInterval = 100 * time.Millisecond

// End reasons of a session's stream (call.ended's end_reason when no
// stream follows), besides bridge.EndServerShutdown.
const (
	// ReasonStop: the client DELETEd the session.
	ReasonStop = "stop"
	// ReasonDisconnected: the peer closed its connection, or vanished and
	// ICE failed.
	ReasonDisconnected = "disconnected"
	// ReasonNoConnection: the peer never connected after the answer.
	ReasonNoConnection = "closed: the peer never connected"
	// ReasonTooLong: Config.MaxDuration passed.
	ReasonTooLong = "closed: " + wsconn.ReasonTooLong
	// ReasonNoMedia: no audio for Config.MediaTimeout.
	ReasonNoMedia = "closed: " + wsconn.ReasonNoMedia
	// ReasonTooFast: media ran ahead of real time.
	ReasonTooFast = "closed: media faster than real time"
	// ReasonOverloaded: the transcriber refused audio.
	ReasonOverloaded = "closed: " + wsconn.ReasonOverloaded
	// ReasonRefused: the session could not open all its tracks.
	ReasonRefused = "closed: refused"
)

// run is the session's life: the loop until something ends it, then the
// finish. end tells the server's sessions it is over.
func (s *session) run(ctx context.Context, end func()) {
	defer end()
	defer close(s.done)
	reason := s.loop(ctx)
	close(s.ending)
	s.drain()
	s.finish(ctx, reason)
}

// loop handles what happens to the session, one thing at a time, until
// something ends it, and returns why.
func (s *session) loop(ctx context.Context) string {
	timer := s.clock.AfterFunc(tickInterval, s.tick)
	defer func() { timer.Stop() }()
	for {
		select {
		case <-ctx.Done():
			return bridge.EndServerShutdown
		case reason := <-s.stop:
			return reason
		case <-s.peer.states:
			if reason := s.state(); reason != "" {
				return reason
			}
		case rt := <-s.peer.tracks:
			s.bind(rt)
		case p := <-s.packets:
			if reason := s.packet(p); reason != "" {
				return reason
			}
		case dc := <-s.peer.channels:
			s.adopt(dc)
		case dc := <-s.peer.opened:
			s.opened(dc)
		case m := <-s.peer.messages:
			s.control(m)
		case <-s.ticks:
			if reason := s.check(s.clock.Now()); reason != "" {
				switch reason {
				case ReasonTooLong:
					s.cfg.Refusals.Refused(bridge.RefusedLimitDuration)
				case ReasonNoMedia:
					s.cfg.Refusals.Refused(bridge.RefusedLimitIdle)
				}
				return reason
			}
			timer = s.clock.AfterFunc(tickInterval, s.tick)
		}
	}
}

// drain places the packets that arrived before the session ended: what was
// said up to the end becomes finals.
func (s *session) drain() {
	for {
		select {
		case p := <-s.packets:
			if s.packet(p) != "" {
				return
			}
		default:
			return
		}
	}
}

// tick wakes the loop; it runs on the clock's goroutine.
func (s *session) tick() {
	select {
	case s.ticks <- struct{}{}:
	default:
	}
}

// state follows the connection: connected starts the media clocks; closed
// or failed ends the session (a peer that left, or vanished and ICE gave
// up after Config.ICEFailedTimeout).
func (s *session) state() string {
	switch st := s.peer.pc.ConnectionState(); st {
	case pion.PeerConnectionStateConnected:
		if !s.connected {
			s.connected, s.connectedAt, s.lastMedia = true, s.clock.Now(), s.clock.Now()
			s.log.Info("peer connected", "after", s.connectedAt.Sub(s.began).Round(time.Millisecond))
		}
	case pion.PeerConnectionStateFailed, pion.PeerConnectionStateClosed:
		s.log.Info("peer gone", "state", st.String())
		return ReasonDisconnected
	}
	return ""
}

// check applies the session's limits at now, releases what waits behind a
// gap on tracks whose sender went quiet, and opens the transcripts channel
// when the client opened none.
func (s *session) check(now time.Time) string {
	switch {
	case !s.connected && now.Sub(s.began) >= s.cfg.ConnectTimeout:
		return ReasonNoConnection
	case s.cfg.MaxDuration > 0 && now.Sub(s.began) >= s.cfg.MaxDuration:
		return ReasonTooLong
	case s.connected && s.cfg.MediaTimeout > 0 && now.Sub(s.lastMedia) >= s.cfg.MediaTimeout:
		return ReasonNoMedia
	}
	for _, t := range s.tracks {
		if t.path != nil && now.Sub(t.last) >= tickInterval {
			t.path.Idle()
		}
	}
	if s.connected && s.sub != nil && s.dc == nil && now.Sub(s.connectedAt) >= s.cfg.DataChannelWait {
		s.openChannel()
	}
	return ""
}
