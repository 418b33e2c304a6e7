// The mean-field limit on the circle (docs/meanfield.md): the continuity equation solved by the
// quantile scheme, its measured orders and exact cases, and particles converging to it.
//   (a) refinement: the error at T against a 4x finer solution, in the mass coordinate (panels of
//       2 and 4 Gauss-Legendre points), in the label coordinate and in time (RK4), and the energy
//       identity dE/dt = int |X|^2 dmu;
//   (b) particles: W1 on the circle between the particles' law of theta and the solution at a few
//       times, over n and seeds, for the baseline and RoPE (Proposition 4: n^{-1/2});
//   (c) Theorem 1: RoPE's limit law is the push-forward of the label law by s -> v - omega s, with E -> E*;
// plus the exact cases: a uniform start is stationary (W = 1), and two atoms follow the
// equiangular reduction with n = 2.
import { runBatch, type BatchJob } from "../batch.js";
import { circleCdf, circleW1, empiricalCircleLaw, type CircleCdf } from "../diagnostics/circleLaw.js";
import { solveEquiangular } from "../equiangular.js";
import { ConfigError } from "../errors.js";
import { defineMeanFieldProblem, type MeanFieldConfig } from "../meanfield/problem.js";
import { solveMeanField, type MeanFieldSolution, type MeanFieldMethod } from "../meanfield/solve.js";
import type { SimulationConfig } from "../config.js";
import { requireNumber, requireNumberArray, requireOneOf } from "../validate.js";

/** The two models compared with particles. */
export type MeanFieldLimitModel = "baseline" | "rope";

/** Options of `mft reproduce mean-field-limit` (runMeanFieldLimit): the particle study, the grids and the models. */
export interface MeanFieldLimitOptions {
  /** particle counts of the W1 study (default 2^8, 2^9, ..., 2^16) */
  sizes?: number[];
  /** seeds per size (default 20) */
  seeds?: number;
  /** times of the W1 study (default 1, 2, 5) */
  times?: number[];
  /** inverse temperature (default 1) */
  beta?: number;
  /** RoPE frequency omega (default pi: the limit law is uniform on a half circle) */
  omega?: number;
  /** the particles' Heun step (default 0.02) */
  particleStep?: number;
  /** the solver's grid for the comparison: quantile nodes per label (default 128) and label nodes (default 64; 128 beyond n = 4096) */
  angles?: number;
  labels?: number;
  /** labels per node spacing in the interpolated marginal law (default 128; 256 beyond n = 4096) */
  refine?: number;
  /** terminal time of the Theorem 1 run (default 30) */
  theoremTime?: number;
  /** the models of the particle study (default both) */
  models?: MeanFieldLimitModel[];
  /** smaller refinement studies (the --quick run) */
  quick?: boolean;
  /** fitted exponents must lie in [-0.6, -0.4] (true, default) or be within 2 standard errors of it */
  strict?: boolean;
  threads?: number;
  onProgress?: (done: number, total: number) => void;
}

/** A refinement study: errors against the next (4x finer) level and the observed orders log4(e_k / e_{k+1}). */
export interface RefinementStudy {
  name: string;
  /** the stated order */
  stated: number;
  /** the refined parameter at each level (M, L or 1/h) */
  levels: number[];
  /** errors of each level but the last against the next */
  errors: number[];
  orders: number[];
}

/** W1 over particle counts at one time: mean and standard error over seeds, and the fitted exponent. */
export interface W1Series {
  model: MeanFieldLimitModel;
  t: number;
  sizes: number[];
  mean: number[];
  se: number[];
  /** least-squares slope of log mean W1 against log n, weighted by the means' standard errors */
  exponent: number;
  /** its standard error */
  exponentSE: number;
}

/** One model's figure data: the solution's density of theta over (t, theta) and particle histograms. */
export interface MeanFieldLimitPanel {
  model: MeanFieldLimitModel;
  config: MeanFieldConfig;
  times: number[];
  /** cell centres in [-pi, pi) */
  angles: number[];
  /** density[r][c] at times[r], angles[c] */
  density: number[][];
  /** the particles (first seed, largest n) at the W1 times: histogram densities on the same cells */
  histograms: { t: number; n: number; density: number[] }[];
}

/** A named check with its verdict and what was measured. */
export interface MeanFieldLimitCheck {
  name: string;
  pass: boolean;
  detail: string;
}

/** Everything the experiment measured, its resolved options and its checks. */
export interface MeanFieldLimitResult {
  options: Required<Omit<MeanFieldLimitOptions, "threads" | "onProgress">>;
  panels: MeanFieldLimitPanel[];
  w1: W1Series[];
  refinement: RefinementStudy[];
  exact: { uniformStationary: number; equiangular: number };
  theorem1: { energyGap: number; w1ToPushForward: number; collapseGap: number; predictedCollapseGap: number; baselineCollapseGap: number };
  checks: MeanFieldLimitCheck[];
}

/** The configuration shared by the particles and the solver: x in a cap of radius 1 about e1, beta, and the model's kernel and labels. */
export function meanFieldLimitConfig(model: MeanFieldLimitModel, beta: number, omega: number): MeanFieldConfig {
  const init = { law: "cap" as const, center: [1, 0], radius: 1 };
  return model === "baseline"
    ? { dim: 2, beta, kernel: { name: "usa" }, init }
    : { dim: 2, beta, kernel: { name: "rope", omega }, labels: { law: "uniform" }, init };
}

const MODELS = ["baseline", "rope"] as const satisfies readonly MeanFieldLimitModel[];

/** Least-squares slope of y on x with weights w, and its standard error 1 / sqrt(sum w (x - xbar)^2). */
function weightedSlope(x: number[], y: number[], w: number[]): { slope: number; se: number } {
  const W = w.reduce((a, b) => a + b, 0);
  const mx = x.reduce((a, v, i) => a + w[i] * v, 0) / W, my = y.reduce((a, v, i) => a + w[i] * v, 0) / W;
  let sxy = 0, sxx = 0;
  for (let i = 0; i < x.length; i++) { sxy += w[i] * (x[i] - mx) * (y[i] - my); sxx += w[i] * (x[i] - mx) ** 2; }
  return { slope: sxy / sxx, se: 1 / Math.sqrt(sxx) };
}

function orders(errors: number[]): number[] {
  return errors.slice(1).map((e, k) => Math.log(errors[k] / e) / Math.log(4));
}

/** max over matching tracer points (equal label and mass coordinate) of |psi_a - psi_b|. */
function tracerError(a: MeanFieldSolution, b: MeanFieldSolution): number {
  const key = (s: MeanFieldSolution): Map<string, number> => {
    const lay = s.finalState.layout, psi = s.finalState.psi, out = new Map<string, number>();
    for (let i = 0; i < psi.length; i++) if (lay.weight[i] === 0) out.set(`${Math.floor(i / lay.perLabel)}:${lay.mass[i]}`, psi[i]);
    return out;
  };
  const ka = key(a), kb = key(b);
  let e = 0;
  for (const [k, v] of ka) {
    const w = kb.get(k);
    if (w === undefined) throw new Error(`refinement levels are not nested (no point ${k} in the finer level)`);
    e = Math.max(e, Math.abs(v - w));
  }
  return e;
}

/** The refinement studies (docs/meanfield.md, "Measured orders"). */
export function refinementStudies(quick: boolean): RefinementStudy[] {
  const studies: RefinementStudy[] = [];
  // mass coordinate: a cap of radius 3 at beta = 1 (no kink inside), T = 1, fine time steps
  const cap: MeanFieldConfig = { dim: 2, beta: 1, init: { law: "cap", center: [1, 0], radius: 3 } };
  const massStudies: [number, number[]][] = quick ? [[2, [4, 16, 64]], [4, [4, 16, 64]]] : [[2, [4, 16, 64, 256]], [3, [3, 12, 48, 192]], [4, [4, 16, 64, 256]]];
  for (const [q, levels] of massStudies) {
    const sols = levels.map((M) => solveMeanField({ ...cap, grid: { angles: M, panelPoints: q } }, { time: 1, record: 1, step: 0.001 }));
    const errors = sols.slice(0, -1).map((s, k) => tracerError(s, sols[k + 1]));
    studies.push({ name: `mass coordinate, ${q}-point panels (max error of the quantile at T = 1)`, stated: 2 * q, levels: [...levels], errors, orders: orders(errors) });
  }
  // label coordinate: RoPE (omega = pi) with labels uniform on [0, 1), the energy at T = 1
  const rope: MeanFieldConfig = { ...meanFieldLimitConfig("rope", 1, Math.PI), init: { law: "cap", center: [1, 0], radius: 2 } };
  for (const [q, levels] of [[2, quick ? [4, 16, 64] : [4, 16, 64, 256]], [4, [4, 16, 64]]] as const) {
    const sols = levels.map((L) => solveMeanField({ ...rope, grid: { angles: 32, labels: L, panelPoints: q } }, { time: 1, record: 1, step: 0.005 }));
    const errors = sols.slice(0, -1).map((s, k) => Math.abs(s.energy[1] - sols[k + 1].energy[1]));
    studies.push({ name: `label coordinate, ${q}-point panels (error of E at T = 1, RoPE)`, stated: 2 * q, levels: [...levels], errors, orders: orders(errors) });
  }
  // time: RK4 (and the energy identity residual), at h, h/4, h/16
  const steps = [0.1, 0.025, 0.00625, 0.0015625].slice(0, quick ? 3 : 4);
  for (const method of ["rk4", "heun"] as MeanFieldMethod[]) {
    const sols = steps.map((h) => solveMeanField({ ...cap, init: { law: "cap", center: [1, 0], radius: 2 }, grid: { angles: 32 } }, { method, time: 2, record: 0.5, step: h }));
    const errors = sols.slice(0, -1).map((s, k) => tracerError(s, sols[k + 1]));
    const stated = method === "rk4" ? 4 : 2;
    studies.push({ name: `time, ${method} (max error of the quantile at T = 2)`, stated, levels: steps.map((h) => 1 / h), errors, orders: orders(errors) });
    const identity = sols.map((s) => s.invariants.energyIdentity!);
    studies.push({ name: `time, ${method}: |E(t) - E(0) - int |X|^2 dmu dt| (max over t <= 2)`, stated, levels: steps.map((h) => 1 / h), errors: identity, orders: orders(identity) });
  }
  return studies;
}

/** The exact cases: max deviation of a uniform start from uniform (W = 1), and of two atoms from the n = 2 equiangular rho(t). */
export function exactCases(): { uniformStationary: number; equiangular: number } {
  let dev = 0;
  const u = solveMeanField({ dim: 2, beta: 1, grid: { angles: 64 } }, {
    time: 5, record: 0.5,
    onRecord: (_t, s) => {
      for (let a = 0; a < s.problem.labelCount; a++) {
        const l = s.labelLaw(a);
        for (let p = 0; p < l.mass.length; p++) if (l.length[p] > 0) dev = Math.max(dev, Math.abs(l.mass[p] / l.length[p] - 1 / (2 * Math.PI)));
      }
    },
  });
  for (const g of u.collapseGap) dev = Math.max(dev, Math.abs(g - 1));
  // two atoms of mass 1/2 at angle 2 apart: rho = <x, y> = 1 - 2 G_x obeys d rho/dt = e^{beta rho}(1 - rho^2)
  const rho0 = Math.cos(2);
  const two = solveMeanField({ dim: 2, beta: 1, init: { law: "caps", centers: [[1, 0], [Math.cos(2), Math.sin(2)]], radius: 0 }, grid: { angles: 8 } }, { time: 5, record: 0.25, step: 0.005 });
  const exact = solveEquiangular({ n: 2, beta: 1 }, rho0, two.times);
  let eq = 0;
  two.collapseGap.forEach((g, r) => { eq = Math.max(eq, Math.abs(1 - 2 * g - exact[r])); });
  return { uniformStationary: dev, equiangular: eq };
}

/** Theorem 1 on the circle: the RoPE solution at T against the push-forward of U[0,1) by s -> v - omega s. */
export function theoremOne(beta: number, omega: number, time: number): MeanFieldLimitResult["theorem1"] & { invariantsOk: boolean } {
  const cfg = meanFieldLimitConfig("rope", beta, omega);
  // the flow has collapsed in the gauge frame long before T: RK4 steps of 0.05 resolve it (E* - E is checked)
  const s = solveMeanField({ ...cfg, grid: { angles: 64, labels: 32 } }, { time, record: time / 10, step: 0.05 });
  const psi = s.finalState.psi, w = s.finalState.layout.weight;
  let cx = 0, cy = 0;
  for (let i = 0; i < psi.length; i++) { cx += w[i] * Math.cos(psi[i]); cy += w[i] * Math.sin(psi[i]); }
  const v = Math.atan2(cy, cx);
  // theta(s) = v - omega s, s uniform on [0, 1): uniform on the arc [v - omega, v]
  const predicted = { start: Float64Array.of(v - omega), length: Float64Array.of(Math.abs(omega)), mass: Float64Array.of(1) };
  const w1 = circleW1(s.finalState.marginalLaw("original", 256), predicted);
  const half = Math.abs(omega) / 2;
  const baseline = solveMeanField({ ...meanFieldLimitConfig("baseline", beta, omega), grid: { angles: 64 } }, { time, record: time / 10, step: 0.05 });
  return {
    energyGap: s.energyGap![s.energyGap!.length - 1],
    w1ToPushForward: w1,
    collapseGap: s.collapseGap[s.collapseGap.length - 1],
    // |mean of the uniform law on an arc of length omega| = sin(omega/2) / (omega/2)
    predictedCollapseGap: 1 - (Math.sin(half) / half) ** 2,
    baselineCollapseGap: baseline.collapseGap[baseline.collapseGap.length - 1],
    invariantsOk: invariantsOk(s) && invariantsOk(baseline),
  };
}

function invariantsOk(s: MeanFieldSolution): boolean {
  const i = s.invariants;
  return i.mass <= 1e-13 && i.minDensity >= 0 && (i.energyDrop === null || i.energyDrop <= 1e-9 * Math.max(1, Math.abs(s.energy[s.energy.length - 1])));
}

/** Histogram density of angles on M cells of [-pi, pi). */
function histogram(angles: ArrayLike<number>, M: number): number[] {
  const h = new Array<number>(M).fill(0), cell = (2 * Math.PI) / M;
  for (let i = 0; i < angles.length; i++) {
    const t = ((((angles[i] + Math.PI) % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI)) / cell;
    h[Math.min(M - 1, Math.floor(t))] += 1 / (angles.length * cell);
  }
  return h;
}

/** Runs the whole experiment: refinement, exact cases, Theorem 1, and the particle study. */
export async function runMeanFieldLimit(options: MeanFieldLimitOptions = {}): Promise<MeanFieldLimitResult> {
  const sizes = options.sizes ?? [256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536];
  if (!Array.isArray(sizes) || sizes.length < 2) throw new ConfigError("sizes", sizes, "at least two particle counts");
  sizes.forEach((n, i) => requireNumber(`sizes[${i}]`, n, { integer: true, min: 2, max: 1 << 20 }));
  const seeds = options.seeds === undefined ? 20 : requireNumber("seeds", options.seeds, { integer: true, min: 2, max: 100000 });
  const times = options.times === undefined ? [1, 2, 5] : requireNumberArray("times", options.times, undefined, { above: 0 });
  const beta = options.beta === undefined ? 1 : requireNumber("beta", options.beta, { above: 0, max: 700 });
  const omega = options.omega === undefined ? Math.PI : requireNumber("omega", options.omega);
  const particleStep = options.particleStep === undefined ? 0.02 : requireNumber("particleStep", options.particleStep, { above: 0 });
  // the interpolated marginal's W1 floor (about 0.4 / L^2 + omega / (4 L refine)) stays near 1% of
  // the particles' W1 at the largest n (about 0.9 / sqrt(n) for RoPE)
  const big = Math.max(...sizes) > 4096;
  const angles = options.angles ?? 128, labels = options.labels ?? (big ? 128 : 64), refine = options.refine ?? (big ? 256 : 128);
  const theoremTime = options.theoremTime ?? 30;
  const quick = options.quick ?? false, strict = options.strict ?? true;
  const models: MeanFieldLimitModel[] = options.models ?? [...MODELS];
  models.forEach((m, i) => requireOneOf(`models[${i}]`, m, MODELS));
  const T = Math.max(...times);
  // every W1 time must be a record time of both solvers (records every 0.1, a multiple of the step)
  times.forEach((t, i) => { if (Math.abs(Math.round(t * 10) - t * 10) > 1e-9) throw new ConfigError(`times[${i}]`, t, "a multiple of 0.1"); });
  const record = 0.1;
  if (Math.abs(Math.round(record / particleStep) * particleStep - record) > 1e-12) throw new ConfigError("particleStep", particleStep, "a divisor of 0.1");

  // the solutions: the density over (t, theta) and the laws at the W1 times
  const panels: MeanFieldLimitPanel[] = [];
  const laws = new Map<string, CircleCdf>();
  let invariantsAllOk = true;
  for (const model of models) {
    const config = meanFieldLimitConfig(model, beta, omega);
    const problem = defineMeanFieldProblem({ ...config, grid: { angles, ...(model === "rope" ? { labels } : {}) } });
    const sol = solveMeanField(problem, {
      time: T, record, step: 0.01,
      onRecord: (t, s) => {
        const q = times.findIndex((x) => Math.abs(x - t) < 1e-9);
        if (q >= 0) laws.set(`${model}:${q}`, circleCdf(s.marginalLaw("original", model === "rope" ? refine : 0)));
      },
    });
    invariantsAllOk &&= invariantsOk(sol);
    panels.push({ model, config, times: Array.from(sol.times), angles: Array.from(sol.final.angles), density: sol.marginalDensity.map((r) => Array.from(r)), histograms: [] });
  }

  // the particles: W1 at each time for every (model, n, seed)
  const jobs: BatchJob[] = [], keys: { model: MeanFieldLimitModel; n: number; seed: number }[] = [];
  for (const model of models) for (const n of sizes) for (let seed = 1; seed <= seeds; seed++) {
    const config = meanFieldLimitConfig(model, beta, omega);
    const sim: SimulationConfig = { ...(config as SimulationConfig), n, init: { ...(config.init as object), seed } as SimulationConfig["init"], solver: { method: "heun", step: particleStep, time: T, record } };
    jobs.push({ config: sim, snapshots: times });
    keys.push({ model, n, seed });
  }
  const w1 = new Map<string, number[]>();
  let done = 0;
  const nMax = Math.max(...sizes);
  await runBatch(jobs, {
    threads: options.threads,
    onResult: (k, r) => {
      const { model, n, seed } = keys[k];
      times.forEach((t, q) => {
        const x = r.snapshots![q];
        const theta = new Float64Array(n);
        for (let i = 0; i < n; i++) theta[i] = Math.atan2(x[2 * i + 1], x[2 * i]);
        const key = `${model}:${n}:${q}`;
        if (!w1.has(key)) w1.set(key, []);
        w1.get(key)!.push(circleW1(empiricalCircleLaw(theta), laws.get(`${model}:${q}`)!));
        if (seed === 1 && n === nMax) panels.find((p) => p.model === model)!.histograms.push({ t, n, density: histogram(theta, angles) });
      });
      options.onProgress?.(++done, jobs.length);
    },
  });
  const series: W1Series[] = [];
  for (const model of models) {
    times.forEach((t, q) => {
      const mean: number[] = [], se: number[] = [];
      for (const n of sizes) {
        const v = w1.get(`${model}:${n}:${q}`)!;
        const m = v.reduce((a, b) => a + b, 0) / v.length;
        mean.push(m);
        se.push(Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1) / v.length));
      }
      // weights 1 / var(log mean) = (mean / se)^2
      const fit = weightedSlope(sizes.map(Math.log), mean.map(Math.log), mean.map((m, i) => (m / se[i]) ** 2));
      series.push({ model, t, sizes: [...sizes], mean, se, exponent: fit.slope, exponentSE: fit.se });
    });
  }
  for (const p of panels) p.histograms.sort((a, b) => a.t - b.t);

  const refinement = refinementStudies(quick);
  const exact = exactCases();
  const thm = theoremOne(beta, omega, theoremTime);
  const { invariantsOk: thmOk, ...theorem1 } = thm;

  const checks: MeanFieldLimitCheck[] = [];
  checks.push({ name: "invariants at every record (mass 1 to 1e-13, density >= 0, E non-decreasing)", pass: invariantsAllOk && thmOk, detail: "every solver run of this experiment" });
  for (const s of refinement) {
    const last = s.orders[s.orders.length - 1];
    // the highest-order panels reach round-off within three levels: their order is shown, not checked
    if (s.stated > 6) { checks.push({ name: `order: ${s.name}`, pass: true, detail: `observed ${s.orders.map((o) => o.toFixed(2)).join(", ")} (stated ${s.stated}; shown only: round-off is reached before the asymptotic range)` }); continue; }
    checks.push({ name: `order: ${s.name}`, pass: Math.abs(last - s.stated) <= 0.5, detail: `observed ${s.orders.map((o) => o.toFixed(2)).join(", ")}; stated ${s.stated} (finest pair within 0.5)` });
  }
  checks.push({ name: "exact: a uniform start is stationary (W = 1)", pass: exact.uniformStationary <= 1e-10, detail: `max |density - 1/(2 pi)| and |G_x - 1| over t <= 5: ${exact.uniformStationary.toExponential(2)} (<= 1e-10)` });
  checks.push({ name: "exact: two atoms follow the equiangular rho(t) (n = 2)", pass: exact.equiangular <= 1e-9, detail: `max |rho(t) - rho_exact(t)| over t <= 5: ${exact.equiangular.toExponential(2)} (<= 1e-9)` });
  checks.push({ name: "Theorem 1: RoPE reaches the push-forward of the label law", pass: theorem1.w1ToPushForward <= 1e-3 && Math.abs(theorem1.collapseGap - theorem1.predictedCollapseGap) <= 1e-8, detail: `W1 to U[v - omega, v] = ${theorem1.w1ToPushForward.toExponential(2)} (<= 1e-3); G_x(T) = ${theorem1.collapseGap.toFixed(10)} vs 1 - (sin(omega/2)/(omega/2))^2 = ${theorem1.predictedCollapseGap.toFixed(10)}` });
  checks.push({ name: "Theorem 1: E -> E*", pass: theorem1.energyGap <= 1e-8, detail: `(E* - E)/E* at T = ${theoremTime}: ${theorem1.energyGap.toExponential(2)} (<= 1e-8); the baseline's G_x(T) = ${theorem1.baselineCollapseGap.toExponential(2)}` });
  for (const s of series) {
    const inBand = s.exponent >= -0.6 && s.exponent <= -0.4;
    const near = s.exponent + 2 * s.exponentSE >= -0.6 && s.exponent - 2 * s.exponentSE <= -0.4;
    checks.push({
      name: `W1(particles, solution) ~ n^r: ${s.model}, t = ${s.t}`,
      pass: strict ? inBand : near,
      detail: `r = ${s.exponent.toFixed(3)} ± ${s.exponentSE.toFixed(3)} over n = ${sizes[0]} ... ${nMax}, ${seeds} seeds (${strict ? "r in [-0.6, -0.4]" : "[-0.6, -0.4] within 2 standard errors"})`,
    });
  }
  return {
    options: { sizes, seeds, times, beta, omega, particleStep, angles, labels, refine, theoremTime, quick, strict, models },
    panels, w1: series, refinement, exact, theorem1, checks,
  };
}

/** The W1 table as CSV: model, t, n, seeds, mean and standard error of W1, and the fitted exponent. */
export function meanFieldLimitCSV(r: MeanFieldLimitResult): string {
  const lines = ["model,t,n,seeds,w1_mean,w1_se,exponent,exponent_se"];
  for (const s of r.w1) s.sizes.forEach((n, i) => lines.push([s.model, s.t, n, r.options.seeds, s.mean[i], s.se[i], s.exponent, s.exponentSE].join(",")));
  return lines.join("\n") + "\n";
}
