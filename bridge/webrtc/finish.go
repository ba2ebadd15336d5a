package webrtc

import (
	"context"
	"time"

	pion "github.com/pion/webrtc/v4"
)

// finish ends the session: every track's last utterance becomes a final,
// the stream ends in the hub, the events still queued go out on the data
// channel, and only then the connection closes and its readers stop. It
// keeps ctx's values but not its end: a shutdown still waits for the
// finals, up to CloseTimeout.
func (s *session) finish(ctx context.Context, reason string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.CloseTimeout)
	defer cancel()
	for _, t := range s.tracks {
		var err error
		if t.path != nil {
			err = t.path.Close(ctx)
		} else {
			err = t.sink.Close(ctx)
		}
		if err != nil {
			s.log.Error("track did not finish", "track", t.label, "err", err)
		}
	}
	s.stream.End(reason)
	s.flush()
	if err := s.peer.close(); err != nil {
		s.log.Debug("closing the peer connection", "err", err)
	}
	s.readers.Wait()
	if s.sub != nil {
		s.sub.Close()
	}
	if s.release != nil {
		s.release()
	}
	s.srv.forget(s.id)
	s.log.Info("webrtc session ended", "reason", reason, "seconds", s.clock.Now().Sub(s.began).Seconds(), "stats", s.stats())
}

// flush lets the writer send what is queued, and the data channel send
// what it holds, for at most FlushTimeout: the client reads the last
// finals before the connection closes.
func (s *session) flush() {
	close(s.stopWriter)
	if s.writing == nil {
		return
	}
	deadline := time.NewTimer(s.cfg.FlushTimeout)
	defer deadline.Stop()
	select {
	case <-s.writing:
	case <-deadline.C:
		s.log.Warn("data channel writer did not finish")
		return
	}
	poll := time.NewTicker(10 * time.Millisecond)
	defer poll.Stop()
	for s.dc.BufferedAmount() > 0 && s.peer.pc.ConnectionState() == pion.PeerConnectionStateConnected {
		select {
		case <-poll.C:
		case <-deadline.C:
			return
		}
	}
}

// stats sums the tracks' counts, for the session's last log line.
func (s *session) stats() map[string]int64 {
	m := map[string]int64{}
	for _, t := range s.tracks {
		if t.path == nil {
			continue
		}
		st := t.path.Stats()
		m["packets"] += st.Packets
		m["lost"] += st.Lost
		m["late"] += st.Late
		m["reordered"] += st.Reordered
		m["duplicates"] += st.Duplicates
		m["bad_payloads"] += st.BadPayloads
	}
	return m
}
