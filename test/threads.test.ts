// Threads split one system's particles into fixed blocks; every particle's sums keep one j-order,
// so any thread count gives the same bits. Also: the thread option's validation and failures.
import { describe, expect, it } from "vitest";
import { createEngine } from "../src/solve.js";
import { parseSimulationConfig } from "../src/config.js";
import { ConfigError, SimulationError } from "../src/errors.js";
import { THREAD_MIN_N, WasmEngine } from "../src/engines/wasm.js";
import { CTX, FLAG } from "../src/engines/wasm-layout.js";
import { blockBounds, chunkRows, type Team } from "../src/engines/team.js";
import { kernelCases, problemFor } from "./helpers.js";

/** n = 519 (odd, above THREAD_MIN_N) particles over the helpers' 16 labels: with 2 or 3 threads a block ends at an odd particle, which then runs alone instead of in a pair. */
const N = 519;
const labels = { assign: Array.from({ length: N }, (_, i) => Math.floor((i * 16) / N)), count: 16 };

function bitsEqual(a: Float64Array, b: Float64Array): boolean {
  return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
}

describe("the block split", () => {
  it("covers 0..n-1 once, in order, for odd n", () => {
    for (const [n, k] of [[517, 3], [4, 3], [1024, 2]]) {
      const b = blockBounds(n, k);
      expect(b[0]).toBe(0);
      expect(b[k]).toBe(n);
      for (let t = 0; t < k; t++) expect(b[t + 1]).toBeGreaterThanOrEqual(b[t]);
    }
  });
});

describe.each([3, 5])("threads 1, 2, 3 give bitwise equal runs, d = %i, n = 519", (d) => {
  const cases = kernelCases(d).filter((c) => ["usa", "sa", "rope (one plane)", "prompt (gauges)", "custom (linear)", "toeplitz", "distanceBias", "custom (exp)"].includes(c.label));
  it.each(cases)("$label: Heun, Euler, evaluate", async ({ kernel }) => {
    expect(N).toBeGreaterThanOrEqual(THREAD_MIN_N);
    const p = problemFor(d, kernel, 21, { labels, frozen: [0, 200, 518] });
    const runs = [];
    for (const threads of [1, 2, 3]) {
      const e = (await createEngine(p, { engine: "wasm", threads })) as WasmEngine;
      expect(e.threads).toBe(threads);
      // d = 3 with exp content runs the harmonic expansion where W = 1 (beta = 1, n > 256), the
      // symmetric pair loop otherwise (each with its own group schedule)
      const expands = d === 3 && p.content === "exp" && p.weights === null;
      expect(e.expansionDegree).toBe(expands ? 15 : null);
      expect(e.symmetric).toBe(d === 3 && p.content === "exp" && !expands);
      const eh = e.step("heun", 0.01, 4);
      const ee = e.step("euler", 0.01, 3);
      const v = new Float64Array(N * d);
      const ev = e.evaluate(v);
      runs.push({ eh, ee, ev, v, x: e.getState() });
      e.dispose();
    }
    for (const r of runs.slice(1)) {
      expect(Object.is(r.eh, runs[0].eh) && Object.is(r.ee, runs[0].ee)).toBe(true);
      expect(Object.is(r.ev.energy, runs[0].ev.energy) && Object.is(r.ev.meanSquaredSpeed, runs[0].ev.meanSquaredSpeed)).toBe(true);
      expect(bitsEqual(r.x, runs[0].x), "final states").toBe(true);
      expect(bitsEqual(r.v, runs[0].v), "velocities").toBe(true);
    }
    // the states moved (the comparison is not of untouched initial data)
    expect(bitsEqual(runs[0].x, p.initial)).toBe(false);
  });
});

describe("blocks run in several heartbeat chunks", () => {
  // odd n: every block is cut into chunks of chunkRows(n, d) particles (f32: twice that), the last one shorter
  it.each([
    { d: 3, precision: "f64" as const, n: 4095, kernel: { name: "rope" as const, omega: 6.283185307179586, plane: [0, 1] as [number, number] } },
    { d: 3, precision: "f64" as const, n: 4095, kernel: { name: "distanceBias" as const, length: 0.3 } },
    { d: 3, precision: "f64" as const, n: 4095, kernel: { name: "sa" as const }, pairLoop: "row" as const },
    { d: 3, precision: "f64" as const, n: 4095, kernel: { name: "usa" as const }, pairLoop: "symmetric" as const },
    { d: 3, precision: "f32" as const, n: 8191, kernel: { name: "rope" as const, omega: 6.283185307179586, plane: [0, 1] as [number, number] } },
    { d: 5, precision: "f64" as const, n: 4095, kernel: { name: "rope" as const, omega: 6.283185307179586, plane: [0, 1] as [number, number] } },
  ])("d = $d, $precision, n = $n, $kernel.name, pairLoop $pairLoop: threads 1, 2, 3 give the same bits", async ({ d, precision, n, kernel, pairLoop }) => {
    expect(chunkRows(n, d) * (precision === "f32" ? 2 : 1)).toBeLessThan(Math.floor(n / 3));
    const big = { assign: Array.from({ length: n }, (_, i) => i % 16), count: 16 };
    const p = problemFor(d, kernel, 4, { labels: big });
    const runs = [];
    for (const threads of [1, 2, 3]) {
      const e = (await createEngine(p, { engine: "wasm", threads, precision, pairLoop })) as WasmEngine;
      expect(e.threads).toBe(threads);
      const expands = d === 3 && precision === "f64" && pairLoop === undefined && p.weights === null;
      expect(e.expansionDegree !== null).toBe(expands);
      expect(e.symmetric).toBe(d === 3 && precision === "f64" && pairLoop !== "row" && !expands);
      const eh = e.step("heun", 0.01);
      const v = new Float64Array(n * d);
      e.evaluate(v);
      runs.push({ eh, v, x: e.getState() });
      e.dispose();
    }
    for (const r of runs.slice(1)) {
      expect(Object.is(r.eh, runs[0].eh)).toBe(true);
      expect(bitsEqual(r.x, runs[0].x), "states").toBe(true);
      expect(bitsEqual(r.v, runs[0].v), "velocities").toBe(true);
    }
    expect(bitsEqual(runs[0].x, p.initial)).toBe(false);
  });
});

describe("the threads option", () => {
  it("small systems are not split", async () => {
    const e = (await createEngine(problemFor(3, { name: "usa" }), { engine: "wasm", threads: 2 })) as WasmEngine;
    expect(e.threads).toBe(1);
  });

  it.each([0, 1.5, -1, "2", 1e6])("rejects threads = %s naming the option", async (threads) => {
    const p = problemFor(3, { name: "usa" });
    await expect(createEngine(p, { engine: "wasm", threads: threads as number })).rejects.toThrow(ConfigError);
    await expect(createEngine(p, { engine: "js", threads: threads as number })).rejects.toThrow(/^threads: got/);
  });

  it("rejects threads > 1 with a non-shared memory", async () => {
    const p = problemFor(3, { name: "usa" }, 1, { labels });
    await expect(createEngine(p, { engine: "wasm", threads: 2, sharedMemory: false })).rejects.toThrow(/threads: got 2; allowed: 1 when sharedMemory is false/);
  });

  it("the simulate config accepts a top-level threads and validates it", () => {
    const base = { dim: 3, n: 8, init: { seed: 1, law: "uniform" } };
    expect(parseSimulationConfig({ ...base, threads: 2 }).threads).toBe(2);
    expect(parseSimulationConfig(base).threads).toBeUndefined();
    for (const bad of [0, 2.5, "4", null]) {
      expect(() => parseSimulationConfig({ ...base, threads: bad })).toThrow(/^threads: got .*allowed: an integer >= 1/);
    }
  });
});

describe("a failing worker", () => {
  it("makes step throw (no deadlock), and every later step too", async () => {
    // d = 5: each thread finishes its own block (at d = 3 the symmetric loop finishes every particle on the calling thread)
    const p = problemFor(5, { name: "usa" }, 2, { labels: { count: 16, perLabel: 64 } });
    const e = (await createEngine(p, { engine: "wasm", threads: 2 })) as WasmEngine;
    expect(e.threads).toBe(2);
    // point the frozen mask so that particles >= 700 read past the end of memory: only the
    // worker's block [512, 1024) traps
    const i32 = new Int32Array(e.memory.buffer);
    const c = e.layout.ctx;
    i32[(c + CTX.FLAGS) >> 2] |= FLAG.FROZEN;
    i32[(c + CTX.FROZEN) >> 2] = e.memory.buffer.byteLength - 700;
    expect(() => e.step("heun", 0.01)).toThrow(SimulationError);
    expect(() => e.step("heun", 0.01)).toThrow(/a worker failed \(particles 512\.\.1023: .*out of bounds/);
    e.dispose();
  });

  // n = 16384: the calling thread's own block takes a good fraction of a second, and it blocks
  // afterwards, so the worker's exit event cannot reach it: only the heartbeat can tell.
  const long = () => problemFor(3, { name: "usa" }, 3, { labels: { count: 16, perLabel: 1024 } });
  const teamOf = (e: WasmEngine) => (e as unknown as { team: Team }).team;

  it("a worker terminated from outside during a step: the step throws naming it (no hang), and every later step", async () => {
    const e = await WasmEngine.create(long(), { threads: 2, workerSilence: 1 });
    expect(e.threads).toBe(2);
    void teamOf(e).workerAt(1).terminate();
    expect(() => e.step("heun", 0.01)).toThrow(SimulationError);
    expect(() => e.step("heun", 0.01)).toThrow(/^worker 1 \(particles 8192\.\.16383\) gave no sign of life for 1\.00 s in the middle of a phase/);
    expect(() => e.evaluate()).toThrow(/worker 1 \(particles 8192\.\.16383\)/);
    e.dispose();
  });

  it("a worker that stopped between steps: the next step throws at once, naming it", async () => {
    const e = await WasmEngine.create(long(), { threads: 2 });
    await teamOf(e).workerAt(1).terminate();
    expect(() => e.step("euler", 0.01)).toThrow(/^worker 1 \(particles 8192\.\.16383\) stopped: the worker exited/);
    e.dispose();
  });

  it("rejects workerSilence <= 0 naming the option", async () => {
    await expect(WasmEngine.create(long(), { threads: 2, workerSilence: 0 })).rejects.toThrow(/^workerSilence: got 0; allowed: a finite number > 0/);
  });

  it("a disposed threaded engine refuses to step", async () => {
    const p = problemFor(3, { name: "usa" }, 2, { labels: { count: 16, perLabel: 64 } });
    const e = await createEngine(p, { engine: "wasm", threads: 2 });
    e.step("heun", 0.01);
    e.dispose();
    expect(() => e.step("heun", 0.01)).toThrow(/disposed/);
  });
});
