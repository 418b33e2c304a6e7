// Pieces several kernel definitions share: the plane of a rotation, optional SA normalisation,
// and gauges built from a phase per label.
import { ConfigError } from "../errors.js";
import { planeRotation, matMul } from "../linalg.js";
import { requireNumberArray, requireOneOf } from "../validate.js";
import type { KernelContext, Normalization } from "./types.js";

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

/** Gauges G_a = R(theta_a) in one plane for every label. */
export function planeGauges(ctx: KernelContext, plane: [number, number], theta: (a: number) => number): Float64Array {
  return productGauges(ctx, [{ plane, theta }]);
}

/** Gauges G_a = R_1(theta_1(a)) R_2(theta_2(a)) ... for a list of (plane, angle) factors. */
export function productGauges(ctx: KernelContext, factors: { plane: [number, number]; theta: (a: number) => number }[]): Float64Array {
  const d = ctx.dim, dd = d * d;
  const g = new Float64Array(ctx.labelCount * dd);
  const tmp = new Float64Array(dd);
  for (let a = 0; a < ctx.labelCount; a++) {
    let acc = planeRotation(d, factors[0].plane[0], factors[0].plane[1], factors[0].theta(a));
    for (let f = 1; f < factors.length; f++) {
      const r = planeRotation(d, factors[f].plane[0], factors[f].plane[1], factors[f].theta(a));
      matMul(d, acc, r, tmp);
      acc = Float64Array.from(tmp);
    }
    g.set(acc, a * dd);
  }
  return g;
}
