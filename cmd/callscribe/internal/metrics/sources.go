package metrics

import (
	"context"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/callscribe/callscribe/bridge/call"
	"github.com/callscribe/callscribe/bridge/twilio"
	"github.com/callscribe/callscribe/bridge/webrtc"
	"github.com/callscribe/callscribe/transcribe"
	"github.com/callscribe/callscribe/webhooks"
)

// PoolSource is the decoder pool (*transcribe.Pool).
type PoolSource interface {
	Stats() transcribe.PoolStats
}

// TrackSource counts the live pipeline's open tracks
// (*pipeline.Transcriber).
type TrackSource interface {
	OpenTracks() int
}

// HubSource is the call hub (*call.Hub): its counters, and its calls for
// the gauges no counter gives.
type HubSource interface {
	Metrics() *call.Metrics
	Calls() []call.CallSummary
}

// WebhookSource is the webhook dispatcher (*webhooks.Dispatcher).
type WebhookSource interface {
	Metrics() *webhooks.Metrics
	Backlog(ctx context.Context) (int, error)
}

// Sources are the parts whose state Watch exports. A nil field is
// skipped: its metrics are absent, not zero.
type Sources struct {
	Pool     PoolSource
	Tracks   TrackSource
	Hub      HubSource
	Webhooks WebhookSource
	// Twilio is the Twilio Media Streams server's Stats.
	Twilio *twilio.ServerStats
	// WebRTC is the WHIP endpoint's Stats.
	WebRTC *webrtc.ServerStats
}

// Watch registers collectors that read src at every scrape. The parts
// exist only after the event collectors New registered are wired into
// them, hence two steps. Watching a source twice fails.
func (m *Metrics) Watch(src Sources) error {
	var cs []prometheus.Collector
	if src.Pool != nil {
		cs = append(cs, poolCollector(src.Pool))
	}
	if src.Tracks != nil {
		cs = append(cs, &snapshots[int]{take: src.Tracks.OpenTracks, stats: []stat[int]{
			gauge("callscribe_tracks_active", "Audio tracks open in the live pipeline.", func(n int) int { return n }),
		}})
	}
	if src.Hub != nil {
		cs = append(cs, hubCollector(src.Hub))
	}
	if src.Webhooks != nil {
		cs = append(cs, webhookCollector(src.Webhooks), &backlogCollector{src: src.Webhooks, timeout: m.cfg.BacklogTimeout})
	}
	if src.Twilio != nil {
		cs = append(cs, twilioCollector(src.Twilio))
	}
	if src.WebRTC != nil {
		cs = append(cs, webrtcCollector(src.WebRTC))
	}
	return register(m.cfg.Registry, cs...)
}
