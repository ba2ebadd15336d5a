package metrics

import (
	"slices"

	"github.com/prometheus/client_golang/prometheus"
)

// Refusal reasons: the values of callscribe_refusals_total's reason label.
// Refused maps any other string to ReasonOther, so that a caller's typo
// or a new reason cannot add series without bound.
const (
	ReasonCapacity         = "capacity"            // the pipeline's admission: tracks or finals backlog
	ReasonAuthMissing      = "auth_missing"        // no credential
	ReasonAuthBad          = "auth_bad"            // a credential that does not check out
	ReasonAuthScope        = "auth_scope"          // a valid credential without the scope
	ReasonRateLimited      = "rate_limited"        // an address blocked after failed attempts
	ReasonDraining         = "draining"            // the server is shutting down
	ReasonLimitCallsPerKey = "limit_calls_per_key" // too many calls open on one key
	ReasonLimitDuration    = "limit_duration"      // a call past its longest duration
	ReasonLimitIdle        = "limit_idle"          // a stream idle too long
	ReasonLimitSubscribers = "limit_subscribers"   // too many event subscribers
	ReasonBadRequest       = "bad_request"         // a malformed request or stream start
	ReasonOther            = "other"               // anything else
)

// refusalReasons lists every label value. Each series exists from the
// start, at 0, so that rate() sees a refusal's first increase.
func refusalReasons() []string {
	return []string{
		ReasonCapacity, ReasonAuthMissing, ReasonAuthBad, ReasonAuthScope, ReasonRateLimited, ReasonDraining,
		ReasonLimitCallsPerKey, ReasonLimitDuration, ReasonLimitIdle, ReasonLimitSubscribers, ReasonBadRequest, ReasonOther,
	}
}

func newRefusals() *prometheus.CounterVec {
	v := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "callscribe_refusals_total",
		Help: "Requests and streams turned away, by reason.",
	}, []string{"reason"})
	for _, r := range refusalReasons() {
		v.WithLabelValues(r)
	}
	return v
}

// Refused counts one request or stream turned away for reason, one of
// the Reason constants. Transports and auth take it as a func(string).
func (m *Metrics) Refused(reason string) {
	if !slices.Contains(refusalReasons(), reason) {
		reason = ReasonOther
	}
	m.refused.WithLabelValues(reason).Inc()
}
