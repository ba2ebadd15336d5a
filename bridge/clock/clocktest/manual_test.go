package clocktest

import (
	"testing"
	"time"
)

func TestManualFiresInDueOrder(t *testing.T) {
	c := NewManual()
	var order []int
	c.AfterFunc(2*time.Second, func() { order = append(order, 2) })
	c.AfterFunc(time.Second, func() {
		order = append(order, 1)
		// Armed by a callback (at the clock's new time), due at once:
		// it fires within the same Advance.
		c.AfterFunc(0, func() { order = append(order, 15) })
	})
	stopped := c.AfterFunc(time.Second, func() { order = append(order, -1) })
	if !stopped.Stop() || stopped.Stop() {
		t.Fatal("Stop must report true once, then false")
	}
	c.Advance(1900 * time.Millisecond)
	if len(order) != 2 || order[0] != 1 || order[1] != 15 {
		t.Fatalf("after 1.9 s fired %v, want [1 15]", order)
	}
	if c.Pending() != 1 {
		t.Fatalf("pending %d, want 1", c.Pending())
	}
	c.Advance(time.Second)
	if len(order) != 3 || order[2] != 2 || c.Pending() != 0 {
		t.Fatalf("fired %v, pending %d", order, c.Pending())
	}
	if got := c.Now().Sub(Epoch); got != 2900*time.Millisecond {
		t.Fatalf("now is Epoch+%v, want 2.9s", got)
	}
}
