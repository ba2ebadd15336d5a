package auth

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestCallSlotsBoundEachKey(t *testing.T) {
	c := NewCallSlots(2, nil)
	a := Principal{KeyID: "a"}
	r1, err1 := c.Acquire(a)
	r2, err2 := c.Acquire(a)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	if _, err := c.Acquire(a); !errors.Is(err, ErrTooManyCalls) {
		t.Fatalf("third call of key a: %v, want ErrTooManyCalls", err)
	}
	if _, err := c.Acquire(Principal{KeyID: "b"}); err != nil {
		t.Fatalf("key b is limited by key a's calls: %v", err)
	}
	if _, err := c.Acquire(twilioPrincipal); err != nil {
		t.Fatalf("a principal without a key is not limited: %v", err)
	}
	r1()
	r1() // twice gives back one slot only
	if c.InUse("a") != 1 {
		t.Fatalf("in use %d, want 1", c.InUse("a"))
	}
	if _, err := c.Acquire(a); err != nil {
		t.Fatalf("after a release: %v", err)
	}
	r2()
	if _, err := NewCallSlots(0, nil).Acquire(a); err != nil {
		t.Fatalf("no limit: %v", err)
	}
}

func TestCallSlotsLimitRefusesWith429(t *testing.T) {
	c := NewCallSlots(1, nil)
	entered, leave := make(chan struct{}), make(chan struct{})
	h := c.Limit(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		entered <- struct{}{}
		<-leave
	}))
	req := func() *http.Request {
		return httptest.NewRequest(http.MethodGet, "/v1/listen", nil).WithContext(NewContext(t.Context(), Principal{KeyID: "k"}))
	}
	done := make(chan struct{})
	go func() {
		h.ServeHTTP(httptest.NewRecorder(), req())
		close(done)
	}()
	<-entered
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req())
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Content-Type") != "application/json" {
		t.Errorf("second call: %d %q", w.Code, w.Body.String())
	}
	close(leave)
	<-done
	if c.InUse("k") != 0 {
		t.Errorf("slot not given back: %d", c.InUse("k"))
	}
}
