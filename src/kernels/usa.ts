import { rejectUnknownKeys } from "../validate.js";
import type { KernelDefinition } from "./types.js";

/** Baseline USA (Example 1): W = 1, G = I, kappa = exp(beta u)/beta. Its maximiser is a Dirac mass: collapse. */
export const usa: KernelDefinition = {
  name: "usa",
  summary: "baseline unnormalised self-attention: K = exp(beta <x,y>)/beta (Example 1)",
  build(spec, ctx) {
    rejectUnknownKeys(ctx.path, spec, ["name"]);
    return { content: "exp", normalize: "usa", weights: null, gauges: null };
  },
};
