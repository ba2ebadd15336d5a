// Talk: the microphone to POST /v1/whip, the words back on the
// "transcripts" data channel as the server decodes them.

import { errorOf } from "./api.js";
import { TranscriptView } from "./transcript.js";

// How long the page waits for its ICE candidates before sending the offer
// with those it has: host candidates come in milliseconds, a STUN server
// that does not answer would otherwise hold the call up.
const GATHER_MS = 2000;
// How long, after DELETE's 200, the page waits for the server to close
// the data channel: the last finals left before the 200 and may still be
// on their way.
const DRAIN_MS = 3000;

function gathered(pc) {
  if (pc.iceGatheringState === "complete") return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      pc.removeEventListener("icegatheringstatechange", check);
      clearTimeout(timer);
      resolve();
    };
    const check = () => {
      if (pc.iceGatheringState === "complete") done();
    };
    const timer = setTimeout(done, GATHER_MS);
    pc.addEventListener("icegatheringstatechange", check);
  });
}

function closedOrTimeout(dc, ms) {
  if (!dc || dc.readyState === "closed") return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    dc.addEventListener("close", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

// micError says what the browser's refusal of the microphone means.
function micError(err) {
  switch (err && err.name) {
    case "NotAllowedError":
      return "The microphone was not allowed: allow it for this page and start again.";
    case "NotFoundError":
      return "No microphone found.";
    case "NotReadableError":
      return "The microphone is in use by another program.";
  }
  return `The microphone could not be opened: ${err && err.message ? err.message : err}`;
}

export class Talk {
  constructor({ api, onCall }) {
    this.api = api;
    this.onCall = onCall;
    this.start = this.start.bind(this);
    this.stop = this.stop.bind(this);
    this.startButton = document.getElementById("talk-start");
    this.stopButton = document.getElementById("talk-stop");
    this.statusLine = document.getElementById("talk-status");
    this.callLine = document.getElementById("talk-call-line");
    this.callID = document.getElementById("talk-call");
    this.view = new TranscriptView(document.getElementById("talk-transcript"), {
      label: "Your words",
      empty: "Nothing said yet.",
    });
    this.startButton.addEventListener("click", () => this.start());
    this.stopButton.addEventListener("click", () => this.stop());
    document.getElementById("talk-open-call").addEventListener("click", () => {
      if (this.call) this.onCall(this.call);
    });
    this.session = null;
    this.call = "";
  }

  status(state, text) {
    this.statusLine.dataset.state = state;
    this.statusLine.textContent = text;
    this.statusLine.classList.toggle("error", state === "error");
    this.startButton.disabled = state === "starting" || state === "live" || state === "stopping";
    this.stopButton.disabled = !(state === "starting" || state === "live");
  }

  async start() {
    if (this.session) return;
    const s = { stopped: false };
    this.session = s;
    this.view.clear();
    this.callLine.hidden = true;
    this.status("starting", "Connecting…");
    try {
      await this.open(s);
    } catch (err) {
      this.teardown(s);
      // A session that failed meanwhile (the connection) said why already;
      // what failed after that is its consequence.
      if (this.session !== s) return;
      this.session = null;
      if (s.stopped) this.status("idle", "Stopped.");
      else this.status("error", err.message || String(err));
    }
  }

  async open(s) {
    if (!navigator.mediaDevices || !window.RTCPeerConnection) {
      throw new Error("This page needs a secure origin (https, or http on localhost) and a browser with WebRTC.");
    }
    // The key prompt, if any, comes before the microphone's.
    await this.api.token();
    try {
      s.stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: false });
    } catch (err) {
      throw new Error(micError(err));
    }
    if (s.stopped) throw new Error("stopped");
    const pc = new RTCPeerConnection();
    s.pc = pc;
    // The data channel is created before the offer, so that the offer
    // negotiates it and the server sends the events on it.
    s.dc = pc.createDataChannel("transcripts");
    s.dc.addEventListener("message", (m) => this.event(m.data));
    s.dc.addEventListener("close", () => this.channelClosed(s));
    for (const track of s.stream.getAudioTracks()) {
      pc.addTransceiver(track, { direction: "sendonly", streams: [s.stream] });
    }
    pc.addEventListener("connectionstatechange", () => {
      if (this.session !== s) return;
      if (pc.connectionState === "connected" && !s.stopped) {
        this.status("live", "Listening: speak now.");
      } else if (pc.connectionState === "failed" && !s.stopping) {
        this.fail(s, "The connection to the server failed.");
      }
    });
    await pc.setLocalDescription(await pc.createOffer());
    await gathered(pc);
    if (s.stopped) throw new Error("stopped");

    const endpoint = new URL("/v1/whip", location.href);
    endpoint.searchParams.set("tracks", "you");
    const language = new URLSearchParams(location.search).get("language");
    if (language) endpoint.searchParams.set("language", language);
    const resp = await this.api.request(endpoint.href, {
      method: "POST",
      headers: { "Content-Type": "application/sdp" },
      body: pc.localDescription.sdp,
    });
    if (resp.status !== 201) throw await errorOf(resp);
    const where = resp.headers.get("Location");
    if (!where) throw new Error("The server's answer has no Location.");
    s.location = new URL(where, endpoint).href;
    await pc.setRemoteDescription({ type: "answer", sdp: await resp.text() });
    if (s.stopped) {
      // Stop was pressed while the offer was on its way: end the session
      // the server has just made.
      await this.end(s);
    }
  }

  event(data) {
    let e;
    try {
      e = JSON.parse(data);
    } catch {
      return;
    }
    if (e.type === "call.started" && e.call_id) {
      this.call = e.call_id;
      this.callID.textContent = e.call_id;
      this.callLine.hidden = false;
      return;
    }
    this.view.add(e);
  }

  channelClosed(s) {
    if (this.session === s && !s.stopping) {
      this.fail(s, "The server ended the session.");
    }
  }

  fail(s, message) {
    this.teardown(s);
    this.session = null;
    this.status("error", message);
  }

  async stop() {
    const s = this.session;
    if (!s || s.stopping) return;
    s.stopped = true;
    if (s.location) await this.end(s);
    // Still connecting: open() sees stopped at its next step, and ends
    // the server's session if there is one by then.
    else this.status("stopping", "Stopping…");
  }

  // end asks the server to end the session (DELETE answers once the last
  // finals went out on the data channel), waits for them, and closes.
  async end(s) {
    s.stopping = true;
    this.status("stopping", "Finishing the last words…");
    let problem = "";
    try {
      const resp = await this.api.request(s.location, { method: "DELETE" });
      if (resp.status === 200) await closedOrTimeout(s.dc, DRAIN_MS);
      else if (resp.status !== 404) problem = (await errorOf(resp)).message;
    } catch (err) {
      problem = err.message || String(err);
    }
    this.teardown(s);
    if (this.session === s) this.session = null;
    if (problem) this.status("error", `Stopping: ${problem}`);
    else this.status("stopped", "Stopped. The call's summary is under Calls.");
  }

  teardown(s) {
    if (s.pc) s.pc.close();
    if (s.stream) for (const t of s.stream.getTracks()) t.stop();
  }
}
