// Transcribes a file with Deepgram's JavaScript SDK
// (listen.v1.media.transcribeFile), only the base URL changed. Usage: node
// file.js PLAN.json. Prints the response type-checked against the SDK's
// ListenV1Response.
"use strict";
const fs = require("fs");
const { DeepgramClient } = require("@deepgram/sdk");
const { describeAll } = require("./typecheck.js");

async function main() {
  const plan = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
  const base = plan.base_url;
  const ws = "ws" + base.slice("http".length);
  const client = new DeepgramClient({ apiKey: plan.api_key || "no-key", environment: { base, production: ws, agent: ws, agentRest: base } });
  const resp = await client.listen.v1.media.transcribeFile(fs.readFileSync(plan.audio), plan.params);
  const out = describeAll([{ type: "Deepgram.ListenV1Response", value: resp }]);
  const c = out.checks[0];
  process.stdout.write(JSON.stringify({
    response: { class: c.valid ? c.type : "", valid: c.valid, error: c.error, data: c.data },
    checker_refuses_bad: out.checker_refuses_bad,
  }));
}

// The SDK's sockets and timers would keep node alive: exit once the
// output is written.
main().then(() => process.stdout.write("", () => process.exit(0)), (e) => { console.error(e); process.exit(1); });
