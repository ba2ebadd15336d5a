package webrtc

import (
	"fmt"
	"time"

	pion "github.com/pion/webrtc/v4"
)

// peer wraps one pion PeerConnection, once: its callbacks become channels
// the session selects on. A callback never blocks pion: it hands its value
// over, or drops it once the session stopped listening (done) or, for the
// bounded channels, when the session is far behind.
type peer struct {
	pc *pion.PeerConnection
	// tracks delivers each remote audio track with its section's mid.
	tracks chan remoteTrack
	// states says the connection state changed; read pc.ConnectionState,
	// since pion reports changes from goroutines of their own, in any
	// order.
	states chan struct{}
	// channels delivers data channels the client opened; opened, those
	// (of either side) that opened; messages, what the client sent on the
	// one the session watches.
	channels chan *pion.DataChannel
	opened   chan *pion.DataChannel
	messages chan []byte
	done     chan struct{}
}

// remoteTrack is an audio track the client sends, in the section mid.
type remoteTrack struct {
	track *pion.TrackRemote
	mid   string
}

// newPeer returns a PeerConnection made with api, its callbacks wired.
func newPeer(api *pion.API, servers []ICEServer, maxTracks int) (*peer, error) {
	pc, err := api.NewPeerConnection(pion.Configuration{ICEServers: pionServers(servers)})
	if err != nil {
		return nil, err
	}
	p := &peer{pc: pc, tracks: make(chan remoteTrack, maxTracks+1), states: make(chan struct{}, 1),
		channels: make(chan *pion.DataChannel, 4), opened: make(chan *pion.DataChannel, 2),
		messages: make(chan []byte, 16), done: make(chan struct{})}
	pc.OnTrack(func(t *pion.TrackRemote, r *pion.RTPReceiver) {
		mid := ""
		for _, tr := range pc.GetTransceivers() {
			if tr.Receiver() == r {
				mid = tr.Mid()
			}
		}
		handOver(p.tracks, p.done, remoteTrack{t, mid})
	})
	pc.OnConnectionStateChange(func(pion.PeerConnectionState) { handOver(p.states, p.done, struct{}{}) })
	pc.OnDataChannel(func(dc *pion.DataChannel) { handOver(p.channels, p.done, dc) })
	return p, nil
}

// handOver hands v over without blocking: dropped when ch is full (a state
// change needs one pending notice; the other channels are bounded by
// design) or the session is gone.
func handOver[T any](ch chan T, done <-chan struct{}, v T) {
	select {
	case <-done:
	case ch <- v:
	default:
	}
}

// watch follows a data channel: its opening and the client's messages.
func (p *peer) watch(dc *pion.DataChannel) {
	dc.OnOpen(func() { handOver(p.opened, p.done, dc) })
	dc.OnMessage(func(m pion.DataChannelMessage) {
		if m.IsString {
			handOver(p.messages, p.done, m.Data)
		}
	})
}

// answer applies the client's offer and returns the server's answer, with
// the candidates gathered within timeout (host candidates take
// milliseconds; STUN and TURN longer).
func (p *peer) answer(sdp string, timeout time.Duration) (string, error) {
	if err := p.pc.SetRemoteDescription(pion.SessionDescription{Type: pion.SDPTypeOffer, SDP: sdp}); err != nil {
		return "", fmt.Errorf("%w: %w", ErrBadOffer, err)
	}
	answer, err := p.pc.CreateAnswer(nil)
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrBadOffer, err)
	}
	gathered := pion.GatheringCompletePromise(p.pc)
	if err := p.pc.SetLocalDescription(answer); err != nil {
		return "", err
	}
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case <-gathered:
	case <-t.C:
	}
	return p.pc.LocalDescription().SDP, nil
}

// close stops the callbacks and closes the connection, waiting for pion's
// goroutines to end.
func (p *peer) close() error {
	close(p.done)
	return p.pc.GracefulClose()
}
