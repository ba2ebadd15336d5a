package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// firefoxPrefs: a fake microphone (a tone) granted without a prompt, and
// none of Firefox's own traffic (updates, telemetry, safe browsing).
const firefoxPrefs = `user_pref("media.navigator.streams.fake", true);
user_pref("media.navigator.permission.disabled", true);
user_pref("app.update.enabled", false);
user_pref("toolkit.telemetry.enabled", false);
user_pref("datareporting.policy.dataSubmissionEnabled", false);
user_pref("browser.safebrowsing.malware.enabled", false);
user_pref("browser.safebrowsing.phishing.enabled", false);
user_pref("network.captive-portal-service.enabled", false);
user_pref("browser.shell.checkDefaultBrowser", false);
user_pref("remote.active-protocols", 1);
`

// firefox is headless Firefox driven through WebDriver BiDi, the remote
// protocol Firefox speaks itself (no driver binary): one tab, its
// console errors gathered.
type firefox struct {
	conn    *websocket.Conn
	context string // the tab's browsing context

	mu      sync.Mutex
	next    int
	pending map[int]chan bidiReply
	errors  []string
}

type bidiReply struct {
	Type    string          `json:"type"`
	Result  json.RawMessage `json:"result"`
	Error   string          `json:"error"`
	Message string          `json:"message"`
}

// startFirefox starts Debian's firefox-esr (or CALLSCRIBE_FIREFOX) headless
// on a fresh profile; the test's end stops it.
func startFirefox(t *testing.T) *firefox {
	t.Helper()
	exe := browserPath(t, "CALLSCRIBE_FIREFOX", "firefox-esr", "firefox")
	profile := t.TempDir()
	if err := os.WriteFile(filepath.Join(profile, "user.js"), []byte(firefoxPrefs), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	logPath := filepath.Join(t.TempDir(), "firefox.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "--headless", "--no-remote", "--profile", profile,
		"--remote-debugging-port", strconv.Itoa(port), "--width", "1100", "--height", "860", "about:blank")
	cmd.Stdout, cmd.Stderr = logFile, logFile
	// Its own process group: Firefox's content processes end with it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		_ = cmd.Wait()
		logFile.Close()
		if t.Failed() {
			out, _ := os.ReadFile(logPath)
			t.Logf("firefox's output:\n%s", out)
		}
	})

	var conn *websocket.Conn
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(200 * time.Millisecond) {
		c, resp, err := websocket.DefaultDialer.Dial(fmt.Sprintf("ws://127.0.0.1:%d/session", port), nil)
		if resp != nil {
			resp.Body.Close()
		}
		if err == nil {
			conn = c
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("firefox's remote protocol: %v", err)
		}
	}
	f := &firefox{conn: conn, pending: map[int]chan bidiReply{}}
	t.Cleanup(func() { conn.Close() })
	go f.read()
	f.call(t, "session.new", map[string]any{"capabilities": map[string]any{}}, nil)
	f.call(t, "session.subscribe", map[string]any{"events": []string{"log.entryAdded"}}, nil)
	var tree struct {
		Contexts []struct {
			Context string `json:"context"`
		} `json:"contexts"`
	}
	f.call(t, "browsingContext.getTree", map[string]any{}, &tree)
	if len(tree.Contexts) == 0 {
		t.Fatal("firefox has no tab")
	}
	f.context = tree.Contexts[0].Context
	return f
}

// read takes the replies to their callers and keeps the console's errors.
func (f *firefox) read() {
	for {
		var m struct {
			bidiReply
			ID     *int   `json:"id"`
			Method string `json:"method"`
			Params struct {
				Level, Type, Text string
			} `json:"params"`
		}
		if err := f.conn.ReadJSON(&m); err != nil {
			return
		}
		f.mu.Lock()
		switch {
		case m.ID != nil && f.pending[*m.ID] != nil:
			f.pending[*m.ID] <- m.bidiReply
			delete(f.pending, *m.ID)
		case m.Method == "log.entryAdded" && m.Params.Level == "error":
			f.errors = append(f.errors, m.Params.Type+": "+m.Params.Text)
		}
		f.mu.Unlock()
	}
}

// call sends a command and decodes its result into out (if not nil).
func (f *firefox) call(t *testing.T, method string, params, out any) {
	t.Helper()
	reply := make(chan bidiReply, 1)
	f.mu.Lock()
	f.next++
	id := f.next
	f.pending[id] = reply
	err := f.conn.WriteJSON(map[string]any{"id": id, "method": method, "params": params})
	f.mu.Unlock()
	if err != nil {
		t.Fatalf("%s: %v", method, err)
	}
	select {
	case r := <-reply:
		if r.Type == "error" {
			t.Fatalf("%s: %s: %s", method, r.Error, r.Message)
		}
		if out != nil {
			if err := json.Unmarshal(r.Result, out); err != nil {
				t.Fatalf("%s: %v in %s", method, err, r.Result)
			}
		}
	case <-time.After(time.Minute):
		t.Fatalf("%s: no reply", method)
	}
}

func (f *firefox) navigate(t *testing.T, url string) {
	t.Helper()
	f.call(t, "browsingContext.navigate", map[string]any{"context": f.context, "url": url, "wait": "complete"}, nil)
}

// eval evaluates a JavaScript expression to a string, number or boolean.
func (f *firefox) eval(t *testing.T, js string) any {
	t.Helper()
	var r struct {
		Type   string `json:"type"`
		Result struct {
			Value any `json:"value"`
		} `json:"result"`
		ExceptionDetails struct {
			Text string `json:"text"`
		} `json:"exceptionDetails"`
	}
	f.call(t, "script.evaluate", map[string]any{"expression": js, "target": map[string]any{"context": f.context},
		"awaitPromise": false}, &r)
	if r.Type == "exception" {
		t.Fatalf("evaluating %s: %s", js, r.ExceptionDetails.Text)
	}
	return r.Result.Value
}

func (f *firefox) waitFor(t *testing.T, timeout time.Duration, what, js string) {
	t.Helper()
	for deadline := time.Now().Add(timeout); f.eval(t, js) != true; time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v (%s)", what, timeout, js)
		}
	}
}

func (f *firefox) screenshot(t *testing.T, name string) {
	t.Helper()
	var shot struct {
		Data string `json:"data"`
	}
	f.call(t, "browsingContext.captureScreenshot", map[string]any{"context": f.context}, &shot)
	png, err := base64.StdEncoding.DecodeString(shot.Data)
	if err != nil {
		t.Fatal(err)
	}
	p := artifact(t, name+".png")
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", p)
}

func (f *firefox) Errors() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.errors...)
}

// TestFirefoxTalk: the same page in Debian's Firefox ESR, whose fake
// microphone is a tone, not speech: /?autostart=1 connects over WHIP, Stop
// ends the session, Calls lists the call and follows it to call.ended, and
// nothing reaches the console as an error.
func TestFirefoxTalk(t *testing.T) {
	if inOwnNetwork(t) {
		return
	}
	browserPath(t, "CALLSCRIBE_FIREFOX", "firefox-esr", "firefox")
	srv, _ := startService(t, 2*time.Second)
	f := startFirefox(t)
	f.navigate(t, srv.URL+"/?autostart=1")
	f.waitFor(t, 30*time.Second, "the session going live", `document.getElementById("talk-status").dataset.state === "live"`)
	f.waitFor(t, 10*time.Second, "call.started on the data channel", `document.getElementById("talk-call").textContent !== ""`)
	callID, _ := f.eval(t, `document.getElementById("talk-call").textContent`).(string)
	time.Sleep(3 * time.Second)
	f.eval(t, `document.getElementById("talk-stop").click()`)
	f.waitFor(t, 60*time.Second, "the session stopping", `document.getElementById("talk-status").dataset.state === "stopped"`)

	f.eval(t, `document.getElementById("tab-calls").click()`)
	row := `document.querySelector('#call-list button[data-call-id="` + callID + `"]')`
	f.waitFor(t, 15*time.Second, "the call in the list", row+` !== null`)
	f.eval(t, row+`.click()`)
	f.waitFor(t, 30*time.Second, "call.ended over Server-Sent Events", `document.getElementById("view-meta").textContent.startsWith("ended")`)
	f.screenshot(t, "firefox-calls")
	if meta, _ := f.eval(t, `document.getElementById("view-meta").textContent`).(string); !strings.Contains(meta, "stop") {
		t.Errorf("the call's summary: %q", meta)
	}
	for _, e := range f.Errors() {
		t.Errorf("console: %s", e)
	}
}
