// Host side of the harmonic expansion of the force (assembly/expansion.ts): the coefficients
// lam_l = 4 pi i_l(beta) e^-beta, the degree K for a beta, the tables (normalised Legendre
// recurrence), when the expansion applies, and when it is cheaper than the pair loops
// (docs/performance.md "The harmonic expansion").
import type { Problem } from "../problem.js";
import { evaluationNs, exponentialContent, usesSymmetricLoop } from "./plan.js";

/** Largest harmonic degree the core runs: K(beta) reaches it at beta = 100. */
export const EXPANSION_MAX_DEGREE = 88;
/** Most labels of a weight table the expansion keeps apart (per-label moments, an L x L combine). */
export const EXPANSION_MAX_LABELS = 64;
/**
 * The truncation criterion: the dropped tail sum_{l > K} (2l+1) i_l(beta) e^-beta, which bounds the
 * error of every pair term exp(beta (u - 1)) in [e^{-2 beta}, 1] over u in [-1, 1], is at most this.
 */
export const EXPANSION_TAIL = 2 ** -53;

/**
 * i_l(x) e^{-x}, l = 0..L, for x > 0: the modified spherical Bessel functions of the first kind,
 * scaled, by Miller's backward recurrence f_{l-1} = f_{l+1} + (2l+1)/x f_l (stable downwards, where
 * i_l is the dominant solution) from f_M = 1, f_{M+1} = 0 far above L, rescaled whenever it grows
 * large, then normalised by the closed form i_0(x) e^{-x} = (1 - e^{-2x}) / (2x). Start M = L + 32 +
 * 8 sqrt(x): the dropped solution k_l decays downwards like exp(-(M^2 - l^2)/x) for l < x, and
 * faster above. Relative error a few ulp for l <= 120 and x up to 100 (test/expansion.test.ts,
 * against a BigInt series).
 */
export function besselIScaled(x: number, L: number): Float64Array {
  if (!(x > 0) || !Number.isFinite(x)) throw new RangeError(`besselIScaled: x must be a finite number > 0, got ${x}`);
  const out = new Float64Array(L + 1);
  const M = L + 32 + Math.ceil(8 * Math.sqrt(x));
  let above = 0, f = 1; // f_{l+1}, f_l at l = M
  for (let l = M; l >= 1; l--) {
    if (l <= L) out[l] = f;
    const below = above + ((2 * l + 1) / x) * f;
    above = f;
    f = below;
    if (f > 1e200) {
      above *= 1e-200;
      f *= 1e-200;
      for (let k = l; k <= L; k++) out[k] *= 1e-200;
    }
  }
  out[0] = f;
  const scale = -Math.expm1(-2 * x) / (2 * x) / f;
  for (let l = 0; l <= L; l++) out[l] *= scale;
  return out;
}

/**
 * The smallest K whose dropped tail sum_{l>K} (2l+1) i_l(beta) e^{-beta} is at most EXPANSION_TAIL
 * (every pair term, at most 1, is then reproduced to 2^-53 by the series before rounding); null
 * when that needs K > EXPANSION_MAX_DEGREE (beta above about 100).
 */
export function expansionDegree(beta: number): number | null {
  // the terms fall faster than geometrically from l ~ 2 sqrt(beta) + 10 on: 60 more bound the tail
  const L = EXPANSION_MAX_DEGREE + 60;
  const i = besselIScaled(beta, L);
  let tail = 0;
  for (let l = L; l > EXPANSION_MAX_DEGREE; l--) tail += (2 * l + 1) * i[l];
  if (!(tail <= EXPANSION_TAIL)) return null;
  for (let K = EXPANSION_MAX_DEGREE; K >= 0; K--) {
    const withK = tail + (2 * K + 1) * i[K];
    if (!(withK <= EXPANSION_TAIL)) return K;
    tail = withK;
  }
  return 0;
}

/** Entries of the recurrence tables a and b: (K+1)(K+2)/2, order m then degree l = m..K. */
const recurrenceEntries = (K: number): number => ((K + 1) * (K + 2)) / 2;
/** Bytes of the m ranges' table at the start of the core's table region (assembly/expansion.ts EXP_CUTS_BYTES). */
export const EXPANSION_CUTS_BYTES = 512;

/** Where each table starts in expansionTables' array (f64 index): q_mm, a, b, lam. */
export function expansionTableOffsets(K: number): { q: number; a: number; b: number; lam: number } {
  const K1 = K + 1, T = recurrenceEntries(K);
  return { q: 0, a: K1, b: K1 + T, lam: K1 + 2 * T };
}

/**
 * The core's f64 tables for degree K (layout in assembly/expansion.ts): q_mm, the recurrence
 * coefficients a_lm = sqrt((4l^2 - 1)/(l^2 - m^2)), b_lm = sqrt((2l+1)((l-1)^2 - m^2)/((2l-3)(l^2 - m^2)))
 * of the fully normalised Legendre functions over sin^m (real harmonics, no Condon-Shortley sign),
 * in the recurrence's order (m outer, l = m..K inner; the entry at l = m unused), and
 * lam_l = 4 pi i_l(beta) e^-beta.
 */
export function expansionTables(K: number, beta: number): Float64Array {
  const K1 = K + 1;
  const at = expansionTableOffsets(K);
  const t = new Float64Array(at.lam + K1);
  let q = Math.sqrt(1 / (4 * Math.PI));
  let e = 0;
  for (let m = 0; m <= K; m++) {
    // q_mm = N_mm (2m-1)!!: q_00 = 1/sqrt(4 pi), q_mm = q_(m-1)(m-1) sqrt((2m+1)/(2m)) (sqrt 2 once, at m = 1)
    if (m > 0) q *= Math.sqrt((2 * m + 1) / (2 * m)) * (m === 1 ? Math.SQRT2 : 1);
    t[at.q + m] = q;
    for (let l = m; l <= K; l++, e++) {
      if (l === m) continue;
      const d = l * l - m * m;
      t[at.a + e] = Math.sqrt((4 * l * l - 1) / d);
      t[at.b + e] = l >= m + 2 ? Math.sqrt(((2 * l + 1) * ((l - 1) * (l - 1) - m * m)) / ((2 * l - 3) * d)) : 0;
    }
  }
  const i = besselIScaled(beta, K);
  for (let l = 0; l <= K; l++) t[at.lam + l] = 4 * Math.PI * i[l];
  return t;
}

/**
 * Bytes of the core's table region for degree K and `labels` moment labels: the m ranges, the
 * tables, then 16-aligned totals (4 f64 per harmonic and label).
 */
export function expansionTableBytes(K: number, labels: number): number {
  const K1 = K + 1;
  return EXPANSION_CUTS_BYTES + Math.ceil(((2 * K1 + 2 * recurrenceEntries(K)) * 8) / 16) * 16 + labels * K1 * K1 * 32;
}

/** True when the expansion applies: d = 3, f64, exp content, no attention heads, at most EXPANSION_MAX_LABELS labels with a weight table. */
export function expansionApplies(problem: Problem, precision: "f64" | "f32"): boolean {
  return problem.dim === 3 && precision === "f64" && exponentialContent(problem) && (problem.weights === null || problem.labelCount <= EXPANSION_MAX_LABELS);
}

/**
 * One-thread ns of the d = 3 pair loops that the expansion is weighed against, measured side by
 * side with its own constants (plan.ts EXP_COST; bench/expansion.mjs --constants): per unordered
 * pair of the symmetric loop, per pair term of the row loop.
 */
export const PAIR_LOOP_NS = { symmetric: 3.6, row: 2.85 } as const;

/**
 * The degree K when the expansion applies and pays, else null: it applies (expansionApplies),
 * K(beta) <= EXPANSION_MAX_DEGREE, and (unless forced) its estimated one-thread time per
 * evaluation, O(n (K+1)^2 + L^2 (K+1)^2) (plan.ts evaluationNs), is below that of the pair loop the
 * engine would run instead: n^2/2 PAIR_LOOP_NS.symmetric where the symmetric loop applies, else
 * n^2 PAIR_LOOP_NS.row (docs/performance.md). It depends on the problem alone, never on the
 * thread count.
 */
export function expansionPlan(problem: Problem, precision: "f64" | "f32", force = false): number | null {
  if (!expansionApplies(problem, precision)) return null;
  const K = expansionDegree(problem.beta);
  if (K === null) return null;
  if (force) return K;
  const n = problem.n;
  const pairs = usesSymmetricLoop(problem, precision) ? (n * n * PAIR_LOOP_NS.symmetric) / 2 : n * n * PAIR_LOOP_NS.row;
  return evaluationNs(problem, "expansion", K) < pairs ? K : null;
}
