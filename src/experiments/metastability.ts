// Metastability (Theorem 5, Appendix H): k tight clusters under a nonnegative distance-bias
// kernel contract fast, then persist for a time exponential in beta before merging one by one.
import { createEngine } from "../solve.js";
import { defineProblem, type Problem } from "../problem.js";
import type { EngineKind } from "../engines/engine.js";
import { Criteria, type Criterion } from "../theorems/report.js";
import { fitSlope } from "./fit-slope.js";

/** Options of the metastability experiment: the values of beta and the time horizon in tau = e^beta t. */
export interface MetastabilityOptions {
  /** inverse temperatures; default [6, 8, 10, 12] */
  betas?: number[];
  /** cluster centres on the great circle of (e1, e2), by angle; default [0, 1.1, 2.5] (gaps 1.1, 1.4, 3.78) */
  centreAngles?: number[];
  /** cap radius of the initial clusters; default 0.2 */
  radius?: number;
  /** labels per cluster and particles per label; default 4 x 4 */
  labelsPerCluster?: number;
  perLabel?: number;
  /** distance-bias length; default 0.5 */
  length?: number;
  /** fast-time horizon tau_max (tau = e^beta t) and step in tau; default 800 and 0.05 */
  horizon?: number;
  step?: number;
  /** record every this much fast time; default 1 */
  record?: number;
  /** dimension of the sphere (clusters start on the great circle of e1, e2); default 3 */
  dim?: number;
  seed?: number;
  engine?: EngineKind;
  /** called after each record with (beta index, tau, horizon) */
  onProgress?: (run: number, tau: number, horizon: number) => void;
}

/** One beta's run, in the fast time tau = e^beta t (the unit of the intra-cluster contraction). */
export interface MetastabilityRun {
  beta: number;
  tau: number[];
  energy: number[];
  /** E / E* (E* = e^beta/(2 beta) sum W / n^2: the Dirac value) */
  energyRatio: number[];
  /** the largest diameter among the initial clusters (as long as none has merged) */
  clusterDiameter: number[];
  /** number of clusters at the merge threshold */
  clusters: number[];
  /** fitted rate of exp(-rate tau) of clusterDiameter over its initial fall */
  contractionRate: number | null;
  /** tau at which the cluster count first drops below the initial k, or null within the horizon */
  firstMerger: number | null;
}

/** The metastability runs, one per beta, and the slope of log(first merger) against beta with its prediction. */
export interface MetastabilityResult {
  runs: MetastabilityRun[];
  /** least-squares slope of log(firstMerger) against beta (null with fewer than 2 mergers) */
  mergerSlope: number | null;
  /** 1 - cos(smallest gap): the slope the reduced k-point flow predicts for a pair at that gap */
  predictedSlope: number;
  options: Required<Omit<MetastabilityOptions, "onProgress" | "engine">>;
}

const DEFAULTS = { betas: [6, 8, 10, 12], centreAngles: [0, 1.1, 2.5], radius: 0.2, labelsPerCluster: 4, perLabel: 4, length: 0.5, horizon: 800, step: 0.05, record: 1, dim: 3, seed: 1 };

/** Angle above which two particles belong to different clusters. */
const MERGE_ANGLE = 0.3;

/** Metastability (Theorem 5): three caps under a distance bias, the energy staircase and the first merger time for each beta. */
export async function runMetastability(options: MetastabilityOptions = {}): Promise<MetastabilityResult> {
  const o = { ...DEFAULTS, ...stripUndefined(options) } as typeof DEFAULTS;
  const runs: MetastabilityRun[] = [];
  for (let r = 0; r < o.betas.length; r++) {
    runs.push(await runOne(o, o.betas[r], options.engine ?? "wasm", (tau) => options.onProgress?.(r, tau, o.horizon)));
  }
  const pts = runs.filter((r) => r.firstMerger !== null).map((r) => [r.beta, Math.log(r.firstMerger!)] as const);
  const gaps = o.centreAngles.map((a, i) => o.centreAngles.map((b) => Math.abs(b - a))).flat().filter((g) => g > 0).map((g) => Math.min(g, 2 * Math.PI - g));
  return { runs, mergerSlope: pts.length >= 2 ? fitSlope(pts) : null, predictedSlope: 1 - Math.cos(Math.min(...gaps)), options: o };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

async function runOne(o: typeof DEFAULTS, beta: number, engineKind: EngineKind, progress: (tau: number) => void): Promise<MetastabilityRun> {
  const k = o.centreAngles.length, L = k * o.labelsPerCluster, m = o.perLabel, n = L * m;
  const problem = defineProblem({
    dim: o.dim,
    beta,
    kernel: { name: "distanceBias", length: o.length },
    labels: { count: L, perLabel: m },
    init: { law: "caps", k, radius: o.radius, centers: o.centreAngles.map((a) => Array.from({ length: o.dim }, (_, q) => (q === 0 ? Math.cos(a) : q === 1 ? Math.sin(a) : 0))) },
    seed: o.seed,
    // tau = e^beta t: forces inside a cluster are e^{beta <x,y>} ~ e^beta, one per unit tau
    timeScale: "fast",
  });
  const engine = await createEngine(problem, { engine: engineKind });
  const h = o.step, perRecord = Math.max(1, Math.round(o.record / o.step)), records = Math.ceil(o.horizon / (perRecord * o.step));
  const run: MetastabilityRun = { beta, tau: [], energy: [], energyRatio: [], clusterDiameter: [], clusters: [], contractionRate: null, firstMerger: null };
  const d = o.dim, x = new Float64Array(n * d);
  try {
    for (let rec = 0; rec <= records; rec++) {
      if (rec > 0) engine.step("heun", h, perRecord);
      const tau = rec * perRecord * o.step;
      const e = engine.evaluate().energy;
      engine.getState(x);
      run.tau.push(tau);
      run.energy.push(e);
      run.energyRatio.push(e / problem.energyMax!);
      run.clusterDiameter.push(capDiameter(x, n, d, k));
      const count = countClusters(x, n, d);
      run.clusters.push(count);
      if (run.firstMerger === null && count < k) run.firstMerger = tau;
      progress(tau);
    }
  } finally {
    engine.dispose();
  }
  run.contractionRate = contractionRate(run);
  return run;
}

/** Largest diameter among the k initial clusters (particles split by index as the caps law does). */
function capDiameter(x: Float64Array, n: number, d: number, k: number): number {
  let worst = 0;
  for (let c = 0; c < k; c++) {
    const lo = Math.floor((c * n) / k), hi = Math.floor(((c + 1) * n) / k);
    for (let i = lo; i < hi; i++) for (let j = i + 1; j < hi; j++) {
      let s = 0;
      for (let q = 0; q < d; q++) s += (x[i * d + q] - x[j * d + q]) ** 2;
      worst = Math.max(worst, s);
    }
  }
  return Math.sqrt(worst);
}

/** Clusters by single linkage at MERGE_ANGLE (union-find over all pairs; n is small here). */
function countClusters(x: Float64Array, n: number, d: number): number {
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => { while (parent[i] !== i) { parent[i] = parent[parent[i]]; i = parent[i]; } return i; };
  const cosA = Math.cos(MERGE_ANGLE);
  let count = n;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) {
    let g = 0;
    for (let q = 0; q < d; q++) g += x[i * d + q] * x[j * d + q];
    if (g >= cosA) {
      const a = find(i), b = find(j);
      if (a !== b) { parent[a] = b; count--; }
    }
  }
  return count;
}

/**
 * The fast contraction rate: -d log(diameter)/d tau fitted from the start down to the first
 * minimum of the cluster diameter (after it the clusters stretch each other as they approach),
 * over diameters in [10 min, 0.1].
 */
function contractionRate(run: MetastabilityRun): number | null {
  const end = run.firstMerger === null ? run.tau.length : run.tau.indexOf(run.firstMerger);
  let low = 0;
  for (let r = 1; r < end; r++) if (run.clusterDiameter[r] < run.clusterDiameter[low]) low = r;
  const floor = 10 * run.clusterDiameter[low];
  const pts: [number, number][] = [];
  for (let r = 0; r <= low; r++) {
    const dm = run.clusterDiameter[r];
    if (dm <= 0.1 && dm >= floor) pts.push([run.tau[r], -Math.log(dm)]);
  }
  return pts.length >= 2 ? fitSlope(pts) : null;
}

export type { Problem };

/**
 * Theorem 5's tolerances: the fast contraction rate per unit tau is at least `contractionRate`;
 * the slope of log(first merger) against beta is within the fraction `slope` of 1 - cos(gap)
 * (the reduced flow's prediction up to a prefactor).
 */
export const METASTABILITY_TOLERANCE = { contractionRate: 0.05, slope: 0.3 } as const;

/**
 * The metastability predictions (Theorem 5, as `mft check theorem5` tests them): at the largest
 * beta the clusters contract on the fast time scale; over the betas the first merger comes later
 * at larger beta, with the predicted log-slope.
 */
export function metastabilityChecks(r: MetastabilityResult): Criterion[] {
  const last = r.runs[r.runs.length - 1];
  const later = r.runs.every((x, q) => q === 0 || (x.firstMerger ?? Infinity) > (r.runs[q - 1].firstMerger ?? Infinity));
  return new Criteria()
    .atLeast(`beta = ${last.beta}: contraction rate per unit tau`, last.contractionRate ?? NaN, METASTABILITY_TOLERANCE.contractionRate)
    .atLeast("first merger later at larger beta (1 = yes)", later ? 1 : 0, 1)
    .atMost("|slope - (1 - cos gap)| / (1 - cos gap)", Math.abs((r.mergerSlope ?? NaN) - r.predictedSlope) / r.predictedSlope, METASTABILITY_TOLERANCE.slope).list;
}
