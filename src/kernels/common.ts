// Pieces several kernel definitions share: the plane of a rotation, optional SA normalisation,
// gauges built from a phase per label, the bound on angles, and the set-up reservations of tables.
import { ConfigError } from "../errors.js";
import { SetupBudget } from "../setup-cost.js";
import { requireNumber, requireNumberArray, requireOneOf } from "../validate.js";
import type { KernelContext, Normalization } from "./types.js";

/**
 * Largest |angle| in radians that a phase, a frequency times a position, or an amplitude may
 * reach: a double near 1e6 still resolves 1.2e-10 rad, the gauges' orthogonality tolerance, so a
 * rotation by it means what it says; a larger one (1e200, or an overflow to Infinity) does not.
 */
export const ANGLE_MAX = 1e6;

/**
 * Largest value the kernel's biggest term may reach: max |W| kappa(1) (an energy term) and
 * max |W| kappa'(1) (a force term), or for an attention head e^{beta ||Q^T K||} / beta and
 * ||V||_F e^{beta ||Q^T K||}. It is e^700, the natural scale's own bound (kappa'(1) = e^beta with
 * beta <= 700 and W = 1), so that a product of parameters can never overflow where beta alone
 * would not: the engines sum the terms in shifted units and scale once.
 */
export const MAGNITUDE_MAX = Math.exp(700);

/** Largest |entry| of a given Q, K or V matrix: a product of two entries summed over d <= 4096 stays finite. */
export const MATRIX_ENTRY_MAX = 1e150;

/** A number within [-ANGLE_MAX, ANGLE_MAX] (radians, or radians per unit position). */
export function requireAngle(path: string, v: unknown, max = ANGLE_MAX): number {
  return requireNumber(path, v, { min: -max, max });
}

/** A rotation plane [p, q]: two distinct axes in 0..d-1; default [0, 1]. */
export function readPlane(path: string, v: unknown, d: number): [number, number] {
  if (v === undefined) return [0, 1];
  const [p, q] = requireNumberArray(path, v, 2, { integer: true, min: 0, max: d - 1 });
  if (p === q) throw new ConfigError(path, v, "two distinct axes in 0..d-1");
  return [p, q];
}

/** Optional "normalize": "usa" | "sa" (softmax normalisation needs W >= 0 with a positive diagonal). */
export function readNormalize(path: string, v: unknown): Normalization {
  return v === undefined ? "usa" : requireOneOf(path, v, ["usa", "sa"] as const);
}

/** The context's set-up budget, or a fresh one when the kernel is built on its own. */
function budgetOf(ctx: KernelContext): SetupBudget {
  return ctx.budget ?? new SetupBudget();
}

/** Reserves an L x L weight table W (JavaScript and wasm memory) built with `perEntry` multiply-adds per entry. */
export function reserveWeights(ctx: KernelContext, what: string, perEntry = 1): void {
  budgetOf(ctx).reserve({
    field: ctx.labelCountPath ?? "labels.count", value: ctx.labelCount, what: `${what} (L x L doubles, L = labels)`,
    host: (L) => 8 * L * L, core: (L) => 8 * L * L, work: (L) => (perEntry + 3) * L * L,
  });
}

/** Reserves one d x d gauge per label, each a product of `factors` plane rotations. */
export function reserveGauges(ctx: KernelContext, what: string, factors: number): void {
  const d = ctx.dim;
  budgetOf(ctx).reserve({
    field: ctx.labelCountPath ?? "labels.count", value: ctx.labelCount, what: `${what} (one d x d gauge per label, d = ${d})`,
    host: (L) => 8 * L * (d * d + factors + 1), work: (L) => L * (d * d + 4 * d * factors),
  });
}

/** Reserves one given d x d gauge per label, checked for orthogonality and polished (about 18 d^3 each). */
export function reserveGivenGauges(ctx: KernelContext, what: string): void {
  const d = ctx.dim;
  budgetOf(ctx).reserve({
    field: ctx.labelCountPath ?? "labels.count", value: ctx.labelCount, what: `${what} (one d x d gauge per label, checked and made orthogonal, d = ${d})`,
    host: (L) => 8 * (L + 3) * d * d, work: (L) => 18 * L * d * d * d,
  });
}

/** Reserves what `count` attention heads need at dimension d: Q, K, V and Q^T K, their q, k, v arrays in the core, and their O(d^3) set-up. */
export function reserveHeads(ctx: KernelContext, count: number): void {
  const n = ctx.n ?? 1, stride = n + (n & 1);
  // Q^T K twice, an SPD preset, and the exact spectral norm by Jacobi sweeps up to d = 256
  const perHead = (d: number) => d * d * d * (d <= 256 ? 28 : 3) + 10 * d * d;
  budgetOf(ctx).reserve({
    field: "dim", value: ctx.dim, min: 2, what: `${count} attention head${count > 1 ? "s" : ""} (Q, K, V and Q^T K: d x d each, q, k, v arrays of n d, and an O(d^3) set-up)`,
    host: (d) => 8 * count * 6 * d * d, core: (d) => 8 * count * 3 * (d * d + d * stride), work: (d) => count * perHead(d),
  });
}

/** Gauges G_a = R(theta_a) in one plane for every label (reserved first with reserveGauges). */
export function planeGauges(ctx: KernelContext, plane: [number, number], theta: (a: number) => number): Float64Array {
  return productGauges(ctx, [{ plane, theta }]);
}

/**
 * Gauges G_a = R_1(theta_1(a)) R_2(theta_2(a)) ... for a list of (plane, angle) factors. Each factor
 * changes two columns only, so it is applied as a Givens update in O(d): column p becomes
 * cos G_p + sin G_q and column q becomes -sin G_p + cos G_q, each summed from +0 in index order,
 * exactly the sums a full product G R would form (the same doubles, at O(d) instead of O(d^3)).
 * The callers bound the angles by ANGLE_MAX and reserve the table first (reserveGauges).
 */
export function productGauges(ctx: KernelContext, factors: { plane: [number, number]; theta: (a: number) => number }[]): Float64Array {
  const d = ctx.dim, dd = d * d;
  const g = new Float64Array(ctx.labelCount * dd);
  for (let a = 0; a < ctx.labelCount; a++) {
    const o = a * dd;
    for (let k = 0; k < d; k++) g[o + k * d + k] = 1;
    factors.forEach((f, k) => {
      const [p, q] = f.plane, t = f.theta(a), c = Math.cos(t), s = Math.sin(t);
      if (k === 0) {
        // R(theta) itself: entries (p,p) = c, (q,p) = s, (p,q) = -s, (q,q) = c
        g[o + p * d + p] = c; g[o + q * d + p] = s; g[o + p * d + q] = -s; g[o + q * d + q] = c;
        return;
      }
      for (let r = 0; r < d; r++) {
        const gp = g[o + r * d + p], gq = g[o + r * d + q];
        // (G R)[r][p] = G[r][p] c + G[r][q] s and (G R)[r][q] = -G[r][p] s + G[r][q] c, lower index first
        g[o + r * d + p] = p < q ? (0 + gp * c) + gq * s : (0 + gq * s) + gp * c;
        g[o + r * d + q] = p < q ? (0 + gp * -s) + gq * c : (0 + gq * c) + gp * -s;
      }
    });
    // a full product never leaves -0 (every entry is a sum from +0); the first factor's -sin 0 would
    if (factors.length > 1) for (let q = o; q < o + dd; q++) if (g[q] === 0) g[q] = 0;
  }
  return g;
}
