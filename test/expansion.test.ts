// The harmonic expansion of the force (d = 3, f64, exp content, W = 1): O(n (K+1)^2) per
// evaluation. Its kernel series is checked against Math.exp, and the engine against the JS
// reference (which sums every pair) and against the symmetric pair loop; it must be bitwise
// independent of the thread count and run only where it applies.
import { describe, expect, it } from "vitest";
import { createEngine, solve } from "../src/solve.js";
import { WasmEngine } from "../src/engines/wasm.js";
import { besselIScaled, EXPANSION_MAX_DEGREE, expansionDegree, expansionPlan, expansionTables } from "../src/engines/expansion.js";
import { ConfigError } from "../src/errors.js";
import { parseSimulationConfig } from "../src/config.js";
import { runJob } from "../src/batch/job.js";
import { createRandom } from "../src/random.js";
import { sampleUniform } from "../src/sphere.js";
import { defineProblem, type ProblemConfig } from "../src/problem.js";
import { maxAbsDiff } from "./helpers.js";
import type { KernelSpec } from "../src/kernels/specs.js";

/** n particles in one label (or the labels given), a seeded uniform start, d = 3. */
function system(kernel: ProblemConfig["kernel"], seed: number, extra: Partial<ProblemConfig> & { n: number }) {
  const { n, ...rest } = extra;
  return defineProblem({ dim: 3, beta: 1, kernel, labels: { count: 1, perLabel: n }, init: { seed, law: "uniform" }, ...rest });
}

/** The real harmonics of degree <= K at a unit vector, by the table's recurrence (the core's order), with their degrees. */
function harmonics(K: number, t: Float64Array, x: number[]): { y: number[]; l: number[] } {
  const K1 = K + 1, A = K1, B = K1 + K1 * K1;
  const y: number[] = [], ls: number[] = [];
  let c = 1, s = 0;
  for (let m = 0; m <= K; m++) {
    if (m > 0) [c, s] = [c * x[0] - s * x[1], s * x[0] + c * x[1]];
    let q0 = t[m], q1 = 0;
    for (let l = m; l <= K; l++) {
      let q = q0;
      if (l === m + 1) q = t[A + l * K1 + m] * x[2] * q0;
      else if (l > m + 1) q = t[A + l * K1 + m] * x[2] * q1 - t[B + l * K1 + m] * q0;
      if (l > m) [q0, q1] = [q1, q];
      else q1 = q;
      y.push(q * c); ls.push(l);
      if (m > 0) { y.push(q * s); ls.push(l); }
    }
  }
  return { y, l: ls };
}

function unitPairs(count: number, seed: number): number[][][] {
  const rng = createRandom(seed), out: number[][][] = [];
  const buf = new Float64Array(6);
  for (let k = 0; k < count; k++) {
    sampleUniform(rng, 3, buf, 0);
    sampleUniform(rng, 3, buf, 3);
    out.push([Array.from(buf.subarray(0, 3)), Array.from(buf.subarray(3, 6))]);
  }
  return out;
}

describe("the kernel series", () => {
  it("i_l(x) e^-x matches closed forms: i_0 = sinh(x)/x, i_1 = cosh(x)/x - sinh(x)/x^2", () => {
    for (const x of [1e-3, 0.3, 1, 3, 10]) {
      const i = besselIScaled(x, 2);
      const e = Math.exp(-x);
      expect(Math.abs(i[0] - (Math.sinh(x) / x) * e)).toBeLessThanOrEqual(1e-15 * i[0]);
      // i_1 in closed form cancels for small x: compare there against its series' first terms
      const i1 = x < 0.1 ? (x / 3) * (1 + (x * x) / 10) * e : (Math.cosh(x) / x - Math.sinh(x) / (x * x)) * e;
      expect(Math.abs(i[1] - i1)).toBeLessThanOrEqual(1e-13 * i[1]);
    }
  });

  it("the degree grows with beta and stops where the table would be too large", () => {
    const ks = [1e-3, 0.1, 0.5, 1, 2, 3].map((b) => expansionDegree(b)!);
    for (let k = 1; k < ks.length; k++) expect(ks[k]).toBeGreaterThanOrEqual(ks[k - 1]);
    expect(ks[3]).toBe(15);
    expect(ks[5]).toBeLessThanOrEqual(EXPANSION_MAX_DEGREE);
    expect(expansionDegree(6)).toBeNull();
  });

  // the terms are at most 1 (u = 1): the series keeps 4e-15 (18 ulp of 1) absolutely; relative to the smallest
  // term e^{-2 beta} that is 5e-15 for beta <= 1 (the rounding of terms of size 1, not the tail)
  it.each([0.01, 0.5, 1, 2.5, 3])("beta = %f: sum_l lam_l sum_m Y_lm(x) Y_lm(y) = exp(beta (<x,y> - 1)) to 4e-15", (beta) => {
    const K = expansionDegree(beta)!;
    const t = expansionTables(K, beta);
    const K1 = K + 1;
    const lam = t.subarray(K1 + 2 * K1 * K1);
    let worst = 0, worstAbs = 0;
    for (const [x, y] of unitPairs(400, 7)) {
      const a = harmonics(K, t, x), b = harmonics(K, t, y);
      let sum = 0;
      for (let k = 0; k < a.y.length; k++) sum += lam[a.l[k]] * a.y[k] * b.y[k];
      const u = x[0] * y[0] + x[1] * y[1] + x[2] * y[2];
      const exact = Math.exp(beta * (u - 1));
      worst = Math.max(worst, Math.abs(sum - exact) / exact);
      worstAbs = Math.max(worstAbs, Math.abs(sum - exact));
    }
    expect(worstAbs).toBeLessThanOrEqual(4e-15);
    if (beta <= 1) expect(worst).toBeLessThanOrEqual(5e-15);
    expect(harmonics(K, t, [0, 0, 1]).y).toHaveLength(K1 * K1);
  });
});

describe("the engine with the expansion agrees with the JS reference", () => {
  const cases: { label: string; kernel: KernelSpec; beta: number; extra: Record<string, unknown> }[] = [
    { label: "usa, beta 1", kernel: { name: "usa" }, beta: 1, extra: {} },
    { label: "sa, beta 0.3", kernel: { name: "sa" }, beta: 0.3, extra: {} },
    { label: "rope (gauges), beta 2, frozen", kernel: { name: "rope" }, beta: 2, extra: { labels: { count: 37, perLabel: 7 }, frozen: [0, 100, 258] } },
    { label: "usa, fast time scale, beta 3", kernel: { name: "usa" }, beta: 3, extra: { timeScale: "fast" as const } },
  ];
  it.each(cases)("$label: n = 259, velocity to 1e-13 of its scale, 50 Heun steps to 1e-11", async ({ kernel, beta, extra }) => {
    const p = system(kernel, 3, { n: 259, beta, ...extra });
    const wasm = (await createEngine(p, { engine: "wasm", threads: 1, pairLoop: "expansion" })) as WasmEngine;
    expect(wasm.expansionDegree).toBe(expansionDegree(beta));
    const js = await createEngine(p, { engine: "js" });
    const vw = new Float64Array(259 * 3), vj = new Float64Array(259 * 3);
    const ew = wasm.evaluate(vw), ej = js.evaluate(vj);
    const scale = Math.max(...vj.map(Math.abs));
    expect(maxAbsDiff(vw, vj)).toBeLessThanOrEqual(1e-13 * scale);
    expect(Math.abs(ew.energy - ej.energy)).toBeLessThanOrEqual(1e-13 * Math.abs(ej.energy));
    const sw = wasm.step("heun", 0.01, 50), sj = js.step("heun", 0.01, 50);
    expect(Math.abs(sw - sj)).toBeLessThanOrEqual(1e-12 * Math.abs(sj));
    expect(maxAbsDiff(wasm.getState(), js.getState())).toBeLessThanOrEqual(1e-11);
    wasm.dispose(); js.dispose();
  });

  it("and the symmetric pair loop, on a nearly collapsed cloud (the projection cancels)", async () => {
    const n = 300;
    const p = system({ name: "usa" }, 4, { n, init: { law: "cap", center: [0, 0, 1], radius: 1e-3, seed: 4 } });
    const ex = await createEngine(p, { engine: "wasm", threads: 1, pairLoop: "expansion" });
    const sym = await createEngine(p, { engine: "wasm", threads: 1, pairLoop: "symmetric" });
    const a = new Float64Array(n * 3), b = new Float64Array(n * 3);
    ex.evaluate(a); sym.evaluate(b);
    const scale = Math.max(...b.map(Math.abs));
    expect(scale).toBeGreaterThan(0);
    expect(maxAbsDiff(a, b)).toBeLessThanOrEqual(1e-9 * scale);
    ex.dispose(); sym.dispose();
  });
});

describe("solve passes pairLoop to the engine", () => {
  it("the three loops give the same run to 1e-12", async () => {
    const p = system({ name: "usa" }, 2, { n: 300 });
    const runs = [];
    for (const pairLoop of ["expansion", "symmetric", "row"] as const) runs.push(await solve(p, { pairLoop, time: 0.5, step: 0.01, record: 0.1, threads: 1 }));
    for (const r of runs.slice(1)) {
      expect(maxAbsDiff(r.final, runs[0].final)).toBeLessThanOrEqual(1e-12);
      expect(maxAbsDiff(r.energy, runs[0].energy)).toBeLessThanOrEqual(1e-12 * runs[0].energy[0]);
    }
  });
});

describe("the simulate configuration's pairLoop", () => {
  const config = { dim: 3, n: 300, init: { law: "uniform" as const, seed: 5 }, solver: { step: 0.01, time: 0.2, record: 0.1 }, threads: 1 };
  it("reaches the engine: a job with \"expansion\" and one with \"row\" agree to 1e-12", async () => {
    expect(parseSimulationConfig({ ...config, pairLoop: "expansion" }).pairLoop).toBe("expansion");
    const a = await runJob({ config: { ...config, pairLoop: "expansion" } });
    const b = await runJob({ config: { ...config, pairLoop: "row" } });
    expect(maxAbsDiff(a.final, b.final)).toBeLessThanOrEqual(1e-12);
    expect(a.final.every((v, k) => Object.is(v, b.final[k]))).toBe(false);
  });
  it("anything else is a ConfigError naming pairLoop", () => {
    expect(() => parseSimulationConfig({ ...config, pairLoop: "fast" })).toThrow(/pairLoop/);
  });
});

describe("threads", () => {
  it.each([1001, 1536])("n = %i: threads 2 and 3 give the bits of 1", async (n) => {
    const p = system({ name: "usa" }, 9, { n });
    const states: Float64Array[] = [];
    for (const threads of [1, 2, 3]) {
      const e = (await createEngine(p, { engine: "wasm", threads })) as WasmEngine;
      expect(e.expansionDegree).toBe(15);
      e.step("heun", 0.01, 5);
      e.step("euler", 0.01, 2);
      states.push(e.getState());
      e.dispose();
    }
    for (const s of states.slice(1)) expect(s.every((v, i) => Object.is(v, states[0][i]))).toBe(true);
  });
});

describe("the next state's moments, taken in the step's last advance", () => {
  it("are the sums a moment pass of its own gives: steps in one call equal steps restored one by one, bit for bit", async () => {
    const p = system({ name: "usa" }, 8, { n: 777 });
    const a = (await createEngine(p, { engine: "wasm", threads: 1, pairLoop: "expansion" })) as WasmEngine;
    const b = (await createEngine(p, { engine: "wasm", threads: 1, pairLoop: "expansion" })) as WasmEngine;
    // a runs each program after the previous step's advance took the moments; b after a restore, which drops them
    const ea = [a.step("heun", 0.01, 3), a.step("euler", 0.01, 2), a.evaluate().energy, a.step("heun", 0.01, 1)];
    const eb: number[] = [];
    const fresh = <T>(f: () => T): T => { b.restore(b.snapshot()); return f(); };
    for (let k = 0; k < 3; k++) eb[0] = fresh(() => b.step("heun", 0.01, 1));
    for (let k = 0; k < 2; k++) eb[1] = fresh(() => b.step("euler", 0.01, 1));
    eb[2] = fresh(() => b.evaluate().energy);
    eb[3] = fresh(() => b.step("heun", 0.01, 1));
    expect(ea.every((e, k) => Object.is(e, eb[k]))).toBe(true);
    const xa = a.getState(), xb = b.getState();
    expect(xa.every((v, i) => Object.is(v, xb[i]))).toBe(true);
    a.dispose(); b.dispose();
  });
});

describe("where the expansion runs", () => {
  it("by default: d = 3, f64, exp content, W = 1, beta small enough, and n large enough to pay", () => {
    expect(expansionPlan(system({ name: "usa" }, 1, { n: 1024 }), "f64")).toBe(15);
    expect(expansionPlan(system({ name: "usa" }, 1, { n: 1024 }), "f32")).toBeNull();
    expect(expansionPlan(system({ name: "usa" }, 1, { n: 128 }), "f64")).toBeNull();
    expect(expansionPlan(system({ name: "usa" }, 1, { n: 128 }), "f64", true)).toBe(15);
    expect(expansionPlan(system({ name: "usa" }, 1, { n: 4096, beta: 8 }), "f64")).toBeNull();
    expect(expansionPlan(defineProblem({ dim: 4, n: 4096, init: { law: "uniform", seed: 1 } }), "f64")).toBeNull();
    expect(expansionPlan(system({ name: "toeplitz", coefficients: [0.2, 1, 0.3] }, 1, { n: 1024, labels: { count: 16, perLabel: 64 } }), "f64")).toBeNull();
  });

  it("pairLoop \"expansion\" where it does not apply is a ConfigError naming pairLoop", async () => {
    const p = system({ name: "usa" }, 1, { n: 300, beta: 9 });
    await expect(createEngine(p, { engine: "wasm", pairLoop: "expansion" })).rejects.toThrow(ConfigError);
    await expect(createEngine(p, { engine: "wasm", pairLoop: "expansion" })).rejects.toThrow(/pairLoop/);
  });
});
