package config

import (
	"errors"
	"strings"
	"testing"
	"time"
)

var errBad = errors.New("pkg: bad config")

func TestDefaultFillsOnlyZeroFields(t *testing.T) {
	a, b := time.Duration(0), 3*time.Second
	Default(&a, time.Second)
	Default(&b, time.Second)
	name := ""
	Default(&name, "x")
	if a != time.Second || b != 3*time.Second || name != "x" {
		t.Errorf("a %v, b %v, name %q", a, b, name)
	}
}

func TestProblemsReportEverything(t *testing.T) {
	var p Problems
	if err := p.Err(errBad); err != nil {
		t.Fatalf("no problems: %v", err)
	}
	p.Positive("Grace", 0)
	p.Positive("Lease", time.Second)
	p.Positive("Wait", -time.Second)
	p.Add(nil)
	p.Add(errors.New("nested: broken"))
	p.Addf("Queue %d must be positive", -1)
	err := p.Err(errBad)
	if !errors.Is(err, errBad) {
		t.Fatalf("%v does not wrap the sentinel", err)
	}
	for _, want := range []string{"Grace must be positive", "Wait must be positive", "nested: broken", "Queue -1"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q misses %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "Lease") {
		t.Errorf("%q reports a positive duration", err)
	}
}
