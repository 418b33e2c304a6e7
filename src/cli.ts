#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { main } from "./cli/main.js";

// A reader that stops early (`mft kernels | head -1`) closes the pipe: the command stops quietly.
// Any other failure of the standard streams is one line, never a stack trace.
let stderrOpen = true;
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code !== "EPIPE" && stderrOpen) process.stderr.write(`mft: could not write the standard output: ${e.code ?? e.message}\n`);
  process.exit(e.code === "EPIPE" ? 0 : 1);
});
process.stderr.on("error", () => {
  stderrOpen = false;
});

main(process.argv.slice(2), {
  stdout: (t) => { process.stdout.write(t); },
  stderr: (t) => { if (stderrOpen) process.stderr.write(t); },
  readStdin: () => readFileSync(0, "utf8"),
  isTTY: process.stderr.isTTY === true,
}).then(
  (code) => { process.exitCode = code; },
  (err) => {
    if (stderrOpen) process.stderr.write(`mft: internal error: ${String(err?.message ?? err).split("\n")[0]}${process.env.MFT_DEBUG ? `\n${err?.stack ?? ""}` : ""}\n`);
    process.exitCode = 1;
  },
);
