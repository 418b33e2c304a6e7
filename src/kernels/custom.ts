import { ConfigError } from "../errors.js";
import * as T from "@sinclair/typebox";
import { fieldsOf, gaugesSchema, normalizeSchema, stringEnum } from "../schema/fields.js";
import { requireArray, requireNumberArray, requireOneOf, rejectUnknownKeys } from "../validate.js";
import { readNormalize, reserveWeights } from "./common.js";
import { readGauges } from "./prompt.js";
import type { KernelDefinition } from "./types.js";

/** Largest accepted |W[a,b] - W[b,a]| relative to max |W|. */
export const SYMMETRY_TOLERANCE = 1e-12;

/** The content profiles kappa of the family. */
export const CONTENTS = ["exp", "linear"] as const;

/** The fields of {"name": "custom"}: any W, gauges and content. */
export const customSpec = T.Object({
  name: T.Literal("custom"),
  weights: T.Optional(T.Array(T.Array(T.Number()), { description: "the symmetric L x L weight table W, as rows (default W = 1)" })),
  gauges: T.Optional(gaugesSchema),
  content: T.Optional(stringEnum(CONTENTS, '"exp" (default): kappa(u) = exp(beta u)/beta; "linear": kappa(u) = u')),
  normalize: T.Optional(normalizeSchema),
}, { additionalProperties: false, description: "any W (symmetric, L x L), gauges G_a (orthogonal) and content exp | linear" });

/**
 * Any member of the family: an L x L symmetric weight table, one orthogonal gauge per label and
 * a content profile ("exp" or "linear"). Each part is optional: W = 1, G = I, "exp" by default.
 */
export const custom: KernelDefinition = {
  name: "custom",
  summary: "any W (symmetric, L x L), gauges G_a (orthogonal) and content exp | linear",
  build(spec, ctx) {
    rejectUnknownKeys(ctx.path, spec, fieldsOf(customSpec));
    const L = ctx.labelCount;
    let weights: Float64Array | null = null;
    if (spec.weights !== undefined) {
      const rows = requireArray(`${ctx.path}.weights`, spec.weights, `rows of ${L} numbers (L x L, L = ${L} labels)`, L);
      reserveWeights(ctx, "the custom weight table W", 2);
      weights = new Float64Array(L * L);
      rows.forEach((row, a) => weights!.set(requireNumberArray(`${ctx.path}.weights[${a}]`, row, L), a * L));
      let scale = 0;
      for (const w of weights) scale = Math.max(scale, Math.abs(w));
      for (let a = 0; a < L; a++) {
        for (let b = a + 1; b < L; b++) {
          if (Math.abs(weights[a * L + b] - weights[b * L + a]) > SYMMETRY_TOLERANCE * scale) {
            throw new ConfigError(`${ctx.path}.weights[${a}][${b}]`, weights[a * L + b],
              `a symmetric table: W[${a}][${b}] must equal W[${b}][${a}] = ${weights[b * L + a]} (relative tolerance ${SYMMETRY_TOLERANCE})`);
          }
        }
      }
    }
    const gauges = spec.gauges === undefined ? null : readGauges(`${ctx.path}.gauges`, spec.gauges, ctx);
    const content = spec.content === undefined ? "exp" : requireOneOf(`${ctx.path}.content`, spec.content, CONTENTS);
    const normalize = readNormalize(`${ctx.path}.normalize`, spec.normalize);
    if (normalize === "sa" && content !== "exp") {
      throw new ConfigError(`${ctx.path}.normalize`, "sa", `"usa" with content "linear" (softmax normalisation needs content "exp")`);
    }
    return { content, normalize, weights, gauges, weightsSource: "weights" };
  },
};
