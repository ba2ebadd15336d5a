package webrtc

import (
	"bufio"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/callscribe/callscribe/bridge/webrtc/whiptest"
)

// udpSockets counts this process's UDP sockets: its socket descriptors
// whose inodes /proc/self/net/udp{,6} list.
func udpSockets(t *testing.T) int {
	t.Helper()
	inodes := map[string]bool{}
	for _, f := range []string{"/proc/self/net/udp", "/proc/self/net/udp6"} {
		fh, err := os.Open(f)
		if err != nil {
			t.Skip("no /proc: ", err)
		}
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			if fields := strings.Fields(sc.Text()); len(fields) > 9 && fields[0] != "sl" {
				inodes[fields[9]] = true
			}
		}
		fh.Close()
	}
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd: ", err)
	}
	n := 0
	for _, fd := range fds {
		link, err := os.Readlink(filepath.Join("/proc/self/fd", fd.Name()))
		if err == nil && strings.HasPrefix(link, "socket:[") && inodes[strings.Trim(link[len("socket:"):], "[]")] {
			n++
		}
	}
	return n
}

// settle waits for the goroutines to come down to at most want (0: until
// their number holds still for half a second), and returns their number.
func settle(want int) int {
	n, still := runtime.NumGoroutine(), 0
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		http.DefaultClient.CloseIdleConnections()
		time.Sleep(50 * time.Millisecond)
		m := runtime.NumGoroutine()
		if m == n {
			still++
		} else {
			still = 0
		}
		n = m
		if (want > 0 && n <= want) || (want == 0 && still >= 10) {
			break
		}
	}
	return n
}

// TestNoLeaks runs sessions that end every way a session ends (DELETE, a
// vanished peer, Shutdown) and offers refused before and after a peer
// connection is made, then checks that the goroutines and the UDP sockets
// are back where they were, with the server itself gone too.
func TestNoLeaks(t *testing.T) {
	during := 0
	round := func() {
		hub, adm := newFakeHub(), &fakeAdmission{}
		srv, err := NewServer(Config{IncludeLoopback: true, ICEDisconnectedTimeout: 200 * time.Millisecond,
			ICEFailedTimeout: 300 * time.Millisecond, ICEKeepalive: 100 * time.Millisecond, MaxTracks: 1,
			Logger: slog.New(slog.DiscardHandler)}, hub, hub, adm)
		if err != nil {
			t.Fatal(err)
		}
		mux := http.NewServeMux()
		mux.Handle("POST /whip", srv)
		mux.Handle("DELETE /whip/{id}", srv.Resource())
		hs := httptest.NewServer(mux)
		defer hs.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		dial := func(opts whiptest.Options) *whiptest.Client {
			opts.Codec = whiptest.PCMU
			c, err := whiptest.Dial(ctx, hs.URL+"/whip", opts)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.Play(ctx, whiptest.Play{Ticks: 160}, pcmu(5)); err != nil {
				t.Fatal(err)
			}
			return c
		}
		deleted, vanished, shut := dial(whiptest.Options{}), dial(whiptest.Options{}), dial(whiptest.Options{NoDataChannel: true})
		if code, err := deleted.Delete(ctx); err != nil || code != 200 {
			t.Fatalf("DELETE %d %v", code, err)
		}
		during = udpSockets(t)
		vanished.Vanish()
		for srv.Live() > 1 {
			time.Sleep(20 * time.Millisecond)
		}
		if _, err := whiptest.Dial(ctx, hs.URL+"/whip", whiptest.Options{Codec: whiptest.PCMU, Tracks: 2}); err == nil {
			t.Error("two tracks past MaxTracks were not refused")
		}
		adm.set(errTest)
		if _, err := whiptest.Dial(ctx, hs.URL+"/whip", whiptest.Options{Codec: whiptest.PCMU}); err == nil {
			t.Error("a refused admission was not refused")
		}
		if err := srv.Shutdown(ctx); err != nil {
			t.Fatal(err)
		}
		for _, c := range []*whiptest.Client{deleted, vanished, shut} {
			_ = c.Close()
		}
		if got := hub.endReasons(); len(got) != 3 {
			t.Errorf("end reasons %v", got)
		}
	}
	round() // pion and net/http start a few things once per process
	goroutines, sockets := settle(0), udpSockets(t)
	round()
	if n := settle(goroutines); n > goroutines {
		buf := make([]byte, 1<<20)
		t.Errorf("%d goroutines after the sessions, %d before:\n%s", n, goroutines, buf[:runtime.Stack(buf, true)])
	}
	if n := udpSockets(t); n != sockets {
		t.Errorf("%d UDP sockets after the sessions, %d before", n, sockets)
	}
	if during < 6 {
		t.Errorf("%d UDP sockets while three sessions ran: the count misses them", during)
	}
	t.Logf("%d goroutines and %d UDP sockets before and after; %d UDP sockets with three sessions", goroutines, sockets, during)
}

var errTest = errorString("refused by the test")

type errorString string

func (e errorString) Error() string { return string(e) }
