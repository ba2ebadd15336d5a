package webrtc

import (
	"fmt"
	"io"
	"strings"

	"github.com/pion/ice/v4"
	"github.com/pion/interceptor"
	"github.com/pion/stun/v4"
	pion "github.com/pion/webrtc/v4"

	"github.com/callscribe/callscribe/bridge/rtpaudio"
)

// Codecs the server receives, in its order of preference.
var (
	codecOpus = pion.RTPCodecParameters{PayloadType: 111, RTPCodecCapability: pion.RTPCodecCapability{
		MimeType: pion.MimeTypeOpus, ClockRate: rtpaudio.OpusClockRate, Channels: 2, SDPFmtpLine: "minptime=10;useinbandfec=1"}}
	codecPCMU = pion.RTPCodecParameters{PayloadType: 0, RTPCodecCapability: pion.RTPCodecCapability{
		MimeType: pion.MimeTypePCMU, ClockRate: 8000, Channels: 1}}
	codecPCMA = pion.RTPCodecParameters{PayloadType: 8, RTPCodecCapability: pion.RTPCodecCapability{
		MimeType: pion.MimeTypePCMA, ClockRate: 8000, Channels: 1}}
)

// newAPI returns the pion API every session is made with, and the UDP mux
// to close once the sessions ended (nil without Config.UDPPort).
func newAPI(cfg Config) (*pion.API, io.Closer, error) {
	m := &pion.MediaEngine{}
	codecs := []pion.RTPCodecParameters{codecPCMU, codecPCMA}
	if cfg.NewOpusDecoder != nil {
		codecs = append([]pion.RTPCodecParameters{codecOpus}, codecs...)
	}
	for _, c := range codecs {
		if err := m.RegisterCodec(c, pion.RTPCodecTypeAudio); err != nil {
			return nil, nil, fmt.Errorf("%w: %w", ErrBadConfig, err)
		}
	}
	// Receiver reports let the sender see its loss and round trip.
	ir := &interceptor.Registry{}
	if err := pion.ConfigureRTCPReports(ir); err != nil {
		return nil, nil, fmt.Errorf("%w: %w", ErrBadConfig, err)
	}

	se := pion.SettingEngine{LoggerFactory: pionLogs{cfg.Logger}}
	se.SetICETimeouts(cfg.ICEDisconnectedTimeout, cfg.ICEFailedTimeout, cfg.ICEKeepalive)
	// mDNS would add a multicast socket per session, to resolve the .local
	// names browsers give their host candidates; the browser reaches the
	// server's candidates anyway, and its address is learned from that.
	se.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	se.SetNetworkTypes([]pion.NetworkType{pion.NetworkTypeUDP4, pion.NetworkTypeUDP6})
	se.SetIncludeLoopbackCandidate(cfg.IncludeLoopback)
	if len(cfg.PublicIPs) > 0 {
		if err := se.SetICEAddressRewriteRules(pion.ICEAddressRewriteRule{External: cfg.PublicIPs,
			AsCandidateType: pion.ICECandidateTypeHost, Mode: pion.ICEAddressRewriteReplace}); err != nil {
			return nil, nil, fmt.Errorf("%w: public IPs: %w", ErrBadConfig, err)
		}
	}
	if cfg.UDPPortMin > 0 {
		if err := se.SetEphemeralUDPPortRange(cfg.UDPPortMin, cfg.UDPPortMax); err != nil {
			return nil, nil, fmt.Errorf("%w: %w", ErrBadConfig, err)
		}
	}
	var mux io.Closer
	if cfg.UDPPort > 0 {
		opts := []ice.UDPMuxFromPortOption{ice.UDPMuxFromPortWithNetworks(ice.NetworkTypeUDP4, ice.NetworkTypeUDP6),
			ice.UDPMuxFromPortWithLogger(pionLogs{cfg.Logger}.NewLogger("udpmux"))}
		if cfg.IncludeLoopback {
			opts = append(opts, ice.UDPMuxFromPortWithLoopback())
		}
		udp, err := ice.NewMultiUDPMuxFromPort(cfg.UDPPort, opts...)
		if err != nil {
			return nil, nil, fmt.Errorf("UDP port %d: %w", cfg.UDPPort, err)
		}
		se.SetICEUDPMux(udp)
		mux = udp
	}
	return pion.NewAPI(pion.WithMediaEngine(m), pion.WithSettingEngine(se), pion.WithInterceptorRegistry(ir)), mux, nil
}

// check reports an ICE server whose URLs do not parse.
func (s ICEServer) check() error {
	if len(s.URLs) == 0 {
		return fmt.Errorf("an ICE server without URLs")
	}
	for _, u := range s.URLs {
		uri, err := stun.ParseURI(u)
		if err != nil {
			return fmt.Errorf("ICE server %q: %w", u, err)
		}
		if (uri.Scheme == stun.SchemeTypeTURN || uri.Scheme == stun.SchemeTypeTURNS) && (s.Username == "" || s.Credential == "") {
			return fmt.Errorf("TURN server %q needs a username and a credential", u)
		}
	}
	return nil
}

// pionServers is cfg's servers as pion takes them.
func pionServers(servers []ICEServer) []pion.ICEServer {
	out := make([]pion.ICEServer, 0, len(servers))
	for _, s := range servers {
		out = append(out, pion.ICEServer{URLs: s.URLs, Username: s.Username, Credential: s.Credential})
	}
	return out
}

// linkHeaders are the answer's Link headers naming the ICE servers
// (RFC 9725, section 4.6), for clients that configure them late.
func linkHeaders(servers []ICEServer) []string {
	var links []string
	for _, s := range servers {
		for _, u := range s.URLs {
			l := fmt.Sprintf(`<%s>; rel="ice-server"`, u)
			if strings.HasPrefix(u, "turn") {
				l += fmt.Sprintf(`; username=%q; credential=%q; credential-type="password"`, s.Username, s.Credential)
			}
			links = append(links, l)
		}
	}
	return links
}
