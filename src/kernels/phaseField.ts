import { ConfigError } from "../errors.js";
import * as T from "@sinclair/typebox";
import { fieldsOf, normalizeSchema, numberList, planeSchema } from "../schema/fields.js";
import { isObject, requireArray, requireNumberArray, rejectUnknownKeys } from "../validate.js";
import { ANGLE_MAX, productGauges, readNormalize, readPlane, requireAngle, reserveGauges } from "./common.js";
import type { KernelContext, KernelDefinition } from "./types.js";

/**
 * A phase function g: [0,1) -> R, given as
 *   a function (TypeScript only),
 *   [g_0, ..., g_{L-1}]                     one value per label,
 *   {"linear": w}                           g(s) = w s,
 *   {"sine": {"amplitude": A, "frequency": k}, "linear": w}   g(s) = w s + A sin(2 pi k s),
 *   {"quantile": [phi_1, ..., phi_N]}       g(s) = the empirical quantile of the samples at s
 *                                           (Theorem 2 (ii): s ~ U[0,1] gives g(s) ~ the samples' law).
 * Every phase, slope, amplitude and 2 pi frequency lies within ANGLE_MAX.
 */
export const phaseSchema = T.Union([
  numberList("one phase per label, in radians"),
  T.Object({
    linear: T.Optional(T.Number({ description: "the slope w of g(s) = w s (+ the sine)" })),
    sine: T.Optional(T.Object({
      amplitude: T.Number({ description: "A of A sin(2 pi k s)" }),
      frequency: T.Number({ description: "k of A sin(2 pi k s)" }),
    }, { additionalProperties: false })),
  }, { additionalProperties: false, minProperties: 1, description: "g(s) = w s + A sin(2 pi k s)" }),
  T.Object({
    quantile: numberList("samples phi_1 ... phi_N: g is their empirical quantile function (Theorem 2 (ii))"),
  }, { additionalProperties: false }),
  // a function has no JSON form: this member of the union admits no JSON value
  T.Unsafe<(s: number) => number>({ not: {}, description: "a function of the position s (TypeScript only)" }),
], { description: "a phase g(s): one value per label, {linear, sine}, {quantile}, or (TypeScript only) a function" });

/** A phase g as the API takes it (see phaseSchema). */
export type PhaseSpec = T.Static<typeof phaseSchema>;

/** Empirical quantile function of samples: F^{-1}(s) = sorted[floor(s N)], s in [0, 1). */
export function empiricalQuantile(samples: readonly number[]): (s: number) => number {
  const sorted = Float64Array.from(samples).sort();
  const N = sorted.length;
  return (s) => sorted[Math.min(N - 1, Math.max(0, Math.floor(s * N)))];
}

/** Evaluates a phase spec at every label: theta[a] = g(s_a). */
export function readPhase(path: string, v: unknown, ctx: KernelContext): Float64Array {
  const L = ctx.labelCount, s = ctx.positions;
  const out = new Float64Array(L);
  if (typeof v === "function") {
    for (let a = 0; a < L; a++) {
      out[a] = (v as (s: number) => number)(s[a]);
      if (!(Math.abs(out[a]) <= ANGLE_MAX)) throw new ConfigError(path, out[a], `a function returning finite numbers within ${ANGLE_MAX} rad (it returned ${out[a]} at s = ${s[a]})`);
    }
    return out;
  }
  if (Array.isArray(v)) {
    out.set(requireNumberArray(path, v, L, { min: -ANGLE_MAX, max: ANGLE_MAX }));
    return out;
  }
  if (!isObject(v)) throw new ConfigError(path, v, "a function, an array of one phase per label, or {linear, sine} or {quantile}");
  if (v.quantile !== undefined) {
    rejectUnknownKeys(path, v, ["quantile"]);
    const q = empiricalQuantile(requireNumberArray(`${path}.quantile`, v.quantile, undefined, { min: -ANGLE_MAX, max: ANGLE_MAX }));
    for (let a = 0; a < L; a++) out[a] = q(s[a]);
    return out;
  }
  rejectUnknownKeys(path, v, ["linear", "sine"]);
  if (v.linear === undefined && v.sine === undefined) throw new ConfigError(path, v, "at least one of linear, sine");
  const w = v.linear === undefined ? 0 : requireAngle(`${path}.linear`, v.linear);
  let amp = 0, freq = 0;
  if (v.sine !== undefined) {
    if (!isObject(v.sine)) throw new ConfigError(`${path}.sine`, v.sine, "{amplitude, frequency}");
    rejectUnknownKeys(`${path}.sine`, v.sine, ["amplitude", "frequency"]);
    amp = requireAngle(`${path}.sine.amplitude`, v.sine.amplitude);
    // the sine's argument 2 pi k s (s < 1) stays within ANGLE_MAX
    freq = requireAngle(`${path}.sine.frequency`, v.sine.frequency, ANGLE_MAX / (2 * Math.PI));
  }
  for (let a = 0; a < L; a++) out[a] = w * s[a] + amp * Math.sin(2 * Math.PI * freq * s[a]);
  return out;
}

/** One factor of a product of plane rotations. */
const rotationSchema = T.Object({ plane: T.Optional(planeSchema), phase: phaseSchema }, { additionalProperties: false });

/** The fields of {"name": "phaseField"}: a phase in a plane, or a product of rotations. */
export const phaseFieldSpec = T.Object({
  name: T.Literal("phaseField"),
  phase: T.Optional(phaseSchema),
  plane: T.Optional(planeSchema),
  rotations: T.Optional(T.Array(rotationSchema, { minItems: 1, description: "a product of plane rotations R_1(g_1(s_a)) R_2(g_2(s_a)) ..., instead of phase and plane" })),
  normalize: T.Optional(normalizeSchema),
}, { additionalProperties: false, description: "phase field G_a = R(g(s_a)), or products of plane rotations (Theorem 2)" });

/**
 * Phase field, generalised RoPE (Theorem 2): W = 1, kappa = exp, G_a = R(g(s_a)) in one plane,
 * or a product of plane rotations R_1(g_1(s_a)) R_2(g_2(s_a)) ... ("rotations"), e.g. a wavy curve.
 * The maximiser is x(s) = G_s^T v, whose law is the push-forward of the positions' law by g:
 * any law on the orbit, exactly, with g the target's quantile function (Theorem 2 (ii)).
 */
export const phaseField: KernelDefinition = {
  name: "phaseField",
  positional: true,
  summary: "phase field G_a = R(g(s_a)), or products of plane rotations (Theorem 2)",
  build(spec, ctx) {
    rejectUnknownKeys(ctx.path, spec, fieldsOf(phaseFieldSpec));
    const normalize = readNormalize(`${ctx.path}.normalize`, spec.normalize);
    let factors: { plane: [number, number]; theta: (a: number) => number }[];
    if (spec.rotations !== undefined) {
      if (spec.phase !== undefined || spec.plane !== undefined) {
        throw new ConfigError(`${ctx.path}.rotations`, spec.rotations, "either rotations, or phase and plane, not both");
      }
      const list = requireArray(`${ctx.path}.rotations`, spec.rotations, "{plane, phase} objects");
      reserveGauges(ctx, "the phase-field gauges", list.length);
      factors = list.map((r, i) => {
        const p = `${ctx.path}.rotations[${i}]`;
        if (!isObject(r)) throw new ConfigError(p, r, "{plane, phase}");
        rejectUnknownKeys(p, r, fieldsOf(rotationSchema));
        const theta = readPhase(`${p}.phase`, r.phase, ctx);
        return { plane: readPlane(`${p}.plane`, r.plane, ctx.dim), theta: (a: number) => theta[a] };
      });
    } else {
      if (spec.phase === undefined) throw new ConfigError(`${ctx.path}.phase`, undefined, "a phase function, array or {linear, sine} / {quantile} object");
      reserveGauges(ctx, "the phase-field gauges", 1);
      const theta = readPhase(`${ctx.path}.phase`, spec.phase, ctx);
      factors = [{ plane: readPlane(`${ctx.path}.plane`, spec.plane, ctx.dim), theta: (a) => theta[a] }];
    }
    return { content: "exp", normalize, weights: null, gauges: productGauges(ctx, factors) };
  },
};
