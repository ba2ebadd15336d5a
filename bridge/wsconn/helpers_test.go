package wsconn

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/callscribe/callscribe/bridge/event"
)

// handler is a Handler whose behaviour each test sets, and that reports
// what the session told it.
type handler struct {
	open    func(ctx context.Context, s *Session) error
	message func(binary bool, data []byte) error
	finish  func(end Ending)
	ended   chan Ending
}

func newHandler() *handler { return &handler{ended: make(chan Ending, 1)} }

func (h *handler) Open(ctx context.Context, s *Session) error {
	if h.open != nil {
		return h.open(ctx, s)
	}
	return nil
}

func (h *handler) Message(_ context.Context, binary bool, data []byte) error {
	if h.message != nil {
		return h.message(binary, data)
	}
	return nil
}

func (h *handler) Finish(end Ending) {
	if h.finish != nil {
		h.finish(end)
	}
	h.ended <- end
}

// waitEnded returns the Ending the handler's Finish received.
func (h *handler) waitEnded(t *testing.T) Ending {
	t.Helper()
	select {
	case end := <-h.ended:
		return end
	case <-time.After(10 * time.Second):
		t.Fatal("the session did not finish")
		return Ending{}
	}
}

// serve runs a Server for h on a loopback port and returns its ws:// URL.
func serve(t *testing.T, cfg Config, admission func() error, h Handler) (*Server, string) {
	t.Helper()
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	srv, err := NewServer(cfg, nil)
	if admission != nil {
		srv, err = NewServer(cfg, admissionFunc(admission))
	}
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { srv.Serve(w, r, h) })) //nolint:contextcheck // sessions live by the server
	hs.Listener.Close()
	hs.Listener = ln
	hs.Start()
	t.Cleanup(hs.Close)
	return srv, "ws" + strings.TrimPrefix(hs.URL, "http")
}

type admissionFunc func() error

func (f admissionFunc) Admit() error { return f() }

func dial(t *testing.T, url string) *websocket.Conn {
	t.Helper()
	conn, resp, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	t.Cleanup(func() { conn.Close() })
	return conn
}

// closeOf reads until the server's close frame and returns it, with the
// text messages read before it.
func closeOf(t *testing.T, conn *websocket.Conn) (*websocket.CloseError, []string) {
	t.Helper()
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	var texts []string
	for {
		_, data, err := conn.ReadMessage()
		if err != nil {
			var ce *websocket.CloseError
			if !errors.As(err, &ce) {
				t.Fatalf("after %q: %v, want a close frame", texts, err)
			}
			return ce, texts
		}
		texts = append(texts, string(data))
	}
}

// backChannel is a bridge.Subscription on a channel the test fills, as
// the hub fills a transport's back-channel.
type backChannel struct {
	ch     chan event.Event
	mu     sync.Mutex
	err    error
	closed bool
}

func newBackChannel() *backChannel { return &backChannel{ch: make(chan event.Event, 16)} }

func (s *backChannel) C() <-chan event.Event { return s.ch }

func (s *backChannel) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// end closes C with err, as the hub ends a back-channel.
func (s *backChannel) end(err error) {
	s.mu.Lock()
	s.err = err
	s.mu.Unlock()
	close(s.ch)
}

func (s *backChannel) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
}

func (s *backChannel) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}
