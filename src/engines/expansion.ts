// Host side of the harmonic expansion of the force (assembly/expansion.ts): the degree K for a
// beta, the tables (normalised Legendre recurrence and lam_l = 4 pi i_l(beta) e^-beta), when the
// expansion applies, and when it is cheaper than the symmetric pair loop.
import type { Problem } from "../problem.js";
import { exponentialContent } from "./plan.js";

/** Largest harmonic degree the core runs ((K+1)^2 = 625 harmonics). */
export const EXPANSION_MAX_DEGREE = 24;

/**
 * i_l(x) e^{-x}, l = 0..L, for x > 0: the modified spherical Bessel functions of the first kind by
 * their series i_l(x) = x^l / (2l+1)!! sum_k (x^2/2)^k / (k! (2l+3)(2l+5)...(2l+2k+1)), all terms
 * positive (so no cancellation), summed until a term no longer changes the sum.
 */
export function besselIScaled(x: number, L: number): Float64Array {
  const out = new Float64Array(L + 1);
  let lead = 1; // x^l / (2l+1)!!
  for (let l = 0; l <= L; l++) {
    if (l > 0) lead *= x / (2 * l + 1);
    let term = 1, sum = 1;
    for (let k = 1; k < 1000; k++) {
      term *= (x * x) / (2 * k * (2 * l + 2 * k + 1));
      const next = sum + term;
      if (next === sum) break;
      sum = next;
    }
    out[l] = lead * sum * Math.exp(-x);
  }
  return out;
}

/**
 * The smallest K whose dropped tail sum_{l>K} (2l+1) i_l(beta) e^{-beta} is at most 2^-53 of the
 * smallest pair term e^{-2 beta} (so every e_ij, and hence every sum of them, keeps double
 * precision); null when that needs K > EXPANSION_MAX_DEGREE.
 */
export function expansionDegree(beta: number): number | null {
  const L = EXPANSION_MAX_DEGREE + 40;
  const i = besselIScaled(beta, L);
  const bound = 2 ** -53 * Math.exp(-2 * beta);
  let tail = 0;
  for (let l = L; l > EXPANSION_MAX_DEGREE; l--) tail += (2 * l + 1) * i[l];
  if (!(tail <= bound)) return null;
  for (let K = EXPANSION_MAX_DEGREE; K >= 0; K--) {
    const withK = tail + (2 * K + 1) * i[K];
    if (!(withK <= bound)) return K;
    tail = withK;
  }
  return 0;
}

/**
 * The core's table for degree K (layout in assembly/expansion.ts): q_mm, the recurrence
 * coefficients a_lm = sqrt((4l^2 - 1)/(l^2 - m^2)), b_lm = sqrt((2l+1)((l-1)^2 - m^2)/((2l-3)(l^2 - m^2)))
 * of the fully normalised Legendre functions over sin^m (real harmonics, no Condon-Shortley sign),
 * and lam_l = 4 pi i_l(beta) e^-beta.
 */
export function expansionTables(K: number, beta: number): Float64Array {
  const K1 = K + 1;
  const t = new Float64Array(2 * K1 + 2 * K1 * K1);
  const A = K1, B = K1 + K1 * K1, LAM = K1 + 2 * K1 * K1;
  let q = Math.sqrt(1 / (4 * Math.PI));
  for (let m = 0; m <= K; m++) {
    // q_mm = N_mm (2m-1)!!: q_00 = 1/sqrt(4 pi), q_mm = q_(m-1)(m-1) sqrt((2m+1)/(2m)) (sqrt 2 once, at m = 1)
    if (m > 0) q *= Math.sqrt((2 * m + 1) / (2 * m)) * (m === 1 ? Math.SQRT2 : 1);
    t[m] = q;
    for (let l = m + 1; l <= K; l++) {
      const d = l * l - m * m;
      t[A + l * K1 + m] = Math.sqrt((4 * l * l - 1) / d);
      t[B + l * K1 + m] = l >= m + 2 ? Math.sqrt(((2 * l + 1) * ((l - 1) * (l - 1) - m * m)) / ((2 * l - 3) * d)) : 0;
    }
  }
  const i = besselIScaled(beta, K);
  for (let l = 0; l <= K; l++) t[LAM + l] = 4 * Math.PI * i[l];
  return t;
}

/** Bytes of the core's table region for degree K: the table, then 16-aligned totals (4 f64x2 per harmonic). */
export function expansionTableBytes(K: number): number {
  const K1 = K + 1;
  return Math.ceil(((2 * K1 + 2 * K1 * K1) * 8) / 16) * 16 + K1 * K1 * 64;
}

/** Bytes of one group's moment buffer for degree K. */
export function expansionGroupBytes(K: number): number {
  return (K + 1) * (K + 1) * 64;
}

/**
 * Work of one evaluation, in symmetric-loop pair units, per particle: measured on this machine
 * (bench/expansion.mjs), the expansion costs about EXPANSION_COST_PER_HARMONIC pair-loop pairs per
 * harmonic and particle.
 */
export const EXPANSION_COST_PER_HARMONIC = 0.5;

/**
 * The degree K when the expansion applies and pays (d = 3, f64, exp content, W = 1, no attention heads, K(beta) <=
 * EXPANSION_MAX_DEGREE, and its cost (K+1)^2 EXPANSION_COST_PER_HARMONIC per particle below the
 * symmetric loop's n/2), else null. It depends on the problem alone, never on the thread count.
 */
export function expansionPlan(problem: Problem, precision: "f64" | "f32", force = false): number | null {
  if (problem.dim !== 3 || !exponentialContent(problem) || precision !== "f64" || problem.weights !== null) return null;
  const K = expansionDegree(problem.beta);
  if (K === null) return null;
  if (!force && (K + 1) * (K + 1) * EXPANSION_COST_PER_HARMONIC >= problem.n / 2) return null;
  return K;
}
