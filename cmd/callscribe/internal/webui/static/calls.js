// Calls: the calls the server keeps (GET /v1/calls, refreshed while the
// view is shown), one call's events live over Server-Sent Events, and its
// stored transcript as text, SRT or WebVTT.

import { errorOf } from "./api.js";
import { TranscriptView, el } from "./transcript.js";

const REFRESH_MS = 3000;
// An event stream that closes before call.ended is opened again from the
// next seq, this many times in a row at most.
const REOPENS = 5;
const EXT = { text: "txt", srt: "srt", vtt: "vtt" };

function localTime(iso) {
  const d = new Date(iso);
  return isNaN(d) ? "" : d.toLocaleString([], { dateStyle: "short", timeStyle: "medium" });
}

function seconds(s) {
  return s ? `${s.toFixed(1)} s` : "";
}

export class Calls {
  constructor({ api }) {
    this.api = api;
    this.list = document.getElementById("call-list");
    this.statusLine = document.getElementById("calls-status");
    this.viewBox = document.getElementById("call-view");
    this.viewID = document.getElementById("view-id");
    this.meta = document.getElementById("view-meta");
    this.downloadError = document.getElementById("download-error");
    this.view = new TranscriptView(document.getElementById("view-transcript"), {
      label: "The call's transcript",
      empty: "No words yet.",
    });
    for (const b of this.viewBox.querySelectorAll("button[data-format]")) {
      b.addEventListener("click", () => this.download(b.dataset.format));
    }
    this.shown = false;
    this.timer = 0;
    this.current = null;
    document.addEventListener("visibilitychange", () => this.schedule(0));
  }

  // show starts the refreshes; hide stops them (the event stream of an
  // open call goes on).
  show() {
    this.shown = true;
    this.schedule(0);
  }

  hide() {
    this.shown = false;
    clearTimeout(this.timer);
  }

  schedule(ms) {
    clearTimeout(this.timer);
    if (this.shown && document.visibilityState === "visible") {
      this.timer = setTimeout(() => this.refresh(), ms);
    }
  }

  async refresh() {
    try {
      const resp = await this.api.request("/v1/calls");
      if (!resp.ok) throw await errorOf(resp);
      const { calls } = await resp.json();
      this.render(calls || []);
    } catch (err) {
      this.statusLine.textContent = `Could not list the calls: ${err.message || err}`;
      this.statusLine.classList.add("error");
    }
    this.schedule(REFRESH_MS);
  }

  render(calls) {
    this.statusLine.classList.remove("error");
    const live = calls.filter((c) => !c.ended).length;
    const status = calls.length
      ? `${live} live, ${calls.length - live} ended.`
      : "No calls yet: start one under Talk, or stream one in.";
    // Unchanged text is left alone, so that a screen reader does not
    // announce it at every refresh.
    if (this.statusLine.textContent !== status) this.statusLine.textContent = status;
    const focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.callId : "";
    // Newest first.
    const items = calls
      .slice()
      .reverse()
      .map((c) => {
        const b = el("button", "call");
        b.type = "button";
        b.dataset.callId = c.call_id;
        if (this.current && this.current.id === c.call_id) b.setAttribute("aria-current", "true");
        const state = el("span", `state ${c.ended ? "ended" : "live"}`, c.ended ? "ended" : "live");
        const id = el("span", "id", c.call_id);
        const info = el("span", "info", [c.source, localTime(c.started_at)].filter(Boolean).join(" · "));
        b.append(state, id, info);
        b.addEventListener("click", () => this.open(c.call_id));
        const li = el("li");
        li.append(b);
        return li;
      });
    this.list.replaceChildren(...items);
    // The list is made anew: keep the keyboard where it was.
    if (focused) {
      const b = [...this.list.querySelectorAll("button.call")].find((b) => b.dataset.callId === focused);
      if (b) b.focus();
    }
  }

  // open follows a call's events from its first: finals, DTMF and the
  // call's start and end are replayed, partials come live only.
  open(id) {
    this.close();
    const cur = { id, seq: 1, ended: false, reopens: 0, source: null };
    this.current = cur;
    this.viewBox.hidden = false;
    this.viewID.textContent = id;
    this.meta.textContent = "Connecting…";
    this.downloadError.textContent = "";
    this.view.clear();
    for (const b of this.list.querySelectorAll("button.call")) {
      b.toggleAttribute("aria-current", b.dataset.callId === id);
    }
    this.follow(cur);
  }

  close() {
    if (this.current && this.current.source) this.current.source.close();
    this.current = null;
  }

  async follow(cur) {
    let url;
    try {
      url = await this.api.eventsURL(cur.id, cur.seq);
    } catch (err) {
      this.meta.textContent = err.message || String(err);
      return;
    }
    if (this.current !== cur) return;
    const es = new EventSource(url);
    cur.source = es;
    const take = (m) => {
      let e;
      try {
        e = JSON.parse(m.data);
      } catch {
        return;
      }
      cur.seq = Math.max(cur.seq, (e.seq || 0) + 1);
      cur.reopens = 0;
      this.event(cur, e);
    };
    for (const type of ["call.started", "transcript", "dtmf", "call.ended"]) {
      es.addEventListener(type, take);
    }
    es.addEventListener("open", () => {
      if (!cur.ended && !cur.started) this.meta.textContent = "Following the call…";
    });
    es.addEventListener("error", () => {
      // EventSource reconnects by itself after a network error; CLOSED
      // means it gave up (a refusal, the call unknown or over).
      if (es.readyState !== EventSource.CLOSED || cur.ended || this.current !== cur) return;
      if (cur.reopens++ >= REOPENS) {
        this.meta.textContent = "The event stream closed; open the call again to retry.";
        return;
      }
      // A token that expired meanwhile is traded again by eventsURL.
      setTimeout(() => {
        if (this.current === cur) this.follow(cur);
      }, 1000 * cur.reopens);
    });
  }

  event(cur, e) {
    switch (e.type) {
      case "call.started": {
        cur.started = true;
        const c = e.call || {};
        const tracks = (c.tracks || []).join(", ");
        this.meta.textContent = [c.source, tracks && `tracks ${tracks}`, c.started_at && `started ${localTime(c.started_at)}`, "live"]
          .filter(Boolean)
          .join(" · ");
        break;
      }
      case "call.ended": {
        cur.ended = true;
        if (cur.source) cur.source.close();
        this.view.nothingSaid("Nothing was said in this call.");
        const c = e.call || {};
        this.meta.textContent = [
          "ended",
          c.ended_at && localTime(c.ended_at),
          c.duration_sec && seconds(c.duration_sec),
          c.utterances !== undefined && `${c.utterances} utterances`,
          c.end_reason,
        ]
          .filter(Boolean)
          .join(" · ");
        this.schedule(0);
        break;
      }
      case "dtmf":
        this.view.add({ type: "transcript", is_final: true, utterance_id: `dtmf-${e.seq}`, track: e.track || "dtmf", start: e.start, text: `[key ${e.digit}]` });
        break;
      default:
        this.view.add(e);
    }
  }

  // download fetches the stored transcript in a format and saves it
  // under the call's id.
  async download(format) {
    const cur = this.current;
    if (!cur) return;
    this.downloadError.textContent = "";
    try {
      const resp = await this.api.request(`/v1/calls/${encodeURIComponent(cur.id)}/transcript?format=${format}`);
      if (resp.status === 404) throw new Error("No transcript yet: the call has no final so far.");
      if (!resp.ok) throw await errorOf(resp);
      const url = URL.createObjectURL(await resp.blob());
      const a = el("a");
      a.href = url;
      a.download = `${cur.id}.${EXT[format]}`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      this.downloadError.textContent = err.message || String(err);
    }
  }
}
