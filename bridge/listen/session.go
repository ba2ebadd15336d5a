package listen

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/gorilla/websocket"

	"github.com/callscribe/callscribe/bridge"
	"github.com/callscribe/callscribe/bridge/timeline"
	"github.com/callscribe/callscribe/bridge/wsconn"
	"github.com/callscribe/callscribe/codec"
)

// session is one /v1/listen stream: one call with a track per channel.
type session struct {
	srv    *Server
	conn   *websocket.Conn
	p      Params
	log    *slog.Logger
	stream bridge.Stream
	writer *wsconn.Writer
	guard  *timeline.RateGuard

	tracks  []*channelPath
	carry   []byte // bytes of an incomplete frame, kept for the next message
	decoded []float32
	frames  int64 // sample frames received per channel
}

// channelPath resamples one channel to 16 kHz and feeds its track.
type channelPath struct {
	sink      bridge.TrackSink
	resampler *codec.Resampler
	in, out   []float32
	next      int64
}

func newSession(srv *Server, conn *websocket.Conn, p Params) *session {
	return &session{srv: srv, conn: conn, p: p, log: srv.log, guard: timeline.NewRateGuard(srv.cfg.RateGuard)}
}

// streamError ends a stream with a close code and reason.
type streamError struct {
	code   int
	reason string
}

func (e *streamError) Error() string { return fmt.Sprintf("%s (%d)", e.reason, e.code) }

func newID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return "ls_" + hex.EncodeToString(b[:])
}

func (s *session) run(parent context.Context) {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	s.conn.SetReadLimit(s.srv.cfg.MaxFrameBytes)
	s.writer = wsconn.NewWriter(s.conn, s.srv.cfg.PingInterval, s.log)
	go s.writer.Run(ctx)
	s.conn.SetPongHandler(func(string) error { return s.extend() })
	stop := context.AfterFunc(ctx, func() { _ = s.conn.SetReadDeadline(time.Now()) })
	defer stop()

	code, reason, why := websocket.CloseNormalClosure, "stream closed", "closed"
	err := s.open(ctx)
	if err == nil {
		err = s.readLoop()
	}
	var se *streamError
	switch {
	case errors.As(err, &se):
		code, reason, why = se.code, se.reason, se.reason
		s.log.Warn("closing listen stream", "code", code, "reason", reason)
	case parent.Err() != nil:
		code, reason, why = websocket.CloseGoingAway, "server shutting down", "server shutdown"
	case err != nil && !websocket.IsCloseError(err, websocket.CloseNormalClosure, websocket.CloseGoingAway):
		why = "disconnected"
		s.log.Info("listen stream connection lost", "err", err)
	}
	s.finish(why)
	s.writer.Close(code, reason)
}

func (s *session) extend() error {
	return s.conn.SetReadDeadline(time.Now().Add(s.srv.cfg.IdleTimeout))
}

// open starts the call and a track per channel.
func (s *session) open(ctx context.Context) error {
	id := newID()
	tracks := make([]string, s.p.Channels)
	for i := range tracks {
		tracks[i] = fmt.Sprintf("ch%d", i)
	}
	stream, err := s.srv.calls.Start(ctx, bridge.StreamStart{Key: id, StreamID: id, Source: "listen", Tracks: tracks})
	if err != nil {
		return &streamError{websocket.CloseTryAgainLater, "server at capacity, retry later"}
	}
	s.stream = stream
	s.log = s.log.With("call_id", stream.CallID(), "stream_id", id)
	s.writer.SetLogger(s.log)
	sub, err := stream.Subscribe(s.p.Interim)
	if err != nil {
		return &streamError{websocket.CloseInternalServerErr, "internal error"}
	}
	s.writer.Follow(sub)
	for _, t := range tracks {
		sink, err := s.srv.tx.OpenTrack(ctx, bridge.TrackInfo{CallID: stream.CallID(), StreamID: id, Track: t,
			Offset: stream.Offset(), Language: s.p.Language, Partials: s.p.Interim}, stream.Emit)
		if err != nil {
			return &streamError{websocket.CloseTryAgainLater, "server at capacity, retry later"}
		}
		r, err := codec.NewResampler(s.p.SampleRate, bridge.SampleRate)
		if err != nil {
			return &streamError{websocket.CloseUnsupportedData, err.Error()}
		}
		s.tracks = append(s.tracks, &channelPath{sink: sink, resampler: r})
	}
	s.log.Info("listen stream started", "encoding", s.p.Encoding, "sample_rate", s.p.SampleRate, "channels", s.p.Channels)
	return nil
}

// control is a text message from the client.
type control struct {
	Type string `json:"type"`
}

func (s *session) readLoop() error {
	for {
		if err := s.extend(); err != nil {
			return err
		}
		kind, data, err := s.conn.ReadMessage()
		if errors.Is(err, websocket.ErrReadLimit) {
			return &streamError{websocket.CloseMessageTooBig, "message too big"}
		}
		if err != nil {
			return err
		}
		if kind == websocket.BinaryMessage {
			if err := s.audio(data); err != nil {
				return err
			}
			continue
		}
		var c control
		if err := json.Unmarshal(data, &c); err != nil {
			return &streamError{websocket.CloseInvalidFramePayloadData, "text messages must be JSON control messages"}
		}
		switch c.Type {
		case "KeepAlive":
		case "Finalize":
			for _, t := range s.tracks {
				if err := t.sink.Finalize(); err != nil {
					s.log.Warn("finalize", "err", err)
				}
			}
		case "CloseStream":
			return nil
		default:
			return &streamError{websocket.CloseInvalidFramePayloadData, fmt.Sprintf("unknown control message type %q", c.Type)}
		}
	}
}
