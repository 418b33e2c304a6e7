// "Lost in the middle" on the circle (d = 2): causal attention with ALiBi, and the retrieval
// profile of the last token over the source positions (Duerinckx, Geshkovski, Rossi, "Kinetic
// theory for Transformers and the lost-in-the-middle phenomenon", arXiv 2605.09213).
//
// Tokens i = 0..n-1 at positions s_i = i/(n-1), angles theta_i(0) i.i.d. uniform; the flow is the
// "attention" kernel with alibi = lambda (causal, w_ij = exp(-lambda (i-j)/n)) and normalize "sa".
// The profile is the soft accuracy of the last token N = n-1 at source i, less its value for
// independent tokens, scaled by n (the correlation is O(1/n)):
//   S_t(s_i) = n E[ phi(theta_N(t) - theta_i(0)) ],   phi(u) = sum_{k=1}^{K} omega_k cos(k u),
//   omega_k = exp(-pi^2 k^2 / (2 M^2))    (a wrapped Gaussian of width pi/M; the paper's M = 8, K = 20).
// Integrating by parts in theta_i(0) (uniform, and theta_N is 2 pi-periodic in it) gives, exactly,
//   E[cos(k (theta_N(t) - theta_i(0)))] = E[ J_i cos(k (theta_N(t) - theta_i(0))) ],  J_i = d theta_N(t) / d theta_i(0),
// whose samples are O(1/n) rather than O(1): the estimator used here, with J_i by a forward
// difference of size epsilon (n runs per seed). E[J_i] = 0 (theta_N does not wind as theta_i(0)
// turns), so n J_i (phi - c_b) has the same mean for any constant c_b; c_b = E[J^2 phi] / E[J^2]
// over the bin b of i (estimated from the samples) minimises its variance (about halves it). Theory: the profile rises toward the end at small t
// (recency), becomes U-shaped (primacy and recency, a minimum inside) at intermediate t, and is
// dominated by the first tokens at large t.
import type { EngineKind } from "../engines/engine.js";
import { ConfigError } from "../errors.js";
import { defineProblem } from "../problem.js";
import { createRandom } from "../random.js";
import { createEngine } from "../solve.js";
import { optionalNumber, requireNumberArray, requireOneOf } from "../validate.js";
import { Criteria, type Criterion } from "../theorems/report.js";

/** Options of the lost-in-the-middle experiment: tokens, seeds, times and the kernel's settings. */
export interface LostInTheMiddleOptions {
  /** tokens n (default 32) */
  n?: number;
  /** inverse temperature (default 1) */
  beta?: number;
  /** ALiBi slope lambda (default 1) */
  alibi?: number;
  /** "sa" (default; softmax) or "usa" */
  normalize?: "usa" | "sa";
  /** times at which the profile is taken, increasing multiples of step (default [1, 2, 3]) */
  times?: number[];
  /** independent draws of the tokens (default 512) */
  seeds?: number;
  /** first seed; draw q uses seed + q (default 0) */
  seed?: number;
  /** Heun step (default 0.05) */
  step?: number;
  /** Fourier modes K of the test function (default 20) */
  modes?: number;
  /** M of omega_k = exp(-pi^2 k^2 / (2 M^2)) (default 8) */
  width?: number;
  /** forward-difference size of J_i, in radians (default 1e-6) */
  epsilon?: number;
  /** position bins of the summary (default 8) */
  bins?: number;
  engine?: EngineKind;
  onProgress?: (done: number, total: number) => void;
}

/** The profile at one time: per source token and per position bin, mean and standard error over seeds. */
export interface LostInTheMiddleProfile {
  t: number;
  /** s_i = i/(n-1) of the sources i = 0..n-2 */
  positions: number[];
  mean: number[];
  se: number[];
  /** bins of consecutive sources: the mean position, the mean profile and its standard error over seeds */
  bins: { position: number; mean: number; se: number }[];
}

/** The retrieval profile S_t(s_i) at each time, binned over positions, with its options. */
export interface LostInTheMiddleResult {
  options: Required<Omit<LostInTheMiddleOptions, "onProgress" | "engine">> & { engine: EngineKind };
  profiles: LostInTheMiddleProfile[];
}

/** Validated options with their defaults. */
export function lostInTheMiddleOptions(o: LostInTheMiddleOptions = {}): LostInTheMiddleResult["options"] {
  const n = optionalNumber("n", o.n, 32, { integer: true, min: 8, max: 4096 });
  const step = optionalNumber("step", o.step, 0.05, { above: 0 });
  const times = o.times === undefined ? [1, 2, 3] : requireNumberArray("times", o.times, undefined, { above: 0 });
  times.forEach((t, q) => {
    if (q > 0 && !(t > times[q - 1])) throw new ConfigError(`times[${q}]`, t, `a time > times[${q - 1}] = ${times[q - 1]} (increasing)`);
    if (Math.abs(t / step - Math.round(t / step)) > 1e-9 * (t / step)) throw new ConfigError(`times[${q}]`, t, `a multiple of step = ${step}`);
  });
  return {
    n, step, times,
    beta: optionalNumber("beta", o.beta, 1, { above: 0, max: 350 }),
    alibi: optionalNumber("alibi", o.alibi, 1, { min: 0, max: 1e6 }),
    normalize: o.normalize === undefined ? "sa" : requireOneOf("normalize", o.normalize, ["usa", "sa"] as const),
    seeds: optionalNumber("seeds", o.seeds, 512, { integer: true, min: 2, max: 1e6 }),
    seed: optionalNumber("seed", o.seed, 0, { integer: true, min: 0, max: 2 ** 32 }),
    modes: optionalNumber("modes", o.modes, 20, { integer: true, min: 1, max: 1000 }),
    width: optionalNumber("width", o.width, 8, { above: 0 }),
    epsilon: optionalNumber("epsilon", o.epsilon, 1e-6, { above: 0, max: 0.1 }),
    bins: optionalNumber("bins", o.bins, 8, { integer: true, min: 3, max: n - 1 }),
    engine: o.engine === undefined ? "wasm" : requireOneOf("engine", o.engine, ["wasm", "js"] as const),
  };
}

/** u wrapped to (-pi, pi]. */
function wrap(u: number): number {
  return Math.atan2(Math.sin(u), Math.cos(u));
}

/** Runs the experiment: seeds x n runs of n tokens, each taken through every time of the profile. */
export async function runLostInTheMiddle(options: LostInTheMiddleOptions = {}): Promise<LostInTheMiddleResult> {
  const o = lostInTheMiddleOptions(options);
  const { n, times, seeds, step, epsilon, modes, width, bins } = o;
  const problem = defineProblem({ dim: 2, n, beta: o.beta, kernel: { name: "attention", alibi: o.alibi, normalize: o.normalize }, init: { law: "uniform", seed: o.seed } });
  const engine = await createEngine(problem, { engine: o.engine, threads: 1 });
  const omega = Array.from({ length: modes + 1 }, (_, k) => Math.exp(-0.5 * ((Math.PI * k) / width) ** 2));
  const phi = (u: number): number => {
    let s = 0;
    for (let k = 1; k <= modes; k++) s += omega[k] * Math.cos(k * u);
    return s;
  };
  const T = times.length, sources = n - 1;
  const segments = times.map((t, q) => Math.round((t - (q === 0 ? 0 : times[q - 1])) / step));
  const binOf = (i: number): number => Math.floor((i * bins) / sources);
  // samples n J_i and phi(theta_N(t) - theta_i(0)) at [(s T + q) sources + i]
  const jac = new Float64Array(seeds * T * sources), val = new Float64Array(seeds * T * sources);
  const theta = new Float64Array(n), x = new Float64Array(2 * n);
  const last = new Float64Array(T), moved = new Float64Array(T);
  // theta_N at every time, with token i's start turned by delta (i < 0: none)
  const trajectory = (i: number, delta: number, out: Float64Array): void => {
    for (let j = 0; j < n; j++) {
      const a = theta[j] + (j === i ? delta : 0);
      x[2 * j] = Math.cos(a);
      x[2 * j + 1] = Math.sin(a);
    }
    engine.setState(x);
    for (let q = 0; q < T; q++) {
      engine.step("heun", step, segments[q]);
      engine.getState(x);
      out[q] = Math.atan2(x[2 * n - 1], x[2 * n - 2]);
    }
  };
  try {
    for (let s = 0; s < seeds; s++) {
      const rng = createRandom(o.seed + s);
      for (let j = 0; j < n; j++) theta[j] = 2 * Math.PI * rng.uniform();
      trajectory(-1, 0, last);
      for (let i = 0; i < sources; i++) {
        trajectory(i, epsilon, moved);
        for (let q = 0; q < T; q++) {
          const at = (s * T + q) * sources + i;
          jac[at] = (n * wrap(moved[q] - last[q])) / epsilon;
          val[at] = phi(last[q] - theta[i]);
        }
      }
      options.onProgress?.(s + 1, seeds);
    }
  } finally {
    engine.dispose();
  }
  const positions = Array.from({ length: sources }, (_, i) => i / (n - 1));
  const profiles = times.map((t, q) => {
    const c = new Float64Array(bins), jj = new Float64Array(bins);
    for (let s = 0; s < seeds; s++) {
      for (let i = 0; i < sources; i++) {
        const at = (s * T + q) * sources + i, j2 = jac[at] * jac[at];
        c[binOf(i)] += j2 * val[at];
        jj[binOf(i)] += j2;
      }
    }
    for (let b = 0; b < bins; b++) c[b] = jj[b] > 0 ? c[b] / jj[b] : 0;
    const sample = (s: number, i: number): number => {
      const at = (s * T + q) * sources + i;
      return jac[at] * (val[at] - c[binOf(i)]);
    };
    const meanSe = (f: (s: number) => number): [number, number] => {
      let m = 0, m2 = 0;
      for (let s = 0; s < seeds; s++) { const v = f(s); m += v; m2 += v * v; }
      m /= seeds;
      return [m, Math.sqrt(Math.max(0, m2 / seeds - m * m) / (seeds - 1))];
    };
    const perToken = positions.map((_, i) => meanSe((s) => sample(s, i)));
    return {
      t,
      positions,
      mean: perToken.map((x) => x[0]),
      se: perToken.map((x) => x[1]),
      bins: Array.from({ length: bins }, (_, b) => {
        const members = positions.map((_, i) => i).filter((i) => binOf(i) === b);
        const [mean, se] = meanSe((s) => members.reduce((a, i) => a + sample(s, i), 0) / members.length);
        return { position: members.reduce((a, i) => a + positions[i], 0) / members.length, mean, se };
      }),
    };
  });
  return { options: o, profiles };
}

/** CSV: one row per time and source token. */
export function lostInTheMiddleCSV(r: LostInTheMiddleResult): string {
  const rows = ["t,token,position,mean,se"];
  for (const p of r.profiles) p.positions.forEach((s, i) => rows.push(`${p.t},${i},${s},${p.mean[i]},${p.se[i]}`));
  return rows.join("\n") + "\n";
}

/**
 * The U shape of one profile's bins: the first and the last bin against the lowest interior bin
 * (the valley); margin = min(first, last) - valley, se = the standard error of that difference
 * (bins treated as independent).
 */
export function uShape(p: LostInTheMiddleProfile): { first: number; last: number; valley: number; valleyPosition: number; margin: number; se: number } {
  const b = p.bins, first = b[0], last = b[b.length - 1];
  let v = b[1];
  for (let k = 2; k < b.length - 1; k++) if (b[k].mean < v.mean) v = b[k];
  const end = first.mean < last.mean ? first : last;
  return { first: first.mean, last: last.mean, valley: v.mean, valleyPosition: v.position, margin: end.mean - v.mean, se: Math.hypot(end.se, v.se) };
}

/**
 * The regime the theory predicts at each time of the reference setup (causal ALiBi lambda = 1,
 * "sa", beta = 1): recency at t = 1 (the last bin above the first), primacy and recency at t = 2
 * (a valley inside), primacy at t = 3 (the first bin above the last). Other setups shift these
 * times, so they get no check.
 */
export const LOST_IN_THE_MIDDLE_REGIMES: Readonly<Record<number, "recency" | "U" | "primacy">> = { 1: "recency", 2: "U", 3: "primacy" };

/** Tolerances: an end above another by `ends` standard errors; a valley below the lower end by `margin` of itself and by `valley` standard errors, inside (`inside`, 1 - `inside`). */
export const LOST_IN_THE_MIDDLE_TOLERANCE = { ends: 3, margin: 0.1, valley: 2, inside: 0.1 } as const;

/** The prediction checked on one profile, or an empty list where the setup or the time has none (LOST_IN_THE_MIDDLE_REGIMES). */
export function lostInTheMiddleChecks(o: LostInTheMiddleResult["options"], p: LostInTheMiddleProfile): Criterion[] {
  const reference = o.alibi === 1 && o.normalize === "sa" && o.beta === 1;
  const regime = reference ? LOST_IN_THE_MIDDLE_REGIMES[p.t] : undefined;
  const c = new Criteria(), tol = LOST_IN_THE_MIDDLE_TOLERANCE;
  const b = p.bins, first = b[0], last = b[b.length - 1];
  const ends = Math.hypot(first.se, last.se);
  if (regime === "recency") c.atLeast("(last - first) / SE", (last.mean - first.mean) / ends, tol.ends);
  if (regime === "primacy") c.atLeast("(first - last) / SE", (first.mean - last.mean) / ends, tol.ends);
  if (regime === "U") {
    const u = uShape(p);
    c.atLeast("valley position", u.valleyPosition, tol.inside).atMost("valley position", u.valleyPosition, 1 - tol.inside)
      .atLeast("margin / valley", u.margin / u.valley, tol.margin).atLeast("margin / SE", u.margin / u.se, tol.valley);
  }
  return c.list;
}
