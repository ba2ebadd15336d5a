package whiptest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/pion/ice/v4"
	"github.com/pion/rtp"
	pion "github.com/pion/webrtc/v4"

	"github.com/callscribe/callscribe/bridge/event"
)

// Opus and PCMU are the codecs a Client's tracks usually send.
var (
	Opus = pion.RTPCodecCapability{MimeType: pion.MimeTypeOpus, ClockRate: 48000, Channels: 2, SDPFmtpLine: "minptime=10;useinbandfec=1"}
	PCMU = pion.RTPCodecCapability{MimeType: pion.MimeTypePCMU, ClockRate: 8000, Channels: 1}
)

// Options describe a Client.
type Options struct {
	// Tracks is the number of audio tracks sent. Default 1; a negative
	// number sends none (an offer without audio).
	Tracks int
	// Codec is the tracks' codec. Default Opus.
	Codec pion.RTPCodecCapability
	// NoDataChannel leaves the transcripts data channel out; OtherChannel
	// opens one of another label instead, so that the offer still
	// negotiates data channels.
	NoDataChannel, OtherChannel bool
	// Header is added to every request (Authorization).
	Header http.Header
	// Query is added to the POST's URL (tracks=caller,agent).
	Query url.Values
}

// Client is one WHIP session's client.
type Client struct {
	PC       *pion.PeerConnection
	Tracks   []*pion.TrackLocalStaticRTP
	Location string // the session URL, absolute
	ETag     string
	// Answer is the server's SDP answer.
	Answer string

	header http.Header
	conn   *cuttable
	events chan event.Event
	dc     *pion.DataChannel

	mu   sync.Mutex
	seen []event.Event
}

// New makes a Client's peer connection, tracks and data channel, on
// loopback UDP, without talking to a server yet.
func New(opts Options) (*Client, error) {
	if opts.Tracks == 0 {
		opts.Tracks = 1
	}
	if opts.Codec.MimeType == "" {
		opts.Codec = Opus
	}
	udp, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		return nil, err
	}
	c := &Client{header: opts.Header, conn: &cuttable{UDPConn: udp}, events: make(chan event.Event, 1024)}
	se := pion.SettingEngine{LoggerFactory: quiet{}}
	se.SetIncludeLoopbackCandidate(true)
	se.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	se.SetNetworkTypes([]pion.NetworkType{pion.NetworkTypeUDP4})
	se.SetICEUDPMux(pion.NewICEUDPMux(quietLogger{}, c.conn))
	m := &pion.MediaEngine{}
	if err := m.RegisterCodec(pion.RTPCodecParameters{RTPCodecCapability: opts.Codec, PayloadType: 111}, pion.RTPCodecTypeAudio); err != nil {
		return nil, c.fail(err)
	}
	api := pion.NewAPI(pion.WithMediaEngine(m), pion.WithSettingEngine(se))
	if c.PC, err = api.NewPeerConnection(pion.Configuration{}); err != nil {
		return nil, c.fail(err)
	}
	for i := 0; i < opts.Tracks; i++ {
		tr, err := pion.NewTrackLocalStaticRTP(opts.Codec, fmt.Sprintf("mic%d", i), "whiptest")
		if err != nil {
			return nil, c.fail(err)
		}
		if _, err := c.PC.AddTransceiverFromTrack(tr, pion.RTPTransceiverInit{Direction: pion.RTPTransceiverDirectionSendonly}); err != nil {
			return nil, c.fail(err)
		}
		c.Tracks = append(c.Tracks, tr)
	}
	switch {
	case opts.OtherChannel:
		_, err = c.PC.CreateDataChannel("chat", nil)
	case !opts.NoDataChannel:
		c.watch(must(c.PC.CreateDataChannel("transcripts", nil)))
	}
	if err != nil {
		return nil, c.fail(err)
	}
	// A server that opens the transcripts channel itself.
	c.PC.OnDataChannel(func(dc *pion.DataChannel) {
		if dc.Label() == "transcripts" {
			c.watch(dc)
		}
	})
	return c, nil
}

func must(dc *pion.DataChannel, err error) *pion.DataChannel {
	if err != nil {
		panic(err) // CreateDataChannel fails only on a closed connection
	}
	return dc
}

// watch decodes the events arriving on dc.
func (c *Client) watch(dc *pion.DataChannel) {
	c.mu.Lock()
	c.dc = dc
	c.mu.Unlock()
	dc.OnMessage(func(m pion.DataChannelMessage) {
		var e event.Event
		if json.Unmarshal(m.Data, &e) != nil {
			return
		}
		c.mu.Lock()
		c.seen = append(c.seen, e)
		c.mu.Unlock()
		select {
		case c.events <- e:
		default:
		}
	})
}

// Offer returns the client's SDP offer, with its candidates (no trickle).
func (c *Client) Offer() (string, error) {
	offer, err := c.PC.CreateOffer(nil)
	if err != nil {
		return "", err
	}
	gathered := pion.GatheringCompletePromise(c.PC)
	if err := c.PC.SetLocalDescription(offer); err != nil {
		return "", err
	}
	<-gathered
	return c.PC.LocalDescription().SDP, nil
}

// Dial makes a Client and starts its session at endpoint (the POST URL).
// A refusal is an error holding the status and the body.
func Dial(ctx context.Context, endpoint string, opts Options) (*Client, error) {
	c, err := New(opts)
	if err != nil {
		return nil, err
	}
	if err := c.Start(ctx, endpoint, opts.Query); err != nil {
		return nil, c.fail(err)
	}
	return c, nil
}

// Start POSTs the offer, applies the answer and waits until the
// connection is up.
func (c *Client) Start(ctx context.Context, endpoint string, query url.Values) error {
	offer, err := c.Offer()
	if err != nil {
		return err
	}
	u := endpoint
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	a, err := c.Do(ctx, http.MethodPost, u, "application/sdp", offer, nil)
	if err != nil {
		return err
	}
	if a.Status != http.StatusCreated {
		return &RefusedError{Status: a.Status, Body: a.Body, Header: a.Header}
	}
	body := a.Body
	loc, err := url.Parse(endpoint)
	if err != nil {
		return err
	}
	ref, err := loc.Parse(a.Header.Get("Location"))
	if err != nil {
		return err
	}
	c.Location, c.ETag, c.Answer = ref.String(), a.Header.Get("ETag"), body
	connected := make(chan struct{})
	var once sync.Once
	c.PC.OnConnectionStateChange(func(s pion.PeerConnectionState) {
		if s == pion.PeerConnectionStateConnected {
			once.Do(func() { close(connected) })
		}
	})
	if err := c.PC.SetRemoteDescription(pion.SessionDescription{Type: pion.SDPTypeAnswer, SDP: body}); err != nil {
		return err
	}
	// Packets written before DTLS is up are dropped: a live sender's
	// first packet is sent once connected.
	select {
	case <-connected:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("whiptest: not connected: %w", ctx.Err())
	}
}

// RefusedError is a non-201 answer to the POST.
type RefusedError struct {
	Status int
	Body   string
	Header http.Header
}

func (e *RefusedError) Error() string {
	return fmt.Sprintf("WHIP POST: %d %s", e.Status, strings.TrimSpace(e.Body))
}

// Answer is what a request got back.
type Answer struct {
	Status int
	Header http.Header
	Body   string
}

// Do sends a request with the client's headers (and header) and returns
// the answer.
func (c *Client) Do(ctx context.Context, method, u, contentType, body string, header http.Header) (Answer, error) {
	req, err := http.NewRequestWithContext(ctx, method, u, strings.NewReader(body))
	if err != nil {
		return Answer{}, err
	}
	for k, v := range c.header {
		req.Header[k] = v
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return Answer{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return Answer{resp.StatusCode, resp.Header, string(b)}, err
}

// WriteRTP sends a packet on track i; the track sets the SSRC and payload
// type, the caller the rest.
func (c *Client) WriteRTP(i int, p *rtp.Packet) error { return c.Tracks[i].WriteRTP(p) }

// Events delivers the events read on the transcripts channel (up to 1024
// unread; Seen keeps them all).
func (c *Client) Events() <-chan event.Event { return c.events }

// Seen returns every event read so far.
func (c *Client) Seen() []event.Event {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]event.Event(nil), c.seen...)
}

// Send sends a text message on the transcripts channel.
func (c *Client) Send(msg string) error {
	c.mu.Lock()
	dc := c.dc
	c.mu.Unlock()
	if dc == nil {
		return fmt.Errorf("whiptest: no transcripts channel")
	}
	return dc.SendText(msg)
}

// Delete ends the session (DELETE on its URL) and returns the status.
func (c *Client) Delete(ctx context.Context) (int, error) {
	a, err := c.Do(ctx, http.MethodDelete, c.Location, "", "", nil)
	return a.Status, err
}

// Vanish drops every packet from now on, both ways, as a peer whose
// network died; the server only learns it from ICE.
func (c *Client) Vanish() { c.conn.cut.Store(true) }

// Close closes the peer connection and its socket.
func (c *Client) Close() error {
	var err error
	if c.PC != nil {
		err = c.PC.GracefulClose()
	}
	if cerr := c.conn.Close(); err == nil {
		err = cerr
	}
	return err
}

// fail closes what New made and returns err.
func (c *Client) fail(err error) error {
	_ = c.Close()
	return err
}
