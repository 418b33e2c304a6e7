// The host side of assembly/layout.ts: where each array of one system lives in linear memory.
// All offsets are byte offsets, 16-byte aligned so that v128 loads never straddle.
import { ConfigError } from "../errors.js";
import type { Problem } from "../problem.js";

export const CTX = {
  N: 0, D: 8, STRIDE: 16, L: 24, FLAGS: 32, BETA: 40, SCALE: 48, Z: 56, ZT: 64, K1: 72, K2: 80,
  LABELS: 88, WEIGHTS: 96, FROZEN: 104, EPART: 112, SCRATCH: 120, INVN: 128, BYTES: 136,
} as const;
export const FLAG = { EXP: 1, SA: 2, WEIGHTED: 4, FROZEN: 8, F32: 16 } as const;

/** A wasm32 memory holds at most 65536 pages of 64 KiB. */
export const MAX_PAGES = 65536;
const PAGE = 65536;

export interface Layout {
  stride: number;
  ctx: number;
  z: number; zt: number; k1: number; k2: number;
  labels: number; weights: number; frozen: number; energyPart: number;
  /** scratch of thread t at scratch + t * scratchStride */
  scratch: number; scratchStride: number;
  bytes: number;
  pages: number;
}

const align = (x: number, a = 16): number => Math.ceil(x / a) * a;

/**
 * Lays out one system from `base` on: the context block, four state-shaped arrays
 * (z, zt, k1, k2: d rows of `stride` = n rounded up to even), labels, W, the frozen mask,
 * per-particle energy sums and one velocity-pass scratch per thread.
 */
export function planLayout(problem: Problem, base: number, scratchBytes: number, threads = 1): Layout {
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
  const scratchStride = align(scratchBytes, 64);
  const scratch = p; p += threads * scratchStride;
  const pages = Math.ceil(p / PAGE);
  if (pages > MAX_PAGES) {
    throw new ConfigError("n", n, `a system that fits in 4 GiB of wasm memory (n = ${n}, d = ${d}, L = ${L} needs ${(p / 2 ** 30).toFixed(2)} GiB)`);
  }
  return { stride, ctx, z, zt, k1, k2, labels, weights, frozen, energyPart, scratch, scratchStride, bytes: p, pages };
}
