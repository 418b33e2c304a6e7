// Host side of the linear content's label sums (assembly/linear.ts): where they apply, their
// memory and their cost against the row loop (docs/performance.md, "Label sums (linear content)").
import type { Problem } from "../problem.js";
import { kappaProfile } from "../kernels/kappa.js";

/** Labels of the sums: L when the problem has a weight table, else 1. */
export function sumsLabels(problem: Problem): number {
  return problem.weights ? problem.labelCount : 1;
}

/** Bytes of one moment unit's buffer: per label, d coordinates of one f64x2 (lanes by row parity). */
export function sumsUnitBytes(problem: Problem): number {
  return sumsLabels(problem) * problem.dim * 16;
}

/** Bytes of the table region: the label sums S and the mixed sums C (L x d f64 each). */
export function sumsTableBytes(problem: Problem): number {
  return 2 * sumsLabels(problem) * problem.dim * 8;
}

/** The most bytes all moment units of a path may hold together (fewer units where one is large). */
export const MOMENT_BYTES_MAX = 64 * 2 ** 20;

/**
 * The cost model (one-thread ns of one evaluation, a constant of the library; docs/performance.md):
 * the sums and the finish cost about SUMS_NS_PER_COORD per particle and coordinate, the combine
 * per moment unit, label and coordinate and L^2 d for the mixing (the choice against the row
 * loop: src/engines/plan.ts).
 */
export const SUMS_NS_PER_COORD = 3;
/** The fixed cost of one evaluation's three phases and their hand-overs, ns. */
export const SUMS_FIXED_NS = 5_000;

/** Estimated one-thread ns of the sums, combine and finish of one evaluation. */
export function sumsWorkNs(problem: Problem, momentUnits: number): { moments: number; combine: number; finish: number } {
  const Le = sumsLabels(problem), d = problem.dim;
  return {
    moments: problem.n * d * SUMS_NS_PER_COORD * 0.5,
    combine: d * (momentUnits * Le * 2 + Le * Le * 2),
    finish: problem.n * d * SUMS_NS_PER_COORD * 0.5,
  };
}

/**
 * True when the label sums apply: linear content (kappa(u) = u, no attention heads), any d, and one
 * moment unit's buffer within MOMENT_BYTES_MAX. It depends on the problem alone.
 */
export function sumsApply(problem: Problem): boolean {
  if (problem.attention || kappaProfile(problem.content, problem.beta, problem.timeScale).exponential) return false;
  return sumsUnitBytes(problem) <= MOMENT_BYTES_MAX;
}
