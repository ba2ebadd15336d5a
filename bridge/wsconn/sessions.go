package wsconn

import (
	"context"
	"sync"
)

// Sessions tracks a server's running sessions, so that shutdown ends them
// (their context is cancelled) and waits for them: a hijacked connection is
// invisible to http.Server.Shutdown. The zero value is not usable; call
// NewSessions.
type Sessions struct {
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu     sync.Mutex
	closed bool
}

// NewSessions returns an empty set of sessions.
func NewSessions() *Sessions {
	ctx, cancel := context.WithCancel(context.Background())
	return &Sessions{ctx: ctx, cancel: cancel}
}

// Begin registers a session. It returns the context the session runs under
// and the func to call when it ends. Once Shutdown began, ok is false, the
// session is not registered (end does nothing) and it must refuse its peer.
func (s *Sessions) Begin() (ctx context.Context, end func(), ok bool) {
	// The closed check and the Add happen under one lock, so that no Add
	// can follow Shutdown's Wait (which the WaitGroup forbids).
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return s.ctx, func() {}, false
	}
	s.wg.Add(1)
	return s.ctx, s.wg.Done, true
}

// Shutdown refuses new sessions, cancels every running session's context
// and waits for them to end, or for ctx.
func (s *Sessions) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.cancel()
	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
