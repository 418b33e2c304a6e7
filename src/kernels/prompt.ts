import { ConfigError } from "../errors.js";
import { orthogonalityDefect, orthogonalizeInPlace } from "../linalg.js";
import * as T from "@sinclair/typebox";
import { fieldsOf, gaugesSchema, normalizeSchema, numberList, planeSchema } from "../schema/fields.js";
import { requireArray, requireNumberArray, readMatrix, rejectUnknownKeys } from "../validate.js";
import { ANGLE_MAX, planeGauges, readNormalize, readPlane, reserveGauges, reserveGivenGauges } from "./common.js";
import type { KernelContext, KernelDefinition } from "./types.js";

/** Largest accepted max |G^T G - I| entry for a user gauge. */
export const ORTHOGONALITY_TOLERANCE = 1e-10;

/**
 * Reads one orthogonal d x d matrix per label into a flat table. A matrix further than
 * ORTHOGONALITY_TOLERANCE from orthogonal is rejected; one within it is replaced by its polar
 * factor (orthogonal to round-off), which moves no entry by more than about the tolerance.
 */
export function readGauges(path: string, v: unknown, ctx: KernelContext): Float64Array {
  const d = ctx.dim, dd = d * d;
  const list = requireArray(path, v, `${d} x ${d} orthogonal matrices, one per label`, ctx.labelCount);
  reserveGivenGauges(ctx, `the gauges of ${path}`);
  const g = new Float64Array(ctx.labelCount * dd);
  list.forEach((m, a) => {
    readMatrix(`${path}[${a}]`, m, d, g, a * dd);
    const defect = orthogonalityDefect(d, g, a * dd);
    if (!(defect <= ORTHOGONALITY_TOLERANCE)) {
      throw new ConfigError(`${path}[${a}]`, m, `an orthogonal matrix (max |G^T G - I| <= ${ORTHOGONALITY_TOLERANCE}; this one has ${defect.toExponential(2)})`);
    }
    orthogonalizeInPlace(d, g, a * dd);
  });
  return g;
}

/** The fields of {"name": "prompt"}: phases in a plane, or any orthogonal gauges. */
export const promptSpec = T.Object({
  name: T.Literal("prompt"),
  phases: T.Optional(numberList("one phase theta_p per label (prompt): G_p = R(theta_p) in the plane")),
  plane: T.Optional(planeSchema),
  gauges: T.Optional(gaugesSchema),
  normalize: T.Optional(normalizeSchema),
}, { additionalProperties: false, description: "prompt gauges: G_p = R(theta_p) in a plane, or any orthogonal G_p (Thm 4, Cor. 2)" });

/**
 * Prompt gauges, prefix tokens (Theorem 4, Corollary 2): W = 1, kappa = exp, one gauge per
 * prompt label, either a phase theta_p in a plane (G_p = R(theta_p)) or any orthogonal matrices.
 * The maximiser is x(p) = G_p^T v: the law T#pi for the target map T(p) = G_p^T v.
 */
export const prompt: KernelDefinition = {
  name: "prompt",
  summary: "prompt gauges: G_p = R(theta_p) in a plane, or any orthogonal G_p (Thm 4, Cor. 2)",
  build(spec, ctx) {
    rejectUnknownKeys(ctx.path, spec, fieldsOf(promptSpec));
    const normalize = readNormalize(`${ctx.path}.normalize`, spec.normalize);
    if (spec.gauges !== undefined) {
      if (spec.phases !== undefined) throw new ConfigError(`${ctx.path}.phases`, spec.phases, "either phases (with plane) or gauges, not both");
      return { content: "exp", normalize, weights: null, gauges: readGauges(`${ctx.path}.gauges`, spec.gauges, ctx) };
    }
    if (spec.phases === undefined) throw new ConfigError(`${ctx.path}.phases`, undefined, `an array of ${ctx.labelCount} phases (one per label), or gauges`);
    const phases = requireNumberArray(`${ctx.path}.phases`, spec.phases, ctx.labelCount, { min: -ANGLE_MAX, max: ANGLE_MAX });
    const plane = readPlane(`${ctx.path}.plane`, spec.plane, ctx.dim);
    reserveGauges(ctx, "the prompt gauges", 1);
    return { content: "exp", normalize, weights: null, gauges: planeGauges(ctx, plane, (a) => phases[a]) };
  },
};
