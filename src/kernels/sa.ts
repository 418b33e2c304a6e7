import { rejectUnknownKeys } from "../validate.js";
import type { KernelDefinition } from "./types.js";

/**
 * Softmax self-attention (SA) of Geshkovski-Letrouit-Polyanskiy-Rigollet: the USA force divided by
 * (1/n) sum_j exp(beta <x_i,x_j>). Not a gradient flow of E, so dE/dt >= 0 is not claimed for it.
 */
export const sa: KernelDefinition = {
  name: "sa",
  summary: "softmax self-attention: the USA force divided by (1/n) sum_j exp(beta <x_i,x_j>)",
  build(spec, ctx) {
    rejectUnknownKeys(ctx.path, spec, ["name"]);
    return { content: "exp", normalize: "sa", weights: null, gauges: null };
  },
};
