// The team worker's module, run directly on this thread: this test publishes each phase of a
// step the way the calling thread does (team-protocol.ts), and the worker's own code takes every
// unit. The result must be the bits of the one-thread path; a failing unit must be reported and
// still counted; the worker must acknowledge each phase.
import { describe, expect, it } from "vitest";
import { WasmEngine } from "../src/engines/wasm.js";
import { CTX } from "../src/engines/wasm-layout.js";
import { drainPhase, workerState, type PhaseCore, type TeamWorkerInit } from "../src/engines/team-worker.js";
import {
  CLAIM, DONE, ackAt, FAILED, UNIT_MASK, controlBytes, failureMessage, publishPhase, MESSAGE_BYTES,
} from "../src/engines/team-protocol.js";
import type { StepPlan } from "../src/engines/plan.js";
import { problemFor } from "./helpers.js";
import { claimRun } from "../src/engines/team.js";

const K = 2;

/** Worker 1 of a team of K over the engine's memory, taking part in every phase. */
function workerOf(e: WasmEngine, core: PhaseCore, runs = true) {
  const plan: StepPlan = e.plan;
  const flags = Math.max(0, ...plan.phases.map((p) => (p.after ? p.units : 0)));
  const control = new SharedArrayBuffer(controlBytes(K, flags));
  const ctl = new Int32Array(control);
  Atomics.store(ctl, CLAIM, UNIT_MASK);
  const init = {
    memory: e.memory, control, messageAt: controlBytes(K, flags) - MESSAGE_BYTES, profile: null, thread: 1, size: K,
    ctx: e.layout.ctx, scratch: e.layout.scratch, n: e.problem.n,
    units: plan.phases.map((p) => p.units), threads: plan.phases.map(() => K), after: plan.phases.map((p) => p.after),
    run: plan.phases.map((p) => (runs ? claimRun(p) : 1)),
    names: plan.phases.map((p) => p.name), rows: plan.phases.map((p) => p.rows), per: plan.phases.map((p) => p.per),
  } as unknown as TeamWorkerInit;
  return { ctl, init, state: workerState(init, core) };
}

const coreOf = (e: WasmEngine): PhaseCore => (e as unknown as { core: PhaseCore }).core;

describe("the team worker's module", () => {
  const n = 301;
  const labels = { assign: Array.from({ length: n }, (_, i) => i % 16), count: 16 };
  it.each([
    { label: "symmetric loop", kernel: { name: "distanceBias" as const, length: 0.3 }, pairLoop: "symmetric" as const },
    { label: "harmonic expansion", kernel: { name: "usa" as const }, pairLoop: "expansion" as const },
    { label: "row loop", kernel: { name: "usa" as const }, pairLoop: "row" as const },
  ])("$label: a Heun step whose every unit the worker takes equals the one-thread step, bit for bit", async ({ kernel, pairLoop }) => {
    const p = problemFor(3, kernel, 5, { labels });
    const here = await WasmEngine.create(p, { threads: 1, pairLoop });
    const there = await WasmEngine.create(p, { threads: 1, pairLoop });
    const energy = here.step("heun", 0.02);
    const { ctl, state } = workerOf(there, coreOf(there));
    new Float64Array(there.memory.buffer)[(there.layout.ctx + CTX.H) >> 3] = 0.02;
    const { first, count } = there.plan.programs.heun;
    for (let q = first; q < first + count; q++) {
      publishPhase(ctl, q + 1, q);
      drainPhase(state);
      expect(Atomics.load(ctl, DONE)).toBe(there.plan.phases[q].units);
      // the worker acknowledged the phase's tag
      expect(Atomics.load(ctl, ackAt(1))).toBe(q + 1);
    }
    expect(Atomics.load(ctl, FAILED)).toBe(0);
    const a = here.getState(), b = there.getState();
    expect(b.every((v, i) => Object.is(v, a[i]))).toBe(true);
    expect(a.every((v, i) => Object.is(v, p.initial[i]))).toBe(false);
    expect(new Float64Array(there.memory.buffer)[(there.layout.ctx + CTX.ENERGY) >> 3]).toBe(energy);
  });

  it("a unit that throws is reported with its phase and particles, and still counted", async () => {
    const p = problemFor(3, { name: "usa" }, 5, { labels });
    const e = await WasmEngine.create(p, { threads: 1, pairLoop: "row" });
    const real = coreOf(e);
    const q = e.plan.programs.heun.first;
    const bad = 3;
    const core: PhaseCore = { phase: (ctx, ph, u0, u1, s) => { if (u0 <= bad && bad < u1) throw new Error("injected"); real.phase(ctx, ph, u0, u1, s); } };
    // claims of one unit each: the message names the failing unit's particles
    const { ctl, init, state } = workerOf(e, core, false);
    publishPhase(ctl, 1, q);
    drainPhase(state);
    const ph = e.plan.phases[q];
    expect(ph.units).toBeGreaterThan(bad);
    expect(Atomics.load(ctl, DONE)).toBe(ph.units);
    expect(Atomics.load(ctl, FAILED)).toBe(1);
    expect(failureMessage(ctl, init.messageAt)).toBe(`worker 1, phase "rows", particles ${bad * ph.per}..${(bad + 1) * ph.per - 1}: injected`);
  });

  it("a run of units claimed at once covers every unit once, and a failure names the run's particles", async () => {
    const n = 4099;
    const p = problemFor(3, { name: "usa" }, 1, { n, labels: undefined });
    const e = await WasmEngine.create(p, { threads: 1, pairLoop: "row" });
    const q = e.plan.programs.heun.first;
    const ph = e.plan.phases[q];
    expect(claimRun(ph)).toBeGreaterThan(1);
    const seen = new Int32Array(ph.units);
    const runs: [number, number][] = [];
    const core: PhaseCore = { phase: (_ctx, _p, u0, u1) => { runs.push([u0, u1]); for (let u = u0; u < u1; u++) seen[u]++; } };
    const { ctl, state } = workerOf(e, core);
    publishPhase(ctl, 1, q);
    drainPhase(state);
    expect(Array.from(seen).every((c) => c === 1)).toBe(true);
    expect(Atomics.load(ctl, DONE)).toBe(ph.units);
    // guided: the first run is half of the units per thread, the last ones single units
    expect(runs[0]).toEqual([0, Math.max(1, Math.min(claimRun(ph), Math.floor(ph.units / (2 * K))))]);
    expect(runs.length).toBeLessThan(ph.units);
    expect(runs[runs.length - 1][1] - runs[runs.length - 1][0]).toBe(1);
    // a failure inside a run: the message names the run's particles, and every unit is counted
    const bad = runs[0][1] - 1;
    const real = coreOf(e);
    const failing: PhaseCore = { phase: (ctx, p2, u0, u1, s) => { if (u0 <= bad && bad < u1) throw new Error("injected"); real.phase(ctx, p2, u0, u1, s); } };
    const w = workerOf(e, failing);
    publishPhase(w.ctl, 1, q);
    drainPhase(w.state);
    expect(Atomics.load(w.ctl, DONE)).toBe(ph.units);
    expect(failureMessage(w.ctl, w.init.messageAt)).toBe(`worker 1, phase "rows", particles 0..${runs[0][1] * ph.per - 1}: injected`);
  });

  it("takes no unit of a phase it has no part in, and none of a phase that is over", async () => {
    const p = problemFor(3, { name: "usa" }, 5, { labels });
    const e = await WasmEngine.create(p, { threads: 1, pairLoop: "row" });
    let calls = 0;
    const core: PhaseCore = { phase: () => { calls++; } };
    const { ctl, init, state } = workerOf(e, core);
    // nothing published yet
    drainPhase(state);
    expect(calls).toBe(0);
    // a phase for the calling thread alone
    (init.threads as number[])[0] = 1;
    publishPhase(ctl, 1, 0);
    drainPhase(state);
    expect(calls).toBe(0);
    expect(Atomics.load(ctl, ackAt(1))).toBe(1);
  });
});
