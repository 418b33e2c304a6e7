// The record diagnostics as programs of the step plan (assembly/diag-phases.ts, docs/diagnostics.md):
// the phases of G_x and G_z, of the conditional diameter, of the d = 2 angle bins and of the k-d
// tree linkage, cut into the same fixed units the host uses one thread (src/diagnostics/core.ts),
// each followed by its one-thread combine. Their thread counts come from their estimated work like
// every phase's (plan.ts), and a unit's result does not depend on the thread that runs it.
import type { Problem } from "../problem.js";
import { DG_CHUNK, DG_LINK_UNITS } from "../diagnostics/core-layout.js";
import type { DiagnosticsProgram } from "../diagnostics/core.js";
import type { Phase, Program } from "./plan.js";

/** Most units of one phase (plan.ts MAX_PHASE_UNITS: the team's claim word). */
const MOST_UNITS = 16383;

/** assembly/plan.ts OP_DIAG. */
export const OP_DIAG = 29;
/** assembly/diag-phases.ts DIAG_* (a phase's arg2). */
export const DIAG = {
  SUMS: 1, COMBINE_SUMS: 2, SPREAD: 3, COMBINE_SPREAD: 4, ROWS: 5, DIAMETERS: 6, DIAMETER_COMBINE: 7,
  CIRCLE_START: 8, CIRCLE_BINS: 9, CIRCLE_COMBINE: 10, LINK_ROWS: 11, LINK_START: 12, LINK_BUILD: 13,
  LINK_PAIRS: 14, LINK_COUNT: 15,
} as const;

/**
 * Estimated one-thread ns per particle and coordinate (or per particle) of each unit phase, from
 * the measured record at n = 2^20 (docs/diagnostics.md): the two moment passes, the rows, the
 * diameters' sweeps and bounds, the angle bins, and the linkage's subtrees and pairs (these two
 * from a uniform state at d = 3, n = 2^14 and 2^16).
 */
const NS = { sums: 1.2, spread: 1.2, rows: 1, diameters: 3, bins: 6, linkRows: 1, linkBuild: 30, linkage: 200 } as const;

/** The diagnostics programs of a plan, by name. */
export type DiagnosticsPrograms = Readonly<Record<DiagnosticsProgram, Program>>;

/**
 * Appends the diagnostics phases of `problem` to `phases` and returns their programs. The phases'
 * arg (the diagnostics block) is written by the engine once its layout is known (writeDiagnosticsArgs).
 */
export function appendDiagnosticsPhases(problem: Problem, phases: Phase[]): DiagnosticsPrograms {
  const { n, dim: d, labelCount: L } = problem;
  // units of whole chunks of DG_CHUNK particles (one chunk each, unless n needs more than a phase's units)
  const perChunks = Math.ceil(Math.ceil(n / DG_CHUNK) / MOST_UNITS);
  const chunks = Math.ceil(n / (perChunks * DG_CHUNK));
  // labels per unit of the diameters (one, unless there are more labels than a phase may have units)
  const perLabel = Math.ceil(L / MOST_UNITS);
  const unit = (name: string, kind: number, units: number, workNs: number, rows: boolean, per = perChunks * DG_CHUNK): Phase => ({
    name: `diagnostics ${name}`, op: OP_DIAG, units, per, rows, threads: 1, workNs,
    src: null, dst: null, mode: 0, from: null, a: null, b: null, to: null, arg: 0, arg2: kind, next: 0, after: null,
  });
  const one = (name: string, kind: number): Phase => unit(name, kind, 1, 1000, false, 1);
  const program = (ps: Phase[]): Program => {
    const first = phases.length;
    phases.push(...ps);
    return { first, count: ps.length, lead: 0 };
  };
  return {
    gaps: program([
      // in member order: a unit's particles are not those of the same index range, so not "rows"
      unit("sums", DIAG.SUMS, chunks, n * d * NS.sums, false),
      one("sums combine", DIAG.COMBINE_SUMS),
      unit("spread", DIAG.SPREAD, chunks, n * d * NS.spread, false),
      one("spread combine", DIAG.COMBINE_SPREAD),
    ]),
    diameter: program([
      unit("diameter rows", DIAG.ROWS, chunks, n * d * NS.rows, false),
      unit("diameters", DIAG.DIAMETERS, Math.ceil(L / perLabel), n * d * NS.diameters, false, perLabel),
      one("diameter combine", DIAG.DIAMETER_COMBINE),
    ]),
    circle: program([
      one("angle bins start", DIAG.CIRCLE_START),
      unit("angle bins", DIAG.CIRCLE_BINS, chunks, n * NS.bins, true),
      one("angle bins combine", DIAG.CIRCLE_COMBINE),
    ]),
    tree: program([
      unit("linkage rows", DIAG.LINK_ROWS, chunks, n * d * NS.linkRows, true),
      one("linkage start", DIAG.LINK_START),
      unit("linkage subtrees", DIAG.LINK_BUILD, DG_LINK_UNITS, n * NS.linkBuild, false, 1),
      unit("linkage pairs", DIAG.LINK_PAIRS, DG_LINK_UNITS, n * NS.linkage, false, 1),
      one("linkage count", DIAG.LINK_COUNT),
    ]),
  };
}

/** Writes the diagnostics block's address into the diagnostics phases of a written phase table (i32 view, table at byte `at`). */
export function writeDiagnosticsArgs(phases: readonly Phase[], i32: Int32Array, at: number, phaseBytes: number, dg: number): void {
  phases.forEach((p, k) => {
    if (p.op === OP_DIAG) i32[(at + k * phaseBytes + 44) >> 2] = dg;
  });
}
