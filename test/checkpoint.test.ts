// Checkpoint and resume: a run killed with SIGKILL after a checkpoint, then resumed, ends in a
// state bitwise equal to an uninterrupted run (and writes the same result JSON).
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main, type CliIO } from "../src/cli/main.js";
import { defineProblem } from "../src/problem.js";
import { createEngine, run } from "../src/solve.js";
import { defineSolver } from "../src/solver.js";
import { SimulationError } from "../src/errors.js";

const CLI = join(__dirname, "..", "dist", "cli.js");
const dir = mkdtempSync(join(tmpdir(), "mft-ckpt-"));

const config = {
  dim: 3, beta: 1, n: 512,
  kernel: { name: "rope", omega: 2 * Math.PI, plane: [0, 1] },
  labels: { count: 128, perLabel: 4 },
  init: { law: "uniform", seed: 5 },
  solver: { method: "heun", step: 0.01, time: 64, record: 4 },
  threads: 2,
};

function capture(): CliIO & { err: string[] } {
  const err: string[] = [];
  return { err, stdout: () => {}, stderr: (t) => err.push(t), readStdin: () => "" };
}

describe("mft simulate --checkpoint / --resume", () => {
  it("SIGKILL after a checkpoint, then --resume: the result is byte-identical to an uninterrupted run", async () => {
    const cfg = join(dir, "cfg.json");
    writeFileSync(cfg, JSON.stringify(config));
    execFileSync(process.execPath, [CLI, "simulate", cfg, "--out", join(dir, "whole.json")], { stdio: "ignore" });
    const ckpt = join(dir, "state.bin");
    const child = spawn(process.execPath, [CLI, "simulate", cfg, "--out", join(dir, "never.json"), "--checkpoint", ckpt, "--checkpoint-every", "2"], { stdio: "ignore" });
    const exited = new Promise((r) => child.on("exit", (code, signal) => r(signal)));
    for (let k = 0; k < 1200 && !existsSync(ckpt); k++) await new Promise((r) => setTimeout(r, 25));
    // let it run past the first checkpoint a little (the run takes about 2 s), then kill without warning
    await new Promise((r) => setTimeout(r, 50));
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");
    expect(existsSync(join(dir, "never.json"))).toBe(false);
    expect(statSync(ckpt).size).toBeGreaterThan(512 * 3 * 8);
    execFileSync(process.execPath, [CLI, "simulate", cfg, "--out", join(dir, "resumed.json"), "--resume", ckpt], { stdio: "ignore" });
    expect(readFileSync(join(dir, "resumed.json"), "utf8")).toBe(readFileSync(join(dir, "whole.json"), "utf8"));
  }, 180_000);

  it("refuses a checkpoint of another configuration, naming --resume", async () => {
    const cfg2 = join(dir, "cfg2.json");
    writeFileSync(cfg2, JSON.stringify({ ...config, beta: 2 }));
    const io = capture();
    expect(await main(["simulate", cfg2, "--resume", join(dir, "state.bin")], io)).toBe(2);
    expect(io.err.join("")).toMatch(/--resume: got ".*state\.bin"; allowed: a checkpoint of this very configuration/);
    const io2 = capture();
    expect(await main(["simulate", cfg2, "--checkpoint-every", "3"], io2)).toBe(2);
    expect(io2.err.join("")).toMatch(/--checkpoint-every: got 3; allowed: only together with --checkpoint FILE/);
  });

  it("the run loop resumes a checkpoint exactly, in either engine", async () => {
    for (const kind of ["wasm", "js"] as const) {
      const p = defineProblem({ dim: 4, n: 48, kernel: { name: "toeplitz", coefficients: [0.2, 1] }, labels: { count: 12, perLabel: 4 }, init: { law: "uniform", seed: 2 } });
      const s = defineSolver({ step: 0.02, time: 4, record: 0.2 });
      const e1 = await createEngine(p, { engine: kind });
      const checkpoints: Parameters<NonNullable<Parameters<typeof run>[2] extends infer O ? O extends { onCheckpoint?: infer F } ? F : never : never>>[0][] = [];
      const whole = await run(e1, s, { checkpointEvery: 7, onCheckpoint: (c) => checkpoints.push(c) });
      expect(checkpoints.length).toBe(2);
      const e2 = await createEngine(p, { engine: kind });
      const resumed = await run(e2, s, { resume: checkpoints[1] });
      expect(Buffer.from(resumed.final.buffer).equals(Buffer.from(whole.final.buffer))).toBe(true);
      expect(Array.from(resumed.energy)).toEqual(Array.from(whole.energy));
    }
  });
});

describe("instability is reported, never silent", () => {
  it("a step far too large stops with an error that says what happened and suggests a step", async () => {
    const p = defineProblem({ dim: 3, n: 64, beta: 4, init: { law: "uniform", seed: 1 } });
    const e = await createEngine(p);
    let err: unknown = null;
    try {
      await run(e, defineSolver({ step: 0.8, time: 40, record: 0.8 }));
    } catch (x) {
      err = x;
    }
    expect(err).toBeInstanceOf(SimulationError);
    expect((err as Error).message).toMatch(/(energy fell from .* which the flow forbids|left the sphere|not finite|energy became).*try solver\.step = 0\.2 or smaller/);
  });
});
