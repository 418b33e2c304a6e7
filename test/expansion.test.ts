// The harmonic expansion of the force (d = 3, f64, exp content, W = 1): O(n (K+1)^2) per
// evaluation. Its kernel series is checked against Math.exp, and the engine against the JS
// reference (which sums every pair) and against the symmetric pair loop; it must be bitwise
// independent of the thread count and run only where it applies.
import { describe, expect, it } from "vitest";
import { createEngine, solve } from "../src/solve.js";
import { WasmEngine } from "../src/engines/wasm.js";
import { besselIScaled, EXPANSION_MAX_DEGREE, EXPANSION_TAIL, expansionDegree, expansionPlan, expansionTableOffsets, expansionTables } from "../src/engines/expansion.js";
import { ConfigError } from "../src/errors.js";
import { EXP_MOMENT_BYTES_MAX, expansionShape } from "../src/engines/plan.js";
import { parseSimulationConfig } from "../src/config.js";
import { runJob } from "../src/batch/job.js";
import { createRandom } from "../src/random.js";
import { sampleUniform } from "../src/sphere.js";
import { defineProblem, type ProblemConfig } from "../src/problem.js";
import { maxAbsDiff, randomOrthogonal } from "./helpers.js";
import type { KernelSpec } from "../src/kernels/specs.js";

/** n particles in one label (or the labels given), a seeded uniform start, d = 3. */
function system(kernel: ProblemConfig["kernel"], seed: number, extra: Partial<ProblemConfig> & { n: number }) {
  const { n, ...rest } = extra;
  return defineProblem({ dim: 3, beta: 1, kernel, labels: { count: 1, perLabel: n }, init: { seed, law: "uniform" }, ...rest });
}

/** The real harmonics of degree <= K at a unit vector, by the table's recurrence (the core's order), with their degrees. */
function harmonics(K: number, t: Float64Array, x: number[]): { y: number[]; l: number[] } {
  const at = expansionTableOffsets(K);
  const y: number[] = [], ls: number[] = [];
  let c = 1, s = 0, e = 0;
  for (let m = 0; m <= K; m++) {
    if (m > 0) [c, s] = [c * x[0] - s * x[1], s * x[0] + c * x[1]];
    let q0 = t[at.q + m], q1 = 0;
    for (let l = m; l <= K; l++, e++) {
      let q = q0;
      if (l === m + 1) q = t[at.a + e] * x[2] * q0;
      else if (l > m + 1) q = t[at.a + e] * x[2] * q1 - t[at.b + e] * q0;
      if (l > m) [q0, q1] = [q1, q];
      else q1 = q;
      y.push(q * c); ls.push(l);
      if (m > 0) { y.push(q * s); ls.push(l); }
    }
  }
  return { y, l: ls };
}

/** Unit vectors: uniform pairs, identical and antipodal pairs, and pairs near the poles (where q_lm is largest). */
function unitPairs(count: number, seed: number): number[][][] {
  const rng = createRandom(seed), out: number[][][] = [];
  const buf = new Float64Array(6);
  const nearPole = (sign: number): number[] => {
    const t = 1e-3 * rng.uniform(), p = 2 * Math.PI * rng.uniform();
    return [Math.sin(t) * Math.cos(p), Math.sin(t) * Math.sin(p), sign * Math.cos(t)];
  };
  for (let k = 0; k < count; k++) {
    sampleUniform(rng, 3, buf, 0);
    sampleUniform(rng, 3, buf, 3);
    const x = Array.from(buf.subarray(0, 3)), y = Array.from(buf.subarray(3, 6));
    out.push([x, y], [x, x], [x, x.map((v) => -v)], [nearPole(1), nearPole(1)], [nearPole(1), nearPole(-1)], [nearPole(-1), y]);
  }
  return out;
}

/**
 * i_l(x) e^{-x}, l = 0..L, independently of the code under test: the positive series
 * i_l(x) = x^l / (2l+1)!! sum_k (x^2/2)^k / (k! (2l+3)(2l+5)...(2l+2k+1)) and e^x = sum_k x^k / k!,
 * summed in BigInt fixed point with 760 decimal digits (x a dyadic rational, so exact), then divided.
 */
function besselReference(x: number, L: number): number[] {
  let den = 1n, v = x;
  while (!Number.isInteger(v)) { v *= 2; den *= 2n; }
  const num = BigInt(v), P = 10n ** 760n;
  let term = P, E = P;
  for (let k = 1n; term !== 0n; k++) { term = (term * num) / (den * k); E += term; }
  const out: number[] = [];
  for (let l = 0; l <= L; l++) {
    let T = P;
    for (let j = 1; j <= l; j++) T = (T * num) / (den * BigInt(2 * j + 1));
    let S = T;
    for (let k = 1; T !== 0n; k++) { T = (T * num * num) / (den * den * BigInt(2 * k * (2 * l + 2 * k + 1))); S += T; }
    // S / E to 20 significant digits
    const shift = Math.max(40, E.toString().length - S.toString().length + 25);
    const q = ((S * 10n ** BigInt(shift)) / E).toString();
    out.push(Number(`${q.slice(0, 20)}e${q.length - 20 - shift}`));
  }
  return out;
}

// double-double arithmetic (Dekker, Knuth): a value hi + lo with |lo| <= ulp(hi)/2, for a reference
// evaluation whose rounding (about 1e-30) cannot hide a truncation error of 1e-16
type DD = [number, number];
function twoSum(a: number, b: number): DD {
  const s = a + b, bb = s - a;
  return [s, a - (s - bb) + (b - bb)];
}
function split(a: number): DD {
  const c = 134217729 * a, hi = c - (c - a);
  return [hi, a - hi];
}
function twoProd(a: number, b: number): DD {
  const p = a * b, [ah, al] = split(a), [bh, bl] = split(b);
  return [p, ah * bh - p + ah * bl + al * bh + al * bl];
}
function ddAdd(a: DD, b: DD): DD {
  const [s, e] = twoSum(a[0], b[0]);
  return twoSum(s, e + a[1] + b[1]);
}
function ddMul(a: DD, b: DD): DD {
  const [p, e] = twoProd(a[0], b[0]);
  return twoSum(p, e + a[0] * b[1] + a[1] * b[0]);
}
function ddDiv(a: DD, b: number): DD {
  const q = a[0] / b, [p, e] = twoProd(q, b);
  return twoSum(q, (a[0] - p - e + a[1]) / b);
}

/**
 * sum_{l <= K} lam_l (2l+1)/(4 pi) P_l(u), the expansion's pair term as a function of u (the
 * addition theorem summed over m), in double-double (P_l by Bonnet's recurrence).
 */
function legendreSeries(lam: ArrayLike<number>, K: number, u: number): number {
  const w = (l: number): DD => ddDiv(twoProd(lam[l], 2 * l + 1), 4 * Math.PI);
  let p0: DD = [1, 0], p1: DD = [u, 0];
  let sum = ddMul(w(0), p0);
  for (let l = 1; l <= K; l++) {
    if (l > 1) [p0, p1] = [p1, ddDiv(ddAdd(ddMul([(2 * l - 1) * u, 0], p1), ddMul([-(l - 1), 0], p0)), l)];
    sum = ddAdd(sum, ddMul(w(l), p1));
  }
  return sum[0] + sum[1];
}

/** max over 4001 points u in [-1, 1] of |series - exp(beta (u - 1))|. */
function truncationError(lam: ArrayLike<number>, K: number, beta: number): number {
  let worst = 0;
  for (let k = 0; k <= 4000; k++) {
    const u = -1 + k / 2000;
    worst = Math.max(worst, Math.abs(legendreSeries(lam, K, u) - Math.exp(beta * (u - 1))));
  }
  return worst;
}

const BETAS = [1e-3, 0.1, 1, 5, 10, 20, 50, 100];

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

  it.each([2 ** -10, 0.5, 1, 5, 10, 20, 50, 100])("x = %f: i_l(x) e^-x, l <= 120, to 4e-15 relative of a 760-digit BigInt series", (x) => {
    const got = besselIScaled(x, 120), ref = besselReference(x, 120);
    let worst = 0;
    for (let l = 0; l <= 120; l++) if (ref[l] > 1e-290) worst = Math.max(worst, Math.abs(got[l] - ref[l]) / ref[l]);
    expect(worst).toBeLessThanOrEqual(4e-15);
    // sum_l (2l+1) i_l(x) e^-x = 1 (exp(beta u) at u = 1)
    expect(Math.abs(got.reduce((s, f, l) => s + (2 * l + 1) * f, 0) - 1)).toBeLessThanOrEqual(1e-15);
  });

  it("on the fast time scale's whole range: beta = 1e5 gives finite coefficients that sum to 1, and no degree", () => {
    const f = besselIScaled(1e5, 4000);
    expect(f.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
    expect(Math.abs(f[0] - 1 / 2e5)).toBeLessThanOrEqual(1e-15 * f[0]);
    expect(Math.abs(f.reduce((s, v, l) => s + (2 * l + 1) * v, 0) - 1)).toBeLessThanOrEqual(1e-12);
    expect(expansionDegree(1e5)).toBeNull();
    expect(expansionDegree(150)).toBeNull();
  });

  it.each(BETAS)("beta = %f: K is the least degree whose tail (BigInt reference) is at most 2^-53", (beta) => {
    const K = expansionDegree(beta)!;
    expect(K).toBeLessThanOrEqual(EXPANSION_MAX_DEGREE);
    const ref = besselReference(beta, K + 60);
    const tail = (k: number) => ref.slice(k + 1).reduce((s, f, j) => s + (2 * (k + 1 + j) + 1) * f, 0);
    expect(tail(K)).toBeLessThanOrEqual(EXPANSION_TAIL);
    expect(tail(K - 1)).toBeGreaterThan(EXPANSION_TAIL);
  });

  // the criterion: every pair term exp(beta (u - 1)), at most 1, to 1e-15 absolutely over u in [-1, 1]
  it.each(BETAS)("beta = %f: the truncated series is exp(beta (u - 1)) to 1e-15 over u in [-1, 1]; a coefficient off by 1e-12 fails", (beta) => {
    const K = expansionDegree(beta)!;
    const t = expansionTables(K, beta);
    const lam = t.slice(expansionTableOffsets(K).lam);
    expect(truncationError(lam, K, beta)).toBeLessThanOrEqual(1e-15);
    // the check can fail: one wrong coefficient (the largest term's) is seen
    const big = lam.reduce((b, v, l) => ((2 * l + 1) * v > (2 * b + 1) * lam[b] ? l : b), 0);
    const wrong = lam.slice();
    wrong[big] *= 1 + 1e-12;
    expect(truncationError(wrong, K, beta)).toBeGreaterThan(1e-15);
  });

  // through the harmonics (the addition theorem), the recurrences' rounding adds about 1e-17 (K+1)^2
  it.each([0.01, 1, 5, 20, 50, 100])("beta = %f: sum_l lam_l sum_m Y_lm(x) Y_lm(y) = exp(beta (<x,y> - 1)) to max(1e-15, 1e-17 (K+1)^2)", (beta) => {
    const K = expansionDegree(beta)!;
    const t = expansionTables(K, beta);
    const lam = t.subarray(expansionTableOffsets(K).lam);
    let worst = 0;
    for (const [x, y] of unitPairs(60, 7)) {
      const a = harmonics(K, t, x), b = harmonics(K, t, y);
      let sum = 0;
      for (let k = 0; k < a.y.length; k++) sum += lam[a.l[k]] * a.y[k] * b.y[k];
      const u = x[0] * y[0] + x[1] * y[1] + x[2] * y[2];
      worst = Math.max(worst, Math.abs(sum - Math.exp(beta * (u - 1))));
    }
    expect(worst).toBeLessThanOrEqual(Math.max(1e-15, 1e-17 * (K + 1) ** 2));
    expect(harmonics(K, t, [0, 0, 1]).y).toHaveLength((K + 1) ** 2);
  });
});

describe("the engine with the expansion agrees with the JS reference and the row loop", () => {
  /** A symmetric table with negative entries. */
  const signed = Array.from({ length: 16 }, (_, a) => Array.from({ length: 16 }, (_, b) => Math.cos(0.7 * (a - b)) * (1 + 0.1 * Math.sin(a + b))));
  // h: the step that moves the cloud by a few hundredths in 50 Heun steps (so the comparison is of a real run)
  const cases: { label: string; kernel: KernelSpec; beta: number; h: number; labels?: number; blocks?: boolean; extra: Partial<ProblemConfig> }[] = [
    { label: "usa, beta 1", kernel: { name: "usa" }, beta: 1, h: 0.01, extra: {} },
    { label: "sa, beta 0.3", kernel: { name: "sa" }, beta: 0.3, h: 0.01, extra: {} },
    { label: "rope (gauges), beta 2, frozen", kernel: { name: "rope" }, beta: 2, h: 0.01, extra: { labels: { count: 37, perLabel: 7 }, frozen: [0, 100, 258] } },
    { label: "usa, fast time scale, beta 5", kernel: { name: "usa" }, beta: 5, h: 0.2, extra: { timeScale: "fast" } },
    { label: "sa, beta 10", kernel: { name: "sa" }, beta: 10, h: 0.05, extra: {} },
    { label: "usa, fast time scale, beta 20", kernel: { name: "usa" }, beta: 20, h: 0.5, extra: { timeScale: "fast" } },
    { label: "usa, fast time scale, beta 50", kernel: { name: "usa" }, beta: 50, h: 1, extra: { timeScale: "fast" } },
    { label: "sa, beta 50, frozen", kernel: { name: "sa" }, beta: 50, h: 0.05, extra: { frozen: [1, 2, 200] } },
    { label: "distanceBias, 7 labels in blocks, fast, beta 10", kernel: { name: "distanceBias", length: 0.3 }, beta: 10, h: 0.5, labels: 7, blocks: true, extra: { timeScale: "fast" } },
    { label: "distanceBias, 21 labels, fast, beta 50 (3 chunks, orders split)", kernel: { name: "distanceBias", length: 0.3 }, beta: 50, h: 1, labels: 21, extra: { timeScale: "fast" } },
    { label: "custom signed W and gauges, 16 labels, fast, beta 5", kernel: { name: "custom", weights: signed, gauges: Array.from({ length: 16 }, (_, a) => randomOrthogonal(3, 300 + a)) }, beta: 5, h: 0.2, labels: 16, extra: { timeScale: "fast" } },
  ];
  it.each(cases)("$label: n = 259, velocity to 1e-13 of its scale, 50 Heun steps to 1e-11", async ({ kernel, beta, h, labels, blocks, extra }) => {
    const n = 259;
    // labels in blocks (the core's rows of one label, four at a time), or a_i = 7 i mod L:
    // neighbouring rows of different labels (the core's mixed lane pairs)
    const lab = labels ? { labels: { count: labels, assign: Array.from({ length: n }, (_, i) => (blocks ? Math.floor((i * labels) / n) : (7 * i) % labels)) } } : {};
    const p = system(kernel, 3, { n, beta, ...lab, ...extra });
    const wasm = (await createEngine(p, { engine: "wasm", threads: 1, pairLoop: "expansion" })) as WasmEngine;
    expect(wasm.expansionDegree).toBe(expansionDegree(beta));
    const others = [await createEngine(p, { engine: "js" }), await createEngine(p, { engine: "wasm", threads: 1, pairLoop: "row" })];
    const vw = new Float64Array(n * 3), v = new Float64Array(n * 3);
    const ew = wasm.evaluate(vw);
    const x0 = wasm.getState();
    const sw = wasm.step("heun", h, 50);
    const xw = wasm.getState();
    expect(maxAbsDiff(xw, x0)).toBeGreaterThan(0.02);
    for (const e of others) {
      const ev = e.evaluate(v);
      const scale = Math.max(...v.map(Math.abs));
      expect(maxAbsDiff(vw, v)).toBeLessThanOrEqual(1e-13 * scale);
      expect(Math.abs(ew.energy - ev.energy)).toBeLessThanOrEqual(1e-13 * Math.abs(ev.energy));
      const s = e.step("heun", h, 50);
      expect(Math.abs(sw - s)).toBeLessThanOrEqual(1e-12 * Math.abs(s));
      expect(maxAbsDiff(xw, e.getState())).toBeLessThanOrEqual(1e-11);
      e.dispose();
    }
    wasm.dispose();
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
      expect(e.expansionDegree).toBe(14);
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
  const dB = (n: number, labels: number, beta = 1) => system({ name: "distanceBias", length: 0.5 }, 1, { n, beta, labels: { count: labels, assign: Array.from({ length: n }, (_, i) => i % labels) } });
  it("by default: d = 3, f64, exp content, at most 64 labels with a table, beta <= 100, and where its cost is below the pair loop's", () => {
    expect(expansionPlan(system({ name: "usa" }, 1, { n: 1024 }), "f64")).toBe(14);
    expect(expansionPlan(system({ name: "usa" }, 1, { n: 1024 }), "f32")).toBeNull();
    expect(expansionPlan(system({ name: "usa" }, 1, { n: 64 }), "f64")).toBeNull();
    expect(expansionPlan(system({ name: "usa" }, 1, { n: 64 }), "f64", true)).toBe(14);
    // beta = 50: (K+1)^2 = 4096 harmonics pay from a few thousand particles on
    expect(expansionPlan(system({ name: "usa" }, 1, { n: 2048, beta: 50 }), "f64")).toBeNull();
    expect(expansionPlan(system({ name: "usa" }, 1, { n: 16384, beta: 50 }), "f64")).toBe(63);
    expect(expansionPlan(system({ name: "usa" }, 1, { n: 16384, beta: 150 }), "f64")).toBeNull();
    expect(expansionPlan(system({ name: "usa" }, 1, { n: 16384, beta: 1e4, timeScale: "fast" }), "f64")).toBeNull();
    expect(expansionPlan(defineProblem({ dim: 4, n: 4096, init: { law: "uniform", seed: 1 } }), "f64")).toBeNull();
    expect(expansionPlan(dB(4096, 8), "f64")).toBe(14);
    expect(expansionPlan(dB(4096, 64), "f64")).toBe(14);
    expect(expansionPlan(dB(4096, 65), "f64")).toBeNull();
    // the L^2 (K+1)^2 combine counts: 64 labels at beta = 20 do not pay at n = 4096, 8 labels do
    expect(expansionPlan(dB(4096, 64, 20), "f64")).toBeNull();
    expect(expansionPlan(dB(4096, 8, 20), "f64")).toBe(42);
    expect(expansionPlan(system({ name: "toeplitz", coefficients: [0.2, 1, 0.3] }, 1, { n: 1024, labels: { count: 16, perLabel: 64 } }), "f64")).toBeNull();
  });

  it("its memory is bounded: moment chunks of at most 16 MiB together, or one chunk", () => {
    for (const [p, K] of [[system({ name: "usa" }, 1, { n: 1 << 16, beta: 100 }), 88], [dB(1 << 16, 64, 50), 63], [dB(1 << 16, 8, 20), 42], [dB(1 << 20, 8, 50), 63]] as const) {
      const e = expansionShape(p, K);
      expect(e.chunks * e.chunkBytes <= EXP_MOMENT_BYTES_MAX || e.chunks === 1).toBe(true);
      expect(e.cuts[0]).toBe(0);
      expect(e.cuts[e.ranges]).toBe(K + 1);
      for (let r = 0; r < e.ranges; r++) expect(e.cuts[r + 1]).toBeGreaterThan(e.cuts[r]);
    }
  });

  it("pairLoop \"expansion\" where it does not apply is a ConfigError naming pairLoop", async () => {
    const p = system({ name: "usa" }, 1, { n: 300, beta: 150 });
    await expect(createEngine(p, { engine: "wasm", pairLoop: "expansion" })).rejects.toThrow(ConfigError);
    await expect(createEngine(p, { engine: "wasm", pairLoop: "expansion" })).rejects.toThrow(/pairLoop/);
  });
});
