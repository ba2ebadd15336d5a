// Streams audio to a Deepgram-compatible server with Deepgram's JavaScript
// SDK (listen.v1.connect), only the base URL changed. Usage: node live.js
// PLAN.json. Prints the messages the app received, each type-checked
// against the SDK's declared type, and the close.
"use strict";
const fs = require("fs");
const { DeepgramClient } = require("@deepgram/sdk");
const { describeAll } = require("./typecheck.js");

const types = {
  Results: "Deepgram.listen.v1.ListenV1Results", Metadata: "Deepgram.listen.v1.ListenV1Metadata",
  UtteranceEnd: "Deepgram.listen.v1.ListenV1UtteranceEnd", SpeechStarted: "Deepgram.listen.v1.ListenV1SpeechStarted",
};

function clientFor(plan) {
  const base = plan.base_url;
  const ws = "ws" + base.slice("http".length);
  return new DeepgramClient({ apiKey: plan.api_key || "no-key", environment: { base, production: ws, agent: ws, agentRest: base } });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const plan = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
  const audio = fs.readFileSync(plan.audio);
  const chunk = Math.floor(plan.bytes_per_second / 10); // 100 ms
  const conn = await clientFor(plan).listen.v1.connect(plan.params);
  const received = [], errors = [];
  let close = null;
  const closed = new Promise((resolve) => conn.on("close", (ev) => { close = { code: ev.code, reason: ev.reason }; resolve(); }));
  conn.on("message", (m) => received.push(m));
  conn.on("error", (e) => errors.push(String(e)));
  conn.connect();
  await conn.waitForOpen();
  const start = Date.now();
  for (let i = 0, off = 0; off < audio.length; i++, off += chunk) {
    conn.sendMedia(audio.subarray(off, off + chunk));
    await sleep(Math.max(0, start + (i + 1) * 100 - Date.now()));
  }
  conn.sendCloseStream({ type: "CloseStream" });
  await Promise.race([closed, sleep(60000)]);
  conn.close();
  const items = received.map((m) => ({ type: types[m && m.type] || "never", value: m }));
  const out = describeAll(items);
  process.stdout.write(JSON.stringify({
    messages: out.checks.map((c) => ({ class: c.valid ? c.type : "", valid: c.valid, error: c.error, data: c.data })),
    checker_refuses_bad: out.checker_refuses_bad, errors, close: close || { code: 0, reason: "no close" },
  }));
}

// The SDK's sockets and timers would keep node alive: exit once the
// output is written.
main().then(() => process.stdout.write("", () => process.exit(0)), (e) => { console.error(e); process.exit(1); });

module.exports = { clientFor };
