// The run loop: records, the early stop, diagnostics and the guard against broken states.
import { describe, expect, it } from "vitest";
import { clusterCount, collapseGap, conditionalDiameter, groupByLabel } from "../src/diagnostics/collapse.js";
import type { Engine } from "../src/engines/engine.js";
import { ConfigError, SimulationError } from "../src/errors.js";
import { defineProblem } from "../src/problem.js";
import { defineSolver } from "../src/solver.js";
import { createEngine, run, solve } from "../src/solve.js";
import { ENGINES } from "./helpers.js";

describe.each(ENGINES)("run loop, %s engine", (engine) => {
  it("records at t = 0, every multiple of record, and T", async () => {
    const p = defineProblem({ dim: 3, n: 10, init: { seed: 1, law: "uniform" } });
    const s = await solve(p, { engine, step: 0.01, time: 1.25, record: 0.5 });
    expect(Array.from(s.times)).toEqual([0, 0.5, 1, 1.25]);
    expect(s.steps).toBe(125);
    expect(s.stoppedEarly).toBe(false);
  });

  it("the paper's early stop: stops at the first record where the relative energy increment over the window is below tol", async () => {
    const p = defineProblem({ dim: 3, n: 32, init: { seed: 3, law: "uniform" } });
    const window = 2, tol = 1e-10, record = 0.5;
    const s = await solve(p, { engine, step: 0.01, time: 200, record, stop: { window, tol } });
    expect(s.stoppedEarly).toBe(true);
    const k = s.times.length - 1, w = window / record;
    const incr = (j: number) => (s.energy[j] - s.energy[j - w]) / Math.abs(s.energy[j]);
    expect(incr(k)).toBeLessThan(tol);
    for (let j = w; j < k; j++) expect(incr(j)).toBeGreaterThanOrEqual(tol);
    expect(s.times[k]).toBeLessThan(200);
    expect(s.collapseGap[k]).toBeLessThan(1e-8);
  });

  it("prompt gauges with three phases: three clusters at the predicted points G_p^T v (Theorem 4)", async () => {
    const phases = [0, (2 * Math.PI) / 3, (4 * Math.PI) / 3];
    const p = defineProblem({ dim: 3, beta: 1, kernel: { name: "prompt", phases, plane: [0, 1] }, labels: { count: 3, perLabel: 20 }, init: { seed: 4, law: "uniform" } });
    const s = await solve(p, { engine, step: 0.05, time: 60, record: 10 });
    expect(s.clusters.at(-1)).toBe(3);
    expect(s.conditionalDiameter.at(-1)).toBeLessThan(1e-6);
    expect(s.gaugeGap.at(-1)).toBeLessThan(1e-10);
  });
});

describe("diagnostics", () => {
  it("collapse gap = half the mean squared pairwise distance; 0 for equal points", () => {
    const x = Float64Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1, -1, 0, 0]);
    let pair = 0;
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) {
      let s = 0;
      for (let k = 0; k < 3; k++) s += (x[i * 3 + k] - x[j * 3 + k]) ** 2;
      pair += s;
    }
    expect(collapseGap(x, 4, 3)).toBeCloseTo(pair / 16 / 2, 15);
    expect(collapseGap(Float64Array.from([0, 0.6, 0.8, 0, 0.6, 0.8]), 2, 3)).toBe(0);
  });

  it("conditional diameter looks only within labels; cluster count at an angle", () => {
    const x = Float64Array.from([1, 0, 0, 1, 0, 0, 0, 1, 0, 0, Math.cos(0.01), Math.sin(0.01)]);
    expect(conditionalDiameter(x, 3, groupByLabel(Int32Array.from([0, 0, 1, 1]), 2))).toBeCloseTo(2 * Math.sin(0.005), 14);
    expect(conditionalDiameter(x, 3, groupByLabel(Int32Array.from([0, 1, 0, 1]), 2))).toBeCloseTo(Math.SQRT2, 14);
    expect(clusterCount(x, 4, 3, 0.05)).toBe(2);
    expect(clusterCount(x, 4, 3, 0.005)).toBe(3);
  });
});

describe("guards", () => {
  it("a non-finite state is reported, never recorded", async () => {
    const p = defineProblem({ dim: 3, n: 4, init: { seed: 1, law: "uniform" } });
    const real = await createEngine(p, { engine: "js" });
    let calls = 0;
    // an engine whose state turns to NaN after its first step, standing in for a broken integration
    const broken: Engine = {
      ...real, kind: "js", problem: p,
      getState: (out) => { const x = real.getState(out); if (calls > 0) x[5] = NaN; return x; },
      getGaugeState: (out) => real.getGaugeState(out),
      evaluate: (v) => real.evaluate(v),
      step: (m, h, c) => { calls++; return real.step(m, h, c); },
      heunStep: (h) => real.heunStep(h),
      setState: (x) => real.setState(x),
      dispose: () => {},
    };
    await expect(run(broken, defineSolver({ time: 1, record: 0.5 }))).rejects.toThrowError(SimulationError);
    calls = 0;
    real.setState(p.initial);
    await expect(run(broken, defineSolver({ time: 1, record: 0.5 }))).rejects.toThrowError(/particle 1 is not finite at t = 0\.5.*smaller solver\.step/);
  });

  it.each(ENGINES)("%s engine: step and setState check their arguments", async (engine) => {
    const p = defineProblem({ dim: 3, n: 4, init: { seed: 1, law: "uniform" } });
    const e = await createEngine(p, { engine });
    expect(() => e.step("heun", 0)).toThrowError(/^h: got 0; allowed: a finite number > 0$/);
    expect(() => e.step("heun", NaN)).toThrowError(ConfigError);
    expect(() => e.step("rk4" as never, 0.1)).toThrowError(/method/);
    expect(() => e.step("heun", 0.1, 1.5)).toThrowError(/count/);
    expect(() => e.setState(new Float64Array(12))).toThrowError(/state\[particle 0\]/);
    expect(() => e.setState(new Float64Array(3))).toThrowError(/length n \* d = 12/);
  });
});
