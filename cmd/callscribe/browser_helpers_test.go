package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// inNetnsEnv marks a test process that runs in a network namespace of its
// own (see inOwnNetwork).
const inNetnsEnv = "CALLSCRIBE_IN_NETNS"

// ownNetwork is the network of the browser tests' namespace: loopback,
// and a veth pair connected to nothing, whose one end has a documentation
// address (TEST-NET-2) and the default route. Firefox gathers no WebRTC
// candidate on loopback alone, nor without a default route; with this it
// offers 198.51.100.1, as a browser on a LAN would offer its address, and
// packets to anything else go nowhere.
const ownNetwork = `ip link set lo up &&
ip link add cs0 type veth peer name cs1 && ip addr add 198.51.100.1/24 dev cs0 &&
ip link set cs1 up && ip link set cs0 up && ip route add default dev cs0`

// inOwnNetwork runs the calling test again in a new network namespace
// (ownNetwork), and reports whether it did (the caller then returns: the
// run inside did the work). The browser and the server then share a
// network that reaches nothing beyond this process tree: WebRTC's
// candidates stay inside it, and nothing a browser tries on its own
// (updates, telemetry) leaves the machine. Outside root, or without
// unshare and ip, the test runs where it is, on the machine's network.
func inOwnNetwork(t *testing.T) bool {
	t.Helper()
	if os.Getenv(inNetnsEnv) != "" {
		return false
	}
	unshare, err1 := exec.LookPath("unshare")
	_, err2 := exec.LookPath("ip")
	if os.Geteuid() != 0 || err1 != nil || err2 != nil {
		t.Log("not root, or no unshare or ip: the browser runs on the machine's own network")
		return false
	}
	deadline, ok := t.Deadline()
	if !ok {
		deadline = time.Now().Add(10 * time.Minute)
	}
	args := []string{"--net", "--", "sh", "-c", ownNetwork + ` && exec "$@"`, "sh",
		os.Args[0], "-test.run", "^" + regexp.QuoteMeta(t.Name()) + "$", "-test.v", "-test.count=1",
		"-test.timeout", time.Until(deadline).Round(time.Second).String()}
	cmd := exec.Command(unshare, args...)
	cmd.Env = append(os.Environ(), inNetnsEnv+"=1")
	out, err := cmd.CombinedOutput()
	t.Logf("run in a network namespace of its own:\n%s", out)
	switch {
	case strings.Contains(string(out), "--- SKIP: "+t.Name()):
		t.Skip("skipped inside the namespace")
	case err != nil:
		t.Fatalf("the run in the namespace failed: %v", err)
	}
	return true
}

// browserPath finds a browser among names (or in the variable env).
// Without it the test is skipped, unless CALLSCRIBE_REQUIRE_BROWSER is set
// (make test sets it, after installing Debian's packages).
func browserPath(t *testing.T, env string, names ...string) string {
	t.Helper()
	if p := os.Getenv(env); p != "" {
		return p
	}
	for _, name := range names {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CALLSCRIBE_REQUIRE_BROWSER") != "" {
		t.Fatalf("no %s in PATH (make test installs Debian's package)", names[0])
	}
	t.Skipf("no %s in PATH; make test installs it", names[0])
	return ""
}

// chromiumPath finds Debian's chromium (or CALLSCRIBE_CHROMIUM).
func chromiumPath(t *testing.T) string {
	t.Helper()
	return browserPath(t, "CALLSCRIBE_CHROMIUM", "chromium", "chromium-browser")
}

// artifact is where a test keeps a file for people to look at:
// CALLSCRIBE_ARTIFACTS (make test sets it), or the test's temp folder.
func artifact(t *testing.T, name string) string {
	t.Helper()
	dir := os.Getenv("CALLSCRIBE_ARTIFACTS")
	if dir == "" {
		return filepath.Join(t.TempDir(), name)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, name)
}

// console gathers what a page reports as errors: console.error and
// console.assert calls, uncaught exceptions and rejections, and the
// browser's own error entries (a failed load, a CSP violation).
type console struct {
	mu     sync.Mutex
	errors []string
}

func (c *console) add(format string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.errors = append(c.errors, fmt.Sprintf(format, args...))
}

// Errors returns what was gathered so far.
func (c *console) Errors() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.errors...)
}

func (c *console) listen(ev any) {
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			var parts []string
			for _, a := range ev.Args {
				parts = append(parts, string(a.Value)+a.Description)
			}
			c.add("console.%s: %s", ev.Type, strings.Join(parts, " "))
		}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		msg := d.Text
		if d.Exception != nil {
			msg += " " + d.Exception.Description
		}
		c.add("exception at %s:%d: %s", d.URL, d.LineNumber, msg)
	case *log.EventEntryAdded:
		if ev.Entry.Level == log.EntryLevelError {
			c.add("%s: %s (%s)", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL)
		}
	}
}

// headless is one headless Chromium with a page open, its console errors
// gathered and downloads saved to Downloads.
type headless struct {
	ctx       context.Context
	console   *console
	Downloads string
}

// startChromium starts headless Chromium with a fake microphone that plays
// wav once (then silence), granted without a prompt, and a window of
// width x height. The test's end closes it.
func startChromium(t *testing.T, wav string, width, height int) *headless {
	t.Helper()
	exe := chromiumPath(t)
	profile, downloads := t.TempDir(), t.TempDir()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(width, height),
		// As root, Chromium's sandbox will not start.
		chromedp.NoSandbox,
		chromedp.Flag("use-fake-ui-for-media-stream", true),
		chromedp.Flag("use-fake-device-for-media-stream", true),
	)
	if wav != "" {
		// %noloop: the file plays once, then the microphone is silent.
		opts = append(opts, chromedp.Flag("use-file-for-fake-audio-capture", wav+"%noloop"))
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	// Registered after the temp dirs, so run before their removal.
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	h := &headless{ctx: ctx, console: &console{}, Downloads: downloads}
	// Listen starts the browser and opens the tab, bound to ctx.
	if err := chromedp.Listen(ctx, h.console.listen); err != nil {
		t.Fatalf("starting %s: %v", exe, err)
	}
	for _, err := range []error{
		enable(ctx, log.Enable),
		enable(ctx, runtime.Enable),
		func() error {
			_, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
				Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: downloads})
			return err
		}(),
	} {
		if err != nil {
			t.Fatalf("setting up %s: %v", exe, err)
		}
	}
	return h
}

// enable sends a command without parameters or result to the tab.
func enable(ctx context.Context, cmd cdp.Command[cdp.Empty, cdp.Empty]) error {
	_, err := chromedp.Call(ctx, cmd, cdp.Empty{})
	return err
}

// do runs actions with a timeout.
func (h *headless) do(t *testing.T, timeout time.Duration, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(h.ctx, timeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// eval evaluates a JavaScript expression.
func eval[T any](t *testing.T, h *headless, js string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(h.ctx, 10*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluating %s: %v", js, err)
	}
	return v
}

// screenshot saves the page as the artifact name.png.
func (h *headless) screenshot(t *testing.T, name string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(h.ctx, 20*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	p := artifact(t, name+".png")
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", p)
}

// waitFor polls a JavaScript condition until it holds or timeout passes.
func (h *headless) waitFor(t *testing.T, timeout time.Duration, what, js string) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !eval[bool](t, h, js) {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v (%s)", what, timeout, js)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// waitFile waits for a download to land in the downloads folder.
func (h *headless) waitFile(t *testing.T, name string, timeout time.Duration) []byte {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		data, err := os.ReadFile(filepath.Join(h.Downloads, name))
		if err == nil && len(data) > 0 {
			return data
		}
		if time.Now().After(deadline) {
			entries, _ := os.ReadDir(h.Downloads)
			t.Fatalf("download %s: not within %v (folder has %v)", name, timeout, entries)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
