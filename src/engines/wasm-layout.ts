// The host side of assembly/layout.ts: where each array of one system lives in linear memory.
// All offsets are byte offsets, 16-byte aligned so that v128 loads never straddle.
import { ConfigError } from "../errors.js";
import type { Problem } from "../problem.js";

export const CTX = {
  N: 0, D: 8, STRIDE: 16, L: 24, FLAGS: 32, BETA: 40, SCALE: 48, Z: 56, ZT: 64, K1: 72, K2: 80,
  LABELS: 88, WEIGHTS: 96, FROZEN: 104, EPART: 112, SCRATCH: 120, INVN: 128, SYMBUF: 136, SYMROWS: 144, EXPDEG: 152, EXPTAB: 160, ATTN: 168, BYTES: 176,
} as const;
export const FLAG = { EXP: 1, SA: 2, WEIGHTED: 4, FROZEN: 8, F32: 16, SYM: 32, EXPANSION: 64, ATTN: 128 } as const;
/** The attention table (assembly/attention.ts): head h at ATTN_HEAD0 + h ATTN_HEAD_BYTES, its fields at these offsets. */
export const ATTN = { HEAD0: 16, HEAD_BYTES: 96, FLAGS: 0, BETA: 8, SHIFT: 16, SCALE: 24, RATE: 32, MATS: 40, ARRAYS: 64, SA: 1, CAUSAL: 2 } as const;

/** The symmetric loop's fixed row groups and tile (assembly/layout.ts SYM_GROUPS, SYM_TILE). */
export const SYM_GROUPS = 12;
export const SYM_TILE = 64;
/** Smallest n that runs the symmetric loop (below, the own-tile pairs, computed twice, dominate). */
export const SYM_MIN_N = 128;

/**
 * True when the core runs the symmetric pair loop (assembly/symmetric.ts): d = 3, f64, exp
 * content, n >= SYM_MIN_N, and W absent or symmetric bit for bit. It depends on the problem alone,
 * never on the thread count.
 */
export function usesSymmetricLoop(problem: Problem, precision: "f64" | "f32"): boolean {
  if (problem.attention || problem.dim !== 3 || problem.content !== "exp" || precision !== "f64" || problem.n < SYM_MIN_N) return false;
  const W = problem.weights, L = problem.labelCount;
  if (W) for (let a = 0; a < L; a++) for (let b = a + 1; b < L; b++) if (W[a * L + b] !== W[b * L + a]) return false;
  return true;
}

/**
 * First particle of each of the SYM_GROUPS row groups (and n at the end): whole tiles, cut where
 * the work sum over tiles p of rows(p) (n - p SYM_TILE) passes g / SYM_GROUPS of its total, so the
 * groups carry about equal work. A function of n alone.
 */
export function symmetricGroups(n: number): Int32Array {
  const tiles = Math.ceil(n / SYM_TILE);
  const work: number[] = [];
  let total = 0;
  for (let p = 0; p < tiles; p++) {
    total += Math.min(SYM_TILE, n - p * SYM_TILE) * (n - p * SYM_TILE);
    work.push(total);
  }
  const rows = new Int32Array(SYM_GROUPS + 1);
  let p = 0;
  for (let g = 1; g < SYM_GROUPS; g++) {
    // the first tile whose cumulative work (through the tile before it) reaches g / SYM_GROUPS
    while (p < tiles && (p === 0 ? 0 : work[p - 1]) * SYM_GROUPS < g * total) p++;
    rows[g] = Math.min(p * SYM_TILE, n);
  }
  rows[SYM_GROUPS] = n;
  return rows;
}

/** A wasm32 memory holds at most 65536 pages of 64 KiB. */
export const MAX_PAGES = 65536;
const PAGE = 65536;

export interface Layout {
  stride: number;
  ctx: number;
  z: number; zt: number; k1: number; k2: number;
  labels: number; weights: number; frozen: number; energyPart: number;
  /** the symmetric loop's group sums (SYM_GROUPS x 4 rows of stride f64) and group first rows (i32), or 0 */
  symBuf: number; symRows: number;
  /** the harmonic expansion's table region (src/engines/expansion.ts), or 0 */
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

import { expansionGroupBytes, expansionTableBytes } from "./expansion.js";
import { planDiagnostics, type DiagLayout } from "../diagnostics/core-layout.js";

const align = (x: number, a = 16): number => Math.ceil(x / a) * a;

/**
 * Lays out one system from `base` on: the context block, four state-shaped arrays
 * (z, zt, k1, k2: d rows of `stride` = n rounded up to even), labels, W, the frozen mask,
 * per-particle energy sums, the symmetric loop's group sums when `symmetric`, the attention
 * heads' table, matrices and q, k, v arrays when the problem has heads, one
 * velocity-pass scratch per thread, and the record diagnostics' regions.
 */
export function planLayout(problem: Problem, base: number, scratchBytes: number, threads = 1, symmetric = false, expansionDegree: number | null = null): Layout {
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
  const groups = expansionDegree !== null || symmetric;
  const groupBytes = expansionDegree !== null ? expansionGroupBytes(expansionDegree) : 4 * stride * 8;
  const symBuf = groups ? p : 0; p = align(p + (groups ? SYM_GROUPS * groupBytes : 0));
  const symRows = groups ? p : 0; p = align(p + (groups ? (SYM_GROUPS + 1) * 4 : 0));
  const expTab = expansionDegree !== null ? p : 0; p = align(p + (expansionDegree !== null ? expansionTableBytes(expansionDegree) : 0), 64);
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
  return { stride, ctx, z, zt, k1, k2, labels, weights, frozen, energyPart, symBuf, symRows, expTab, attn, attnMats, attnArrays, scratch, scratchStride, diag, bytes: p, pages };
}
