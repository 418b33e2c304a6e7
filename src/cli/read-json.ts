// JSON documents given on the command line: a UTF-8 byte-order mark is accepted, and a syntax
// error is reported with its line and column (never the whole document).
import { readFileSync } from "node:fs";
import { ConfigError } from "../errors.js";

/** Parses JSON text; a ConfigError naming `label` (with `shown` as the value) says where it is not JSON. */
export function parseJSONText(text: string, label: string, shown: unknown): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body);
  } catch (e) {
    const message = String((e as Error).message);
    throw new ConfigError(label, shown, `a JSON document (${syntaxWhere(body, message)})`);
  }
}

/** "line L, column C: <V8's reason>", from the position V8 gives (or the end of the text). */
function syntaxWhere(text: string, message: string): string {
  const at = /at position (\d+)/.exec(message);
  const lineCol = /\(line (\d+) column (\d+)\)/.exec(message);
  // V8 names the offending token and may quote the document itself: keep only the reason
  const reason = message.replace(/\s*\(line \d+ column \d+\)/, "").replace(/ in JSON at position \d+/, "").replace(/, ".*" is not valid JSON$/s, "").slice(0, 120);
  let line: number, column: number;
  if (lineCol) {
    line = Number(lineCol[1]);
    column = Number(lineCol[2]);
  } else {
    const pos = at ? Number(at[1]) : text.length;
    const before = text.slice(0, pos);
    line = before.split("\n").length;
    column = pos - before.lastIndexOf("\n");
  }
  return `line ${line}, column ${column}: ${reason}`;
}

/** Reads and parses a JSON file (or standard input for "-"): ConfigErrors name `label`. */
export function readJSONInput(path: string, label: string, readStdin: () => string): unknown {
  let text: string;
  try {
    text = path === "-" ? readStdin() : readFileSync(path, "utf8");
  } catch (e) {
    throw new ConfigError(label, path, `a readable file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseJSONText(text, label, path);
}
