// Sweeps survive kills and spread over machines: each finished run is journaled (JSON Lines),
// --resume skips finished runs, --shard i/N splits the runs and `mft merge` combines the shards
// into the very files one process writes.
import { spawn, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main, type CliIO } from "../src/cli/main.js";
import { readJournal } from "../src/cli/journal.js";

const CLI = join(__dirname, "..", "dist", "cli.js");
const dir = mkdtempSync(join(tmpdir(), "mft-sweep-"));
const ARGS = ["--seeds", "3", "--sizes", "32,64", "--time", "5"];
const FILES = ["fig2.json", "fig2.csv", "fig2.svg"];

function cli(args: string[]): string {
  return execFileSync(process.execPath, [CLI, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}
function capture(): CliIO & { err: string[] } {
  const err: string[] = [];
  return { err, stdout: () => {}, stderr: (t) => err.push(t), readStdin: () => "" };
}

describe("shards and merge", () => {
  it("three shards merged give byte-identical fig2 files to one process", () => {
    cli(["reproduce", "fig2", ...ARGS, "--out", join(dir, "one")]);
    for (let i = 0; i < 3; i++) cli(["reproduce", "fig2", ...ARGS, "--shard", `${i}/3`, "--out", join(dir, "shards")]);
    const journals = readdirSync(join(dir, "shards")).filter((f) => f.endsWith(".jsonl")).map((f) => join(dir, "shards", f));
    expect(journals).toHaveLength(3);
    // each shard holds its own share: 18 runs split 6/6/6, no overlap
    const keys = journals.map((j) => [...readJournal(j).done.keys()]);
    expect(keys.map((k) => k.length)).toEqual([6, 6, 6]);
    expect(new Set(keys.flat()).size).toBe(18);
    cli(["merge", "fig2", ...journals, "--out", join(dir, "merged")]);
    for (const f of FILES) expect(readFileSync(join(dir, "merged", f), "utf8")).toBe(readFileSync(join(dir, "one", f), "utf8"));
  }, 120_000);

  it("merge refuses incomplete or mismatched journals, naming the parameter", async () => {
    const io = capture();
    const j0 = join(dir, "shards", "fig2.shard-0-of-3.jsonl");
    expect(await main(["merge", "fig2", j0, "--out", join(dir, "bad")], io)).toBe(2);
    expect(io.err.join("")).toMatch(/merge <journal\.\.\.>: got "6 of 18 runs"; allowed: journals covering every run/);
    const io2 = capture();
    expect(await main(["reproduce", "fig2", "--shard", "3/3"], io2)).toBe(2);
    expect(io2.err.join("")).toMatch(/--shard: got "3\/3"; allowed: i\/N with integers 0 <= i < N/);
    const io3 = capture();
    expect(await main(["reproduce", "fig3", "--shard", "0/2"], io3)).toBe(2);
    expect(io3.err.join("")).toMatch(/--shard.*sweeps only/);
  });
});

describe("kill and resume", () => {
  it("a sweep killed with SIGKILL and resumed writes the same files as an uninterrupted one", async () => {
    const args = ["reproduce", "fig2", "--seeds", "4", "--sizes", "64", "--time", "30", "--threads", "1"];
    cli([...args, "--out", join(dir, "whole")]);
    const out = join(dir, "killed"), journal = join(out, "fig2.runs.jsonl");
    const child = spawn(process.execPath, [CLI, ...args, "--out", out], { stdio: "ignore" });
    const exited = new Promise((r) => child.on("exit", r));
    // wait until at least two runs are journaled, then kill without warning
    for (let k = 0; k < 600; k++) {
      if (existsSync(journal) && readFileSync(journal, "utf8").split("\n").filter(Boolean).length >= 3) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill("SIGKILL");
    await exited;
    const before = readJournal(journal).done.size;
    expect(before).toBeGreaterThanOrEqual(2);
    expect(existsSync(join(out, "fig2.json"))).toBe(before === 12);
    // a torn last line (a kill mid-write) is tolerated
    writeFileSync(journal, readFileSync(journal, "utf8") + '{"key":"rope/n=64/se');
    const io = capture();
    expect(await main([...args, "--out", out, "--resume"], io)).toBe(0);
    expect(io.err.join("")).toContain(`${before} of 12 runs already in ${journal}`);
    for (const f of FILES) expect(readFileSync(join(out, f), "utf8")).toBe(readFileSync(join(dir, "whole", f), "utf8"));
  }, 180_000);

  it("--resume refuses a journal written with other options", async () => {
    const io = capture();
    expect(await main(["reproduce", "fig2", "--seeds", "5", "--sizes", "64", "--time", "30", "--out", join(dir, "killed"), "--resume"], io)).toBe(2);
    expect(io.err.join("")).toMatch(/--resume: got ".*fig2\.runs\.jsonl"; allowed: a journal of the same experiment, options and shard/);
  });
});
