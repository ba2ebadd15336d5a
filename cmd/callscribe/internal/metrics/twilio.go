package metrics

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/callscribe/callscribe/bridge/twilio"
)

// twilioCollector exports the Twilio Media Streams server's Stats. They
// are separate atomics, read one by one: each is exact, but a scrape may
// see one message counted before another.
func twilioCollector(src *twilio.ServerStats) prometheus.Collector {
	type t = *twilio.ServerStats
	return &snapshots[t]{take: func() t { return src }, stats: []stat[t]{
		counter("callscribe_twilio_streams_total", "Twilio media streams started.", func(s t) int64 { return s.Streams.Load() }),
		counter("callscribe_twilio_streams_refused_total", "Twilio media streams refused by admission (the server at capacity).", func(s t) int64 { return s.Refused.Load() }),
		counter("callscribe_twilio_messages_bad_total", "Twilio stream messages that could not be used.", func(s t) int64 { return s.BadMessages.Load() }),
		counter("callscribe_twilio_media_ignored_total", "Twilio media messages for a track the stream did not open.", func(s t) int64 { return s.IgnoredMedia.Load() }),
		counter("callscribe_twilio_frames_duplicate_total", "Twilio media frames dropped as duplicates of audio already placed.", func(s t) int64 { return s.Duplicates.Load() }),
		counter("callscribe_twilio_frames_late_total", "Twilio media frames dropped for arriving after their place in the audio was passed.", func(s t) int64 { return s.Late.Load() }),
		counter("callscribe_twilio_frames_reordered_total", "Twilio media frames that arrived out of order and were put back in place.", func(s t) int64 { return s.Reordered.Load() }),
	}}
}
