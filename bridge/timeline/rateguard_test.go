package timeline

import (
	"errors"
	"testing"
	"time"
)

func TestRateGuard(t *testing.T) {
	base := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	type obs struct {
		wall, media time.Duration
		tooFast     bool
	}
	tests := []struct {
		name string
		cfg  RateGuardConfig
		seq  []obs
		lead time.Duration
	}{{
		name: "real time",
		seq:  []obs{{0, 20 * time.Millisecond, false}, {time.Second, 1020 * time.Millisecond, false}, {time.Minute, time.Minute, false}},
		lead: 0,
	}, {
		name: "buffered start within the burst",
		seq:  []obs{{0, 0, false}, {100 * time.Millisecond, 5 * time.Second, false}},
		lead: 4900 * time.Millisecond,
	}, {
		name: "burst exceeded",
		seq:  []obs{{0, 0, false}, {100 * time.Millisecond, 5300 * time.Millisecond, true}},
		lead: 5200 * time.Millisecond,
	}, {
		name: "twice real time is the limit",
		seq:  []obs{{0, 0, false}, {10 * time.Second, 25 * time.Second, false}, {20 * time.Second, 46 * time.Second, true}},
		lead: 26 * time.Second,
	}, {
		name: "stricter config",
		cfg:  RateGuardConfig{Burst: time.Second, Speed: 1},
		seq:  []obs{{0, 0, false}, {10 * time.Second, 10500 * time.Millisecond, false}, {11 * time.Second, 12500 * time.Millisecond, true}},
		lead: 1500 * time.Millisecond,
	}, {
		name: "origins are the first observation",
		seq:  []obs{{time.Hour, 30 * time.Minute, false}, {time.Hour + time.Second, 30*time.Minute + time.Second, false}},
		lead: 0,
	}, {
		name: "arrival before the first counts as no time",
		seq:  []obs{{time.Second, 0, false}, {0, 6 * time.Second, true}},
		lead: 6 * time.Second,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := NewRateGuard(tt.cfg)
			for i, o := range tt.seq {
				err := g.Observe(base.Add(o.wall), o.media)
				if got := errors.Is(err, ErrFasterThanRealTime); got != o.tooFast {
					t.Errorf("observation %d: err = %v, want too fast %v", i, err, o.tooFast)
				}
			}
			if g.MaxLead() != tt.lead {
				t.Errorf("MaxLead = %v, want %v", g.MaxLead(), tt.lead)
			}
		})
	}
}
