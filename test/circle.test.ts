// The circle's Fourier series of the force (d = 2, f64, exp content, W = 1 or a label table):
// O(n K) per evaluation. Its truncation is checked against Math.exp term by term over the whole
// beta range, the engine against the row loop and the JS reference (which sum every pair) and,
// at large beta, against the pair sum written in angles; where it runs by default and where it
// may be forced. The thread-count tests are in threads.test.ts.
import { describe, expect, it } from "vitest";
import { createEngine, solve } from "../src/solve.js";
import { WasmEngine } from "../src/engines/wasm.js";
import { FOURIER_LABELS_MAX, FOURIER_TAIL, fourierCoefficients, fourierDegree } from "../src/engines/circle.js";
import { fourierChoice } from "../src/engines/plan.js";
import { ConfigError } from "../src/errors.js";
import { parseSimulationConfig } from "../src/config.js";
import { runJob } from "../src/batch/job.js";
import { defineProblem, type ProblemConfig } from "../src/problem.js";
import { fastRowReference, maxAbsDiff, randomOrthogonal } from "./helpers.js";

const EPS = 2 ** -52;

/** The series' e(phi) and e(phi) sin(phi) at phi = 2 pi m / M, with the arguments k phi reduced exactly (integers mod M). */
function series(t: Float64Array, K: number, m: number, M: number): { e: number; es: number } {
  const K2 = K + 2;
  let e = 0, es = 0;
  // smallest terms first
  for (let k = K2 - 1; k >= 0; k--) {
    const a = (2 * Math.PI * ((k * m) % M)) / M;
    e += t[k] * Math.cos(a);
    es += t[K2 + k] * Math.sin(a);
  }
  return { e, es };
}

/** exp(beta (cos phi - 1)) written as exp(-2 beta sin^2(phi/2)) (no cancellation in cos phi - 1), phi = 2 pi m / M. */
function term(beta: number, m: number, M: number): number {
  const h = Math.sin((Math.PI * m) / M);
  return Math.exp(-2 * beta * h * h);
}

const BETAS = [1e-3, 0.1, 1, 8, 50, 300, 700, 1e4, 1e5];

describe("the truncation criterion", () => {
  it("K grows like 8.3 sqrt(beta) and covers the whole range of beta (natural scale to 700, fast to 1e5)", () => {
    const K = BETAS.map((b) => fourierDegree(b)!);
    expect(K).toEqual([4, 8, 14, 28, 61, 145, 220, 829, 2622]);
    for (let k = 1; k < K.length; k++) expect(K[k]).toBeGreaterThanOrEqual(K[k - 1]);
  });

  // the criterion: 2 sum_{k>K} c_k <= 2^-53; the rest is the rounding of K + 2 terms of at most 1
  // each whose magnitudes add up to 1 (the test's own cos and sum, and the reference's exp)
  it.each(BETAS)("beta = %f: every term e(phi) <= 1, and e(phi) sin(phi), to 2^-53 + 8 eps absolutely", (beta) => {
    const K = fourierDegree(beta)!;
    const t = fourierCoefficients(K, beta);
    const M = 1 << 14;
    let worst = 0, worstSin = 0;
    for (let m = 0; m <= M / 2; m += m < 64 ? 1 : 7) {
      const { e, es } = series(t, K, m, M);
      const exact = term(beta, m, M);
      worst = Math.max(worst, Math.abs(e - exact));
      worstSin = Math.max(worstSin, Math.abs(es - exact * Math.sin((2 * Math.PI * m) / M)));
    }
    expect(worst).toBeLessThanOrEqual(FOURIER_TAIL + 8 * EPS);
    expect(worstSin).toBeLessThanOrEqual(FOURIER_TAIL + 8 * EPS);
  });

  it("can fail: a tenth of the frequencies fewer (at least two), or one coefficient off by 1e-14, breaks the bound", () => {
    for (const beta of [1, 50, 1e4, 1e5]) {
      const K = fourierDegree(beta)!;
      // fewer frequencies: at phi = 0 every dropped term adds up
      const cut = K - Math.max(2, Math.ceil(K / 10));
      const short = fourierCoefficients(cut, beta);
      expect(Math.abs(series(short, cut, 0, 8).e - 1)).toBeGreaterThan(FOURIER_TAIL + 8 * EPS);
      const t = fourierCoefficients(K, beta);
      t[1] += 1e-14;
      let worst = 0;
      for (let m = 0; m < 64; m++) worst = Math.max(worst, Math.abs(series(t, K, m, 1024).e - term(beta, m, 1024)));
      expect(worst).toBeGreaterThan(FOURIER_TAIL + 8 * EPS);
    }
  });
});

/** n particles, a seeded start, d = 2. */
function system(kernel: ProblemConfig["kernel"], seed: number, extra: Partial<ProblemConfig> & { n?: number }) {
  return defineProblem({ dim: 2, beta: 1, kernel, init: { seed, law: "uniform" }, ...(extra.labels ? {} : { n: 259 }), ...extra });
}

const L = 16;
const sym = Array.from({ length: L }, (_, a) => Array.from({ length: L }, (_, b) => 0.5 + 0.5 * Math.cos(a + b) * Math.cos(a - b)));
/** 259 particles over 16 labels, interleaved (neighbouring rows mostly in different labels). */
const labels = { assign: Array.from({ length: 259 }, (_, i) => (i * 7) % L), count: L };

describe("the engine with the series agrees with the row loop and the JS reference", () => {
  const cases: { label: string; kernel: ProblemConfig["kernel"]; beta: number; extra: Partial<ProblemConfig> }[] = [
    { label: "usa, beta 1", kernel: { name: "usa" }, beta: 1, extra: {} },
    { label: "sa, beta 8", kernel: { name: "sa" }, beta: 8, extra: {} },
    { label: "usa, fast time scale, beta 50", kernel: { name: "usa" }, beta: 50, extra: { timeScale: "fast" } },
    { label: "rope (gauges), beta 2, frozen", kernel: { name: "rope", omega: 6.283185307179586 }, beta: 2, extra: { labels, frozen: [0, 100, 258] } },
    { label: "phaseField, beta 3", kernel: { name: "phaseField", phase: { linear: 2 * Math.PI, sine: { amplitude: 0.7, frequency: 2 } } }, beta: 3, extra: { labels } },
    { label: "prompt (gauges), sa, beta 1", kernel: { name: "prompt", gauges: Array.from({ length: L }, (_, a) => randomOrthogonal(2, 100 + a)), normalize: "sa" }, beta: 1, extra: { labels } },
    { label: "distanceBias (16 labels), beta 4, frozen", kernel: { name: "distanceBias", length: 0.3 }, beta: 4, extra: { labels, frozen: [3, 258] } },
    { label: "distanceBias (16 labels), sa, beta 1", kernel: { name: "distanceBias", length: 0.2, normalize: "sa" }, beta: 1, extra: { labels } },
    { label: "custom exp W and gauges (16 labels), beta 2", kernel: { name: "custom", weights: sym, gauges: Array.from({ length: L }, (_, a) => randomOrthogonal(2, 200 + a)) }, beta: 2, extra: { labels } },
    { label: "custom exp W = [[2.5]] (one label), sa, beta 1", kernel: { name: "custom", weights: [[2.5]], normalize: "sa" }, beta: 1, extra: { labels: { count: 1, perLabel: 259 } } },
    { label: "custom exp W = [[-0.7]] (one label), beta 1", kernel: { name: "custom", weights: [[-0.7]] }, beta: 1, extra: { labels: { count: 1, perLabel: 259 } } },
  ];
  it.each(cases)("$label: n = 259, velocity to 1e-13 of its scale, 50 Heun steps to 1e-11", async ({ kernel, beta, extra }) => {
    const p = system(kernel, 3, { beta, ...extra });
    expect(p.n).toBe(259);
    const { wasm, row, js, vw, vr, vj, ew, er, ej, scale } = await fastRowReference(p, "expansion");
    expect(wasm.plan.path).toBe("fourier");
    expect(wasm.fourierDegree).toBe(fourierDegree(beta));
    expect(row.plan.path).toBe("rows");
    expect(scale).toBeGreaterThan(0);
    expect(maxAbsDiff(vw, vr)).toBeLessThanOrEqual(1e-13 * scale);
    expect(maxAbsDiff(vw, vj)).toBeLessThanOrEqual(1e-13 * scale);
    for (const e of [er, ej]) {
      expect(Math.abs(ew.energy - e.energy)).toBeLessThanOrEqual(1e-13 * Math.abs(e.energy));
      expect(Math.abs(ew.meanSquaredSpeed - e.meanSquaredSpeed)).toBeLessThanOrEqual(1e-12 * e.meanSquaredSpeed);
    }
    const sw = wasm.step("heun", 0.01, 50), sr = row.step("heun", 0.01, 50), sj = js.step("heun", 0.01, 50);
    expect(Math.abs(sw - sr)).toBeLessThanOrEqual(1e-12 * Math.abs(sr));
    expect(Math.abs(sw - sj)).toBeLessThanOrEqual(1e-12 * Math.abs(sj));
    expect(maxAbsDiff(wasm.getState(), row.getState())).toBeLessThanOrEqual(1e-11);
    expect(maxAbsDiff(wasm.getState(), js.getState())).toBeLessThanOrEqual(1e-11);
    // the states moved (the comparison is not of untouched data)
    expect(maxAbsDiff(wasm.getState(), p.initial)).toBeGreaterThan(1e-4);
    wasm.dispose(); row.dispose(); js.dispose();
  });
});

/**
 * V by every pair, written in angles: e = exp(-2 beta sin^2(phi/2)), sin phi = 2 sin(phi/2) cos(phi/2),
 * phi = theta_j - theta_i (no cancellation in cos phi - 1: accurate to a few ulp of sqrt(beta) at any beta).
 */
function angleVelocities(x: Float64Array, n: number, beta: number): Float64Array {
  const th = Array.from({ length: n }, (_, i) => Math.atan2(x[2 * i + 1], x[2 * i]));
  const v = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    let t = 0;
    for (let j = 0; j < n; j++) {
      const h = Math.sin((th[j] - th[i]) / 2);
      t += Math.exp(-2 * beta * h * h) * 2 * h * Math.cos((th[j] - th[i]) / 2);
    }
    v[2 * i] = (-t * Math.sin(th[i])) / n;
    v[2 * i + 1] = (t * Math.cos(th[i])) / n;
  }
  return v;
}

describe("large beta (the fast time scale to 1e5)", () => {
  // the pair loops compute exp(beta (<z_i, z_j> - 1)): the rounding of <z_i, z_j> costs them about
  // beta eps of each term; the series errs by about sqrt(beta) eps (the powers w^k)
  it.each([
    { beta: 300, radius: 2 },
    { beta: 700, radius: 2 },
    { beta: 1e4, radius: 0.2 },
    { beta: 1e5, radius: 0.02 },
    { beta: 1e5, radius: 2 },
  ])("beta = $beta, a cap of radius $radius: V to 1e-13 of its scale against the pair sum in angles, to 4 beta eps against the row loop", async ({ beta, radius }) => {
    const n = 259;
    const p = defineProblem({ dim: 2, n, beta, timeScale: "fast", init: { law: "cap", center: [1, 0], radius, seed: 5 } });
    const f = (await createEngine(p, { engine: "wasm", threads: 1, pairLoop: "expansion" })) as WasmEngine;
    const r = await createEngine(p, { engine: "wasm", threads: 1, pairLoop: "row" });
    const a = new Float64Array(2 * n), b = new Float64Array(2 * n);
    f.evaluate(a); r.evaluate(b);
    const ref = angleVelocities(f.getState(), n, beta);
    const scale = Math.max(...ref.map(Math.abs));
    expect(scale).toBeGreaterThan(0);
    expect(maxAbsDiff(a, ref)).toBeLessThanOrEqual(1e-13 * scale);
    expect(maxAbsDiff(b, ref)).toBeLessThanOrEqual(4 * beta * EPS * scale);
    expect(maxAbsDiff(a, b)).toBeLessThanOrEqual(4 * beta * EPS * scale);
    f.dispose(); r.dispose();
  });
});

describe("where the series runs", () => {
  it("by default: d = 2, f64, exp content, W = 1 or at most 64 labels, where it costs less than the row loop", async () => {
    expect(fourierChoice(system({ name: "usa" }, 1, { n: 1024 }), "f64")).toBe(14);
    expect(fourierChoice(system({ name: "usa" }, 1, { n: 16 }), "f64")).toBeNull();
    // beta = 1e5: K = 2622, the pair loop is cheaper below n of about two thousand
    expect(fourierChoice(system({ name: "usa" }, 1, { n: 1024, beta: 1e5, timeScale: "fast" }), "f64")).toBeNull();
    expect(fourierChoice(system({ name: "usa" }, 1, { n: 4096, beta: 1e5, timeScale: "fast" }), "f64")).toBe(2622);
    expect(fourierChoice(system({ name: "usa" }, 1, { n: 1024 }), "f32")).toBeNull();
    expect(fourierChoice(defineProblem({ dim: 3, n: 1024, init: { law: "uniform", seed: 1 } }), "f64")).toBeNull();
    expect(fourierChoice(system({ name: "custom", content: "linear" }, 1, { n: 1024 }), "f64")).toBeNull();
    const many = FOURIER_LABELS_MAX + 1;
    const wide = system({ name: "distanceBias", length: 0.3 }, 1, { labels: { count: many, perLabel: 16 } });
    expect(fourierChoice(wide, "f64", true)).toBeNull();
    const e = (await createEngine(system({ name: "usa" }, 1, { n: 1024 }), { engine: "wasm", threads: 1 })) as WasmEngine;
    expect(e.plan.path).toBe("fourier");
    expect(e.fourierDegree).toBe(14);
    expect(e.expansionDegree).toBeNull();
    e.dispose();
  });

  it("\"row\" and \"symmetric\" keep the pair loop; \"expansion\" forces the series and names what it covers where it does not apply", async () => {
    const p = system({ name: "usa" }, 1, { n: 1024 });
    for (const pairLoop of ["row", "symmetric"] as const) {
      const e = (await createEngine(p, { engine: "wasm", threads: 1, pairLoop })) as WasmEngine;
      expect(e.plan.path).toBe("rows");
      expect(e.fourierDegree).toBeNull();
      e.dispose();
    }
    const small = (await createEngine(system({ name: "usa" }, 1, { n: 16 }), { engine: "wasm", pairLoop: "expansion" })) as WasmEngine;
    expect(small.plan.path).toBe("fourier");
    small.dispose();
    const wide = system({ name: "distanceBias", length: 0.3 }, 1, { labels: { count: FOURIER_LABELS_MAX + 1, perLabel: 4 } });
    await expect(createEngine(wide, { engine: "wasm", pairLoop: "expansion" })).rejects.toThrow(ConfigError);
    await expect(createEngine(wide, { engine: "wasm", pairLoop: "expansion" })).rejects.toThrow(/pairLoop.*at most 64 labels.*65 labels/);
    const wasmDefault = (await createEngine(wide, { engine: "wasm", threads: 1 })) as WasmEngine;
    expect(wasmDefault.plan.path).toBe("rows");
    wasmDefault.dispose();
  });

  it("solve and the simulate configuration reach it: runs with \"expansion\" and \"row\" agree to 1e-12", async () => {
    const p = system({ name: "usa" }, 2, { n: 300, beta: 5 });
    const runs = [];
    for (const pairLoop of ["expansion", "row"] as const) runs.push(await solve(p, { pairLoop, time: 0.5, step: 0.01, record: 0.1, threads: 1 }));
    expect(maxAbsDiff(runs[1].final, runs[0].final)).toBeLessThanOrEqual(1e-12);
    expect(maxAbsDiff(runs[1].energy, runs[0].energy)).toBeLessThanOrEqual(1e-12 * runs[0].energy[0]);
    const config = { dim: 2, n: 300, init: { law: "uniform" as const, seed: 5 }, solver: { step: 0.01, time: 0.2, record: 0.1 }, threads: 1 };
    expect(parseSimulationConfig({ ...config, pairLoop: "expansion" }).pairLoop).toBe("expansion");
    const a = await runJob({ config: { ...config, pairLoop: "expansion" } });
    const b = await runJob({ config: { ...config, pairLoop: "row" } });
    expect(maxAbsDiff(a.final, b.final)).toBeLessThanOrEqual(1e-12);
    expect(a.final.every((v, k) => Object.is(v, b.final[k]))).toBe(false);
  });
});
