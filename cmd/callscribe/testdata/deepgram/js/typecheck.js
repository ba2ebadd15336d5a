// Checks values against the TypeScript types Deepgram's JavaScript SDK
// declares for them. The SDK hands the app parsed JSON typed by its .d.ts
// files, so "parses into the SDK's type" means: the value type-checks as
// that type. Each value is checked by the TypeScript compiler as an
// argument of check<T>(), with extra fields allowed at every level (the
// server may add fields, as Deepgram does) but every declared field
// required or typed as declared.
"use strict";
const fs = require("fs");
const path = require("path");
const ts = require("typescript");

const prelude = [
  'import type { Deepgram } from "@deepgram/sdk";',
  "type Open<T> = T extends (infer U)[] ? Open<U>[] : T extends object ? { [K in keyof T]: Open<T[K]> } & { [k: string]: unknown } : T;",
  "declare function check<T>(v: Open<T>): void;",
];

// typeCheck returns, for each {type, value}, "" or the compiler's errors.
// The file goes into the folder whose node_modules holds the SDK.
function typeCheck(items) {
  const dir = path.dirname(require.resolve("@deepgram/sdk/package.json")).replace(/node_modules.*$/, "");
  const file = path.join(dir, `check-${process.pid}.ts`);
  const lines = prelude.concat(items.map((it) => `check<${it.type}>(${JSON.stringify(it.value)});`));
  fs.writeFileSync(file, lines.join("\n"));
  try {
    const program = ts.createProgram([file], {
      strict: true, noEmit: true, skipLibCheck: true, types: [],
      module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, target: ts.ScriptTarget.ES2020,
    });
    const errs = items.map(() => "");
    for (const d of ts.getPreEmitDiagnostics(program)) {
      const text = ts.flattenDiagnosticMessageText(d.messageText, "\n");
      const line = d.file && d.file.fileName === file ? d.file.getLineAndCharacterOfPosition(d.start).line - prelude.length : -1;
      if (line < 0 || line >= items.length) {
        throw new Error("type check failed outside the values: " + text);
      }
      errs[line] += text + "\n";
    }
    return errs;
  } finally {
    fs.unlinkSync(file);
  }
}

// describe checks every message of a kind against its SDK type, and the
// checker itself against a message the SDK's type refuses.
function describeAll(items) {
  const bad = { type: "Deepgram.listen.v1.ListenV1Results", value: { type: "Results", channel_index: [0, 1], start: 0, duration: 1 } };
  const errs = typeCheck(items.concat([bad]));
  return {
    checks: items.map((it, i) => ({ type: it.type, valid: errs[i] === "", error: errs[i], data: it.value })),
    checker_refuses_bad: errs[items.length] !== "",
  };
}

module.exports = { typeCheck, describeAll };
