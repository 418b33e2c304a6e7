// The core's exports. The host owns the memory layout (layout.ts) and the step plan (plan.ts);
// nothing here allocates.
export { phase, runPhases } from "./plan";
import { expv } from "./expv";
import { scratchBytes as scratchBytesFor, CTX_BYTES } from "./layout";

/** First byte the host may use: everything below belongs to the module's static data. */
export function heapBase(): usize {
  return __heap_base;
}

/** Bytes of the context block (layout.ts). */
export function contextBytes(): usize {
  return CTX_BYTES;
}

/** Bytes of per-thread scratch the velocity pass needs in dimension d. */
export function scratchBytes(d: i32): usize {
  return scratchBytesFor(d);
}

/** Bytes of per-thread scratch the tiled loop needs in dimension d with tiles (or row units) of up to R particles. */
export { tileScratchBytes } from "./tiles";

/** dst[i] = exp(src[i]) through the vector exp, for measuring its error (count even). */
export function expArray(src: usize, dst: usize, count: i32): void {
  for (let i = 0; i < count; i += 2) {
    const o = <usize>i << 3;
    v128.store(dst + o, expv(v128.load(src + o)));
  }
}

export { diagSums, diagCombineSums, diagSpread, diagCombineSpread, diagRows, diagLinkRows } from "./moments";
export { diagDiameters, diagDiameterCombine } from "./diameter";
export { diagLinkTree, diagLinkage, diagLinkStart, diagLinkBuild, diagLinkPairs, diagLinkCount } from "./linkage";
export { diagCircleStart, diagCircleBins, diagCircleCombine } from "./circle-linkage";
export { diagCirclePairs } from "./circle-pairs";
import { DG_BYTES, DG_SCRATCH, DG_CHUNK, DG_LEAF } from "./diag-layout";
import { nodeBytes } from "./kdtree";

/**
 * The record diagnostics' sizes (diag-layout.ts) for dimension d: [block bytes, per-thread scratch
 * bytes, tree node bytes, particles per chunk, rows per leaf], written as i32 at out.
 */
export function diagSizes(d: i32, out: usize): void {
  store<i32>(out, <i32>DG_BYTES);
  store<i32>(out, <i32>DG_SCRATCH, 4);
  store<i32>(out, <i32>nodeBytes(d), 8);
  store<i32>(out, DG_CHUNK, 12);
  store<i32>(out, DG_LEAF, 16);
}
