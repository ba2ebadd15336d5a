package main

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/callscribe/callscribe/bridge"
	"github.com/callscribe/callscribe/bridge/auth"
	"github.com/callscribe/callscribe/bridge/rtpaudio"
	"github.com/callscribe/callscribe/bridge/webrtc"
	"github.com/callscribe/callscribe/codec/opus"
)

// WebRTCConfig is how the WHIP endpoint (POST /v1/whip) reaches its peers.
// By default it offers host candidates on a port per session, which is
// enough on a LAN or a host with a public address; behind a NAT or in a
// container, name the public IP, a STUN or TURN server, and the ports.
type WebRTCConfig struct {
	// ICEServers are stun:, turn: or turns: URIs, comma-separated; the
	// server gathers through them and names them to clients.
	ICEServers string
	// ICEUsername and ICECredential authenticate to the TURN servers.
	ICEUsername, ICECredential string
	// PublicIPs (comma-separated) replace the host candidates' addresses:
	// a host behind a one-to-one NAT.
	PublicIPs string
	// UDPPort serves every session on one UDP port; 0 gives each its own.
	UDPPort int
	// UDPPorts bounds the per-session ports, "min-max".
	UDPPorts string
	// MaxSessions bounds the WebRTC sessions at once.
	MaxSessions int
}

func (c *WebRTCConfig) register(fs *flag.FlagSet) {
	fs.StringVar(&c.ICEServers, "webrtc-ice-servers", "", "STUN/TURN servers for WebRTC, comma-separated stun:, turn:, turns: URIs (default: host candidates only)")
	fs.StringVar(&c.ICEUsername, "webrtc-ice-username", "", "username for the TURN servers")
	fs.StringVar(&c.ICECredential, "webrtc-ice-credential", "", "credential for the TURN servers")
	fs.StringVar(&c.PublicIPs, "webrtc-public-ip", "", "public IPs announced instead of the host's addresses (one-to-one NAT), comma-separated")
	fs.IntVar(&c.UDPPort, "webrtc-udp-port", 0, "one UDP port for every WebRTC session (0: a port per session)")
	fs.StringVar(&c.UDPPorts, "webrtc-udp-ports", "", `range of the per-session UDP ports, "min-max" (default: any)`)
	fs.IntVar(&c.MaxSessions, "webrtc-max-sessions", 64, "WebRTC sessions at once")
}

// config is the endpoint's configuration as the flags set it (the rest
// is the service's to fill in).
func (c *WebRTCConfig) config() (webrtc.Config, error) {
	cfg := webrtc.Config{PublicIPs: splitList(c.PublicIPs), UDPPort: c.UDPPort, MaxSessions: c.MaxSessions}
	if urls := splitList(c.ICEServers); len(urls) > 0 {
		cfg.ICEServers = []webrtc.ICEServer{{URLs: urls, Username: c.ICEUsername, Credential: c.ICECredential}}
	}
	if c.UDPPorts != "" {
		lo, hi, ok := strings.Cut(c.UDPPorts, "-")
		first, err1 := strconv.ParseUint(strings.TrimSpace(lo), 10, 16)
		last, err2 := strconv.ParseUint(strings.TrimSpace(hi), 10, 16)
		if !ok || err1 != nil || err2 != nil || first == 0 {
			return cfg, fmt.Errorf("--webrtc-udp-ports %q: want min-max, such as 50000-50999", c.UDPPorts)
		}
		cfg.UDPPortMin, cfg.UDPPortMax = uint16(first), uint16(last)
	}
	if c.MaxSessions < 1 {
		return cfg, errors.New("--webrtc-max-sessions must be 1 or more")
	}
	return cfg, nil
}

// Validate checks the values with the endpoint's own rules.
func (c *WebRTCConfig) Validate() error {
	cfg, err := c.config()
	if err == nil {
		err = cfg.Validate()
	}
	if err != nil {
		return fmt.Errorf("webrtc settings: %w", err)
	}
	return nil
}

// newWebRTC makes the WHIP endpoint: Opus through libopus, the same limits
// as the other transports, loopback candidates when the service itself
// listens on loopback (the demo, the tests), and a call slot per key for
// each session's life.
func newWebRTC(cfg ServeConfig, calls bridge.Calls, tx bridge.Transcriber, admit bridge.Admission,
	a *auth.Authenticator, slots *auth.CallSlots, refusals bridge.Refusals, log *slog.Logger) (*webrtc.Server, error) {
	wcfg, err := cfg.WebRTCConfig.config()
	if err != nil {
		return nil, err
	}
	wcfg.NewOpusDecoder = func() (rtpaudio.Decoder, error) { return opus.NewDecoder(rtpaudio.OpusClockRate) }
	wcfg.MaxDuration, wcfg.MediaTimeout = cfg.MaxCallDuration, cfg.MediaTimeout
	wcfg.IncludeLoopback = isLoopback(cfg.Listen)
	wcfg.Logger, wcfg.Refusals = log, refusals
	if !a.Disabled() {
		wcfg.Authorize = func(r *http.Request) (func(), error) {
			p, _ := auth.FromContext(r.Context())
			release, err := slots.Acquire(p)
			if err != nil {
				return nil, &webrtc.HTTPError{Status: http.StatusTooManyRequests, Reason: "too many concurrent calls for this key", Err: err}
			}
			return release, nil
		}
	}
	return webrtc.NewServer(wcfg, calls, tx, admit)
}

// whipRoutes mounts WHIP: the POST and the session URL behind the stream
// scope, the preflights open; CORS outside the authentication, so that a
// page reads its refusals too.
func (s *service) whipRoutes() {
	w, a := s.webrtc, s.auth
	s.mux.Handle("POST /v1/whip", w.CORS(a.Require(auth.ScopeStream, w)))
	s.mux.Handle("DELETE /v1/whip/{id}", w.CORS(a.Require(auth.ScopeStream, w.Resource())))
	s.mux.Handle("PATCH /v1/whip/{id}", w.CORS(a.Require(auth.ScopeStream, w.Resource())))
	s.mux.Handle("OPTIONS /v1/whip", w.CORS(nil))
	s.mux.Handle("OPTIONS /v1/whip/{id}", w.CORS(nil))
}
