package metrics

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/callscribe/callscribe/bridge/webrtc"
)

// webrtcCollector exports the WHIP endpoint's Stats, read one atomic at a
// time like the Twilio server's.
func webrtcCollector(src *webrtc.ServerStats) prometheus.Collector {
	type w = *webrtc.ServerStats
	return &snapshots[w]{take: func() w { return src }, stats: []stat[w]{
		counter("callscribe_webrtc_sessions_total", "WHIP sessions started.", func(s w) int64 { return s.Sessions.Load() }),
		counter("callscribe_webrtc_sessions_refused_total", "WHIP offers refused: admission, the session limit or authorization.", func(s w) int64 { return s.Refused.Load() }),
		counter("callscribe_webrtc_packets_dropped_total", "RTP packets dropped because a session's packet queue was full (then concealed).", func(s w) int64 { return s.DroppedPackets.Load() }),
		counter("callscribe_webrtc_packets_bad_total", "RTP packets that did not parse or had a payload type the track did not negotiate.", func(s w) int64 { return s.BadPackets.Load() }),
		counter("callscribe_webrtc_partials_dropped_total", "Partials not sent on a data channel with too much already waiting.", func(s w) int64 { return s.DroppedPartials.Load() }),
	}}
}
