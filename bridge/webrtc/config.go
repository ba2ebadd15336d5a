package webrtc

import (
	"log/slog"
	"net/http"
	"net/netip"
	"time"

	"github.com/callscribe/callscribe/bridge"
	"github.com/callscribe/callscribe/bridge/clock"
	"github.com/callscribe/callscribe/bridge/config"
	"github.com/callscribe/callscribe/bridge/jitter"
	"github.com/callscribe/callscribe/bridge/rtpaudio"
	"github.com/callscribe/callscribe/bridge/timeline"
)

// ICEServer is a STUN or TURN server: the server gathers candidates
// through it, and tells clients about it in the answer's Link headers.
type ICEServer struct {
	// URLs are stun:, turn: or turns: URIs (RFC 7064, RFC 7065).
	URLs []string
	// Username and Credential authenticate to a TURN server.
	Username, Credential string
}

// Config tunes the WHIP endpoint and its sessions. A zero field takes the
// default named in its comment.
type Config struct {
	// ICEServers are STUN and TURN servers. Default none: host candidates
	// only, enough on a LAN or a host with a public address.
	ICEServers []ICEServer
	// PublicIPs, when set, replace the host candidates' addresses: a host
	// behind a one-to-one NAT (a cloud VM's elastic IP) announces these.
	PublicIPs []string
	// UDPPort, when set, serves every session on this one UDP port
	// through pion's UDP mux (one port to open in a container or
	// firewall). Zero gives each session its own port.
	UDPPort int
	// UDPPortMin and UDPPortMax bound the ports of sessions without
	// UDPPort. Zero: any ephemeral port.
	UDPPortMin, UDPPortMax uint16
	// IncludeLoopback gathers loopback candidates too: tests and a demo
	// on one machine. Default off.
	IncludeLoopback bool
	// MaxSessions bounds the sessions running at once; a POST beyond it
	// gets 503. Default 64.
	MaxSessions int
	// MaxTracks bounds the audio tracks of one session. Default 4.
	MaxTracks int
	// MaxOfferBytes bounds an offer's size (413 beyond). Default 64 KiB.
	MaxOfferBytes int64
	// GatherTimeout bounds the wait for the server's own candidates
	// before it answers. Default 5 s.
	GatherTimeout time.Duration
	// ConnectTimeout ends a session whose peer has not connected this long
	// after the answer. Default 30 s.
	ConnectTimeout time.Duration
	// ICEDisconnectedTimeout and ICEFailedTimeout: a peer silent for the
	// first is disconnected, and for the second more failed, which ends
	// its session (a peer that vanished without DELETE). Defaults 5 s and
	// 20 s. ICEKeepalive is how often the server checks the path. Default
	// 2 s.
	ICEDisconnectedTimeout, ICEFailedTimeout, ICEKeepalive time.Duration
	// DataChannelWait is how long, once connected, the server waits for
	// the client to open the transcripts data channel before opening it
	// itself (when the offer negotiated data channels). Default 1 s.
	DataChannelWait time.Duration
	// CloseTimeout bounds the wait for a session's last finals. Default
	// 60 s.
	CloseTimeout time.Duration
	// FlushTimeout bounds the wait for the data channel to send its last
	// events before the connection closes. Default 2 s.
	FlushTimeout time.Duration
	// MaxDuration ends a session that lasts longer; 0 sets no limit.
	MaxDuration time.Duration
	// MediaTimeout ends a session that received no audio for this long; 0
	// sets no limit.
	MediaTimeout time.Duration
	// PacketQueue bounds the packets waiting between a track's reader and
	// the session; a packet that finds it full is dropped and counted (the
	// jitter buffer then conceals it). Default 256.
	PacketQueue int
	// Jitter tunes each track's jitter buffer (ClockRate is the codec's).
	Jitter jitter.Config
	// RateGuard bounds how far media may run ahead of wall time.
	RateGuard timeline.RateGuardConfig
	// NewOpusDecoder makes a 48 kHz Opus decoder per track. Nil leaves Opus
	// out: only PCMU and PCMA are accepted.
	NewOpusDecoder func() (rtpaudio.Decoder, error)
	// Authorize, when set, decides whether a POST may start a session,
	// before anything else is done for it. It gets the request (whose
	// context carries what the HTTP layer authenticated); release is called
	// when the session ends. An *HTTPError chooses the refusal; any other
	// error is a 403.
	Authorize func(r *http.Request) (release func(), err error)
	// AllowOrigin is the CORS Access-Control-Allow-Origin. Default "*":
	// the endpoint authenticates by bearer token, not by cookies.
	AllowOrigin string
	// Clock times the sessions' limits. Default clock.System().
	Clock clock.Clock
	// Logger receives the sessions' logs. Default slog.Default().
	Logger *slog.Logger
	// Refusals counts what is turned away, by reason, for the metrics:
	// offers refused here and sessions ended by a limit. Authorize counts
	// its own. Default: nothing is counted.
	Refusals bridge.Refusals
}

// WithDefaults returns c with every zero field set to its default.
func (c Config) WithDefaults() Config {
	config.Default(&c.MaxSessions, 64)
	config.Default(&c.MaxTracks, 4)
	config.Default(&c.MaxOfferBytes, 64<<10)
	config.Default(&c.GatherTimeout, 5*time.Second)
	config.Default(&c.ConnectTimeout, 30*time.Second)
	config.Default(&c.ICEDisconnectedTimeout, 5*time.Second)
	config.Default(&c.ICEFailedTimeout, 20*time.Second)
	config.Default(&c.ICEKeepalive, 2*time.Second)
	config.Default(&c.DataChannelWait, time.Second)
	config.Default(&c.CloseTimeout, 60*time.Second)
	config.Default(&c.FlushTimeout, 2*time.Second)
	config.Default(&c.PacketQueue, 256)
	config.Default(&c.AllowOrigin, "*")
	c.Clock = clock.Or(c.Clock)
	c.Logger = config.Logger(c.Logger)
	if c.Refusals == nil {
		c.Refusals = bridge.NoRefusals{}
	}
	return c
}

// Validate reports every problem of c after defaults are applied, wrapped
// in ErrBadConfig.
func (c Config) Validate() error {
	c = c.WithDefaults()
	var p config.Problems
	for _, d := range []struct {
		name string
		d    time.Duration
	}{{"GatherTimeout", c.GatherTimeout}, {"ConnectTimeout", c.ConnectTimeout},
		{"ICEDisconnectedTimeout", c.ICEDisconnectedTimeout}, {"ICEFailedTimeout", c.ICEFailedTimeout},
		{"ICEKeepalive", c.ICEKeepalive}, {"DataChannelWait", c.DataChannelWait},
		{"CloseTimeout", c.CloseTimeout}, {"FlushTimeout", c.FlushTimeout}} {
		p.Positive(d.name, d.d)
	}
	if c.MaxDuration < 0 || c.MediaTimeout < 0 {
		p.Addf("MaxDuration (%s) and MediaTimeout (%s) must not be negative", c.MaxDuration, c.MediaTimeout)
	}
	if c.MaxSessions < 0 || c.MaxTracks < 0 || c.MaxOfferBytes < 0 || c.PacketQueue < 0 {
		p.Addf("MaxSessions, MaxTracks, MaxOfferBytes and PacketQueue must be positive")
	}
	if c.UDPPort < 0 || c.UDPPort > 65535 {
		p.Addf("UDPPort must be a port, is %d", c.UDPPort)
	}
	if c.UDPPortMin > c.UDPPortMax || (c.UDPPortMin == 0) != (c.UDPPortMax == 0) {
		p.Addf("UDPPortMin (%d) and UDPPortMax (%d) must both be set, the first not above the second", c.UDPPortMin, c.UDPPortMax)
	}
	for _, ip := range c.PublicIPs {
		if _, err := netip.ParseAddr(ip); err != nil {
			p.Addf("PublicIPs: %q is no IP address", ip)
		}
	}
	for _, s := range c.ICEServers {
		p.Add(s.check())
	}
	j := c.Jitter
	j.ClockRate = 48000
	p.Add(j.Validate())
	if c.RateGuard.Burst < 0 || c.RateGuard.Speed < 0 {
		p.Addf("RateGuard's Burst and Speed must not be negative")
	}
	return p.Err(ErrBadConfig)
}
