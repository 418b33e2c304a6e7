// The record diagnostics as phases of the step plan (plan.ts OP_DIAG; host: src/engines/diag-plan.ts):
// the same unit functions the host drives one range at a time (src/diagnostics/core.ts), taken by
// the engine's threads. A phase's kind selects the function; its units are chunks of DG_CHUNK
// particles (in member order for the gaps and the diameter's rows, in index order for the angle
// bins and the linkage rows), labels for the diameters, the linkage's fixed units (linkage.ts), or
// one unit for a combine. A thread's diagnostics scratch is found from its engine scratch (the
// phases' scratch argument): thread t has both, at their bases plus t strides.

import { DG_N, DG_L, DG_CHUNK, DG_CHUNKS, DG_SCRATCHES, DG_SCRATCH, DG_ENGINE_SCRATCH, DG_ENGINE_STRIDE } from "./diag-layout";
import { diagSums, diagCombineSums, diagSpread, diagCombineSpread, diagRows, diagLinkRows } from "./moments";
import { diagDiameters, diagDiameterCombine } from "./diameter";
import { diagLinkStart, diagLinkBuild, diagLinkPairs, diagLinkCount } from "./linkage";
import { diagCircleStart, diagCircleBins, diagCircleCombine } from "./circle-linkage";

/** Phase kinds (the phase's arg2). Chunk phases: units of whole chunks of DG_CHUNK particles. */
export const DIAG_SUMS: i32 = 1;
export const DIAG_COMBINE_SUMS: i32 = 2;
export const DIAG_SPREAD: i32 = 3;
export const DIAG_COMBINE_SPREAD: i32 = 4;
export const DIAG_ROWS: i32 = 5;
/** Units: `per` labels each. */
export const DIAG_DIAMETERS: i32 = 6;
export const DIAG_DIAMETER_COMBINE: i32 = 7;
export const DIAG_CIRCLE_START: i32 = 8;
export const DIAG_CIRCLE_BINS: i32 = 9;
export const DIAG_CIRCLE_COMBINE: i32 = 10;
export const DIAG_LINK_ROWS: i32 = 11;
/** The k-d tree linkage at DG_LIMIT, clusters only: the top of the tree and its pairs (one unit). */
export const DIAG_LINK_START: i32 = 12;
/** Units: DG_LINK_UNITS over the top leaves (their subtrees). */
export const DIAG_LINK_BUILD: i32 = 13;
/** Units: DG_LINK_UNITS over the listed node pairs (their traversals). */
export const DIAG_LINK_PAIRS: i32 = 14;
/** One unit: the clusters. */
export const DIAG_LINK_COUNT: i32 = 15;

/** This thread's diagnostics scratch, from its engine scratch. */
function diagScratch(dg: usize, scratch: usize): usize {
  const base = load<usize>(dg + DG_ENGINE_SCRATCH), stride = <usize>load<i32>(dg + DG_ENGINE_STRIDE);
  const t = stride > 0 && scratch >= base ? (scratch - base) / stride : 0;
  return load<usize>(dg + DG_SCRATCHES) + t * DG_SCRATCH;
}

/**
 * Units [u0, u1) of a diagnostics phase of kind `kind` over the block at dg; per: particles per
 * unit (whole chunks) of the chunk phases, labels per unit of the diameters.
 */
export function diagPhase(kind: i32, dg: usize, u0: i32, u1: i32, per: i32, scratch: usize): void {
  const n = load<i32>(dg + DG_N), chunks = load<i32>(dg + DG_CHUNKS);
  // the chunk phases' chunks, and their particles in index order
  const g = max(1, per / DG_CHUNK);
  const c0 = min(chunks, u0 * g), c1 = min(chunks, u1 * g);
  const i0 = min(n, c0 * DG_CHUNK), i1 = min(n, c1 * DG_CHUNK);
  if (kind == DIAG_SUMS) diagSums(dg, c0, c1);
  else if (kind == DIAG_COMBINE_SUMS) diagCombineSums(dg);
  else if (kind == DIAG_SPREAD) diagSpread(dg, c0, c1);
  else if (kind == DIAG_COMBINE_SPREAD) diagCombineSpread(dg);
  else if (kind == DIAG_ROWS) diagRows(dg, c0, c1);
  else if (kind == DIAG_DIAMETERS) {
    const L = load<i32>(dg + DG_L);
    diagDiameters(dg, min(L, u0 * per), min(L, u1 * per), diagScratch(dg, scratch));
  }
  else if (kind == DIAG_DIAMETER_COMBINE) diagDiameterCombine(dg);
  else if (kind == DIAG_CIRCLE_START) diagCircleStart(dg);
  else if (kind == DIAG_CIRCLE_BINS) diagCircleBins(dg, i0, i1, diagScratch(dg, scratch));
  else if (kind == DIAG_CIRCLE_COMBINE) diagCircleCombine(dg);
  else if (kind == DIAG_LINK_ROWS) diagLinkRows(dg, i0, i1);
  else if (kind == DIAG_LINK_START) diagLinkStart(dg, diagScratch(dg, scratch));
  else if (kind == DIAG_LINK_BUILD) diagLinkBuild(dg, u0, u1);
  else if (kind == DIAG_LINK_PAIRS) diagLinkPairs(dg, u0, u1, diagScratch(dg, scratch));
  else if (kind == DIAG_LINK_COUNT) diagLinkCount(dg);
  else unreachable();
}
