// Package call is the call hub: the one place where the events of a call are
// numbered, stamped, recorded and handed on.
//
// A transport (the Twilio Media Streams handler, the raw /v1/listen handler)
// opens a Stream with Hub.Start for every media stream it accepts. The first
// stream of a platform call (its Key) creates a call with a fresh call_id and
// emits call.started; a later stream of the same Key, while the call is open
// or within the reconnect grace period, continues that call: same call_id,
// one seq space, and Stream.Offset says at what call time the new stream's
// audio begins so that utterance times stay in call time.
//
// Every event passes through the hub in one order per call. Stream.Emit sets
// CallID, Seq and Time, drops a final whose utterance was already recorded
// (a reconnect may transcribe the same speech twice), hands the event to
// every Sink in turn (the webhook outbox is one: an event is produced once
// the sinks returned), and then to the call's subscribers. When the last
// stream has ended and the grace period has passed, the hub emits call.ended
// with the call's figures and the whole transcript, keeps the call readable
// for Config.Retention, and then forgets it.
//
// A Subscription replays what the hub kept of the call from a given seq and
// then follows it live, with no gap and no duplicate. Its live queue is
// bounded: when full, partial transcripts are dropped first; if a final or
// call.ended cannot be queued the subscription ends with ErrSlowSubscriber,
// and the client resumes from the last seq it saw. The HTTP handlers serve
// subscriptions as WebSocket and Server-Sent Events streams (Hub.Mount).
// A transport writing events back on its own stream uses Stream.Subscribe
// instead: a buffered channel the hub fills directly.
//
// Transports see the hub through the small interfaces of package bridge
// (Hub.Transport returns a bridge.Calls; *Stream is a bridge.Stream).
//
// The hub starts no goroutine of its own: its timers come from an injected
// Clock, and Hub.Close stops them, ends open calls and ends subscriptions.
package call
