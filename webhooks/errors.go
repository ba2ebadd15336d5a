package webhooks

import "errors"

// Errors returned by this package and by Store implementations. They are
// wrapped with context; test with errors.Is.
var (
	// ErrNotFound reports an endpoint, delivery or transcript that does not
	// exist.
	ErrNotFound = errors.New("webhooks: not found")
	// ErrInvalidEndpoint reports an endpoint that cannot be accepted: a
	// malformed URL, an unknown event name, a bad secret.
	ErrInvalidEndpoint = errors.New("webhooks: invalid endpoint")
	// ErrSelfAddress reports an endpoint URL that points at this service
	// itself (Config.SelfAddrs); delivering to it would loop.
	ErrSelfAddress = errors.New("webhooks: endpoint points at this service")
	// ErrStaticEndpoint reports an attempt to delete an endpoint that comes
	// from the static configuration; change the configuration instead.
	ErrStaticEndpoint = errors.New("webhooks: endpoint is configured statically")
	// ErrBadConfig reports a Config that fails Validate.
	ErrBadConfig = errors.New("webhooks: invalid config")
	// ErrInvalidEvent reports an event Enqueue cannot store (no call id).
	ErrInvalidEvent = errors.New("webhooks: invalid event")
	// ErrLeaseLost reports a Complete for a delivery whose lease another
	// worker has taken over; the result of the attempt is dropped.
	ErrLeaseLost = errors.New("webhooks: delivery lease lost")
	// ErrInFlight reports a retry request for a delivery that is being
	// attempted right now.
	ErrInFlight = errors.New("webhooks: delivery in flight")
	// ErrRunning reports a second concurrent call of Dispatcher.Run.
	ErrRunning = errors.New("webhooks: dispatcher already running")
)
