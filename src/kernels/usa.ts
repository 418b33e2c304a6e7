import * as T from "@sinclair/typebox";
import { fieldsOf } from "../schema/fields.js";
import { rejectUnknownKeys } from "../validate.js";
import type { KernelDefinition } from "./types.js";

/** The fields of {"name": "usa"}. */
export const usaSpec = T.Object({ name: T.Literal("usa") }, { additionalProperties: false, description: "baseline unnormalised self-attention: W = 1, G = I, kappa = exp(beta u)/beta (Example 1)" });

/** Baseline USA (Example 1): W = 1, G = I, kappa = exp(beta u)/beta. Its maximiser is a Dirac mass: collapse. */
export const usa: KernelDefinition = {
  name: "usa",
  summary: "baseline unnormalised self-attention: K = exp(beta <x,y>)/beta (Example 1)",
  build(spec, ctx) {
    rejectUnknownKeys(ctx.path, spec, fieldsOf(usaSpec));
    return { content: "exp", normalize: "usa", weights: null, gauges: null };
  },
};
