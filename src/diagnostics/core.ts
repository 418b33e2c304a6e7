// The record diagnostics in the wasm core: the driver that runs the core's unit functions over one
// system's memory (assembly/moments.ts, diameter.ts, linkage.ts; docs/diagnostics.md).
//
// Every quantity costs O(n d) or O(n log n) for the configurations a run meets (the conditional
// diameter and the linked-pair count have O(n^2 d) worst cases: see the docs). The work is cut into
// fixed units: chunks of DG_CHUNK particles in member order, whole labels, and the linkage
// traversal; sums over units run in unit order, so the results do not depend on how units are
// shared out. They run here on the calling thread, or, given an engine's runner, as the programs of
// its step plan on its threads (src/engines/diag-plan.ts: the same units), in this order:
//   diagSums(chunks) -> diagCombineSums -> diagSpread(chunks) -> diagCombineSpread      G_z, G_x
//   diagRows(chunks) -> diagDiameters(labels) -> diagDiameterCombine                    diameter
//   d = 2: diagCircleStart -> diagCircleBins(particles) -> diagCircleCombine          clusters,
//   and for the linked pairs (one thread):
//   diagLinkRows(particles) -> diagCirclePairs                                            pairs
//   where their certificates fail:
//   diagLinkRows(particles) -> diagLinkStart -> diagLinkBuild(units)
//     -> diagLinkPairs(units) -> diagLinkCount                                         clusters
//   and for the linked pairs (one thread):
//   diagLinkRows(particles) -> diagLinkTree -> diagLinkage                     clusters, pairs
import type { DiagLayout } from "./core-layout.js";
import { DG, DG_LINK_UNITS } from "./core-layout.js";
import { requireNumber } from "../validate.js";

/** The core's diagnostics exports (assembly/index.ts). Each unit function returns the work it did. */
export interface DiagnosticsExports {
  diagSums(dg: number, c0: number, c1: number): number;
  diagCombineSums(dg: number): void;
  diagSpread(dg: number, c0: number, c1: number): number;
  diagCombineSpread(dg: number): void;
  diagRows(dg: number, c0: number, c1: number): number;
  diagDiameters(dg: number, a0: number, a1: number, scratch: number): number;
  diagDiameterCombine(dg: number): void;
  diagLinkRows(dg: number, i0: number, i1: number): number;
  diagLinkTree(dg: number): number;
  diagLinkage(dg: number, limit: number, countPairs: number, scratch: number): number;
  diagLinkStart(dg: number, scratch: number): number;
  diagLinkBuild(dg: number, u0: number, u1: number): number;
  diagLinkPairs(dg: number, u0: number, u1: number, scratch: number): number;
  diagLinkCount(dg: number): number;
  diagCircleStart(dg: number): number;
  diagCircleBins(dg: number, i0: number, i1: number, scratch: number): number;
  diagCircleCombine(dg: number): number;
  diagCirclePairs(dg: number, scratch: number): number;
  diagSizes(d: number, out: number): void;
}

/**
 * Relative width allowed to the conditional diameter's interval: upper <= (1 + tol) lower
 * (docs/diagnostics.md).
 */
export const DIAMETER_TOLERANCE = 1e-3;

/** The conditional diameter: exact (upper null) or a certified interval [value, upper]. */
export interface DiameterBounds {
  /** the exact diameter, or the interval's lower end (a distance between two particles of one label) */
  value: number;
  /** the interval's upper end, or null when `value` is exact */
  upper: number | null;
}

/** The squared chord of an angle: pairs with |x_i - x_j|^2 <= it are within the angle (linkage.ts). */
export function chordLimit(angle: number): number {
  const chord = 2 * Math.sin(angle / 2);
  return chord * chord;
}

/**
 * The record diagnostics' unit phases as programs of an engine's step plan (src/engines/diag-plan.ts),
 * run on its threads: "gaps" (G_x, G_z), "diameter" (its bounds, at the block's tolerance),
 * "circle" (the d = 2 angle bins, at the block's limit) and "tree" (the k-d tree linkage, clusters
 * only).
 */
export type DiagnosticsProgram = "gaps" | "diameter" | "circle" | "tree";

/** Runs the core's diagnostics units over one system laid out by planDiagnostics. */
export class CoreDiagnostics {
  /** work (points, pairs and node pairs visited) of the last call of each measurement (0 where an engine's phases ran it) */
  readonly work = { gaps: 0, diameter: 0, linkage: 0 };
  /**
   * How the last linkage was counted: "circle" (d = 2: the angle bins, and for the linked pairs the
   * sorted angles, all certified) or "tree" (the k-d tree: other dimensions, and states the circle's
   * certificates do not cover).
   */
  linkagePath: "circle" | "tree" = "tree";
  /**
   * Ranges each unit phase is cut into, run last range first (as threads would take them in any
   * order): any value gives the same bits. 1 by default.
   */
  pieces = 1;
  private f64!: Float64Array;

  /**
   * runner: where given (an engine), the measurements run as its plan's programs on its threads
   * (the same units, the same bits; the work counters then stay 0); else every unit runs here.
   */
  constructor(private readonly core: DiagnosticsExports, private readonly memory: WebAssembly.Memory, readonly layout: DiagLayout, readonly n: number, readonly labelCount: number,
    private readonly runner: ((program: DiagnosticsProgram) => void) | null = null) {}

  private view(): Float64Array {
    if (!this.f64 || this.f64.buffer !== this.memory.buffer) this.f64 = new Float64Array(this.memory.buffer);
    return this.f64;
  }

  /** Runs unit(u0, u1) over [0, count) in `pieces` ranges, the last first; returns the summed work. */
  private units(count: number, unit: (u0: number, u1: number) => number): number {
    const k = Math.max(1, Math.min(this.pieces, count));
    let w = 0;
    for (let r = k - 1; r >= 0; r--) w += unit(Math.floor((r * count) / k), Math.floor(((r + 1) * count) / k));
    return w;
  }

  private read(field: number): number {
    return this.view()[(this.layout.dg + field) >> 3];
  }

  /** G_x and G_z of the state the block points to. */
  gaps(): { collapseGap: number; gaugeGap: number } {
    const c = this.core, dg = this.layout.dg, chunks = this.layout.chunks;
    if (this.runner) {
      this.runner("gaps");
      this.work.gaps = 0;
    } else {
      let w = this.units(chunks, (c0, c1) => c.diagSums(dg, c0, c1));
      c.diagCombineSums(dg);
      w += this.units(chunks, (c0, c1) => c.diagSpread(dg, c0, c1));
      c.diagCombineSpread(dg);
      this.work.gaps = w;
    }
    return { collapseGap: this.read(DG.GAPX), gaugeGap: this.read(DG.GAPZ) };
  }

  /** The conditional diameter, exact or within (1 + tol). */
  diameter(tol = DIAMETER_TOLERANCE): DiameterBounds {
    requireNumber("tol", tol, { min: 0, max: 1 });
    const c = this.core, dg = this.layout.dg;
    this.view()[(dg + DG.TOL) >> 3] = tol;
    if (this.runner) {
      this.runner("diameter");
      this.work.diameter = 0;
    } else {
      let w = this.units(this.layout.chunks, (c0, c1) => c.diagRows(dg, c0, c1));
      w += this.units(this.labelCount, (a0, a1) => c.diagDiameters(dg, a0, a1, this.layout.scratch));
      c.diagDiameterCombine(dg);
      this.work.diameter = w;
    }
    const value = this.read(DG.DIAMLO), upper = this.read(DG.DIAMUP);
    return { value, upper: upper === value ? null : upper };
  }

  /**
   * Single-linkage clusters at an angle (radians), and with `countPairs` the pairs i < j within
   * it, on the original-frame state x_i = G_{a_i}^T z_i.
   */
  linkage(angle: number, countPairs: boolean): { clusters: number; pairs: number } {
    requireNumber("angle", angle, { min: 0, max: Math.PI });
    const c = this.core, dg = this.layout.dg, limit = chordLimit(angle);
    this.view()[(dg + DG.LIMIT) >> 3] = limit;
    const runner = countPairs ? null : this.runner;
    let w = 0;
    if (this.dimension() === 2) {
      const scratch = this.layout.scratch;
      if (runner) runner("circle");
      else {
        w += c.diagCircleStart(dg);
        w += this.units(this.n, (i0, i1) => c.diagCircleBins(dg, i0, i1, scratch));
        w += c.diagCircleCombine(dg);
      }
      if (this.readI32(DG.CERTIFIED) === 1 && countPairs) {
        // the linked pairs by the sorted angles (one thread); where they are not certified, the tree counts both
        w += this.units(this.n, (i0, i1) => c.diagLinkRows(dg, i0, i1));
        w += c.diagCirclePairs(dg, scratch);
      }
      if (this.readI32(DG.CERTIFIED) === 1) {
        this.work.linkage = w;
        this.linkagePath = "circle";
        return { clusters: this.read(DG.CLUSTERS), pairs: countPairs ? this.read(DG.PAIRS) : 0 };
      }
    }
    if (runner) runner("tree");
    else if (countPairs) {
      w += this.units(this.n, (i0, i1) => c.diagLinkRows(dg, i0, i1));
      w += c.diagLinkTree(dg);
      w += c.diagLinkage(dg, limit, 1, this.layout.scratch);
    } else {
      const scratch = this.layout.scratch;
      w += this.units(this.n, (i0, i1) => c.diagLinkRows(dg, i0, i1));
      w += c.diagLinkStart(dg, scratch);
      w += this.units(DG_LINK_UNITS, (u0, u1) => c.diagLinkBuild(dg, u0, u1));
      w += this.units(DG_LINK_UNITS, (u0, u1) => c.diagLinkPairs(dg, u0, u1, scratch));
      w += c.diagLinkCount(dg);
    }
    this.work.linkage = w;
    this.linkagePath = "tree";
    return { clusters: this.read(DG.CLUSTERS), pairs: countPairs ? this.read(DG.PAIRS) : 0 };
  }

  private readI32(field: number): number {
    return new Int32Array(this.memory.buffer, this.layout.dg + field, 1)[0];
  }

  private dimension(): number {
    return this.readI32(DG.D);
  }
}
