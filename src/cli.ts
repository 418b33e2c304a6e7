#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { main } from "./cli/main.js";

main(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  readStdin: () => readFileSync(0, "utf8"),
  isTTY: process.stderr.isTTY === true,
}).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`mft: ${err?.stack ?? err}\n`); process.exitCode = 1; },
);
