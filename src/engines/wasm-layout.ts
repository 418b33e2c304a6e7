// The host side of assembly/layout.ts: where each array of one system lives in linear memory.
// All offsets are byte offsets, 16-byte aligned so that v128 loads never straddle.
import { ConfigError } from "../errors.js";
import type { Problem } from "../problem.js";

export const CTX = {
  N: 0, D: 8, STRIDE: 16, L: 24, FLAGS: 32, BETA: 40, FSCALE: 48, Z: 56, ZT: 64, K1: 72, K2: 80,
  LABELS: 88, WEIGHTS: 96, FROZEN: 104, EPART: 112, SCRATCH: 120, INVN: 128, SYMBUF: 136, SYMTILE: 144, EXPDEG: 152,
  EXPTAB: 160, ATTN: 168, H: 176, ENERGY: 184, SPEED: 192, ERROR: 200, EFACTOR: 208, PLAN: 216, UNITSUMS: 224,
  F32: 232, SYMPAIRS: 240, BYTES: 248,
} as const;
export const FLAG = { EXP: 1, SA: 2, WEIGHTED: 4, FROZEN: 8, F32: 16 } as const;
/** The attention table (assembly/attention.ts): head h at ATTN_HEAD0 + h ATTN_HEAD_BYTES, its fields at these offsets. */
export const ATTN = { HEAD0: 16, HEAD_BYTES: 96, FLAGS: 0, BETA: 8, SHIFT: 16, SCALE: 24, RATE: 32, MATS: 40, ARRAYS: 64, SA: 1, CAUSAL: 2 } as const;

/** A wasm32 memory holds at most 65536 pages of 64 KiB. */
export const MAX_PAGES = 65536;
const PAGE = 65536;

export interface Layout {
  stride: number;
  ctx: number;
  z: number; zt: number; k1: number; k2: number;
  labels: number; weights: number; frozen: number; energyPart: number;
  /**
   * the symmetric loop's sums (4 rows of stride f64), the tiled loop's (d + 1 rows of stride f64, one
   * set per head for attention in tile pairs) or the moment buffers (the expansion: one per row
   * chunk; the Fourier series and label sums: one per moment unit), and the tile-pair table (i32), or 0
   */
  symBuf: number; symPairs: number;
  /** the step plan's phase table and the unit sums (f64, 2 x MAX_UNITS) */
  plan: number; unitSums: number;
  /** precision "f32": the f32 copy of the state evaluated (3 rows of n rounded up to 4), or 0 */
  f32: number;
  /** the table region of the harmonic expansion (m ranges, tables, totals: src/engines/expansion.ts), the Fourier series (circle.ts) or the label sums (linear.ts), or 0 */
  expTab: number;
  /** attention kernels: the head table, the heads' Q, K, V (3 H d^2 f64) and q, k, v arrays (3 H state-shaped arrays), or 0 */
  attn: number; attnMats: number; attnArrays: number;
  /** scratch of thread t at scratch + t * scratchStride */
  scratch: number; scratchStride: number;
  /** the record diagnostics' regions (src/diagnostics/core-layout.ts) */
  diag: DiagLayout;
  bytes: number;
  pages: number;
}

import { expansionTableBytes } from "./expansion.js";
import { fourierLabels, fourierTableBytes, fourierUnitBytes } from "./circle.js";
import { sumsTableBytes, sumsUnitBytes } from "./linear.js";
import { planDiagnostics, type DiagLayout } from "../diagnostics/core-layout.js";
import { MAX_UNITS, PHASE_BYTES, type StepPlan } from "./plan.js";

const align = (x: number, a = 16): number => Math.ceil(x / a) * a;

/**
 * Lays out one system from `base` on: the context block, four state-shaped arrays
 * (z, zt, k1, k2: d rows of `stride` = n rounded up to even), labels, W, the frozen mask,
 * per-particle energy sums, the plan's phase table and unit sums, what the plan's path needs (the
 * symmetric loop's sums and tile pairs, the expansion's moment buffers and tables, the attention
 * heads' table, matrices and q, k, v arrays, the f32 copy), one velocity-pass scratch per
 * thread, and the record diagnostics' regions. Everything is a fixed multiple of n or a constant: O(n d) in all.
 */
export function planLayout(problem: Problem, base: number, scratchBytes: number, threads: number, plan: StepPlan): Layout {
  const { n, dim: d, labelCount: L } = problem;
  const stride = n + (n & 1);
  const state = d * stride * 8;
  let p = align(base, 64);
  const ctx = p; p = align(p + CTX.BYTES, 64);
  const z = p; p = align(p + state);
  const zt = p; p = align(p + state);
  const k1 = p; p = align(p + state);
  const k2 = p; p = align(p + state);
  const labels = p; p = align(p + stride * 4);
  const weights = p; p = align(p + (problem.weights ? L * L * 8 : 0));
  const frozen = p; p = align(p + stride);
  const energyPart = p; p = align(p + stride * 8);
  const planAt = p; p = align(p + plan.phases.length * PHASE_BYTES);
  const unitSums = p; p = align(p + 2 * MAX_UNITS * 8, 64);
  const e = plan.expansion, KF = plan.fourierDegree;
  // the tiled loop's sums: d + 1 rows per sum set, one set per head where tile pairs add into them
  const sumSets = plan.path === "tiles" && problem.attention ? problem.attention.length : 1;
  const { bufBytes, tableBytes } = plan.path === "symmetric" ? { bufBytes: 4 * stride * 8, tableBytes: 0 }
    : plan.path === "tiles" || plan.path === "tileRows" ? { bufBytes: sumSets * (d + 1) * stride * 8, tableBytes: 0 }
    : e ? { bufBytes: e.chunks * e.chunkBytes, tableBytes: expansionTableBytes(e.K, e.labels) }
      : KF !== null ? { bufBytes: plan.momentUnits * fourierUnitBytes(KF, fourierLabels(problem)), tableBytes: fourierTableBytes(KF, fourierLabels(problem)) }
        : plan.path === "sums" ? { bufBytes: plan.momentUnits * sumsUnitBytes(problem), tableBytes: sumsTableBytes(problem) } : { bufBytes: 0, tableBytes: 0 };
  const symBuf = bufBytes ? p : 0; p = align(p + bufBytes, 64);
  const symPairs = plan.symPairs ? p : 0; p = align(p + (plan.symPairs ? plan.symPairs.length * 4 : 0));
  const expTab = tableBytes ? p : 0; p = align(p + tableBytes, 64);
  const f32 = plan.path === "f32" ? p : 0; p = align(p + (plan.path === "f32" ? 3 * Math.ceil(n / 4) * 4 * 4 : 0), 64);
  const H = problem.attention ? problem.attention.length : 0;
  const attn = H ? p : 0; p = align(p + (H ? ATTN.HEAD0 + H * ATTN.HEAD_BYTES : 0));
  const attnMats = H ? p : 0; p = align(p + 3 * H * d * d * 8);
  const attnArrays = H ? p : 0; p = align(p + 3 * H * state);
  const scratchStride = align(scratchBytes, 64);
  const scratch = p; p += threads * scratchStride;
  const diag = planDiagnostics(n, d, L, problem.gauges !== null, p, threads);
  p = diag.end;
  const pages = Math.ceil(p / PAGE);
  if (pages > MAX_PAGES) {
    throw new ConfigError("n", n, `a system that fits in 4 GiB of wasm memory (n = ${n}, d = ${d}, L = ${L} needs ${(p / 2 ** 30).toFixed(2)} GiB)`);
  }
  return { stride, ctx, z, zt, k1, k2, labels, weights, frozen, energyPart, symBuf, symPairs, plan: planAt, unitSums, f32, expTab, attn, attnMats, attnArrays, scratch, scratchStride, diag, bytes: p, pages };
}
