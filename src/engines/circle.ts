// Host side of the circle's Fourier series (assembly/circle.ts): the degree K for a beta, the
// coefficient tables, where the series applies, and its cost against the row loop
// (docs/performance.md, "The Fourier series (d = 2)").
import type { Problem } from "../problem.js";
import { kappaProfile } from "../kernels/kappa.js";
import { scaledBesselI } from "../meanfield/bessel.js";

/**
 * The truncation criterion: every pair term e(phi) = exp(beta (cos phi - 1)) <= 1 is replaced by
 * its series cut at |k| <= K, which differs from it by at most 2 sum_{k>K} e^{-beta} I_k(beta);
 * K is the smallest degree that keeps this below 2^-53 (the rounding of the largest term, 1).
 */
export const FOURIER_TAIL = 2 ** -53;
/** Largest degree the core runs: K(1e5) = 2622 (the fast time scale's largest beta) fits. */
export const FOURIER_MAX_DEGREE = 4096;
/** Most labels of a weight table the series takes (its combine costs L^2 per frequency). */
export const FOURIER_LABELS_MAX = 64;

/**
 * The smallest K whose dropped tail 2 sum_{k>K} e^{-beta} I_k(beta) is at most FOURIER_TAIL
 * (K = 14 at beta = 1, 61 at 50, 220 at 700, 2622 at 1e5: about 8.3 sqrt(beta) for large beta),
 * or null above FOURIER_MAX_DEGREE. The sum of the scaled Bessel functions beyond
 * 10 sqrt(beta) + 60 is below 1e-25 at every beta.
 */
export function fourierDegree(beta: number): number | null {
  const top = Math.ceil(10 * Math.sqrt(beta) + 60);
  const c = scaledBesselI(beta, top);
  let tail = 0;
  for (let k = top; k >= 1; k--) {
    if (2 * (tail + c[k]) > FOURIER_TAIL) return k <= FOURIER_MAX_DEGREE ? k : null;
    tail += c[k];
  }
  return 0;
}

/**
 * The core's coefficients for degree K (assembly/circle.ts): cs_k (k = 0..K+1) then cd_k, with
 * c_k = e^{-beta} I_k(beta) (c_k = 0 beyond K): cs_0 = c_0, cs_k = 2 c_k for the pair of
 * frequencies +-k; cd_k = c_{k-1} - c_{k+1} (the series of e(phi) sin phi), cd_0 = 0.
 */
export function fourierCoefficients(K: number, beta: number): Float64Array {
  const K2 = K + 2;
  const c = new Float64Array(K + 3);
  c.set(scaledBesselI(beta, K));
  const t = new Float64Array(2 * K2);
  t[0] = c[0];
  for (let k = 1; k <= K; k++) t[k] = 2 * c[k];
  for (let k = 1; k < K2; k++) t[K2 + k] = c[k - 1] - c[k + 1];
  return t;
}

/** Labels of the series' moment table: L when the problem has a weight table, else 1. */
export function fourierLabels(problem: Problem): number {
  return problem.weights ? problem.labelCount : 1;
}

/** Bytes of one moment unit's buffer: per label, K + 2 frequencies of two f64x2 (real, imaginary). */
export function fourierUnitBytes(K: number, labels: number): number {
  return labels * (K + 2) * 32;
}

/** Bytes of the table region: the coefficients, the moments, then 16-aligned totals (4 f64x2 per label and frequency). */
export function fourierTableBytes(K: number, labels: number): number {
  const K2 = K + 2;
  return Math.ceil(((2 * K2 + labels * 2 * K2) * 8) / 16) * 16 + labels * K2 * 64;
}

/**
 * The cost model (one-thread ns of one evaluation), a constant of the library measured on the
 * development machine (docs/performance.md): the series costs about FOURIER_NS_PER_TERM per
 * particle and frequency for its moments and its finish together (more with a weight table, whose
 * pairs of particles may add into two labels), plus its combine, per moment unit and frequency and
 * L^2 per frequency for the mixing by W (the choice against the row loop: src/engines/plan.ts).
 */
export const FOURIER_NS_PER_TERM = 1.8;
/** FOURIER_NS_PER_TERM with a weight table. */
export const FOURIER_NS_PER_TERM_LABELED = 2.0;
/** The fixed cost of one evaluation's three phases and their hand-overs, ns. */
export const FOURIER_FIXED_NS = 5_000;

/** Estimated one-thread ns of the series' moments, combine and finish for one evaluation. */
export function fourierWorkNs(problem: Problem, K: number, momentUnits: number): { moments: number; combine: number; finish: number } {
  const Le = fourierLabels(problem), K2 = K + 2;
  const perTerm = Le > 1 ? FOURIER_NS_PER_TERM_LABELED : FOURIER_NS_PER_TERM;
  return {
    moments: problem.n * K2 * perTerm * 0.5,
    combine: K2 * (momentUnits * Le * 2 + Le * Le * 2),
    finish: problem.n * K2 * perTerm * 0.5,
  };
}

/**
 * True when the series applies: d = 2, f64, exp content (no attention heads), W = 1 or a table of
 * at most FOURIER_LABELS_MAX labels, K(beta) at most FOURIER_MAX_DEGREE. It depends on the problem
 * alone.
 */
export function fourierApplies(problem: Problem, precision: "f64" | "f32"): boolean {
  if (problem.dim !== 2 || precision !== "f64" || problem.attention) return false;
  if (!kappaProfile(problem.content, problem.beta, problem.timeScale).exponential) return false;
  if (problem.weights && problem.labelCount > FOURIER_LABELS_MAX) return false;
  return fourierDegree(problem.beta) !== null;
}
