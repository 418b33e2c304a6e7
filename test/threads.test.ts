// Threads run the engine's step plan: fixed units per phase (from n and d alone), taken by any
// thread; every sum across units adds in unit order, so any thread count gives the same bits.
// Also: the thread option's validation and failures.
import { describe, expect, it } from "vitest";
import { createEngine } from "../src/solve.js";
import { parseSimulationConfig } from "../src/config.js";
import { ConfigError, SimulationError } from "../src/errors.js";
import { defineProblem, type ProblemConfig } from "../src/problem.js";
import { THREAD_MIN_N, WasmEngine, type WasmEngineOptions } from "../src/engines/wasm.js";
import { CTX, FLAG } from "../src/engines/wasm-layout.js";
import { buildPlan, MAX_PHASE_UNITS, MAX_UNITS, OP, UNITS_TARGET, type PathKind } from "../src/engines/plan.js";
import type { Team } from "../src/engines/team.js";
import { kernelCases, problemFor, randomOrthogonal } from "./helpers.js";
import { fourierDegree } from "../src/engines/circle.js";

function bitsEqual(a: Float64Array, b: Float64Array): boolean {
  return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
}

/** n = 519 (odd, above THREAD_MIN_N) over 16 labels: odd last rows, odd last tiles, a masked last f32 quad. */
const N = 519;
const labels = { assign: Array.from({ length: N }, (_, i) => Math.floor((i * 16) / N)), count: 16 };
/** n = 4099 over 16 labels: the moment paths (O(n K) work) then have several moment units. */
const N_MOMENTS = 4099;
const labelsMoments = { assign: Array.from({ length: N_MOMENTS }, (_, i) => Math.floor((i * 16) / N_MOMENTS)), count: 16 };
const sym16 = Array.from({ length: 16 }, (_, a) => Array.from({ length: 16 }, (_, b) => 0.5 + 0.5 * Math.cos(a + b) * Math.cos(a - b)));
/** W symmetric within the kernel's tolerance only (not bit for bit): the tiled loop then runs in row units. */
const near16 = sym16.map((row, a) => row.map((w, b) => (a > b ? w * (1 + 1e-13) : w)));

/** One system per kernel path of the plan (every phase kind among them), n = 519. */
const PATHS: { label: string; path: PathKind; problem: () => ReturnType<typeof defineProblem>; options?: WasmEngineOptions }[] = [
  { label: "row loop, d = 3, linear content, frozen", path: "rows", problem: () => problemFor(3, { name: "custom", weights: sym16, content: "linear" }, 21, { labels, frozen: [0, 200, 518] }), options: { pairLoop: "row" } },
  { label: "row loop, d = 5 (two-row blocks), weighted exp, gauges", path: "rows", problem: () => problemFor(5, kernelCases(5).find((c) => c.label === "custom (exp)")!.kernel, 22, { labels }) },
  { label: "f32 lanes, d = 3, rope", path: "f32", problem: () => problemFor(3, { name: "rope", omega: 6.283185307179586, plane: [0, 1] }, 23, { labels }), options: { precision: "f32" } },
  { label: "attention, two heads (causal, ALiBi)", path: "attention", problem: () => defineProblem({ dim: 4, n: N, beta: 1, init: { law: "uniform", seed: 24 }, kernel: { name: "multihead", heads: [{ query: "gaussian", key: "gaussian", value: "B", mask: "causal" }, { query: "goe", key: "goe", value: "spd", normalize: "sa", beta: 2, alibi: 1 }] } }) },
  { label: "symmetric loop, distanceBias, frozen", path: "symmetric", problem: () => problemFor(3, { name: "distanceBias", length: 0.3 }, 25, { labels, frozen: [3, 64, 518] }), options: { pairLoop: "symmetric" } },
  { label: "harmonic expansion, sa", path: "expansion", problem: () => problemFor(3, { name: "sa" }, 26, { labels }) },
  { label: "harmonic expansion, distanceBias (per-label moments)", path: "expansion", problem: () => problemFor(3, { name: "distanceBias", length: 0.3 }, 27, { labels, frozen: [5, 300] }), options: { pairLoop: "expansion" } },
  // K = 63 over 16 labels: 4 MiB per chunk, so 4 chunks, each split into ranges of orders m
  { label: "harmonic expansion, distanceBias, fast, beta 50 (chunks split by order)", path: "expansion", problem: () => problemFor(3, { name: "distanceBias", length: 0.3 }, 28, { labels, beta: 50, timeScale: "fast" }), options: { pairLoop: "expansion" } },
  { label: "Fourier series, d = 2, sa, frozen", path: "fourier", problem: () => problemFor(2, { name: "sa" }, 27, { labels: labelsMoments, frozen: [1, 300, 4098] }) },
  { label: "Fourier series, d = 2, rope, fast time scale, beta = 300", path: "fourier", problem: () => problemFor(2, { name: "rope", omega: 6.283185307179586 }, 28, { labels: labelsMoments, beta: 300, timeScale: "fast" }) },
  { label: "Fourier series, d = 2, distanceBias (16 labels), frozen", path: "fourier", problem: () => problemFor(2, { name: "distanceBias", length: 0.3 }, 29, { labels: labelsMoments, frozen: [2, 77, 4098] }) },
  { label: "label sums, d = 3, linear W, frozen", path: "sums", problem: () => problemFor(3, { name: "custom", weights: sym16, content: "linear" }, 30, { labels: labelsMoments, frozen: [0, 200, 4098] }) },
  { label: "label sums, d = 6, linear W = 1, gauges", path: "sums", problem: () => problemFor(6, { name: "custom", content: "linear", gauges: Array.from({ length: 16 }, (_, a) => randomOrthogonal(6, 300 + a)) }, 31, { labels: labelsMoments }) },
  { label: "tiled loop in tile pairs, d = 16, weighted, frozen", path: "tiles", problem: () => problemFor(16, { name: "custom", weights: sym16, content: "exp" }, 27, { labels, frozen: [5, 300, 518] }) },
  { label: "tiled loop in row units, d = 17, W symmetric within 1e-12 only, gauges, sa", path: "tileRows", problem: () => problemFor(17, { name: "custom", weights: near16, gauges: Array.from({ length: 16 }, (_, a) => randomOrthogonal(17, 40 + a)), content: "exp", normalize: "sa" }, 28, { labels }) },
  { label: "tiled attention in tile pairs, d = 16, two heads with Q = K", path: "tiles", problem: () => defineProblem({ dim: 16, n: N, beta: 1, init: { law: "uniform", seed: 29 }, frozen: [7, 518], kernel: { name: "multihead", heads: [{ value: "B" }, { value: "spd", normalize: "sa", beta: 2 }] } }) },
  { label: "tiled attention in row units, d = 33, two heads (causal, ALiBi)", path: "tileRows", problem: () => defineProblem({ dim: 33, n: N, beta: 1, init: { law: "uniform", seed: 30 }, kernel: { name: "multihead", heads: [{ query: "gaussian", key: "gaussian", value: "B", mask: "causal" }, { query: "goe", key: "goe", value: "spd", normalize: "sa", beta: 2, alibi: 1 }] } }) },
];

describe("the step plan", () => {
  it.each(PATHS)("$label: units from n and d alone, rows covered once, every program ends in its reductions", ({ path, problem }) => {
    const p = problem();
    const K = path === "expansion" ? 15 : path === "fourier" ? fourierDegree(p.beta) : null;
    const one = buildPlan(p, path, K, 1), many = buildPlan(p, path, K, 17);
    expect(many.phases.map((q) => [q.op, q.units, q.per, q.arg, q.arg2, q.mode])).toEqual(one.phases.map((q) => [q.op, q.units, q.per, q.arg, q.arg2, q.mode]));
    for (const q of one.phases) {
      expect(q.units).toBeGreaterThanOrEqual(1);
      expect(q.units).toBeLessThanOrEqual(q.op === OP.SYM_TILES ? MAX_PHASE_UNITS : MAX_UNITS - 1);
      expect(q.threads).toBe(1);
      if (q.rows) {
        expect(q.per % 2).toBe(0);
        expect((q.units - 1) * q.per).toBeLessThan(p.n);
        expect(q.units * q.per).toBeGreaterThanOrEqual(p.n);
      }
    }
    const ops = (prog: { first: number; count: number }) => one.phases.slice(prog.first, prog.first + prog.count).map((q) => q.op);
    expect(ops(one.programs.evaluate).slice(-2)).toEqual([OP.ENERGY, OP.SPEED]);
    expect(ops(one.programs.heun).at(-1)).toBe(OP.ERROR);
    expect(ops(one.programs.heun).filter((o) => o === OP.ENERGY)).toHaveLength(1);
    expect(ops(one.programs.euler)).toContain(OP.ENERGY);
  });

  it("large systems: enough units for 16 threads, each phase's threads from its work", () => {
    const p = defineProblem({ dim: 3, n: 65536, beta: 1, init: { law: "uniform", seed: 1 } });
    const rows = buildPlan(p, "rows", null, 16);
    expect(rows.phases[0].units).toBeGreaterThanOrEqual(UNITS_TARGET);
    expect(rows.phases[0].threads).toBe(16);
    // the one-unit reductions stay on the calling thread
    expect(rows.phases.filter((q) => q.op >= OP.ENERGY && q.op <= OP.ERROR).every((q) => q.threads === 1)).toBe(true);
    const sym = buildPlan(p, "symmetric", null, 16);
    const { first, count } = sym.programs.evaluate;
    const tiles = sym.phases.slice(first, first + count).filter((q) => q.op === OP.SYM_TILES);
    // 128 tiles alone, then 127 rounds of 64 tile pairs, in one phase
    expect(tiles).toHaveLength(1);
    expect(tiles[0].units).toBe(128 + 127 * 64);
    expect(tiles[0].units).toBeLessThanOrEqual(MAX_PHASE_UNITS);
    expect(tiles[0].threads).toBe(16);
  });
});

describe.each(PATHS)("$label: threads 1, 2, 3, 5, 16 and 17 give the same bits", ({ path, problem, options }) => {
  it("Heun, Euler, evaluate and the adaptive step, every phase shared by every thread", async () => {
    const p = problem();
    expect(p.n).toBeGreaterThanOrEqual(THREAD_MIN_N);
    const runs = [];
    for (const threads of [1, 2, 3, 5, 16, 17]) {
      const e = await WasmEngine.create(p, { ...options, threads, phaseThreads: "all" });
      expect(e.threads).toBe(threads);
      expect(e.plan.path).toBe(path);
      // the per-unit buffers of the moment paths are summed across several units
      if (path === "fourier" || path === "sums") expect(e.plan.momentUnits).toBeGreaterThan(1);
      if (threads > 1) {
        // every phase of more than one unit is taken by more than one thread
        for (const q of e.plan.phases) expect(q.threads).toBe(Math.min(threads, q.units));
      }
      const eh = e.step("heun", 0.01, 2);
      const ee = e.step("euler", 0.01, 1);
      const hs = e.heunStep(0.01);
      const v = new Float64Array(p.n * p.dim);
      const ev = e.evaluate(v);
      runs.push({ eh, ee, hs, ev, v, x: e.getState() });
      e.dispose();
    }
    for (const r of runs.slice(1)) {
      expect(Object.is(r.eh, runs[0].eh) && Object.is(r.ee, runs[0].ee), "step energies").toBe(true);
      expect(Object.is(r.hs.energy, runs[0].hs.energy) && Object.is(r.hs.error, runs[0].hs.error), "adaptive step").toBe(true);
      expect(Object.is(r.ev.energy, runs[0].ev.energy) && Object.is(r.ev.meanSquaredSpeed, runs[0].ev.meanSquaredSpeed), "evaluate").toBe(true);
      expect(bitsEqual(r.x, runs[0].x), "final states").toBe(true);
      expect(bitsEqual(r.v, runs[0].v), "velocities").toBe(true);
    }
    // the states moved and the estimate is a real gap (the comparison is not of untouched data)
    expect(bitsEqual(runs[0].x, p.initial)).toBe(false);
    expect(runs[0].hs.error).toBeGreaterThan(0);
  });
});

describe("each phase takes the threads its work pays for", () => {
  // odd n, many units per phase: the default rule with 2 and 3 threads keeps the bits of one
  it.each([
    { d: 3, n: 4095, kernel: { name: "rope" as const, omega: 6.283185307179586, plane: [0, 1] as [number, number] }, pairLoop: "row" as const },
    { d: 3, n: 4095, kernel: { name: "usa" as const }, pairLoop: "symmetric" as const },
    { d: 3, n: 4095, kernel: { name: "usa" as const }, pairLoop: "expansion" as const },
    { d: 3, n: 4095, kernel: { name: "distanceBias" as const, length: 0.3 }, pairLoop: "expansion" as const },
    { d: 3, n: 8191, kernel: { name: "usa" as const }, precision: "f32" as const },
    { d: 2, n: 65535, kernel: { name: "distanceBias" as const, length: 0.3 }, pairLoop: "expansion" as const },
    { d: 16, n: 16383, kernel: { name: "custom" as const, weights: sym16, content: "linear" as const }, pairLoop: "sums" as const },
    { d: 16, n: 2047, kernel: { name: "usa" as const } },
  ])("d = $d, n = $n, $kernel.name, $pairLoop $precision: threads 1, 2, 3", async ({ d, n, kernel, pairLoop, precision }) => {
    const p = problemFor(d, kernel as ProblemConfig["kernel"], 4, { labels: { assign: Array.from({ length: n }, (_, i) => i % 16), count: 16 } });
    const runs = [];
    for (const threads of [1, 2, 3]) {
      const e = (await createEngine(p, { engine: "wasm", threads, precision, pairLoop })) as WasmEngine;
      expect(e.threads).toBe(threads);
      if (threads > 1) expect(e.plan.phases.some((q) => q.threads > 1)).toBe(true);
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
    const p = problemFor(5, { name: "usa" }, 2, { labels: { count: 16, perLabel: 64 } });
    const e = (await createEngine(p, { engine: "wasm", threads: 2 })) as WasmEngine;
    expect(e.threads).toBe(2);
    // point the frozen mask so that particles >= 700 read past the end of memory: the units of
    // those rows trap, on whichever thread takes them
    const i32 = new Int32Array(e.memory.buffer);
    const c = e.layout.ctx;
    i32[(c + CTX.FLAGS) >> 2] |= FLAG.FROZEN;
    i32[(c + CTX.FROZEN) >> 2] = e.memory.buffer.byteLength - 700;
    expect(() => e.step("heun", 0.01)).toThrow(SimulationError);
    expect(() => e.step("heun", 0.01)).toThrow(/^a thread of the team failed \((worker 1|the calling thread), phase "rows", particles (\d+)\.\.(\d+): .*out of bounds/);
    try {
      e.step("heun", 0.01);
    } catch (err) {
      // the unit named holds a particle past 699
      const [, , last] = /particles (\d+)\.\.(\d+)/.exec((err as Error).message)!.map(Number);
      expect(last).toBeGreaterThanOrEqual(700);
    }
    e.dispose();
  });

  // n = 16384, d = 8, the row loop: a step takes seconds and the calling thread blocks in it, so
  // the worker's exit event cannot reach it: only the heartbeat can tell.
  const long = () => problemFor(8, { name: "usa" }, 3, { labels: { count: 16, perLabel: 1024 } });
  const teamOf = (e: WasmEngine) => (e as unknown as { team: Team }).team;

  it("a worker terminated from outside during a step: the step throws naming it (no hang), and every later step", async () => {
    const e = await WasmEngine.create(long(), { threads: 2, workerSilence: 1 });
    expect(e.threads).toBe(2);
    void teamOf(e).workerAt(1).terminate();
    expect(() => e.step("heun", 0.01)).toThrow(SimulationError);
    expect(() => e.step("heun", 0.01)).toThrow(/^worker 1 gave no sign of life for 1\.00 s in the middle of a phase/);
    expect(() => e.evaluate()).toThrow(/worker 1 gave no sign of life/);
    e.dispose();
  });

  it("a worker that stopped between steps: the next step throws at once, naming it", async () => {
    const e = await WasmEngine.create(long(), { threads: 2 });
    await teamOf(e).workerAt(1).terminate();
    expect(() => e.step("euler", 0.01)).toThrow(/^worker 1 stopped: the worker exited/);
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
