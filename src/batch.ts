// Many independent simulations (seed sweeps, figure reproductions): one JSON-serialisable job per
// system, results as plain typed arrays. This is the sequential runner; a worker pool that runs
// one system per worker implements the same contract.
import { parseSimulationConfig, type SimulationConfig } from "./config.js";
import { solveWith, type Solution } from "./solve.js";

/** One system to simulate: a full `mft simulate` configuration (problem, solver, engine). */
export interface BatchJob {
  config: SimulationConfig;
}

/** The plain-data part of a Solution, as a worker can send it back. */
export interface BatchResult {
  times: Float64Array;
  energy: Float64Array;
  energyMax: number | null;
  energyGap: Float64Array | null;
  collapseGap: Float64Array;
  gaugeGap: Float64Array;
  conditionalDiameter: Float64Array;
  meanSquaredSpeed: Float64Array;
  clusters: Int32Array;
  /** final state, original frame, particle-major (n*d) */
  final: Float64Array;
  /** final state in the gauge frame, z_i = G_{a_i} x_i */
  finalGauge: Float64Array;
  steps: number;
  stoppedEarly: boolean;
}

export interface BatchOptions {
  /** worker threads (default: available cores); the sequential runner ignores it */
  threads?: number;
  /** called as each job finishes, with its index in `jobs` */
  onResult?: (index: number, result: BatchResult) => void;
}

/** The plain-data result of one solved system. */
export function toBatchResult(s: Solution): BatchResult {
  return {
    times: s.times,
    energy: s.energy,
    energyMax: s.energyMax,
    energyGap: s.energyGap,
    collapseGap: s.collapseGap,
    gaugeGap: s.gaugeGap,
    conditionalDiameter: s.conditionalDiameter,
    meanSquaredSpeed: s.meanSquaredSpeed,
    clusters: s.clusters,
    final: s.final,
    finalGauge: s.finalGauge,
    steps: s.steps,
    stoppedEarly: s.stoppedEarly,
  };
}

/** Runs one job in this thread. */
export async function runJob(job: BatchJob): Promise<BatchResult> {
  const { problem, solver, engine } = parseSimulationConfig(job.config);
  return toBatchResult(await solveWith(problem, solver, { engine }));
}

/** Runs every job, in order, in this thread; results are returned in job order. */
export async function runBatch(jobs: readonly BatchJob[], options: BatchOptions = {}): Promise<BatchResult[]> {
  const results: BatchResult[] = [];
  for (let k = 0; k < jobs.length; k++) {
    const r = await runJob(jobs[k]);
    results.push(r);
    options.onResult?.(k, r);
  }
  return results;
}
