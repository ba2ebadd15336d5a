package call

import (
	"context"
	"strings"
	"time"

	"github.com/callscribe/callscribe/bridge"
	"github.com/callscribe/callscribe/bridge/event"
)

// Registry is where a hub records the calls it holds, in a store that
// outlives the process (and that several nodes may share): a call whose
// process died is ended with call.ended (reason EndInterrupted, with the
// transcript stored so far) by the next process that starts on the store,
// or by a surviving node once the call's lease has run out, so a CRM
// waiting for the end of a call is never left waiting.
type Registry interface {
	// OpenCall records a call the hub now holds.
	OpenCall(ctx context.Context, rec CallRecord) error
	// RenewCalls extends to until the lease of node's open calls, and
	// records how far each of progress got. It returns the calls of
	// progress node no longer holds: another node took them over (a
	// stream of the call reconnected there) or ended them.
	RenewCalls(ctx context.Context, node string, until time.Time, progress []CallProgress) (lost []string, err error)
	// AdoptCall hands node, until until, the open call whose platform key
	// is key, wherever it was held: a stream of the call reconnected to
	// node, so the call goes on here. ok is false when no call with that
	// key is open. The record's LastSeq is the highest seq any stored
	// event of the call carries.
	AdoptCall(ctx context.Context, key, node string, until time.Time) (rec CallRecord, ok bool, err error)
	// EndCall records that a call's call.ended was produced.
	EndCall(ctx context.Context, callID string, at time.Time) error
	// TakeOrphans claims for q.Node, until q.Until, the open calls whose
	// lease ran out by q.Now, and the open calls q.Node itself opened
	// before q.Boot (a process that started again under the same node
	// name). Two callers never take the same call. A record's LastSeq is
	// the highest seq any stored event of the call carries.
	TakeOrphans(ctx context.Context, q OrphanQuery) ([]CallRecord, error)
	// CallUtterances returns the finals stored for a call, in time order.
	CallUtterances(ctx context.Context, callID string) ([]event.Utterance, error)
	// Calls lists the open calls of every node, and the calls that ended
	// at or after endedSince.
	Calls(ctx context.Context, endedSince time.Time) ([]CallRecord, error)
}

// CallRecord is a registry's row of one call.
type CallRecord struct {
	CallID string
	// Key is the platform's identity of the call (Twilio's callSid).
	Key string
	// Node holds the call until LeaseUntil.
	Node       string
	LeaseUntil time.Time
	// Info is the call as call.started described it.
	Info      event.CallInfo
	StartedAt time.Time
	// LastSeq and MediaSec are how far the call got, as last recorded.
	LastSeq  uint64
	MediaSec float64
	// EndedAt is when its call.ended was produced; zero while it is open.
	EndedAt time.Time
}

// OrphanQuery says which calls TakeOrphans claims, for whom.
type OrphanQuery struct {
	Node       string
	Now, Until time.Time
	// Boot is when q.Node's process started: its calls opened earlier
	// belong to a process that is gone.
	Boot time.Time
}

// CallProgress is how far a call got: its last seq and media time.
type CallProgress struct {
	CallID   string
	LastSeq  uint64
	MediaSec float64
}

// End reasons the hub itself gives.
const (
	// EndServerShutdown ends the calls a draining or stopping server held.
	EndServerShutdown = bridge.EndServerShutdown
	// EndInterrupted ends a call whose process died while it was open.
	EndInterrupted = "interrupted"
)

// interruptedEnd is the call.ended of an orphaned call: what the registry
// kept of it, with the transcript stored so far.
func interruptedEnd(rec CallRecord, transcript []event.Utterance, now time.Time) event.Event {
	info := rec.Info
	info.EndedAt = formatTime(now)
	info.EndReason = EndInterrupted
	info.Utterances = len(transcript)
	info.Words = 0
	lastEnd := 0.0
	for _, u := range transcript {
		if len(u.Words) > 0 {
			info.Words += len(u.Words)
		} else {
			info.Words += len(strings.Fields(u.Text))
		}
		lastEnd = max(lastEnd, u.End)
	}
	info.DurationSec = roundMS(max(rec.MediaSec, lastEnd))
	event.SortUtterances(transcript)
	return event.Event{Type: event.CallEnded, CallID: rec.CallID, Seq: rec.LastSeq + 1, Time: formatTime(now),
		Call: &info, Transcript: transcript}
}
