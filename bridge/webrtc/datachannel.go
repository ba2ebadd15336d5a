package webrtc

import (
	"encoding/json"

	pion "github.com/pion/webrtc/v4"

	"github.com/callscribe/callscribe/bridge/event"
	"github.com/callscribe/callscribe/bridge/wsconn"
)

// maxBuffered is how much may wait in the data channel before partials
// are dropped: a client that reads slowly gets its finals, late.
const maxBuffered = 256 << 10

// adopt takes a channel the client opened as the session's transcripts
// channel, if it is one and the session has none yet. Other channels are
// the client's business.
func (s *session) adopt(dc *pion.DataChannel) {
	if dc.Label() != DataChannelLabel || s.dc != nil || s.sub == nil {
		return
	}
	s.dc = dc
	s.peer.watch(dc) // reports the opening, even of a channel open already
}

// openChannel opens the transcripts channel from the server's side: the
// offer negotiated data channels, but the client opened none by that name.
func (s *session) openChannel() {
	dc, err := s.peer.pc.CreateDataChannel(DataChannelLabel, nil)
	if err != nil {
		s.log.Warn("cannot open the transcripts data channel; events go to subscribers only", "err", err)
		s.sub.Close()
		s.sub = nil
		return
	}
	s.dc = dc
	s.peer.watch(dc)
}

// opened starts the writer once the transcripts channel is open.
func (s *session) opened(dc *pion.DataChannel) {
	if dc != s.dc || s.writing != nil {
		return
	}
	s.writing = make(chan struct{})
	go s.write(dc, s.writing)
}

// write sends the call's events on dc, one JSON text message each, until
// the session asks it to stop (stopWriter), then sends what is queued and
// returns. A final always goes; a partial is dropped when the channel has
// maxBuffered waiting.
func (s *session) write(dc *pion.DataChannel, done chan struct{}) {
	defer close(done)
	src := wsconn.Subscription(s.sub)
	for {
		e, err := src.Next(s.stopWriter)
		if err != nil {
			return // the session is ending, or the call ended
		}
		if e.Type == event.Transcript && !e.IsFinal && dc.BufferedAmount() > maxBuffered {
			s.srv.Stats.DroppedPartials.Add(1)
			continue
		}
		data, err := json.Marshal(e)
		if err != nil {
			s.log.Error("event not encodable", "seq", e.Seq, "err", err)
			continue
		}
		if err := dc.SendText(string(data)); err != nil {
			s.log.Info("data channel not writable; events still reach subscribers and webhooks", "err", err)
			return
		}
	}
}

// control handles a message from the client: {"type":"Finalize"} ends
// every track's utterance in progress now. Anything else is ignored.
func (s *session) control(m []byte) {
	var c struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(m, &c); err != nil || c.Type != "Finalize" {
		s.log.Debug("ignoring a data channel message", "bytes", len(m))
		return
	}
	for _, t := range s.tracks {
		if t.path != nil {
			if err := t.path.Finalize(); err != nil {
				s.log.Warn("finalize", "track", t.label, "err", err)
			}
		}
	}
}
