// General attention heads (kernels "attention" and "multihead"): explicit or seeded Q, K, V,
// usa/sa normalisation, causal mask and ALiBi (docs/kernels.md "Attention, masks and heads").
import * as T from "@sinclair/typebox";
import { ConfigError } from "../errors.js";
import { fieldsOf, matrixSchema, normalizeSchema, stringEnum } from "../schema/fields.js";
import { symmetricEigenvalues, transposeTimes } from "../linalg.js";
import { createRandom, type Random } from "../random.js";
import {
  isObject, optionalNumber, readMatrix, requireArray, requireOneOf, rejectUnknownKeys,
} from "../validate.js";
import { MAGNITUDE_MAX, MATRIX_ENTRY_MAX, readNormalize, reserveHeads } from "./common.js";
import type { AttentionHead, AttentionMask, KernelContext, KernelDefinition, KernelTables } from "./types.js";

/**
 * Largest accepted exponent bound beta ||Q^T K||_2: the core's shifted exponent
 * beta <Q x, K y> - beta ||Q^T K||_2 then stays in [-700, 0] (no underflow) and e^{bound} is finite.
 */
export const ATTENTION_EXPONENT_MAX = 350;
/** Relative tolerance of the tests V = Q^T K and Q^T K symmetric (gradient flow). */
export const GRADIENT_TOLERANCE = 1e-12;
/** Largest accepted head count. */
export const HEADS_MAX = 64;
/** Largest d for which ||Q^T K||_2 is computed exactly (Jacobi); above, the bound min(|B|_F, sqrt(|B|_1 |B|_inf)). */
const EXACT_NORM_DIM = 256;

/** The presets of an attention head's Q and K: "identity", "gaussian" (i.i.d. N(0, 1/d)), "goe". */
export const QK_PRESETS = ["identity", "gaussian", "goe"] as const;
/** The presets of an attention head's V: "identity", "spd", "B" = Q^T K, "-B". */
export const V_PRESETS = ["identity", "spd", "B", "-B"] as const;

/** The head's random source for one matrix: Q part 0, K part 1, V part 2, so one draw never shifts another. */
function streamFor(seed: number, part: number): Random {
  return createRandom(seed * 3 + part);
}

function identityMatrix(d: number): Float64Array {
  const m = new Float64Array(d * d);
  for (let k = 0; k < d; k++) m[k * d + k] = 1;
  return m;
}

/** G with i.i.d. entries N(0, 1/d), row-major. */
function gaussianMatrix(d: number, rng: Random): Float64Array {
  const m = new Float64Array(d * d), s = 1 / Math.sqrt(d);
  for (let q = 0; q < d * d; q++) m[q] = s * rng.normal();
  return m;
}

/** GOE: (G + G^T)/sqrt 2 with G as above: off-diagonal variance 1/d, diagonal 2/d (spectrum near [-2, 2]). */
function goeMatrix(d: number, rng: Random): Float64Array {
  const g = gaussianMatrix(d, rng), m = new Float64Array(d * d);
  for (let r = 0; r < d; r++) for (let c = 0; c < d; c++) m[r * d + c] = (g[r * d + c] + g[c * d + r]) / Math.SQRT2;
  return m;
}

/** SPD: (I + G G^T)/2 with G as above: eigenvalues >= 1/2, mean eigenvalue about 1. */
function spdMatrix(d: number, rng: Random): Float64Array {
  const g = gaussianMatrix(d, rng), m = new Float64Array(d * d);
  for (let r = 0; r < d; r++) {
    for (let c = 0; c < d; c++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += g[r * d + k] * g[c * d + k];
      m[r * d + c] = 0.5 * ((r === c ? 1 : 0) + s);
    }
  }
  return m;
}

/** ||B||_2 (exact up to round-off for d <= EXACT_NORM_DIM; an upper bound above). */
export function spectralNormBound(d: number, b: Float64Array): number {
  if (d <= EXACT_NORM_DIM) {
    const ev = symmetricEigenvalues(d, transposeTimes(d, b, b));
    return Math.sqrt(Math.max(0, ev[d - 1])) * (1 + 1e-12);
  }
  let fro = 0;
  const rowSum = new Float64Array(d), colSum = new Float64Array(d);
  for (let r = 0; r < d; r++) {
    for (let c = 0; c < d; c++) {
      const x = Math.abs(b[r * d + c]);
      fro += x * x;
      rowSum[r] += x;
      colSum[c] += x;
    }
  }
  return Math.min(Math.sqrt(fro), Math.sqrt(Math.max(...rowSum) * Math.max(...colSum)));
}

function readQK(path: string, v: unknown, d: number, rng: () => Random): Float64Array {
  if (v === undefined || v === "identity") return identityMatrix(d);
  if (typeof v === "string") {
    const p = requireOneOf(path, v, QK_PRESETS);
    return p === "gaussian" ? gaussianMatrix(d, rng()) : goeMatrix(d, rng());
  }
  if (!Array.isArray(v)) throw new ConfigError(path, v, `a ${d} x ${d} matrix (rows) or one of ${QK_PRESETS.map((s) => JSON.stringify(s)).join(", ")}`);
  const m = new Float64Array(d * d);
  readMatrix(path, v, d, m, 0, ENTRY_RULE);
  return m;
}

const ENTRY_RULE = { min: -MATRIX_ENTRY_MAX, max: MATRIX_ENTRY_MAX };

function readV(path: string, v: unknown, d: number, b: Float64Array, rng: () => Random): Float64Array {
  if (v === undefined || v === "identity") return identityMatrix(d);
  if (typeof v === "string") {
    const p = requireOneOf(path, v, V_PRESETS);
    if (p === "spd") return spdMatrix(d, rng());
    return p === "B" ? b.slice() : b.map((x) => -x);
  }
  if (!Array.isArray(v)) throw new ConfigError(path, v, `a ${d} x ${d} matrix (rows) or one of ${V_PRESETS.map((s) => JSON.stringify(s)).join(", ")}`);
  const m = new Float64Array(d * d);
  readMatrix(path, v, d, m, 0, ENTRY_RULE);
  return m;
}

/** sqrt(sum of squares) of a matrix, scaled so that no square overflows. */
function frobenius(m: Float64Array): number {
  let big = 0;
  for (const x of m) big = Math.max(big, Math.abs(x));
  if (big === 0) return 0;
  let s = 0;
  for (const x of m) s += (x / big) ** 2;
  return big * Math.sqrt(s);
}

/** max |a - b| <= GRADIENT_TOLERANCE max(|a|, |b|, 1e-300) entrywise in the max-norm sense. */
function nearlyEqual(a: Float64Array, b: Float64Array): boolean {
  let diff = 0, scale = 0;
  for (let q = 0; q < a.length; q++) {
    diff = Math.max(diff, Math.abs(a[q] - b[q]));
    scale = Math.max(scale, Math.abs(a[q]), Math.abs(b[q]));
  }
  return diff <= GRADIENT_TOLERANCE * scale;
}

/** The masks a head accepts. */
export const MASKS = ["none", "causal"] as const;

/** The fields of one attention head (the "attention" kernel less its name, or one of "heads"). */
const headFields = {
  query: T.Optional(T.Union([stringEnum(QK_PRESETS, '"identity" (default); "gaussian": i.i.d. N(0, 1/d) entries; "goe": (G + G^T)/sqrt 2'), matrixSchema], { description: "Q: a d x d matrix as rows, or a preset" })),
  key: T.Optional(T.Union([stringEnum(QK_PRESETS, '"identity" (default); "gaussian": i.i.d. N(0, 1/d) entries; "goe": (G + G^T)/sqrt 2'), matrixSchema], { description: "K: a d x d matrix as rows, or a preset" })),
  value: T.Optional(T.Union([stringEnum(V_PRESETS, '"identity" (default); "spd": (I + G G^T)/2; "B" or "-B": +-Q^T K'), matrixSchema], { description: "V: a d x d matrix as rows, or a preset" })),
  normalize: T.Optional(normalizeSchema),
  seed: T.Optional(T.Integer({ minimum: 0, maximum: 4294967295, description: "the presets' draws (default 0; head h of multihead: h)" })),
  beta: T.Optional(T.Number({ exclusiveMinimum: 0, description: "this head's beta (default: the problem's beta)" })),
  mask: T.Optional(stringEnum(MASKS, '"none" (default) or "causal" (w_ij = 0 for j > i)')),
  alibi: T.Optional(T.Number({ minimum: 0, description: "ALiBi slope lambda >= 0: w_ij = exp(-lambda (i - j)/n) for j <= i (implies the causal mask)" })),
};

/** The fields of {"name": "attention", ...}: one head with general Q, K, V. */
export const attentionSpec = T.Object({ name: T.Literal("attention"), ...headFields }, {
  additionalProperties: false,
  description: "general attention: (1/Z_i) sum_j w_ij exp(beta <Q x_i, K x_j>) V x_j, usa|sa, causal mask, ALiBi",
});

/** One entry of "heads" in {"name": "multihead"}. */
const headSpec = T.Object({ name: T.Optional(T.Literal("attention")), ...headFields }, { additionalProperties: false });

/** The fields of {"name": "multihead", "heads": [...]}. */
export const multiheadSpec = T.Object({
  name: T.Literal("multihead"),
  heads: T.Array(headSpec, { minItems: 1, maxItems: HEADS_MAX, description: "1 to 64 attention heads" }),
}, { additionalProperties: false, description: "sum of attention heads, each with its own Q, K, V, normalisation, mask and beta" });

const HEAD_KEYS = Object.keys(headFields);

/** Reads one head spec (the fields of "attention" without "name"); defaultSeed when "seed" is absent. */
export function readHead(path: string, spec: Record<string, unknown>, ctx: KernelContext, defaultSeed: number): AttentionHead {
  const d = ctx.dim;
  const seed = optionalNumber(`${path}.seed`, spec.seed, defaultSeed, { integer: true, min: 0, max: 4294967295 });
  const beta = optionalNumber(`${path}.beta`, spec.beta, ctx.beta, { above: 0 });
  const query = readQK(`${path}.query`, spec.query, d, () => streamFor(seed, 0));
  const key = readQK(`${path}.key`, spec.key, d, () => streamFor(seed, 1));
  const b = transposeTimes(d, query, key);
  const value = readV(`${path}.value`, spec.value, d, b, () => streamFor(seed, 2));
  const normalize = readNormalize(`${path}.normalize`, spec.normalize);
  let mask: AttentionMask = spec.mask === undefined ? "none" : requireOneOf(`${path}.mask`, spec.mask, MASKS);
  const alibi = optionalNumber(`${path}.alibi`, spec.alibi, 0, { min: 0, max: 1e6 });
  if (spec.alibi !== undefined) {
    if (spec.mask === "none") throw new ConfigError(`${path}.mask`, "none", `"causal" or absent when alibi is given (ALiBi weights are causal)`);
    mask = "causal";
  }
  const norm = spectralNormBound(d, b);
  const shift = beta * norm;
  if (!(shift <= ATTENTION_EXPONENT_MAX)) {
    throw new ConfigError(`${path}.query`, spec.query ?? "identity", `Q, K and beta with beta ||Q^T K||_2 <= ${ATTENTION_EXPONENT_MAX} (here beta = ${beta}, ||Q^T K||_2 = ${norm.toPrecision(6)}, product ${shift.toPrecision(6)}): the exponent beta <Q x, K y> must stay within [-${ATTENTION_EXPONENT_MAX}, ${ATTENTION_EXPONENT_MAX}]; lower beta or scale Q or K`);
  }
  // the head's largest energy term e^shift / beta and force term ||V|| e^shift must be finite with room for the sums
  const energyTerm = Math.exp(shift) / beta;
  if (!(energyTerm <= MAGNITUDE_MAX)) {
    throw new ConfigError(`${path}.beta`, beta, `a beta with e^(beta ||Q^T K||_2) / beta <= e^700 = ${MAGNITUDE_MAX.toPrecision(3)} (here ${energyTerm.toPrecision(3)}: the energy's largest term overflows)`);
  }
  const forceTerm = frobenius(value) * Math.exp(shift);
  if (!(forceTerm <= MAGNITUDE_MAX)) {
    throw new ConfigError(`${path}.value`, spec.value, `V with ||V||_F e^(beta ||Q^T K||_2) <= e^700 = ${MAGNITUDE_MAX.toPrecision(3)} (here ||V||_F = ${frobenius(value).toPrecision(3)}, e^(beta ||Q^T K||_2) = ${Math.exp(shift).toPrecision(3)}, product ${forceTerm.toPrecision(3)}: the force's largest term overflows)`);
  }
  return { query, key, value, normalize, beta, mask, alibi, shift };
}

/**
 * Gradient flow of E = sum_h 1/(2 n^2 beta_h) sum_ij exp(beta_h <Q_h x_i, K_h x_j>) exactly when
 * every head is unmasked "usa" with V_h = Q_h^T K_h symmetric: then F_i = n grad_{x_i} E.
 */
export function isGradientHead(h: AttentionHead, d: number): boolean {
  if (h.normalize !== "usa" || h.mask !== "none") return false;
  const b = transposeTimes(d, h.query, h.key);
  const bt = new Float64Array(d * d);
  for (let r = 0; r < d; r++) for (let c = 0; c < d; c++) bt[r * d + c] = b[c * d + r];
  return nearlyEqual(b, bt) && nearlyEqual(h.value, b);
}

function tablesOf(heads: AttentionHead[], d: number): KernelTables {
  return {
    content: "exp",
    normalize: heads.every((h) => h.normalize === "sa") ? "sa" : "usa",
    weights: null,
    gauges: null,
    energyMax: null,
    gradientFlow: heads.every((h) => isGradientHead(h, d)),
    attention: heads,
  };
}

/** Rejects problem-level options that attention heads do not support. */
function checkContext(ctx: KernelContext): void {
  if (ctx.timeScale === "fast") throw new ConfigError("timeScale", "fast", `"natural" with attention kernels (their exponent bound is beta ||Q^T K||_2 <= ${ATTENTION_EXPONENT_MAX})`);
}

/**
 * One attention head: dx_i/dt = P_{x_i}((1/Z_i) sum_j w_ij exp(beta <Q x_i, K x_j>) V x_j), with
 * Q, K ("query", "key": matrix | "identity" | "gaussian" | "goe"), V ("value": matrix |
 * "identity" | "spd" | "B" | "-B", B = Q^T K), seeded by "seed" (default 0).
 */
export const attention: KernelDefinition = {
  name: "attention",
  summary: "general attention: (1/Z_i) sum_j w_ij exp(beta <Q x_i, K x_j>) V x_j, usa|sa, causal mask, ALiBi",
  build(spec, ctx) {
    checkContext(ctx);
    rejectUnknownKeys(ctx.path, spec, fieldsOf(attentionSpec));
    reserveHeads(ctx, 1);
    return tablesOf([readHead(ctx.path, spec, ctx, 0)], ctx.dim);
  },
};

/** H attention heads summed in one evaluation: {"name": "multihead", "heads": [head, ...]}; head h's seed defaults to h. */
export const multihead: KernelDefinition = {
  name: "multihead",
  summary: "sum of attention heads, each with its own Q, K, V, normalisation, mask and beta",
  build(spec, ctx) {
    checkContext(ctx);
    rejectUnknownKeys(ctx.path, spec, fieldsOf(multiheadSpec));
    const list = requireArray(`${ctx.path}.heads`, spec.heads, "attention head objects {query, key, value, normalize, ...}");
    if (list.length > HEADS_MAX) throw new ConfigError(`${ctx.path}.heads`, `${list.length} heads`, `at most ${HEADS_MAX} heads`);
    reserveHeads(ctx, list.length);
    const heads = list.map((h, k) => {
      const p = `${ctx.path}.heads[${k}]`;
      if (!isObject(h)) throw new ConfigError(p, h, "an attention head object {query, key, value, normalize, ...}");
      rejectUnknownKeys(p, h, h.name === undefined ? HEAD_KEYS : ["name", ...HEAD_KEYS]);
      if (h.name !== undefined && h.name !== "attention") throw new ConfigError(`${p}.name`, h.name, `"attention" or absent`);
      return readHead(p, h, ctx, k);
    });
    return tablesOf(heads, ctx.dim);
  },
};
