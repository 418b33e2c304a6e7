// The kernel of a configuration, typed: one member per registered kernel, told apart by "name".
// Each kernel's fields are defined once, beside its maths (src/kernels/<name>.ts); the TypeScript
// types and the JSON Schema both come from those definitions.
import * as T from "@sinclair/typebox";
import { attentionSpec, multiheadSpec } from "./attention.js";
import { customSpec } from "./custom.js";
import { distanceBiasSpec } from "./distanceBias.js";
import { phaseFieldSpec } from "./phaseField.js";
import { promptSpec } from "./prompt.js";
import { ropeSpec } from "./rope.js";
import { saSpec } from "./sa.js";
import { toeplitzSpec } from "./toeplitz.js";
import { usaSpec } from "./usa.js";

/**
 * Every kernel's configuration, by name. A kernel added with `registerKernel` can be typed too,
 * by declaration merging:
 * `declare module "meanfield-transformer" { interface KernelSpecs { myKernel: { name: "myKernel"; width: number } } }`.
 */
export interface KernelSpecs {
  /** baseline unnormalised self-attention (Example 1) */
  usa: T.Static<typeof usaSpec>;
  /** softmax self-attention */
  sa: T.Static<typeof saSpec>;
  /** W[a,b] = exp(-|s_a - s_b| / length) (Examples 2, 4; Prop. 11; Thm 5) */
  distanceBias: T.Static<typeof distanceBiasSpec>;
  /** rotary encoding (Thm 1, Cor. 1) */
  rope: T.Static<typeof ropeSpec>;
  /** phase field G_a = R(g(s_a)) (Theorem 2) */
  phaseField: T.Static<typeof phaseFieldSpec>;
  /** W[a,b] = sum_k c_k cos(2 pi k (s_a - s_b)), kappa linear (Example 6, Prop. 10) */
  toeplitz: T.Static<typeof toeplitzSpec>;
  /** prompt gauges (Thm 4, Cor. 2) */
  prompt: T.Static<typeof promptSpec>;
  /** any W, gauges and content */
  custom: T.Static<typeof customSpec>;
  /** one attention head with general Q, K, V */
  attention: T.Static<typeof attentionSpec>;
  /** a sum of attention heads */
  multihead: T.Static<typeof multiheadSpec>;
}

/** A kernel configuration such as `{ name: "rope", omega: 2 * Math.PI, plane: [0, 1] }` (docs/kernels.md). */
export type KernelSpec = KernelSpecs[keyof KernelSpecs];

/** The built-in kernels' field schemas, in the order `mft kernels` lists them. */
export const KERNEL_SPEC_SCHEMAS = [usaSpec, saSpec, distanceBiasSpec, ropeSpec, phaseFieldSpec, toeplitzSpec, promptSpec, customSpec, attentionSpec, multiheadSpec] as const;

/** The "kernel" field: one of the kernel specs, told apart by "name" (default {"name": "usa"}). */
export const kernelSpecSchema = T.Unsafe<KernelSpec>({
  anyOf: [...KERNEL_SPEC_SCHEMAS],
  description: 'the kernel, chosen by "name" (default {"name": "usa"}); its other fields depend on the name',
});
