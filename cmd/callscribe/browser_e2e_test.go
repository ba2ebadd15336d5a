package main

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/callscribe/callscribe/codec"
	"github.com/callscribe/callscribe/transcribe/wer"
)

// talkLead is the silence before the fixture's first words: Chromium's
// fake microphone starts playing when the page opens it, and the page
// connects over WHIP only after that; the words must not start before
// the audio flows.
const talkLead = 4 * time.Second

// talkFixture lays clips of the speech corpus into one WAV, after
// talkLead of silence, with pauses between them that end each utterance,
// and silence after the last. It returns the file, its length and the
// words said.
func talkFixture(t *testing.T) (string, time.Duration, string) {
	t.Helper()
	clips := corpus(t)
	const rate = 16000
	pause := make([]float32, rate*3/2)
	samples := make([]float32, int(talkLead.Seconds()*rate))
	var ref []string
	for _, name := range []string{"LJ001-0004", "jfk", "LJ001-0008"} {
		samples = append(append(samples, clips[name].Samples()...), pause...)
		ref = append(ref, clips[name].Reference)
	}
	samples = append(samples, make([]float32, rate)...)
	length := time.Duration(len(samples)) * time.Second / rate
	return writeWAV(t, "talk.wav", rate, codec.FormatPCM16, samples), length, strings.Join(ref, " ")
}

// countPartials counts, from before the page's first script runs, the
// partial previews the page shows: they come and go too fast to poll.
const countPartials = `window.__partials = 0;
new MutationObserver((ms) => { for (const m of ms) for (const n of m.addedNodes)
  if (n.classList && n.classList.contains("partial")) window.__partials++; })
  .observe(document, {childList: true, subtree: true});`

// TestBrowserTalk drives the page at / in real headless Chromium, its
// microphone a WAV of the speech corpus: /?autostart=1 connects over WHIP
// without a click, the words appear as partials and then finals (with
// their latency) within the Twilio test's WER bound, Stop ends the
// session, and the Calls view lists the call, follows its events to
// call.ended over Server-Sent Events and downloads its SRT. Nothing may
// reach the console as an error; screenshots are kept as artifacts.
func TestBrowserTalk(t *testing.T) {
	if inOwnNetwork(t) {
		return
	}
	chromiumPath(t)
	wav, length, ref := talkFixture(t)
	srv, _ := startService(t, 2*time.Second)
	b := startChromium(t, wav, 1100, 860)
	if _, err := chromedp.Call(b.ctx, page.AddScriptToEvaluateOnNewDocument,
		page.AddScriptToEvaluateOnNewDocumentParams{Source: countPartials}); err != nil {
		t.Fatal(err)
	}
	asked := time.Now()
	b.do(t, 30*time.Second, "opening the page", chromedp.Navigate(srv.URL+"/?autostart=1"))
	opened := time.Now()

	b.waitFor(t, 15*time.Second, "the session going live",
		`document.getElementById("talk-status").dataset.state === "live"`)
	// The microphone opened between the two times.
	if took := time.Since(asked); took > talkLead {
		t.Logf("the page took up to %v to connect, longer than the fixture's %v of silence: its first words may be lost", took, talkLead)
	}
	b.waitFor(t, 10*time.Second, "call.started on the data channel", `document.getElementById("talk-call").textContent !== ""`)
	callID := eval[string](t, b, `document.getElementById("talk-call").textContent`)

	// The fixture plays in real time; its last words end a second before
	// its end, and their final follows the end of speech. Meanwhile, once,
	// a picture of words still being decoded under the first finals.
	live := false
	for time.Now().Before(opened.Add(length + time.Second)) {
		if !live && eval[bool](t, b, `document.querySelector("#talk-transcript .partial .stable:not(:empty)") !== null &&
			document.querySelector("#talk-transcript .final") !== null`) {
			b.screenshot(t, "talk-live")
			live = true
		}
		time.Sleep(50 * time.Millisecond)
	}
	b.do(t, 10*time.Second, "pressing Stop", chromedp.Click(chromedp.ID("talk-stop")))
	b.waitFor(t, 90*time.Second, "the session stopping",
		`["stopped", "error"].includes(document.getElementById("talk-status").dataset.state)`)
	if status := eval[string](t, b, `document.getElementById("talk-status").textContent`); !strings.HasPrefix(status, "Stopped") {
		t.Errorf("after Stop the page says %q", status)
	}

	finals := eval[[]string](t, b, `[...document.querySelectorAll("#talk-transcript .final .text")].map((e) => e.textContent)`)
	latencies := eval[int](t, b, `document.querySelectorAll("#talk-transcript .final .latency").length`)
	partials := eval[int](t, b, `window.__partials`)
	fields := eval[int](t, b, `document.querySelectorAll("#talk-transcript input, #talk-transcript textarea, #talk-transcript [contenteditable]").length`)
	got := strings.Join(finals, " ")
	r := wer.Compute(ref, got)
	t.Logf("page: %d finals, %d partial previews shown, %v", len(finals), partials, r)
	for _, f := range finals {
		t.Logf("  %s", f)
	}
	if r.WER > 0.12 {
		t.Errorf("WER %.3f > 0.12\nref: %s\nhyp: %s", r.WER, ref, got)
	}
	if len(finals) == 0 || latencies != len(finals) {
		t.Errorf("%d finals, %d with a latency", len(finals), latencies)
	}
	if partials == 0 {
		t.Error("no partial was shown while the words came")
	}
	if fields != 0 {
		t.Errorf("the transcript has %d form fields; it must be page text", fields)
	}
	b.screenshot(t, "talk")

	// Calls: the call is listed; opening it replays its finals and
	// follows it to call.ended (the grace period after the DELETE).
	b.do(t, 10*time.Second, "opening Calls", chromedp.Click(chromedp.ID("tab-calls")))
	row := chromedp.CSS(`#call-list button[data-call-id="` + callID + `"]`)
	b.do(t, 15*time.Second, "the call in the list", chromedp.WaitVisible(row), chromedp.Click(row))
	b.waitFor(t, 30*time.Second, "call.ended over Server-Sent Events",
		`document.getElementById("view-meta").textContent.startsWith("ended")`)
	replayed := eval[[]string](t, b, `[...document.querySelectorAll("#view-transcript .final .text")].map((e) => e.textContent)`)
	if strings.Join(replayed, "|") != strings.Join(finals, "|") {
		t.Errorf("the call's events show other finals than Talk did:\n%q\n%q", replayed, finals)
	}
	b.do(t, 10*time.Second, "downloading the SRT", chromedp.Click(chromedp.CSS(`#call-view button[data-format="srt"]`)))
	srt := string(b.waitFile(t, callID+".srt", 15*time.Second))
	if !strings.Contains(srt, " --> ") || len(finals) > 0 && !strings.Contains(srt, finals[0]) {
		t.Errorf("the SRT download:\n%s", srt)
	}
	b.screenshot(t, "calls")

	// A phone's width: one column, nothing wider than the screen.
	b.do(t, 10*time.Second, "a phone's viewport", chromedp.EmulateViewport(390, 844))
	if eval[bool](t, b, `document.documentElement.scrollWidth > window.innerWidth`) {
		t.Error("at 390 px the page is wider than the screen")
	}
	b.screenshot(t, "calls-phone")

	for _, e := range b.console.Errors() {
		t.Errorf("console: %s", e)
	}
}

// TestBrowserKey: on a server with keys, the page asks for a key before
// anything else (no request is refused first), says why a wrong one
// failed, trades the right one for a token it keeps in sessionStorage
// (and the key nowhere), lists the calls and talks over WHIP with the
// token, and after a reload still has it, for the list and for a call's
// event stream.
func TestBrowserKey(t *testing.T) {
	if inOwnNetwork(t) {
		return
	}
	chromiumPath(t)
	cfg := testServeConfig(t)
	keys := makeKeys(t, cfg, "stream,read")
	key := keys["stream,read"]
	srv := serveInProcess(t, cfg)
	b := startChromium(t, "", 900, 700)
	b.do(t, 30*time.Second, "opening the page", chromedp.Navigate(srv.URL+"/#calls"))
	b.waitFor(t, 10*time.Second, "the key form", `!document.getElementById("key-panel").hidden`)

	b.do(t, 10*time.Second, "a wrong key", chromedp.SendKeys(chromedp.ID("key-input"), "cs_nosuchkey_0000"),
		chromedp.Click(chromedp.ID("key-submit")))
	b.waitFor(t, 10*time.Second, "the wrong key's refusal", `document.getElementById("key-error").textContent.includes("invalid credential")`)

	b.do(t, 10*time.Second, "the key", chromedp.SendKeys(chromedp.ID("key-input"), key), chromedp.Click(chromedp.ID("key-submit")))
	b.waitFor(t, 10*time.Second, "the calls listed with the token", `document.getElementById("key-panel").hidden &&
		document.getElementById("calls-status").textContent.startsWith("No calls yet")`)
	stored := eval[string](t, b, `JSON.stringify({...sessionStorage}) + JSON.stringify({...localStorage}) + document.getElementById("key-input").value`)
	if strings.Contains(stored, key) {
		t.Errorf("the key is still in the page's storage or field: %s", stored)
	}
	if !eval[bool](t, b, `JSON.parse(sessionStorage.getItem("callscribe.token")).token.startsWith("cst_")`) {
		t.Errorf("no token in sessionStorage: %s", stored)
	}

	// Talk with the token: the fake microphone's tone, a session that
	// connects and stops.
	b.do(t, 10*time.Second, "Talk", chromedp.Click(chromedp.ID("tab-talk")), chromedp.Click(chromedp.ID("talk-start")))
	b.waitFor(t, 20*time.Second, "the session going live", `document.getElementById("talk-status").dataset.state === "live"`)
	b.do(t, 10*time.Second, "pressing Stop", chromedp.Click(chromedp.ID("talk-stop")))
	b.waitFor(t, 60*time.Second, "the session stopping", `document.getElementById("talk-status").dataset.state === "stopped"`)

	// A reload keeps the token: no key asked, the call listed.
	b.do(t, 30*time.Second, "reloading", chromedp.Reload(), chromedp.Click(chromedp.ID("tab-calls")))
	b.waitFor(t, 10*time.Second, "the call listed after a reload", `document.querySelector("#call-list button.call") !== null`)
	if eval[bool](t, b, `!document.getElementById("key-panel").hidden`) {
		t.Error("the page asked for the key again after a reload")
	}
	// Its events, over an EventSource with the token in the query.
	b.do(t, 10*time.Second, "opening the call", chromedp.Click(chromedp.CSS("#call-list button.call")))
	b.waitFor(t, 15*time.Second, "call.started over Server-Sent Events", `document.getElementById("view-meta").textContent.startsWith("webrtc")`)
	// The wrong key's refusal is the one error the browser reports; that
	// it is there shows the console is watched.
	refused := false
	for _, e := range b.console.Errors() {
		if strings.Contains(e, "/v1/tokens") && strings.Contains(e, "401") {
			refused = true
			continue
		}
		t.Errorf("console: %s", e)
	}
	if !refused {
		t.Error("the wrong key's 401 did not reach the console errors: are they gathered?")
	}
}
