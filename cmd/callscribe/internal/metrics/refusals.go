package metrics

import (
	"slices"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/callscribe/callscribe/bridge"
)

// Refusal reasons: the values of callscribe_refusals_total's reason label.
// Refused maps any other string to ReasonOther, so that a caller's typo
// or a new reason cannot add series without bound.
const (
	ReasonCapacity         = bridge.RefusedCapacity
	ReasonAuthMissing      = bridge.RefusedAuthMissing
	ReasonAuthBad          = bridge.RefusedAuthBad
	ReasonAuthScope        = bridge.RefusedAuthScope
	ReasonRateLimited      = bridge.RefusedRateLimited
	ReasonDraining         = bridge.RefusedDraining
	ReasonLimitCallsPerKey = bridge.RefusedLimitCallsPerKey
	ReasonLimitDuration    = bridge.RefusedLimitDuration
	ReasonLimitIdle        = bridge.RefusedLimitIdle
	ReasonLimitSubscribers = bridge.RefusedLimitSubscribers
	ReasonBadRequest       = bridge.RefusedBadRequest
	ReasonOther            = "other" // anything else
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
