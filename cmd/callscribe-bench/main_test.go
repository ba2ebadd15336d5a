package main

import (
	"slices"
	"testing"
	"time"
)

func TestParseFlags(t *testing.T) {
	o, err := parseFlags(nil)
	if err != nil {
		t.Fatal(err)
	}
	if o.n != 1 || o.search || !slices.Equal(o.ladder, []int{1, 2, 3, 4, 6, 8}) || o.maxP95 != 1500*time.Millisecond || o.maxWERDelta != 0.01 {
		t.Errorf("defaults %+v", o)
	}
	for _, bad := range [][]string{{"-n", "0"}, {"--ns", "2,4"}, {"--ns", "1,4,2"}, {"--stagger-min", "3s", "--stagger-max", "1s"}, {"--drain", "0s"}} {
		if _, err := parseFlags(bad); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}
