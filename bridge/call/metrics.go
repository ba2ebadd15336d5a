package call

import "sync/atomic"

// Metrics are the hub's counters. They only grow; read them with Snapshot.
// Each Hub has its own.
type Metrics struct {
	// CallsStarted counts calls created (call.started emitted).
	CallsStarted atomic.Uint64
	// CallsEnded counts call.ended events emitted.
	CallsEnded atomic.Uint64
	// Reconnects counts streams that continued an existing call.
	Reconnects atomic.Uint64
	// EventsEmitted counts events numbered and handed on, call.started and
	// call.ended included.
	EventsEmitted atomic.Uint64
	// FinalsDeduplicated counts finals dropped because their utterance was
	// already final in the call.
	FinalsDeduplicated atomic.Uint64
	// EventsRejected counts events Emit refused: after call.ended, partials
	// of an utterance already final, or types only the hub emits.
	EventsRejected atomic.Uint64
	// SubscriberDrops counts partials a full subscriber queue lost.
	SubscriberDrops atomic.Uint64
	// SlowSubscriberCloses counts subscriptions ended with
	// ErrSlowSubscriber.
	SlowSubscriberCloses atomic.Uint64
	// SinkErrors counts Sink.Publish calls that returned an error.
	SinkErrors atomic.Uint64
	// RegistryErrors counts Registry calls that failed.
	RegistryErrors atomic.Uint64
	// CallsRecovered counts orphaned calls ended by RecoverOrphans.
	CallsRecovered atomic.Uint64
	// CallsAdopted counts calls another node held that went on here when
	// a stream of theirs reconnected.
	CallsAdopted atomic.Uint64
	// CallsLost counts calls another node took over from this one.
	CallsLost atomic.Uint64
	// CallsFollowed counts calls other nodes held that a subscriber here
	// followed through the EventLog.
	CallsFollowed atomic.Uint64
}

// MetricsSnapshot is a copy of Metrics at one moment.
type MetricsSnapshot struct {
	CallsStarted         uint64 `json:"calls_started"`
	CallsEnded           uint64 `json:"calls_ended"`
	Reconnects           uint64 `json:"reconnects"`
	EventsEmitted        uint64 `json:"events_emitted"`
	FinalsDeduplicated   uint64 `json:"finals_deduplicated"`
	EventsRejected       uint64 `json:"events_rejected"`
	SubscriberDrops      uint64 `json:"subscriber_drops"`
	SlowSubscriberCloses uint64 `json:"slow_subscriber_closes"`
	SinkErrors           uint64 `json:"sink_errors"`
	RegistryErrors       uint64 `json:"registry_errors"`
	CallsRecovered       uint64 `json:"calls_recovered"`
	CallsAdopted         uint64 `json:"calls_adopted"`
	CallsLost            uint64 `json:"calls_lost"`
	CallsFollowed        uint64 `json:"calls_followed"`
}

// Snapshot returns the current values.
func (m *Metrics) Snapshot() MetricsSnapshot {
	return MetricsSnapshot{
		CallsStarted:         m.CallsStarted.Load(),
		CallsEnded:           m.CallsEnded.Load(),
		Reconnects:           m.Reconnects.Load(),
		EventsEmitted:        m.EventsEmitted.Load(),
		FinalsDeduplicated:   m.FinalsDeduplicated.Load(),
		EventsRejected:       m.EventsRejected.Load(),
		SubscriberDrops:      m.SubscriberDrops.Load(),
		SlowSubscriberCloses: m.SlowSubscriberCloses.Load(),
		SinkErrors:           m.SinkErrors.Load(),
		RegistryErrors:       m.RegistryErrors.Load(),
		CallsRecovered:       m.CallsRecovered.Load(),
		CallsAdopted:         m.CallsAdopted.Load(),
		CallsLost:            m.CallsLost.Load(),
		CallsFollowed:        m.CallsFollowed.Load(),
	}
}
