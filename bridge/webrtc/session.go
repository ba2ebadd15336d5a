package webrtc

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	pion "github.com/pion/webrtc/v4"

	"github.com/callscribe/callscribe/bridge"
	"github.com/callscribe/callscribe/bridge/clock"
	"github.com/callscribe/callscribe/bridge/rtpaudio"
)

// session is one WHIP session: one peer connection, one stream of a call,
// a track per audio section. Its loop (run) owns everything but what the
// HTTP handlers reach through stop and the immutable fields.
type session struct {
	srv      *Server
	cfg      Config
	clock    clock.Clock
	id, etag string
	peer     *peer
	offer    offer
	params   params
	log      *slog.Logger
	release  func()

	stream bridge.Stream
	sub    bridge.Subscription // nil when the offer negotiated no data channel
	tracks []*track
	byMid  map[string]*track

	packets chan packet
	ticks   chan struct{}
	stop    chan string   // a DELETE (or another end) asks the loop to end
	ending  chan struct{} // closed once the loop stopped: readers hand nothing more
	done    chan struct{} // closed once the session ended
	readers sync.WaitGroup

	// Owned by the loop.
	began, connectedAt, epoch, lastMedia time.Time
	connected, media                     bool
	dc                                   *pion.DataChannel
	writing                              chan struct{} // closed when the writer ended; nil before it starts
	stopWriter                           chan struct{}
}

// track is one audio track of the session.
type track struct {
	label, mid string
	sink       bridge.TrackSink
	path       *rtpaudio.Track // nil until the client's track arrives
	pt         uint8
	last       time.Time // the last packet's arrival
}

func newSession(srv *Server, p *peer, o offer, prm params) *session {
	var tag [8]byte
	_, _ = rand.Read(tag[:])
	s := &session{srv: srv, cfg: srv.cfg, clock: srv.cfg.Clock, id: newID(), etag: `"` + hex.EncodeToString(tag[:]) + `"`,
		peer: p, offer: o, params: prm, byMid: map[string]*track{},
		packets: make(chan packet, srv.cfg.PacketQueue), ticks: make(chan struct{}, 1),
		stop: make(chan string, 1), ending: make(chan struct{}), done: make(chan struct{}), stopWriter: make(chan struct{})}
	s.log = srv.cfg.Logger.With("session", s.id)
	s.began = s.clock.Now()
	return s
}

// open starts the call's stream and opens a track per audio section, and
// the subscription its events go out on when a data channel can carry
// them.
func (s *session) open(ctx context.Context) error {
	labels := make([]string, len(s.offer.tracks))
	for i, t := range s.offer.tracks {
		labels[i] = t.label
	}
	stream, err := s.srv.calls.Start(ctx, bridge.StreamStart{Key: s.id, StreamID: s.id, Source: "webrtc",
		Tracks: labels, CustomParameters: s.params.record})
	if err != nil {
		return &HTTPError{Status: http.StatusServiceUnavailable, Reason: "server at capacity, retry later", Err: err}
	}
	s.stream = stream
	s.log = s.log.With("call_id", stream.CallID())
	for _, ot := range s.offer.tracks {
		info := bridge.TrackInfo{CallID: stream.CallID(), StreamID: s.id, Track: ot.label, Offset: stream.Offset(),
			Language: s.params.language, Partials: s.params.partials}
		sink, err := s.srv.tx.OpenTrack(ctx, info, stream.Emit)
		if err != nil {
			return &HTTPError{Status: http.StatusServiceUnavailable, Reason: "server at capacity, retry later",
				Err: fmt.Errorf("track %s: %w", ot.label, err)}
		}
		t := &track{label: ot.label, mid: ot.mid, sink: sink}
		s.tracks = append(s.tracks, t)
		s.byMid[ot.mid] = t
	}
	if s.offer.data {
		if s.sub, err = stream.Subscribe(s.params.partials); err != nil {
			return err
		}
	}
	s.log.Info("webrtc session started", "tracks", labels, "data_channel", s.offer.data)
	return nil
}

// abandon undoes a session that failed to open, whether or not the
// request that opened it is still there.
func (s *session) abandon(ctx context.Context) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.CloseTimeout)
	defer cancel()
	var errs []error
	for _, t := range s.tracks {
		errs = append(errs, t.sink.Close(ctx))
	}
	if s.stream != nil {
		s.stream.End(ReasonRefused)
	}
	if s.sub != nil {
		s.sub.Close()
	}
	errs = append(errs, s.peer.close())
	if err := errors.Join(errs...); err != nil {
		s.log.Warn("undoing a session that failed to open", "err", err)
	}
}

// end asks the session to end with reason, unless it is ending already.
func (s *session) end(reason string) {
	select {
	case s.stop <- reason:
	default:
	}
}
