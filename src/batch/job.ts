// One job of a batch: a JSON-serialisable configuration in, plain typed arrays out, so that a
// worker can run it and send the result back (src/batch.ts runs many).
import { parseSimulationConfig, type SimulationConfig } from "../config.js";
import { solveWith, type Solution } from "../solve.js";

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
  /** workers, one job at a time each (default: available cores); 1 runs every job in this thread */
  threads?: number;
  /** called as each job finishes (in finishing order), with its index in `jobs` */
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

/**
 * Runs one job in this thread. `threads` overrides the job's own `threads` (a pool runs each job
 * on one thread); the result is the same bits either way.
 */
export async function runJob(job: BatchJob, threads?: number): Promise<BatchResult> {
  const parsed = parseSimulationConfig(job.config);
  return toBatchResult(await solveWith(parsed.problem, parsed.solver, { engine: parsed.engine, threads: threads ?? parsed.threads, precision: parsed.precision }));
}

/** The typed arrays' buffers of a result, to transfer instead of copy. */
export function resultBuffers(r: BatchResult): ArrayBuffer[] {
  const arrays = [r.times, r.energy, r.energyGap, r.collapseGap, r.gaugeGap, r.conditionalDiameter, r.meanSquaredSpeed, r.clusters, r.final, r.finalGauge];
  const out = new Set<ArrayBuffer>();
  for (const a of arrays) if (a && a.buffer instanceof ArrayBuffer) out.add(a.buffer);
  return [...out];
}
