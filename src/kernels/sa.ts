import * as T from "@sinclair/typebox";
import { fieldsOf } from "../schema/fields.js";
import { rejectUnknownKeys } from "../validate.js";
import type { KernelDefinition } from "./types.js";

/** The fields of {"name": "sa"}. */
export const saSpec = T.Object({ name: T.Literal("sa") }, { additionalProperties: false, description: "softmax self-attention: the USA force divided by (1/n) sum_j exp(beta <x_i,x_j>); not a gradient flow" });

/**
 * Softmax self-attention (SA) of Geshkovski-Letrouit-Polyanskiy-Rigollet: the USA force divided by
 * (1/n) sum_j exp(beta <x_i,x_j>). Not a gradient flow of E, so dE/dt >= 0 is not claimed for it.
 */
export const sa: KernelDefinition = {
  name: "sa",
  summary: "softmax self-attention: the USA force divided by (1/n) sum_j exp(beta <x_i,x_j>)",
  build(spec, ctx) {
    rejectUnknownKeys(ctx.path, spec, fieldsOf(saSpec));
    return { content: "exp", normalize: "sa", weights: null, gauges: null };
  },
};
