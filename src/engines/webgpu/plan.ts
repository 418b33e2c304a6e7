// What the WebGPU engine accepts, and the shape of its pair pass (tile, workgroup, rows per thread).
import { ConfigError } from "../../errors.js";
import type { Problem } from "../../problem.js";
import { requireNumber } from "../../validate.js";
import type { PairShape } from "./shaders.js";

/** Largest dimension the WebGPU engine runs: each invocation keeps a few d-vectors in registers. */
export const WEBGPU_DIM_MAX = 256;
/**
 * Largest exponent bound beta ||Q^T K||_2 of an attention head on the GPU: every shifted term
 * exp(beta <Q x, K y> - bound) then lies in [e^{-80}, 1], above f32's smallest normal (about e^{-87}).
 */
export const WEBGPU_ATTENTION_SHIFT_MAX = 40;
/** Workgroup memory every WebGPU adapter grants (maxComputeWorkgroupStorageSize's default). */
const WORKGROUP_BYTES = 16384;
/** Most columns per tile. */
const TILE_MAX = 256;
/** Accepted invocations per workgroup. */
export const WORKGROUP_SIZES = [32, 64, 128, 256] as const;
/** Most rows one invocation accumulates. */
export const ROWS_PER_THREAD_MAX = 8;

/** Tuning of the pair pass (the defaults suit d = 3 and d = 64; bench/webgpu.mjs sweeps them). */
export interface PairTuning {
  /** invocations per workgroup: 32, 64 (default), 128 or 256 */
  workgroupSize?: number;
  /** rows each invocation accumulates: 1 to 8 (default 4 for d <= 4, 2 for d <= 16, else 1) */
  rowsPerThread?: number;
}

/** Refuses, with a ConfigError naming the field, a problem the WebGPU engine does not run. */
export function checkSupported(problem: Problem): void {
  const d = problem.dim;
  if (d > WEBGPU_DIM_MAX) throw new ConfigError("dim", d, `at most ${WEBGPU_DIM_MAX} with engine "webgpu" (use engine "wasm" above)`);
  const heads = problem.attention;
  if (heads) {
    heads.forEach((h, q) => {
      if (h.shift > WEBGPU_ATTENTION_SHIFT_MAX) {
        const path = heads.length === 1 && problem.kernelName === "attention" ? "kernel.beta" : `kernel.heads[${q}].beta`;
        throw new ConfigError(path, h.beta, `a head with beta ||Q^T K||_2 <= ${WEBGPU_ATTENTION_SHIFT_MAX} with engine "webgpu" (here ${h.shift.toPrecision(6)}): its shifted exponents must stay within f32's range; lower beta, scale Q or K, or use engine "wasm"`);
      }
    });
  }
}

/** The pair pass's shape for a problem: workgroup size, rows per invocation and the tile that fits workgroup memory. */
export function pairShape(problem: Problem, tuning: PairTuning = {}): PairShape {
  const d = problem.dim;
  const workgroupSize = tuning.workgroupSize ?? 64;
  if (!(WORKGROUP_SIZES as readonly unknown[]).includes(workgroupSize)) throw new ConfigError("workgroupSize", workgroupSize, `one of ${WORKGROUP_SIZES.join(", ")}`);
  const rowsPerThread = tuning.rowsPerThread === undefined
    ? (d <= 4 ? 4 : d <= 16 ? 2 : 1)
    : requireNumber("rowsPerThread", tuning.rowsPerThread, { integer: true, min: 1, max: ROWS_PER_THREAD_MAX });
  // words of workgroup memory per tile column: d (z), or 2 d (k and v), plus a label
  const perColumn = problem.attention ? 2 * d : d + (problem.weights ? 1 : 0);
  const tile = Math.min(TILE_MAX, Math.floor((WORKGROUP_BYTES / 4 - workgroupSize) / perColumn));
  return { dim: d, workgroupSize, rowsPerThread, tile };
}
