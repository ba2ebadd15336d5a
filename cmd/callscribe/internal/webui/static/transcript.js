// A live transcript: finals in conversation order, and below them one
// preview per track of the utterance still being decoded.
//
// Every piece of text goes in through textContent: a transcript is data,
// never markup.

// el makes an element with a class and, optionally, text.
export function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

// clock formats seconds of call time as m:ss.
export function clock(sec) {
  const s = Math.max(0, Math.floor(sec || 0));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

const PALETTE = 6;

export class TranscriptView {
  constructor(root, { label, empty }) {
    this.root = root;
    // The finals are a log: screen readers announce each new one, and
    // not the previews, which change several times a second.
    this.list = el("ol", "finals");
    this.list.setAttribute("role", "log");
    this.list.setAttribute("aria-live", "polite");
    this.list.setAttribute("aria-label", label);
    this.previews = el("div", "previews");
    this.previews.setAttribute("aria-hidden", "true");
    this.emptyText = empty;
    this.empty = el("p", "empty", empty);
    root.replaceChildren(this.list, this.previews, this.empty);
    this.tracks = new Map();
    this.preview = new Map(); // utterance_id -> element
    this.seen = new Set(); // utterance_id of finals shown
  }

  clear() {
    this.empty.textContent = this.emptyText;
    this.list.replaceChildren();
    this.previews.replaceChildren();
    this.tracks.clear();
    this.preview.clear();
    this.seen.clear();
    this.empty.hidden = false;
  }

  // colour gives each track its own colour, in the order tracks appear.
  colour(track) {
    if (!this.tracks.has(track)) this.tracks.set(track, this.tracks.size % PALETTE);
    return `track-${this.tracks.get(track)}`;
  }

  // add shows one event of the call; anything but a transcript is the
  // caller's business.
  add(e) {
    if (e.type !== "transcript" || !e.utterance_id) return;
    if (this.seen.has(e.utterance_id)) return; // a replayed final
    if (e.is_final) this.final(e);
    else this.partial(e);
  }

  partial(e) {
    let p = this.preview.get(e.utterance_id);
    if (!p) {
      p = el("p", `utt partial ${this.colour(e.track)}`);
      p.dataset.utteranceId = e.utterance_id;
      // Stable text and tail flow as one text, as the final's does.
      const text = el("span", "text");
      text.append(el("span", "stable"), el("span", "tail"));
      p.append(el("span", "who", e.track), el("span", "when", clock(e.start)), text);
      this.preview.set(e.utterance_id, p);
      this.previews.append(p);
    }
    const text = e.text || "";
    let stable = e.stable_text || "";
    if (!text.startsWith(stable)) stable = "";
    p.querySelector(".stable").textContent = stable;
    p.querySelector(".tail").textContent = text.slice(stable.length);
    this.empty.hidden = true;
  }

  final(e) {
    const p = this.preview.get(e.utterance_id);
    if (p) {
      p.remove();
      this.preview.delete(e.utterance_id);
    }
    // An empty final takes a rejected utterance's preview down.
    if (!e.text) return;
    this.seen.add(e.utterance_id);
    const li = el("li", `utt final ${this.colour(e.track)}`);
    li.dataset.utteranceId = e.utterance_id;
    li.dataset.track = e.track;
    li.dataset.start = String(e.start || 0);
    const when = el("span", "when", clock(e.start));
    when.title = `${(e.start || 0).toFixed(2)}–${(e.end || 0).toFixed(2)} s of call time`;
    li.append(el("span", "who", e.track), when, el("span", "text", e.text));
    if (e.latency_ms) {
      const lat = el("span", "latency", `${(e.latency_ms / 1000).toFixed(2)} s`);
      lat.title = "latency: from the end of speech to the final leaving the server";
      li.append(lat);
    }
    // Two tracks' finals arrive in the order their utterances ended:
    // place each by its start, so that the transcript reads as the
    // conversation went.
    const start = e.start || 0;
    const after = [...this.list.children].find((c) => Number(c.dataset.start) > start);
    this.list.insertBefore(li, after || null);
    this.empty.hidden = true;
  }

  // nothingSaid replaces the "nothing yet" line, once nothing more will
  // come.
  nothingSaid(text) {
    this.empty.textContent = text;
  }

  // finals is the shown finals' text, in order.
  finals() {
    return [...this.list.querySelectorAll(".final .text")].map((t) => t.textContent);
  }
}
