// Hostile input, in this process: configurations, outputs, checkpoints and journals as an
// adversarial user writes them. Each case asserts the exit code, the field named, no stack
// trace, a finish within the hang bound, and input files byte-identical afterwards; a
// fast-check property mutates valid configurations at random with the same checks.
import fc from "fast-check";
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { encodeCheckpoint } from "../src/cli/checkpoint.js";
import { configDigest } from "../src/cli/digest.js";
import { parseSimulationConfig } from "../src/config.js";
import { ConfigError, SimulationError } from "../src/errors.js";
import { solutionToJSON, solveWith } from "../src/solve.js";
import { expectClean, expectUnchanged, HANG_S, runHere, snapshot, tempDir } from "./hostile-helpers.js";

const dir = tempDir("hostile");
const small = { dim: 3, n: 8, init: { law: "uniform", seed: 1 }, solver: { time: 1, record: 0.5 } };

/** [what, the configuration file's text or value, exit code, the field named (null: any)] */
const configCases: [string, unknown, number, string | RegExp | null][] = [
  // setup cost, sized before anything is allocated
  ["distanceBias with 2^24 labels", { dim: 3, labels: { assign: [0, 1], count: 16777216 }, kernel: { name: "distanceBias", length: 0.1 } }, 2, "labels.count"],
  ["toeplitz with 50000 labels", { dim: 3, labels: { count: 50000, perLabel: 1 }, kernel: { name: "toeplitz", coefficients: [1, 2] } }, 2, "labels.count"],
  ["rope at d = 4096 with 100k labels", { dim: 4096, labels: { assign: [0, 1], count: 100000 }, kernel: { name: "rope", base: 10000 } }, 2, "labels.count"],
  ["d = 4096, n = 32768", { dim: 4096, n: 32768 }, 2, "n"],
  ["attention at d = 4096 (O(d^3) set-up)", { dim: 4096, n: 2, kernel: { name: "attention" } }, 2, "dim"],
  ["64 heads at d = 1024 (their O(d^3) set-up)", { dim: 1024, n: 2, kernel: { name: "multihead", heads: Array.from({ length: 64 }, () => ({ value: "spd" })) } }, 2, "dim"],
  ["caps: 2^20 centres far apart", { dim: 3, n: 1048576, init: { law: "caps", k: 1048576, radius: 0.1, minSeparation: 3 } }, 2, "init.minSeparation"],
  // products that overflow, refused at validation
  ["rope scale 1e200 over base 5e-324", { dim: 3, n: 4, kernel: { name: "rope", base: 5e-324, scale: 1e200 } }, 2, "kernel.scale"],
  ["rope base 5e-324 (its frequencies overflow)", { dim: 8, n: 4, kernel: { name: "rope", base: 5e-324 } }, 2, "kernel.base"],
  ["phaseField sine amplitude 1e308", { dim: 3, n: 4, kernel: { name: "phaseField", phase: { sine: { amplitude: 1e308, frequency: 1 } } } }, 2, "kernel.phase.sine.amplitude"],
  ["phaseField sine frequency 1e308", { dim: 3, n: 4, kernel: { name: "phaseField", phase: { sine: { amplitude: 1, frequency: 1e308 } } } }, 2, "kernel.phase.sine.frequency"],
  ["toeplitz coefficients 1e308", { dim: 3, n: 4, labels: { count: 2, perLabel: 2 }, kernel: { name: "toeplitz", coefficients: [1e308, 1e308] } }, 2, "kernel.coefficients"],
  ["custom weights 1e308", { dim: 2, n: 2, labels: { count: 2, perLabel: 1 }, kernel: { name: "custom", weights: [[1e308, 0], [0, 1e308]] } }, 2, "kernel.weights"],
  ["custom weights 1e10 at beta 690 (max |W| e^beta overflows)", { dim: 2, n: 2, beta: 690, labels: { count: 2, perLabel: 1 }, kernel: { name: "custom", weights: [[1e10, 0], [0, 1e10]] } }, 2, "kernel.weights"],
  ["attention value 1e308", { dim: 2, n: 2, kernel: { name: "attention", value: [[1e308, 0], [0, 1]] } }, 2, "kernel.value[0][0]"],
  ["attention head beta 5e-324", { dim: 2, n: 2, kernel: { name: "attention", beta: 5e-324 } }, 2, "kernel.beta"],
  ["beta 5e-324", { dim: 3, n: 4, beta: 5e-324 }, 2, "beta"],
  // no hang: step bounds and a clock that advances
  ["adaptive maxStep 5e-324", { ...small, solver: { time: 1, adaptive: { maxStep: 5e-324 } } }, 2, "solver.adaptive.maxStep"],
  ["adaptive minStep below the clock's resolution", { ...small, solver: { time: 1e6, record: 1e3, adaptive: { minStep: 1e-300, maxStep: 1e3 } } }, 2, "solver.adaptive.minStep"],
  ["time 2^53 + 1", { ...small, solver: { time: 9007199254740993 } }, 2, "solver.time"],
  ["step 1e-300 to time 1e-290", { ...small, solver: { step: 1e-300, time: 1e-290, record: 1e-290 } }, 2, "solver.time"],
  ["a million and one records", { ...small, solver: { time: 1e6 + 1, step: 1, record: 1 } }, 2, "solver.record"],
  // strict JSON shape
  ["kernel null", { ...small, kernel: null }, 2, "kernel"],
  ["init null", { ...small, init: null }, 2, "init"],
  ["solver null", { ...small, solver: null }, 2, "solver"],
  ["plane null beside frequencies", { ...small, kernel: { name: "rope", frequencies: [1], plane: null } }, 2, "kernel.plane"],
  ["JSON nested 5000 deep", "[".repeat(5000) + "]".repeat(5000), 2, /at most 32 levels/],
  ["a 1 MB string", { ...small, kernel: { name: "x".repeat(1 << 20) } }, 2, "kernel.name"],
  ["a 1 MB key", { ...small, ["k".repeat(1 << 20)]: 1 }, 2, /: k{57}\.\.\.: got 1; allowed: no such field/],
  ["a JSON syntax error", '{\n  "dim": 3,\n  "n": 4,\n  x\n}', 2, /line 4, column 3/],
  ["an empty file", "", 2, /line 1, column 1/],
  // accepted: a byte-order mark, a lone particle at any beta
  ["a UTF-8 byte-order mark", "\uFEFF" + JSON.stringify(small), 0, null],
  ["one particle at beta 700 (natural scale)", { dim: 3, n: 1, beta: 700, init: { law: "uniform", seed: 1 }, solver: { time: 1 } }, 0, null],
  ["one particle at beta 1e5 (fast scale)", { dim: 3, n: 1, beta: 1e5, timeScale: "fast", init: { law: "uniform", seed: 2 }, solver: { time: 1 } }, 0, null],
  // a run whose output would not be finite fails instead of reporting null
  ["beta 700 on the natural scale, n = 4", { dim: 3, n: 4, beta: 700, init: { law: "uniform", seed: 3 }, solver: { time: 1 } }, 1, /mean squared speed is Infinity.*timeScale/],
];

describe("hostile configurations: a clean error or a finite result, never a crash or a hang", () => {
  it.each(configCases)("%s", async (_what, config, code, named) => {
    const cfg = join(dir, "cfg.json");
    writeFileSync(cfg, typeof config === "string" ? config : JSON.stringify(config));
    const before = snapshot(dir);
    const o = await runHere(["simulate", cfg]);
    expectClean(o, code, named);
    expectUnchanged(dir, before);
    if (code === 0) {
      // the result holds numbers where numbers belong: no null from an Infinity or a NaN
      const r = JSON.parse(o.out);
      for (const key of ["times", "energy", "collapseGap", "gaugeGap", "meanSquaredSpeed"]) expect(r[key].every(Number.isFinite), key).toBe(true);
      expect(r.final.flat().every(Number.isFinite)).toBe(true);
    }
  }, HANG_S * 1000);

  it("an adaptive run's progress bar counts records, never 0/NaN", async () => {
    const cfg = join(dir, "adaptive.json");
    writeFileSync(cfg, JSON.stringify({ ...small, solver: { time: 1, record: 0.25, adaptive: { rtol: 1e-4 } } }));
    const o = await runHere(["simulate", cfg]);
    expectClean(o, 0, null);
    expect(o.err).toContain("4/4");
    expect(o.err).not.toContain("NaN");
  });
});

describe("outputs are checked before any work, and never replace an input", () => {
  const cfgText = JSON.stringify(small);
  /** [what, argv after `simulate cfg.json` (or a whole argv when it starts with a command), exit code, the flag named] */
  const cases: [string, string[], number, string][] = [
    ["--out over the input", ["--out", "cfg.json"], 2, "--out"],
    ["--checkpoint over the input", ["--checkpoint", "cfg.json"], 2, "--checkpoint"],
    ["--out and --checkpoint on one file", ["--out", "same.bin", "--checkpoint", "same.bin"], 2, "--checkpoint"],
    ["--out onto the trajectory's times sidecar", ["--out", "t.times.npy", "--trajectory", "t.npy"], 2, "--trajectory (its times sidecar)"],
    ["--out a directory", ["--out", "."], 2, "--out"],
    ["--out in a missing directory", ["--out", "missing/result.json"], 2, "--out"],
    ["--out where a file stands in place of a directory", ["--out", "cfg.json/result.json"], 2, "--out"],
    // root ignores permission bits, so a place no one can write is used: /proc takes no new file
    ["--out in a read-only place (/proc)", ["--out", "/proc/mft-result.json"], 2, "--out"],
    ["--checkpoint in a read-only place (/proc)", ["--checkpoint", "/proc/mft-state.bin"], 2, "--checkpoint"],
    ["--trajectory in a missing directory", ["--trajectory", "missing/run.npy"], 2, "--trajectory"],
    ["reproduce --out onto a file", ["reproduce", "fig2", "--quick", "--out", "cfg.json"], 2, "--out"],
    ["reproduce --out under a file", ["reproduce", "fig2", "--quick", "--out", "cfg.json/sub"], 2, "--out"],
    ["reproduce --out in /proc (no hang)", ["reproduce", "fig2", "--quick", "--out", "/proc/mft-out"], 2, "--out"],
    ["merge --out in /proc", ["merge", "fig2", "cfg.json", "--out", "/proc/mft-out"], 2, "journal"],
  ];
  it.each(cases)("%s", async (_what, args, code, flag) => {
    const d = tempDir("outputs");
    writeFileSync(join(d, "cfg.json"), cfgText);
    const before = snapshot(d);
    const cwd = process.cwd();
    process.chdir(d);
    try {
      const argv = ["reproduce", "merge"].includes(args[0]) ? args : ["simulate", "cfg.json", ...args];
      const o = await runHere(argv);
      expectClean(o, code, flag);
    } finally {
      process.chdir(cwd);
    }
    expectUnchanged(d, before);
    // nothing was written beside the input: no result, no temporary file
    expect(readdirSync(d).sort()).toEqual(["cfg.json"]);
  }, HANG_S * 1000);

  it("--out replaces an existing result whole, and --out /dev/null writes in place", async () => {
    const d = tempDir("replace");
    const cfg = join(d, "cfg.json"), out = join(d, "result.json");
    writeFileSync(cfg, cfgText);
    writeFileSync(out, "an older result");
    expectClean(await runHere(["simulate", cfg, "--out", out]), 0, null);
    expect(JSON.parse(readFileSync(out, "utf8")).times).toEqual([0, 0.5, 1]);
    expect(readdirSync(d).sort()).toEqual(["cfg.json", "result.json"]);
    expectClean(await runHere(["simulate", cfg, "--out", "/dev/null"]), 0, null);
    expect(existsSync("/dev/null")).toBe(true);
  });
});

describe("animate: its output is checked, its input must hold numbers", () => {
  it("--out onto the --config file is refused; a trajectory holding NaN is refused", async () => {
    const d = tempDir("animate");
    const cfg = join(d, "cfg.svg"), traj = join(d, "run.f64");
    writeFileSync(cfg, JSON.stringify(small));
    expectClean(await runHere(["simulate", cfg, "--trajectory", traj, "--out", "/dev/null"]), 0, null);
    const before = snapshot(d);
    expectClean(await runHere(["animate", traj, "--out", cfg, "--config", cfg]), 2, "--out");
    expectUnchanged(d, before);
    // a NaN in the last frame's first coordinate (64-byte header, then frames, then times)
    const bytes = readFileSync(traj);
    const frames = (bytes.length - 64) / 8 - 3;
    bytes.writeDoubleLE(NaN, 64 + 8 * (frames - 24));
    writeFileSync(traj, bytes);
    expectClean(await runHere(["animate", traj, "--out", join(d, "a.svg")]), 2, /animate <trajectory>: got .*a trajectory of finite numbers \(frame 2 holds NaN\)/);
    expect(existsSync(join(d, "a.svg"))).toBe(false);
  });
});

describe("checkpoints carry a digest and a format version", () => {
  const d = tempDir("ckpt");
  const cfg = join(d, "cfg.json"), state = join(d, "state.bin");
  const config = { dim: 3, n: 16, init: { law: "uniform", seed: 4 }, solver: { time: 2, record: 0.5 }, engine: "js" };

  async function freshCheckpoint(): Promise<Buffer> {
    writeFileSync(cfg, JSON.stringify(config));
    expectClean(await runHere(["simulate", cfg, "--checkpoint", state, "--checkpoint-every", "1", "--out", join(d, "whole.json")]), 0, null);
    return readFileSync(state);
  }

  /** The checkpoint's header as JSON, and where the state starts. */
  function header(buf: Buffer): { json: Record<string, unknown>; len: number } {
    const len = buf.readUInt32LE(8);
    return { json: JSON.parse(buf.toString("utf8", 12, 12 + len)), len };
  }

  /** A checkpoint with an edited header: the old digest kept (an edit), or recomputed (a forgery). */
  function edited(buf: Buffer, edit: (h: Record<string, unknown>) => void, forge: boolean): Buffer {
    const { json, len } = header(buf);
    edit(json);
    const start = 12 + len + ((8 - ((12 + len) % 8)) % 8);
    const state = new Float64Array(buf.buffer.slice(buf.byteOffset + start, buf.byteOffset + buf.length - 32));
    const { steps, records, ...rest } = json;
    const rebuilt = encodeCheckpoint({ steps, records, state } as never, rest as never);
    if (!forge) buf.copy(rebuilt, rebuilt.length - 32, buf.length - 32);
    return rebuilt;
  }

  const damage: [string, (b: Buffer) => Buffer, RegExp][] = [
    ["a flipped bit in the state", (b) => { const c = Buffer.from(b); c[c.length - 40] ^= 1; return c; }, /digest does not match/],
    ["steps edited to 999", (b) => edited(b, (h) => { h.steps = 999; }, false), /digest does not match/],
    ["steps edited to \"150\"", (b) => edited(b, (h) => { h.steps = "150"; }, false), /digest does not match/],
    ["records edited to null", (b) => edited(b, (h) => { h.records = null; }, false), /digest does not match/],
    ["the file cut in half", (b) => b.subarray(0, b.length >> 1), /digest does not match|cut short/],
    ["the file cut to 10 bytes", (b) => b.subarray(0, 10), /cut short/],
    ["a forged digest over steps 999", (b) => edited(b, (h) => { h.steps = 999; }, true), /step count/],
    ["a forged digest over steps \"150\"", (b) => edited(b, (h) => { h.steps = "150"; }, true), /step count/],
    ["a forged digest over records null", (b) => edited(b, (h) => { h.records = null; }, true), /records/],
    ["a format 1 checkpoint", (b) => { const c = Buffer.from(b); c.write("MFTCKPT1", 0, "latin1"); return c; }, /format 1/],
    ["an empty file", () => Buffer.alloc(0), /written by mft simulate --checkpoint/],
  ];
  it.each(damage)("%s is refused with exit 2 naming --resume", async (_what, harm, why) => {
    writeFileSync(state, harm(await freshCheckpoint()));
    const before = snapshot(d);
    const o = await runHere(["simulate", cfg, "--resume", state]);
    expectClean(o, 2, "--resume");
    expect(o.err).toMatch(why);
    expectUnchanged(d, before);
  });

  it("a configuration with its keys reordered resumes the same run, to the same bytes", async () => {
    await freshCheckpoint();
    const reordered = join(d, "reordered.json");
    writeFileSync(reordered, JSON.stringify({ engine: "js", solver: { record: 0.5, time: 2 }, init: { seed: 4, law: "uniform" }, n: 16, dim: 3 }));
    expect(configDigest(JSON.parse(readFileSync(reordered, "utf8")))).toBe(configDigest(config));
    expectClean(await runHere(["simulate", reordered, "--resume", state, "--out", join(d, "resumed.json")]), 0, null);
    expect(readFileSync(join(d, "resumed.json"), "utf8")).toBe(readFileSync(join(d, "whole.json"), "utf8"));
  });

  it("an adaptive run resumes to the same bytes (its clock, next step and rejections are in the checkpoint)", async () => {
    const acfg = join(d, "adaptive.json"), astate = join(d, "adaptive.bin");
    writeFileSync(acfg, JSON.stringify({ ...config, solver: { time: 3, record: 0.5, adaptive: { rtol: 1e-5 } } }));
    expectClean(await runHere(["simulate", acfg, "--out", join(d, "adaptive-whole.json")]), 0, null);
    expectClean(await runHere(["simulate", acfg, "--checkpoint", astate, "--checkpoint-every", "2", "--out", "/dev/null"]), 0, null);
    expectClean(await runHere(["simulate", acfg, "--resume", astate, "--out", join(d, "adaptive-resumed.json")]), 0, null);
    const whole = readFileSync(join(d, "adaptive-whole.json"), "utf8");
    expect(JSON.parse(whole).rejectedSteps + JSON.parse(whole).steps).toBeGreaterThan(6);
    expect(readFileSync(join(d, "adaptive-resumed.json"), "utf8")).toBe(whole);
  });

  it("--checkpoint may be the --resume file (the run goes on checkpointing there)", async () => {
    await freshCheckpoint();
    expectClean(await runHere(["simulate", cfg, "--resume", state, "--checkpoint", state, "--out", join(d, "again.json")]), 0, null);
    expect(readFileSync(join(d, "again.json"), "utf8")).toBe(readFileSync(join(d, "whole.json"), "utf8"));
  });
});

describe("sweep journals: every line carries a digest", () => {
  const d = tempDir("journal");
  const args = ["reproduce", "meanfield", "--sizes", "8,16", "--seeds", "2", "--time", "1", "--threads", "1"];
  const journalOf = (out: string) => join(out, "meanfield.runs.jsonl");

  async function sweep(out: string, more: string[] = []) {
    const o = await runHere([...args, "--out", out, ...more]);
    expectClean(o, 0, null);
    return o;
  }

  /** Rewrites line q (1-based) of a journal: an edit keeps the old digest; a forgery recomputes it. */
  async function editLine(path: string, q: number, edit: (e: Record<string, unknown>) => void, forge: boolean): Promise<void> {
    const { canonicalJSON, sha256Hex } = await import("../src/cli/digest.js");
    const lines = readFileSync(path, "utf8").split("\n");
    const e = JSON.parse(lines[q - 1]);
    edit(e);
    if (forge) { delete e.digest; e.digest = sha256Hex(canonicalJSON(e)); }
    lines[q - 1] = JSON.stringify(e);
    writeFileSync(path, lines.join("\n"));
  }

  it("--resume redoes an edited line and a \"result\": null line, and writes what an untouched sweep writes", async () => {
    await sweep(join(d, "whole"));
    const out = join(d, "edited");
    await sweep(out);
    await editLine(journalOf(out), 2, (e) => { (e.result as { energy: number[] }).energy[0] = 1; }, false);
    await editLine(journalOf(out), 3, (e) => { e.result = null; }, true);
    const o = await sweep(out, ["--resume"]);
    expect(o.err).toMatch(/meanfield\.runs\.jsonl:2 is set aside \(it does not match its sha256 digest\); its run is redone/);
    expect(o.err).toMatch(/meanfield\.runs\.jsonl:3 is set aside \(its result is not an object\); its run is redone/);
    expect(o.err).toContain("2 of 4 runs already in");
    for (const f of ["meanfield.json", "meanfield.svg"]) expect(readFileSync(join(out, f), "utf8")).toBe(readFileSync(join(d, "whole", f), "utf8"));
  });

  it("merge refuses a journal with an edited line, naming the file and the line", async () => {
    const out = join(d, "shard");
    await sweep(out);
    const bad = join(d, "bad.jsonl");
    copyFileSync(journalOf(out), bad);
    await editLine(bad, 4, (e) => { (e.result as { steps: number }).steps = 101; }, false);
    const before = snapshot(d);
    const o = await runHere(["merge", "meanfield", bad, "--out", join(d, "merged")]);
    expectClean(o, 2, /merge <journal\.\.\.>: got ".*bad\.jsonl:4"/);
    expectUnchanged(d, before);
  });

  it("a journal of version 1 or with an edited header is refused", async () => {
    const out = join(d, "header");
    await sweep(out);
    const text = readFileSync(journalOf(out), "utf8");
    writeFileSync(journalOf(out), text.replace('"version":2', '"version":1'));
    expectClean(await runHere([...args, "--out", out, "--resume"]), 2, /journal: got .*version 2 \(this one is version 1/);
    writeFileSync(journalOf(out), text.replace('"seeds":2', '"seeds":3'));
    expectClean(await runHere([...args, "--out", out, "--resume"]), 2, /header matches its sha256 digest/);
  });
});

describe("the library is as strict as the CLI", () => {
  it("solve, createEngine, runBatch and run take only what defineProblem and defineSolver made", async () => {
    const { defineProblem } = await import("../src/problem.js");
    const { defineSolver } = await import("../src/solver.js");
    const { createEngine, run, solve } = await import("../src/solve.js");
    const { runBatch } = await import("../src/batch.js");
    const p = defineProblem({ dim: 3, n: 4 });
    const copy = { ...p };
    const named = async (f: () => unknown, parameter: string) => {
      let err: unknown = null;
      try { await f(); } catch (e) { err = e; }
      expect(err, parameter).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).parameter).toBe(parameter);
    };
    await named(() => solve(null as never), "problem");
    await named(() => solve(copy), "problem");
    await named(() => solve(p, null as never), "options");
    await named(() => createEngine(copy, { engine: "js" }), "problem");
    await named(() => createEngine(copy, { engine: "wasm" }), "problem");
    await named(() => runBatch(null as never), "jobs");
    await named(() => runBatch([42] as never), "jobs[0]");
    await named(() => runBatch([{ config: null }] as never), "jobs[0].config");
    await named(() => runBatch([{ config: { dim: 3, n: 4, beta: -1 } }]), "jobs[0].config.beta");
    const e = await createEngine(p, { engine: "js" });
    await named(() => run(e, { ...defineSolver({ time: 1 }) }), "solver");
    await named(() => run(e, { steps: Infinity, stepsPerRecord: 1, records: 1 } as never), "solver");
    // a hand-made checkpoint that would run the loop from -Infinity steps
    const records = { times: [0], energy: [0], collapseGap: [0], gaugeGap: [0], conditionalDiameter: [0], meanSquaredSpeed: [0], clusters: [1] };
    await named(() => run(e, defineSolver({ time: 1 }), { resume: { steps: -Infinity, records, state: p.initial } }), "options.resume");
    await named(() => run(e, defineSolver({ time: 1 }), { resume: { steps: 0, records: null as never, state: p.initial } }), "options.resume");
  });

  it.each([["js", 8], ["wasm", 8], ["wasm", 600]] as const)("%s engine (n = %i): dispose, wrong out lengths and states off the sphere throw", async (kind, n) => {
    const { defineProblem } = await import("../src/problem.js");
    const { createEngine } = await import("../src/solve.js");
    const p = defineProblem({ dim: 3, n });
    const e = await createEngine(p, { engine: kind, threads: n > 512 ? 2 : 1 });
    const nd = n * 3;
    expect(() => e.getState(new Float64Array(nd - 1))).toThrow(new RegExp(`^getState\\(out\\): got "a Float64Array of length ${nd - 1}"; allowed: a Float64Array of length n \\* d = ${nd}`));
    expect(() => e.getGaugeState(new Float64Array(nd + 3))).toThrow(/^getGaugeState\(out\): /);
    expect(() => e.evaluate(new Float64Array(2))).toThrow(/^evaluate\(velocityOut\): /);
    const off = e.snapshot();
    off[0] *= 2;
    expect(() => e.restore(off)).toThrow(/^snapshot\[particle 0\]: .*unit vector/);
    e.restore(e.snapshot());
    e.dispose();
    for (const call of [() => e.step("heun", 0.01), () => e.evaluate(), () => e.getState(), () => e.getGaugeState(), () => e.snapshot(), () => e.restore(off), () => e.setState(p.initial)]) {
      expect(call).toThrow(/^engine\.\w+: got "a disposed engine"; allowed: an engine before dispose\(\)/);
    }
  });

  it("any error reaches the terminal as one line with its exit code, never a stack", async () => {
    const { reportError } = await import("../src/cli/report-error.js");
    const cases: [unknown, number, RegExp][] = [
      [new ConfigError("beta", -1, "a finite number > 0"), 2, /^mft: invalid configuration: beta: got -1; allowed: a finite number > 0\n$/],
      [new SimulationError("the energy is NaN at t = 1"), 1, /^mft: simulation stopped: the energy is NaN at t = 1\n$/],
      [Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC", syscall: "write", path: "out/fig2.runs.jsonl" }), 1, /^mft: write failed: ENOSPC \(out\/fig2\.runs\.jsonl\)\n$/],
      [new RangeError("Array buffer allocation failed"), 1, /^mft: out of memory: RangeError: Array buffer allocation failed \(MFT_DEBUG=1 prints the stack\)\n$/],
      [new TypeError("x is not a function\n    at nowhere (file.js:1:1)"), 1, /^mft: internal error: TypeError: x is not a function at nowhere \(file\.js:1:1\) \(MFT_DEBUG=1 prints the stack\)\n$/],
      [Object.assign(new Error("write EPIPE"), { code: "EPIPE", syscall: "write" }), 0, /^$/],
    ];
    for (const [err, code, line] of cases) {
      const out: string[] = [];
      expect(reportError(err, { stderr: (t) => out.push(t) })).toBe(code);
      expect(out.join("")).toMatch(line);
      expect(out.join("")).not.toMatch(/\n\s+at /);
    }
  });

  it("a result with an Infinity is refused, never reported as null", async () => {
    const { checkFiniteResult } = await import("../src/result-check.js");
    expect(() => checkFiniteResult({ times: [0, 1], meanSquaredSpeed: [Infinity, 0] })).toThrow(SimulationError);
    expect(() => checkFiniteResult({ times: [0, 1], meanSquaredSpeed: [Infinity, 0] })).toThrow(/meanSquaredSpeed\[0\] is Infinity/);
    expect(checkFiniteResult({ energyMax: null, times: [0] })).toEqual({ energyMax: null, times: [0] });
  });
});

/** Values an adversary puts anywhere in a configuration. */
const hostileValue = fc.oneof(
  fc.constantFrom(null, true, false, "", "1", "NaN", "Infinity", [], {}, [[]], [null], 0, -0, -1, 0.5, 1e308, -1e308, 5e-324, 2 ** 53 + 1, 1e15, 1e-300, 4096, 16777216, 16777217),
  fc.double(),
  fc.integer(),
  fc.string({ maxLength: 200 }),
  fc.array(fc.double(), { maxLength: 5 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.double(), { maxKeys: 3 }),
);

/** Valid starting points, one per kernel family and solver mode. */
const bases: Record<string, unknown>[] = [
  { dim: 3, n: 8, init: { law: "uniform", seed: 1 }, solver: { time: 0.2, record: 0.1 } },
  { dim: 4, labels: { count: 4, perLabel: 2 }, kernel: { name: "rope", base: 10, scale: 6 }, solver: { time: 0.2, record: 0.1, stop: { window: 0.1, tol: 1e-3 } } },
  { dim: 3, labels: { count: 3, perLabel: 2, positions: [0, 0.3, 0.6] }, kernel: { name: "phaseField", phase: { linear: 6, sine: { amplitude: 0.5, frequency: 2 } } }, init: { law: "cap", center: [0, 0, 1], radius: 1, seed: 2 }, solver: { time: 0.2, record: 0.1 } },
  { dim: 3, labels: { count: 4, perLabel: 2 }, kernel: { name: "toeplitz", coefficients: [0.2, 1, 0.3] }, beta: 2, frozen: [0], solver: { time: 0.2, record: 0.1, method: "euler" } },
  { dim: 2, labels: { assign: [0, 1, 1, 0] }, kernel: { name: "custom", weights: [[1, 0.5], [0.5, 1]], content: "linear" }, init: { points: [[1, 0], [0, 1], [-1, 0], [0, -1]] }, solver: { time: 0.2, record: 0.1 } },
  { dim: 3, n: 6, kernel: { name: "multihead", heads: [{ query: "gaussian", key: "goe", value: "spd" }, { mask: "causal", alibi: 1, normalize: "sa" }] }, solver: { time: 0.2, record: 0.1, adaptive: { rtol: 1e-4, maxStep: 0.05 } } },
  { dim: 3, n: 5, beta: 50, timeScale: "fast", kernel: { name: "distanceBias", length: 0.5 }, labels: { count: 5, perLabel: 1 }, solver: { time: 0.2, record: 0.1 }, engine: "js" },
];

/** Every path into a JSON value (object keys and array indices), the root excluded. */
function paths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (typeof v !== "object" || v === null) return [];
  const entries = Array.isArray(v) ? v.map((x, k) => [k, x] as const) : Object.entries(v);
  return entries.flatMap(([k, x]) => [[...at, k], ...paths(x, [...at, k])]);
}

describe("random hostile mutations (fast-check)", () => {
  it("any one field replaced by a hostile value: a ConfigError naming a field, or a run with a finite result", async () => {
    const mutation = fc.integer({ min: 0, max: bases.length - 1 }).chain((b) =>
      fc.tuple(fc.constant(b), fc.integer({ min: 0, max: paths(bases[b]).length }), hostileValue, fc.boolean()));
    await fc.assert(
      fc.asyncProperty(mutation, async ([b, q, value, addKey]) => {
        const config = structuredClone(bases[b]);
        const all = paths(config);
        if (addKey || q >= all.length) {
          (config as Record<string, unknown>)[`extra${q}`] = value;
        } else {
          const path = all[q];
          let parent = config as Record<string | number, unknown>;
          for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
          parent[path.at(-1)!] = value;
        }
        const start = performance.now();
        let parsed;
        try {
          parsed = parseSimulationConfig(config);
        } catch (e) {
          expect(e, String(e)).toBeInstanceOf(ConfigError);
          const message = (e as Error).message;
          expect(message).toMatch(/^[^\n]+: got [^\n]*; allowed: [^\n]+$/);
          expect(message.length).toBeLessThan(1200);
          expect((performance.now() - start) / 1000).toBeLessThan(HANG_S);
          return;
        }
        // accepted: a small one runs, and its result holds only finite numbers
        const { problem, solver, engine } = parsed;
        const work = problem.n * problem.n * problem.dim * (solver.adaptive ? solver.time / solver.adaptive.minStep : solver.steps);
        if (work > 2e6) return;
        try {
          const json = solutionToJSON(await solveWith(problem, solver, { engine, threads: 1 }));
          // null only where the contract says "no value" (energyMax, energyGap), never inside a series
          expect(JSON.stringify(json)).not.toMatch(/[[,]null[,\]]/);
        } catch (e) {
          expect(e, String(e)).toBeInstanceOf(SimulationError);
        }
        expect((performance.now() - start) / 1000).toBeLessThan(HANG_S);
      }),
      { numRuns: 400, seed: 12 },
    );
  }, 120_000);
});
