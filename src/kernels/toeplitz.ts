import * as T from "@sinclair/typebox";
import { fieldsOf, numberList } from "../schema/fields.js";
import { requireNumberArray, rejectUnknownKeys } from "../validate.js";
import { reserveWeights } from "./common.js";
import type { KernelDefinition } from "./types.js";

/** The fields of {"name": "toeplitz", "coefficients": [c0, c1, ...]}. */
export const toeplitzSpec = T.Object({
  name: T.Literal("toeplitz"),
  coefficients: numberList("c_0, c_1, ...: W[a,b] = sum_k c_k cos(2 pi k (s_a - s_b))"),
}, { additionalProperties: false, description: "Toeplitz cosine kernel: W[a,b] = sum_k c_k cos(2 pi k (s_a - s_b)), G = I, kappa linear (Example 6, Prop. 10)" });

/**
 * Toeplitz cosine kernel (Example 6, Proposition 10):
 *   W[a,b] = sum_k c_k cos(2 pi k (s_a - s_b)),  G = I,  kappa(u) = u.
 * W may change sign. Proposition 10: E* = (1/2) max(c_0, max_{k>=1} c_k / 2), attained for a
 * dominant k* >= 1 by the great circle x(s) = cos(2 pi k* s) e_1 + sin(2 pi k* s) e_2.
 * With L equally spaced labels of equal size and every c_k (k >= 1) at k < L/2 the bound is
 * exact for the finite system too (the full weight matrix is circulant, its top eigenvalue
 * is n max(c_0, c_k/2), and E <= lambda_max / (2n)); E* is reported in that case only, and for
 * positions uniform on [0, 1) (a continuous label law), where Proposition 10 holds as stated.
 */
export const toeplitz: KernelDefinition = {
  name: "toeplitz",
  positional: true,
  summary: "W[a,b] = sum_k c_k cos(2 pi k (s_a - s_b)), kappa linear (Example 6, Prop. 10)",
  build(spec, ctx) {
    rejectUnknownKeys(ctx.path, spec, fieldsOf(toeplitzSpec));
    const c = requireNumberArray(`${ctx.path}.coefficients`, spec.coefficients);
    const L = ctx.labelCount, s = ctx.positions;
    reserveWeights(ctx, `the toeplitz weight table W (${c.length} cosines per entry)`, 2 * c.length);
    const w = new Float64Array(L * L);
    for (let a = 0; a < L; a++) {
      for (let b = 0; b < L; b++) {
        let v = 0;
        for (let k = 0; k < c.length; k++) v += c[k] * Math.cos(2 * Math.PI * k * (s[a] - s[b]));
        w[a * L + b] = v;
      }
    }
    const energyMax = ctx.continuum ? continuumEnergyMax(c) : toeplitzEnergyMax(c, ctx.positions, ctx.labelSizes);
    return { content: "linear", normalize: "usa", weights: w, gauges: null, weightsSource: "coefficients", energyMax };
  },
};

/** Proposition 10's E* for positions uniform on [0, 1): (1/2) max(c_0, max_k c_k / 2), or null when that is not positive. */
function continuumEnergyMax(c: number[]): number | null {
  let best = c[0];
  for (let k = 1; k < c.length; k++) best = Math.max(best, c[k] / 2);
  return best > 0 ? best / 2 : null;
}

/** Proposition 10's E*, when it is exact for this finite system (see above); null otherwise. */
function toeplitzEnergyMax(c: number[], positions: Float64Array, sizes: Int32Array): number | null {
  const L = positions.length;
  for (let a = 0; a < L; a++) {
    if (Math.abs(positions[a] - a / L) > 1e-12 || sizes[a] !== sizes[0]) return null;
  }
  let best = c[0];
  for (let k = 1; k < c.length; k++) {
    if (c[k] !== 0 && 2 * k >= L) return null;
    best = Math.max(best, c[k] / 2);
  }
  // a nonpositive top coefficient leaves the zero eigenspace on top: no closed form here
  return best > 0 ? best / 2 : null;
}
