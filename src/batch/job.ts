// One job of a batch: a JSON-serialisable configuration in, plain typed arrays out, so that a
// worker can run it and send the result back (src/batch.ts runs many).
import { parseSimulationConfig, type SimulationConfig } from "../config.js";
import { solveWith, type Solution } from "../solve.js";
import { collapseGap } from "../diagnostics/collapse.js";
import { ConfigError } from "../errors.js";
import type { KernelSpec } from "../problem.js";
import { toOriginalFrame } from "../theory.js";
import { linkageStatistics, type LinkageStatistics } from "../diagnostics/linkage.js";
import { StateDiagnostics } from "../diagnostics/standalone.js";
import { isObject, requireNumber, requireNumberArray } from "../validate.js";

/** One system to simulate: a full `mft simulate` configuration (problem, solver, engine). */
export interface BatchJob {
  config: SimulationConfig;
  /**
   * Other models that share this run's gauge-frame flow: W = 1, the same content, normalisation,
   * labels and start, only other gauges (RoPE, prompts, phase fields over the baseline). The
   * gauge-frame state z(t) is then the same for all of them, so one run gives each model's
   * x_i = G_{a_i}^T z_i, its collapse gap at every record and its final state. Opt-in: a shortcut.
   */
  derived?: { name: string; kernel: KernelSpec }[];
  /**
   * Single-linkage statistics at every record (diagnostics/linkage.ts, computed by the wasm core),
   * on the original-frame state: the union-find cluster count and the fraction of pairs within
   * `angle` radians.
   */
  linkage?: { angle: number };
  /** record times (multiples of solver.record, up to solver.time) at which to keep the original-frame state */
  snapshots?: number[];
}

/** A result's linkage statistics, one entry per record (see BatchJob.linkage). */
export interface LinkageResult {
  angle: number;
  clusters: Int32Array;
  pairFraction: Float64Array;
}

/** A derived model's share of a result (see BatchJob.derived). */
export interface DerivedResult {
  name: string;
  /** G_x of x_i = G_{a_i}^T z_i at each record */
  collapseGap: Float64Array;
  /** its final state, original frame */
  final: Float64Array;
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
  /** the derived models' results, when the job names any */
  derived?: DerivedResult[];
  /** the linkage statistics, when the job asks for them */
  linkage?: LinkageResult;
  /** the original-frame states (n*d) at the job's snapshot times, in their order, when it asks for them */
  snapshots?: Float64Array[];
}

/** Options of runBatch: worker threads and a callback for each finished job. */
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
  if (!isObject(job)) throw new ConfigError("job", job, "a job object {config, derived?, linkage?}");
  const parsed = parseSimulationConfig(job.config);
  const engineOptions = { engine: parsed.engine, threads: threads ?? parsed.threads, precision: parsed.precision, pairLoop: parsed.pairLoop };
  const base = parsed.problem;
  const { n, dim: d } = base;
  const angle = job.linkage === undefined ? null : requireNumber("linkage.angle", job.linkage?.angle, { min: 0, max: Math.PI });
  if (job.derived !== undefined && !Array.isArray(job.derived)) throw new ConfigError("derived", job.derived, "an array of {name, kernel}");
  const derived = job.derived ?? [];
  const snapTimes = job.snapshots === undefined ? [] : requireNumberArray("snapshots", job.snapshots, undefined, { min: 0 });
  if (derived.length === 0 && angle === null && snapTimes.length === 0) return toBatchResult(await solveWith(base, parsed.solver, engineOptions));
  const models = derived.map((m, k) => {
    const p = parseSimulationConfig({ ...job.config, kernel: m.kernel }).problem;
    if (base.attention || p.attention || base.weights || p.weights || p.content !== base.content || p.normalize !== base.normalize || p.n !== base.n || p.frozen || base.frozen) {
      throw new ConfigError(`derived[${k}].kernel`, m.kernel, "a kernel with W = 1 and the base's content and normalisation, on a problem without frozen particles (then the gauge-frame flows coincide)");
    }
    return { name: m.name, problem: p, gaps: [] as number[] };
  });
  const x = new Float64Array(n * d);
  const linkage = angle === null ? null : linkageOf(n, d);
  const clusters: number[] = [], pairFraction: number[] = [];
  const snapshots: (Float64Array | undefined)[] = snapTimes.map(() => undefined);
  const sol = await solveWith(base, parsed.solver, engineOptions, {
    onRecordState: (z, t, xt) => {
      snapTimes.forEach((s, q) => { if (Math.abs(s - t) <= 1e-9 * Math.max(1, s)) snapshots[q] = Float64Array.from(xt); });
      for (const m of models) m.gaps.push(collapseGap(toOriginalFrame(m.problem, z, x), n, d));
      if (angle !== null) {
        const s = linkage!(toOriginalFrame(base, z, x), angle);
        clusters.push(s.clusters);
        pairFraction.push(s.pairFraction);
      }
    },
  });
  const r = toBatchResult(sol);
  if (models.length > 0) r.derived = models.map((m) => ({ name: m.name, collapseGap: Float64Array.from(m.gaps), final: toOriginalFrame(m.problem, sol.finalGauge) }));
  if (angle !== null) r.linkage = { angle, clusters: Int32Array.from(clusters), pairFraction: Float64Array.from(pairFraction) };
  if (snapTimes.length > 0) {
    const missing = snapTimes.findIndex((_, q) => snapshots[q] === undefined);
    if (missing >= 0) throw new ConfigError(`snapshots[${missing}]`, snapTimes[missing], `a record time of the run (a multiple of solver.record = ${parsed.solver.record} up to the last record at t = ${sol.times[sol.times.length - 1]})`);
    r.snapshots = snapshots as Float64Array[];
  }
  return r;
}

/** linkageStatistics of n*d states: the wasm core's (the same counts), or the plain-JS one where no core can be made. */
function linkageOf(n: number, d: number): (x: Float64Array, angle: number) => LinkageStatistics {
  try {
    const core = StateDiagnostics.create({ n, dim: d, labelCount: 1, labels: new Int32Array(n), gauges: null });
    return (x, angle) => core.setState(x).linkageStatistics(angle);
  } catch {
    const parent = new Int32Array(n);
    return (x, angle) => linkageStatistics(x, n, d, angle, parent);
  }
}

/** The typed arrays' buffers of a result, to transfer instead of copy. */
export function resultBuffers(r: BatchResult): ArrayBuffer[] {
  const arrays = [r.times, r.energy, r.energyGap, r.collapseGap, r.gaugeGap, r.conditionalDiameter, r.meanSquaredSpeed, r.clusters, r.final, r.finalGauge, ...(r.derived ?? []).flatMap((m) => [m.collapseGap, m.final]), ...(r.linkage ? [r.linkage.clusters, r.linkage.pairFraction] : []), ...(r.snapshots ?? [])];
  const out = new Set<ArrayBuffer>();
  for (const a of arrays) if (a && a.buffer instanceof ArrayBuffer) out.add(a.buffer);
  return [...out];
}
