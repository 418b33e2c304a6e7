// Phase diagram of clustering over (beta, t), as in the earlier public code of Geshkovski,
// Letrouit, Polyanskiy and Rigollet ("A mathematical perspective on Transformers"): many small
// systems from i.i.d. uniform starts, one run per (beta, seed); at every grid time the fraction of
// pairs i < j within an angular threshold (their heat map: the probability that two particles
// are clustered) and the number of single-linkage clusters (union-find). Overlaid: the time at
// which the equiangular model rho(t) (src/equiangular.ts) started at rho0 reaches the same
// threshold cos(angle).
import type { BatchJob } from "../batch.js";
import type { SimulationConfig } from "../config.js";
import type { EngineKind } from "../engines/engine.js";
import { equiangularHittingTime, equiangularMin, solveEquiangular } from "../equiangular.js";
import { ConfigError } from "../errors.js";
import { requireNumber, requireOneOf } from "../validate.js";
import { runSweep, type Sweep } from "./sweep.js";

/** The default angular threshold: <x_i, x_j> >= 0.999, the earlier code's pair criterion. */
export const PHASE_ANGLE = Math.acos(0.999);

/** Options of the phase-diagram sweep; every field has a default (docs/paper.md "Phase diagram"). */
export interface PhaseDiagramOptions {
  /** "sa" (softmax, default; the earlier code's recommended setting) or "usa" (1/n) */
  model?: "sa" | "usa";
  /** the beta grid (strictly increasing, > 0); default 0.25, 0.5, ..., 9 (sa) or ..., 5 (usa) */
  betas?: number[];
  /** terminal time T; default 30 (sa) or 5 (usa) */
  time?: number;
  /** grid spacing in t (a record interval); default T/120 */
  record?: number;
  /** particles per system; default 32 */
  n?: number;
  /** dimension; default 64 (d >= n: random starts are nearly equiangular, <x_i,x_j> = 0 +- d^{-1/2}; the earlier code used d = 2) */
  dim?: number;
  /** seeds per beta; default 32 */
  seeds?: number;
  /** angular threshold (radians) of a clustered pair; default acos(0.999) */
  angle?: number;
  /** the equiangular model's start rho0 for the boundary; default 0 (the mean <x_i,x_j> of uniform points) */
  rho0?: number;
  threads?: number;
  engine?: EngineKind;
  onProgress?: (done: number, total: number) => void;
}

/** The heat maps (rows: betas, columns: times), the equiangular boundary and the resolved options. */
export interface PhaseDiagramResult {
  /** rows of the grids */
  betas: number[];
  /** columns of the grids */
  times: number[];
  /** pairFraction[r][c]: mean over seeds of the fraction of pairs within the angle, at (betas[r], times[c]) */
  pairFraction: number[][];
  /** mean over seeds of the union-find cluster count */
  clusters: number[][];
  /** the equiangular model's rho(t) from rho0, per beta and time */
  equiangularRho: number[][];
  /** the equiangular model's first time with rho >= cos(angle), on a fine beta grid (the overlay) */
  boundary: { beta: number[]; time: number[] };
  /** Heun steps per beta (h = record / stepsPerRecord) */
  steps: number[];
  options: { model: "sa" | "usa"; betas: number[]; time: number; record: number; n: number; dim: number; seeds: number; angle: number; rho0: number };
}

/** Heun step for beta: h (1 + beta) kappa <= 0.5 with kappa = 1 (sa) or e^beta (usa, the stiffest rate), at most 0.05, dividing the record interval. */
function stepFor(model: "sa" | "usa", beta: number, record: number): number {
  const hmax = Math.min(0.05, 0.5 / ((1 + beta) * (model === "usa" ? Math.exp(beta) : 1)));
  return record / Math.ceil(record / hmax - 1e-9);
}

/** One system: n uniform particles on S^{d-1}, W = 1, Heun on the grid. */
export function phaseDiagramConfig(model: "sa" | "usa", n: number, dim: number, beta: number, seed: number, time: number, record: number): SimulationConfig {
  return {
    dim, beta, n,
    kernel: { name: model },
    init: { law: "uniform", seed },
    solver: { method: "heun", step: stepFor(model, beta, record), time, record },
  };
}

function resolveOptions(o: PhaseDiagramOptions): PhaseDiagramResult["options"] {
  const model = o.model === undefined ? "sa" : requireOneOf("model", o.model, ["sa", "usa"] as const);
  const betas = o.betas ?? Array.from({ length: model === "sa" ? 36 : 20 }, (_, q) => 0.25 * (q + 1));
  if (!Array.isArray(betas) || betas.length === 0) throw new ConfigError("betas", betas, "a non-empty array of beta values");
  betas.forEach((b, q) => requireNumber(`betas[${q}]`, b, { above: q === 0 ? 0 : betas[q - 1], max: 700 }));
  const time = o.time === undefined ? (model === "sa" ? 30 : 5) : requireNumber("time", o.time, { above: 0, max: 1e6 });
  const record = o.record === undefined ? time / 120 : requireNumber("record", o.record, { above: 0, max: time });
  if (Math.abs(Math.round(time / record) * record - time) > 1e-9 * time) throw new ConfigError("record", record, `a divisor of time = ${time}`);
  const n = o.n === undefined ? 32 : requireNumber("n", o.n, { integer: true, min: 2, max: 4096 });
  const dim = o.dim === undefined ? 64 : requireNumber("dim", o.dim, { integer: true, min: 2, max: 1024 });
  const seeds = o.seeds === undefined ? 32 : requireNumber("seeds", o.seeds, { integer: true, min: 1, max: 100000 });
  const angle = o.angle === undefined ? PHASE_ANGLE : requireNumber("angle", o.angle, { above: 0, max: Math.PI / 2 });
  const rho0 = o.rho0 === undefined ? 0 : requireNumber("rho0", o.rho0, { above: equiangularMin(n), max: Math.cos(angle) });
  return { model, betas, time, record, n, dim, seeds, angle, rho0 };
}

/** The sweep behind the phase diagram: one job per (beta, seed), each with linkage statistics. */
export function phaseDiagramSweep(options: PhaseDiagramOptions = {}): Sweep<PhaseDiagramResult> {
  const o = resolveOptions(options);
  const keys: string[] = [], jobs: BatchJob[] = [];
  for (const beta of o.betas) for (let s = 1; s <= o.seeds; s++) {
    keys.push(`beta=${beta}/seed=${s}`);
    jobs.push({ config: { ...phaseDiagramConfig(o.model, o.n, o.dim, beta, s, o.time, o.record), engine: options.engine ?? "wasm" }, linkage: { angle: o.angle } });
  }
  return {
    name: "phase-diagram",
    options: o,
    keys,
    jobs,
    compact(r) {
      // aggregate reads the record times and the linkage statistics only
      const none = new Float64Array(0);
      return { ...r, energy: none, energyGap: null, collapseGap: none, gaugeGap: none, conditionalDiameter: none, meanSquaredSpeed: none, clusters: new Int32Array(0), final: none, finalGauge: none };
    },
    aggregate(results) {
      const times = Array.from(results[0].times);
      const pairFraction: number[][] = [], clusters: number[][] = [];
      o.betas.forEach((_, r) => {
        const runs = results.slice(r * o.seeds, (r + 1) * o.seeds).map((x) => x.linkage!);
        pairFraction.push(times.map((_, c) => runs.reduce((a, x) => a + x.pairFraction[c], 0) / o.seeds));
        clusters.push(times.map((_, c) => runs.reduce((a, x) => a + x.clusters[c], 0) / o.seeds));
      });
      const model = { n: o.n, normalize: o.model } as const;
      const equiangularRho = o.betas.map((beta) => Array.from(solveEquiangular({ ...model, beta }, o.rho0, times)));
      const fine = Array.from({ length: 201 }, (_, q) => o.betas[0] + ((o.betas[o.betas.length - 1] - o.betas[0]) * q) / 200);
      const threshold = Math.cos(o.angle);
      const boundary = { beta: fine, time: fine.map((beta) => equiangularHittingTime({ ...model, beta }, o.rho0, threshold)) };
      return { betas: o.betas, times, pairFraction, clusters, equiangularRho, boundary, steps: o.betas.map((b) => Math.round(o.time / stepFor(o.model, b, o.record))), options: o };
    },
  };
}

/** Runs the phase-diagram sweep on the worker pool (one system per worker) and aggregates it. */
export async function runPhaseDiagram(options: PhaseDiagramOptions = {}): Promise<PhaseDiagramResult> {
  return runSweep(phaseDiagramSweep(options), options);
}

/** One row per (beta, t): the seed means and the equiangular model's rho(t). */
export function phaseDiagramCSV(r: PhaseDiagramResult): string {
  const rows = ["beta,t,pair_fraction,clusters_mean,equiangular_rho"];
  r.betas.forEach((beta, q) => r.times.forEach((t, c) => rows.push([beta, t, r.pairFraction[q][c], r.clusters[q][c], r.equiangularRho[q][c]].join(","))));
  return rows.join("\n") + "\n";
}
