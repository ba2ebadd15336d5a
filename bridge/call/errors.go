package call

import "errors"

// Sentinel errors of the package. They are returned wrapped with the call or
// stream they concern; test for them with errors.Is.
var (
	// ErrBadConfig reports a Config that Validate rejects.
	ErrBadConfig = errors.New("call: bad config")

	// ErrBadRequest reports a StartRequest without a Key or a StreamID.
	ErrBadRequest = errors.New("call: bad start request")

	// ErrDuplicateStream reports a Start for a StreamID that is already
	// open on the same call.
	ErrDuplicateStream = errors.New("call: stream already open")

	// ErrUnknownCall reports a call id the hub does not know: never seen,
	// or ended longer ago than Config.Retention.
	ErrUnknownCall = errors.New("call: unknown call")

	// ErrHubClosed is returned by Start and Subscribe after Hub.Close, and
	// by Subscription.Next once the hub closed and the queued events were
	// read.
	ErrHubClosed = errors.New("call: hub closed")

	// ErrTooManySubscribers refuses a subscription to a call that already
	// has Config.MaxSubscribers.
	ErrTooManySubscribers = errors.New("call: too many subscribers")

	// ErrSlowSubscriber ends a subscription whose queue was full of finals
	// when another final or call.ended arrived. The events queued before it
	// are still delivered; the client resumes from the seq after the last
	// one it received.
	ErrSlowSubscriber = errors.New("call: subscriber too slow")

	// ErrCallMoved ends the subscriptions of a call another node took
	// over: a stream of it reconnected there. Subscribe again (through the
	// load balancer) with from_seq to follow it there.
	ErrCallMoved = errors.New("call: call moved to another node")

	// ErrSubscriptionClosed is returned by Subscription.Next after
	// Subscription.Close.
	ErrSubscriptionClosed = errors.New("call: subscription closed")
)
