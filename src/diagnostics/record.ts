// The diagnostics of one record of a run (solve.ts), measured where the engine keeps its state: in
// the wasm engine's own memory, or, for the JS engine, in a core instance of their own
// (StateDiagnostics). docs/diagnostics.md lists what each quantity means and costs.
import type { AnyEngine } from "../engines/engine.js";
import { WasmEngine } from "../engines/wasm.js";
import { noticeOnce } from "../engines/platform.js";
import { collapseGap, conditionalDiameter, groupByLabel } from "./collapse.js";
import { CoreDiagnostics, DIAMETER_TOLERANCE } from "./core.js";
import { clusterCountUnionFind } from "./linkage.js";
import { StateDiagnostics } from "./standalone.js";

/** What a run records besides the energy and the speed. */
export interface RecordMeasures {
  /** G_x = 1 - |mean x_i|^2 */
  collapseGap: number;
  /** G_z, the same on z_i = G_{a_i} x_i */
  gaugeGap: number;
  /** the conditional diameter, exact or the lower end of its interval */
  conditionalDiameter: number;
  /** the upper end of the diameter's interval, or null when conditionalDiameter is exact */
  conditionalDiameterUpper: number | null;
  /** single-linkage clusters at the angle (connected components of |x_i - x_j| <= 2 sin(angle/2)) */
  clusters: number;
}

/** Measures records of one engine's run. */
export interface RecordDiagnostics {
  /**
   * The measures at the engine's current state. x and z are that state in the original and the
   * gauge frame, as the caller has just read them (the wasm engine reads its own memory instead).
   */
  measure(x: Float64Array, z: Float64Array, clusterAngle: number): RecordMeasures;
}

/**
 * The record diagnostics for an engine: the wasm core's (docs/diagnostics.md) over the wasm
 * engine's memory, or over a copy of the state for other engines. Where no core can be
 * instantiated synchronously (a page's main thread), the plain-JS reference functions measure
 * instead: the same values, exact, at O(n^2) per record.
 */
export function createRecordDiagnostics(engine: AnyEngine, tol = DIAMETER_TOLERANCE): RecordDiagnostics {
  const p = engine.problem;
  if (engine instanceof WasmEngine) {
    const core = new CoreDiagnostics(engine.core, engine.memory, engine.layout.diag, p.n, p.labelCount, (name) => engine.runDiagnostics(name));
    return {
      measure(_x, _z, angle) {
        return { ...core.gaps(), ...diameterOf(core, tol), clusters: core.linkage(angle, false).clusters };
      },
    };
  }
  let core: StateDiagnostics;
  try {
    core = StateDiagnostics.create({ n: p.n, dim: p.dim, labelCount: p.labelCount, labels: p.labels, gauges: null });
  } catch (e) {
    noticeOnce(`meanfield-transformer: the record diagnostics run in plain JS at O(n^2) (no wasm core here: ${(e as Error).message})`);
    const groups = groupByLabel(p.labels, p.labelCount);
    return {
      measure(x, z, angle) {
        const { n, dim: d } = p;
        return { collapseGap: collapseGap(x, n, d), gaugeGap: collapseGap(z, n, d), conditionalDiameter: conditionalDiameter(x, d, groups), conditionalDiameterUpper: null, clusters: clusterCountUnionFind(x, n, d, angle) };
      },
    };
  }
  return {
    measure(x, z, angle) {
      // the JS engine's state is x: every quantity but G_z is measured on it, G_z on z
      const collapse = core.setState(x).gaps().collapseGap;
      const diameter = diameterOf(core, tol);
      const clusters = core.linkage(angle, false).clusters;
      const gaugeGap = core.setState(z).gaps().collapseGap;
      return { collapseGap: collapse, gaugeGap, ...diameter, clusters };
    },
  };
}

function diameterOf(core: CoreDiagnostics, tol: number): Pick<RecordMeasures, "conditionalDiameter" | "conditionalDiameterUpper"> {
  const b = core.diameter(tol);
  return { conditionalDiameter: b.value, conditionalDiameterUpper: b.upper };
}
