import * as T from "@sinclair/typebox";
import { fieldsOf, normalizeSchema } from "../schema/fields.js";
import { requireNumber, rejectUnknownKeys } from "../validate.js";
import { readNormalize, reserveWeights } from "./common.js";
import type { KernelDefinition } from "./types.js";

/** The fields of {"name": "distanceBias", "length": l}. */
export const distanceBiasSpec = T.Object({
  name: T.Literal("distanceBias"),
  length: T.Number({ exclusiveMinimum: 0, description: "the decay length l > 0 of W[a,b] = exp(-|s_a - s_b| / l)" }),
  normalize: T.Optional(normalizeSchema),
}, { additionalProperties: false, description: "distance bias: W[a,b] = exp(-|s_a - s_b| / length), G = I, kappa = exp (Examples 2, 4; Prop. 11; Thm 5)" });

/**
 * Distance bias (Examples 2 and 4, Proposition 11, Theorem 5): W[a,b] = exp(-|s_a - s_b| / length),
 * G = I, kappa = exp. W >= 0 and nonincreasing in distance, so the maximiser is still a Dirac mass:
 * positions alone do not prevent collapse (they only slow it: metastability).
 */
export const distanceBias: KernelDefinition = {
  name: "distanceBias",
  positional: true,
  summary: "W[a,b] = exp(-|s_a - s_b| / length), kappa = exp (Examples 2, 4; Prop. 11; Thm 5)",
  build(spec, ctx) {
    rejectUnknownKeys(ctx.path, spec, fieldsOf(distanceBiasSpec));
    const length = requireNumber(`${ctx.path}.length`, spec.length, { above: 0 });
    const L = ctx.labelCount, s = ctx.positions;
    reserveWeights(ctx, "the distanceBias weight table W", 2);
    const w = new Float64Array(L * L);
    for (let a = 0; a < L; a++) {
      for (let b = 0; b < L; b++) w[a * L + b] = Math.exp(-Math.abs(s[a] - s[b]) / length);
    }
    return { content: "exp", normalize: readNormalize(`${ctx.path}.normalize`, spec.normalize), weights: w, gauges: null, weightsSource: "length" };
  },
};
