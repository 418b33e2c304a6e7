// Shared pieces of the hostile-input suites: run the CLI in this process or as a real process,
// and the checks every case makes (exit code, the field named, no stack trace, a time bound that
// catches a hang, input files byte-identical afterwards).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { main, type CliIO } from "../src/cli/main.js";

export const CLI = join(__dirname, "..", "dist", "cli.js");

/** A stack trace line as Node prints it ("    at foo (file.js:1:2)"). */
export const STACK_LINE = /\n\s+at /;

/**
 * Seconds a refused or tiny case may take before it counts as hung. A generous bound on a loaded
 * machine: every case here finishes in well under a second when nothing is wrong.
 */
export const HANG_S = 20;

export function tempDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `mft-${name}-`));
}

export interface Outcome { code: number | null; out: string; err: string; seconds: number }

/** Runs `mft argv` in this process with a fake standard input and captured output. */
export async function runHere(argv: string[], stdin = ""): Promise<Outcome> {
  const out: string[] = [], err: string[] = [];
  const io: CliIO = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), readStdin: () => stdin };
  const start = performance.now();
  const code = await main(argv, io);
  return { code, out: out.join(""), err: err.join(""), seconds: (performance.now() - start) / 1000 };
}

/** Runs `node dist/cli.js args` (or a shell line when `shell` is given) as a real process, killed after HANG_S. */
export function runProcess(args: string[], options: { cwd?: string; shell?: string } = {}): Outcome {
  const start = performance.now();
  const r = options.shell !== undefined
    ? spawnSync("bash", ["-c", options.shell], { cwd: options.cwd, encoding: "utf8", timeout: HANG_S * 1000 })
    : spawnSync(process.execPath, [CLI, ...args], { cwd: options.cwd, encoding: "utf8", timeout: HANG_S * 1000 });
  return { code: r.status, out: r.stdout ?? "", err: r.stderr ?? "", seconds: (performance.now() - start) / 1000 };
}

/** Every file under dir (recursively) with its bytes. */
export function snapshot(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const p = join(dir, name);
    if (statSync(p).isFile()) files.set(name, readFileSync(p));
  }
  return files;
}

/** The files of `before` are all still there with the same bytes. */
export function expectUnchanged(dir: string, before: Map<string, Buffer>): void {
  const after = snapshot(dir);
  for (const [name, bytes] of before) {
    expect(after.has(name), `${name} still exists`).toBe(true);
    expect(after.get(name)!.equals(bytes), `${name} is byte-identical`).toBe(true);
  }
}

/** The checks every hostile case makes on its outcome. */
export function expectClean(o: Outcome, code: number, named: RegExp | string | null): void {
  expect(o.code, `exit code (stderr: ${o.err.slice(0, 400)})`).toBe(code);
  expect(o.err).not.toMatch(STACK_LINE);
  expect(o.seconds, "finished within the hang bound").toBeLessThan(HANG_S);
  if (code !== 0) {
    // one line, starting with "mft: ", and short: no value is echoed in full
    const lines = o.err.split("\n").filter((l) => l.startsWith("mft: "));
    expect(lines.length, o.err).toBeGreaterThanOrEqual(1);
    expect(lines.at(-1)!.length).toBeLessThan(1200);
    if (named !== null) expect(lines.at(-1)).toMatch(typeof named === "string" ? new RegExp(`: ${named.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: got `) : named);
    // nothing that looks like a result reached standard output
    expect(o.out).toBe("");
  }
}
