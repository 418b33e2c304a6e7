import { ConfigError } from "../errors.js";
import * as T from "@sinclair/typebox";
import { fieldsOf, normalizeSchema, numberList, planeSchema } from "../schema/fields.js";
import { requireNumber, rejectUnknownKeys } from "../validate.js";
import { ANGLE_MAX, planeGauges, productGauges, readNormalize, readPlane, requireAngle, reserveGauges } from "./common.js";
import type { KernelDefinition } from "./types.js";

/** The fields of {"name": "rope"}: one plane (omega, plane) or block rotations (frequencies, or base and scale). */
export const ropeSpec = T.Object({
  name: T.Literal("rope"),
  omega: T.Optional(T.Number({ description: "one plane: G_a = R(omega s_a) (default 2 pi)" })),
  plane: T.Optional(planeSchema),
  frequencies: T.Optional(numberList("block rotations: plane (2k, 2k+1) turns by theta_k s_a; at most floor(d/2) values")),
  base: T.Optional(T.Number({ exclusiveMinimum: 0, description: "block rotations with theta_k = scale base^(-2k/d)" })),
  scale: T.Optional(T.Number({ description: "with base: the factor of theta_k (default 2 pi)" })),
  normalize: T.Optional(normalizeSchema),
}, { additionalProperties: false, description: "rotary encoding: G_a = R(omega s_a), or block rotations R_k(theta_k s_a) (Thm 1, Cor. 1)" });

/**
 * Rotary positional encoding (Examples 3 and 5, Theorem 1, Corollary 1): W = 1, kappa = exp and
 *   one plane:        G_a = R(omega s_a) in the plane (p, q)  (default omega = 2 pi, plane [0, 1]);
 *   multi-frequency:  G_a = prod_k R_k(theta_k s_a), plane k = (2k, 2k+1), with the given
 *                     "frequencies" theta_k, or theta_k = scale * base^(-2k/d) from "base".
 * The maximiser is the orbit x(s) = G_s^T v (Theorem 1): on S^2 with omega = 2 pi, a latitude circle.
 * Every angle theta s_a (s_a < 1) stays within ANGLE_MAX.
 */
export const rope: KernelDefinition = {
  name: "rope",
  positional: true,
  summary: "rotary encoding: G_a = R(omega s_a), or block rotations R_k(theta_k s_a) (Thm 1, Cor. 1)",
  build(spec, ctx) {
    rejectUnknownKeys(ctx.path, spec, fieldsOf(ropeSpec));
    const normalize = readNormalize(`${ctx.path}.normalize`, spec.normalize);
    const d = ctx.dim, s = ctx.positions;
    const multi = spec.frequencies !== undefined || spec.base !== undefined;
    if (!multi) {
      const omega = spec.omega === undefined ? 2 * Math.PI : requireAngle(`${ctx.path}.omega`, spec.omega);
      const plane = readPlane(`${ctx.path}.plane`, spec.plane, d);
      reserveGauges(ctx, "the rope gauges", 1);
      return { content: "exp", normalize, weights: null, gauges: planeGauges(ctx, plane, (a) => omega * s[a]) };
    }
    if (spec.omega !== undefined || spec.plane !== undefined) {
      const [field, value] = spec.omega !== undefined ? ["omega", spec.omega] : ["plane", spec.plane];
      throw new ConfigError(`${ctx.path}.${field}`, value, "omega/plane (one plane) or frequencies/base (block rotations), not both");
    }
    const blocks = Math.floor(d / 2);
    let freqs: number[];
    if (spec.frequencies !== undefined) {
      if (spec.base !== undefined) throw new ConfigError(`${ctx.path}.base`, spec.base, "either frequencies or base, not both");
      const f = spec.frequencies;
      if (!Array.isArray(f) || f.length < 1 || f.length > blocks) {
        throw new ConfigError(`${ctx.path}.frequencies`, f, `an array of 1 to floor(d/2) = ${blocks} numbers (plane k = axes 2k, 2k+1)`);
      }
      freqs = f.map((x, k) => requireAngle(`${ctx.path}.frequencies[${k}]`, x));
    } else {
      const base = requireNumber(`${ctx.path}.base`, spec.base, { above: 0 });
      const scale = spec.scale === undefined ? 2 * Math.PI : requireAngle(`${ctx.path}.scale`, spec.scale);
      freqs = Array.from({ length: blocks }, (_, k) => scale * Math.pow(base, (-2 * k) / d));
      const k = freqs.findIndex((theta) => !(Math.abs(theta) <= ANGLE_MAX));
      if (k >= 0) {
        throw new ConfigError(`${ctx.path}.base`, base, `a base whose frequencies theta_k = scale base^(-2k/d) stay within ${ANGLE_MAX} rad (here theta_${k} = ${scale} * ${base}^(-${2 * k}/${d}) = ${freqs[k]})`);
      }
    }
    reserveGauges(ctx, "the rope gauges", freqs.length);
    const factors = freqs.map((theta, k) => ({ plane: [2 * k, 2 * k + 1] as [number, number], theta: (a: number) => theta * s[a] }));
    return { content: "exp", normalize, weights: null, gauges: productGauges(ctx, factors) };
  },
};
