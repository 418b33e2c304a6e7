// Figure 2 (docs/paper.md "Experiments"): collapse through many layers. Baseline, RoPE
// and prompt models from the same gauge-frame cloud per seed; mean +- standard error over seeds.
import type { BatchResult } from "../batch.js";
import { runSweep, type Sweep } from "./sweep.js";
import type { SimulationConfig } from "../config.js";
import type { KernelSpec } from "../kernels/specs.js";
import { limitPoint } from "../diagnostics/laws.js";
import type { EngineKind } from "../engines/engine.js";
import { requireNumber } from "../validate.js";
import { ConfigError } from "../errors.js";
import { createRandom } from "../random.js";
import { Criteria, type Criterion } from "../theorems/report.js";

export type Fig2Model = "baseline" | "rope" | "prompt";
export const FIG2_MODELS: readonly Fig2Model[] = ["baseline", "rope", "prompt"];

/** Options of Figure 2: sizes, seeds, time grid and early stop (defaults: the paper's). */
export interface Fig2Options {
  /** system sizes n (each a multiple of perLabel); default [64, 256, 1024] */
  sizes?: number[];
  /** number of seeds (seeds 1..seeds); default 100 */
  seeds?: number;
  /** terminal time T; default 30 */
  time?: number;
  /** Heun step; default 0.01 */
  step?: number;
  /** record interval; default 0.5 */
  record?: number;
  /** default 1 */
  beta?: number;
  /** particles per label m (L = n/m labels); default 4 */
  perLabel?: number;
  /** the paper's early stop (window, tol), or null for none; default {window: 2, tol: 1e-10} */
  stop?: { window: number; tol: number } | null;
  /**
   * Opt-in shortcut: simulate each (size, seed) once, as the baseline, and derive RoPE and prompt
   * from its gauge-frame run (their gauge-frame flows are the same flow: docs/model.md, "Gauge frame").
   * 3x fewer runs; equal to separate runs up to round-off. Off by default: each model is then
   * simulated as configured.
   */
  sharedGaugeRun?: boolean;
  /** worker threads for the sweep (one system per worker) */
  threads?: number;
  engine?: EngineKind;
  /** called as each run finishes */
  onProgress?: (done: number, total: number) => void;
}

/** mean and standard error over seeds at each record time */
export interface Band { mean: number[]; se: number[] }

export interface Fig2Series {
  model: Fig2Model;
  n: number;
  times: number[];
  collapseGap: Band;
  gaugeGap: Band;
  conditionalDiameter: Band;
  energyGap: Band;
  /** per seed: G_x(T), G_z(T), the conditional diameter at T, and the time reached */
  final: { collapseGap: number[]; gaugeGap: number[]; conditionalDiameter: number[]; time: number[] };
  /** RoPE only: per seed, the prediction 1 - v_3^2 with v the run's own gauge-frame limit point */
  predictedCollapseGap?: number[];
}

/** Figure 2's result: G_x(t) and the other diagnostics per model and size, with mean and standard error over seeds. */
export interface Fig2Result {
  options: Required<Omit<Fig2Options, "onProgress" | "threads" | "engine" | "sharedGaugeRun">> & { sharedGaugeRun?: boolean };
  series: Fig2Series[];
}

const DEFAULTS = { sizes: [64, 256, 1024], seeds: 100, time: 30, step: 0.01, record: 0.5, beta: 1, perLabel: 4, stop: { window: 2, tol: 1e-10 } as { window: number; tol: number } | null };

/** The configuration of one run: model, size and seed (the seed fixes the gauge-frame cloud). */
export function fig2Config(model: Fig2Model, n: number, seed: number, o: typeof DEFAULTS): SimulationConfig {
  const L = n / o.perLabel;
  const kernel: KernelSpec = model === "baseline" ? { name: "usa" }
    : model === "rope" ? { name: "rope", omega: 2 * Math.PI, plane: [0, 1] }
    : { name: "prompt", plane: [0, 1], phases: promptPhases(L, seed) };
  return {
    dim: 3,
    beta: o.beta,
    kernel,
    labels: { count: L, perLabel: o.perLabel },
    // the same y_i for all three models: drawn in the gauge frame, x_i = G_{a_i}^T y_i
    init: { law: "uniform", seed, frame: "gauge" },
    solver: { method: "heun", step: o.step, time: o.time, record: o.record, ...(o.stop ? { stop: o.stop } : {}) },
  };
}

/** One prompt phase theta_p per label, uniform on [0, 2 pi), seeded apart from the cloud. */
export function promptPhases(L: number, seed: number): number[] {
  const rng = createRandom(seed + 0x9e3779b9);
  return Array.from({ length: L }, () => 2 * Math.PI * rng.uniform());
}

export function resolveFig2(options: Fig2Options): typeof DEFAULTS {
  const o = { ...DEFAULTS };
  if (options.sizes !== undefined) {
    if (!Array.isArray(options.sizes) || options.sizes.length === 0) throw new ConfigError("sizes", options.sizes, "a non-empty list of system sizes");
    options.sizes.forEach((n, i) => requireNumber(`sizes[${i}]`, n, { integer: true, min: 1, max: 1 << 20 }));
    o.sizes = options.sizes;
  }
  if (options.seeds !== undefined) o.seeds = requireNumber("seeds", options.seeds, { integer: true, min: 1, max: 100000 });
  if (options.time !== undefined) o.time = requireNumber("time", options.time, { above: 0 });
  if (options.step !== undefined) o.step = requireNumber("step", options.step, { above: 0 });
  if (options.record !== undefined) o.record = requireNumber("record", options.record, { above: 0 });
  if (options.beta !== undefined) o.beta = requireNumber("beta", options.beta, { above: 0 });
  if (options.perLabel !== undefined) o.perLabel = requireNumber("perLabel", options.perLabel, { integer: true, min: 1 });
  if (options.stop !== undefined) o.stop = options.stop;
  for (const n of o.sizes) if (n % o.perLabel !== 0) throw new ConfigError("sizes", n, `multiples of perLabel = ${o.perLabel}`);
  return o;
}

/**
 * The sweep behind Figure 2: one job per (size, seed, model), a key naming each, and the
 * aggregation of their results (in job order) into the figure's data.
 */
export function fig2Sweep(options: Fig2Options = {}): Sweep<Fig2Result> {
  if (options.sharedGaugeRun) return fig2SharedSweep(options);
  const o = resolveFig2(options);
  const keys: { model: Fig2Model; n: number; seed: number }[] = [];
  for (const n of o.sizes) for (let seed = 1; seed <= o.seeds; seed++) for (const model of FIG2_MODELS) keys.push({ model, n, seed });
  const { stop, ...rest } = o;
  const resolved = { ...rest, stop };
  return {
    name: "fig2",
    options: resolved,
    keys: keys.map((k) => `${k.model}/n=${k.n}/seed=${k.seed}`),
    jobs: keys.map((k) => ({ config: { ...fig2Config(k.model, k.n, k.seed, o), engine: options.engine ?? "wasm" } })),
    aggregate(results) {
      const series: Fig2Series[] = [];
      for (const model of FIG2_MODELS) {
        for (const n of o.sizes) series.push(aggregate(model, n, results.filter((_, q) => keys[q].model === model && keys[q].n === n), o));
      }
      return { options: resolved, series };
    },
  };
}

/** The shortcut sweep: one baseline run per (size, seed), RoPE and prompt derived from it. */
function fig2SharedSweep(options: Fig2Options): Sweep<Fig2Result> {
  const o = resolveFig2(options);
  const keys: { n: number; seed: number }[] = [];
  for (const n of o.sizes) for (let seed = 1; seed <= o.seeds; seed++) keys.push({ n, seed });
  const { stop, ...rest } = o;
  const resolved = { ...rest, stop, sharedGaugeRun: true };
  return {
    name: "fig2",
    options: resolved,
    keys: keys.map((k) => `shared/n=${k.n}/seed=${k.seed}`),
    jobs: keys.map((k) => ({
      config: { ...fig2Config("baseline", k.n, k.seed, o), engine: options.engine ?? "wasm" },
      derived: (["rope", "prompt"] as const).map((m) => ({ name: m, kernel: fig2Config(m, k.n, k.seed, o).kernel! })),
    })),
    aggregate(results) {
      // a derived model's result: its own G_x and final state, everything else shared
      const as = (r: BatchResult, model: Fig2Model): BatchResult => {
        if (model === "baseline") return r;
        const m = r.derived!.find((x) => x.name === model)!;
        return { ...r, collapseGap: m.collapseGap, final: m.final, derived: undefined };
      };
      const series: Fig2Series[] = [];
      for (const model of FIG2_MODELS) {
        for (const n of o.sizes) series.push(aggregate(model, n, results.filter((_, q) => keys[q].n === n).map((r) => as(r, model)), o));
      }
      return { options: resolved, series };
    },
  };
}

/** Runs every (model, size, seed) and aggregates mean +- standard error over seeds. */
export async function runFig2(options: Fig2Options = {}): Promise<Fig2Result> {
  return runSweep(fig2Sweep(options), options);
}

function aggregate(model: Fig2Model, n: number, runs: BatchResult[], o: typeof DEFAULTS): Fig2Series {
  const records = Math.round(o.time / o.record) + 1;
  const times = Array.from({ length: records }, (_, r) => r * o.record);
  // an early-stopped run is stationary to the stop tolerance: its last record is carried forward
  const at = (a: ArrayLike<number> | null, r: number): number => (a ? a[Math.min(r, a.length - 1)] : NaN);
  const band = (pick: (x: BatchResult) => ArrayLike<number> | null): Band => {
    const mean: number[] = [], se: number[] = [];
    for (let r = 0; r < records; r++) {
      const v = runs.map((x) => at(pick(x), r));
      const m = v.reduce((s, y) => s + y, 0) / v.length;
      const varc = v.length > 1 ? v.reduce((s, y) => s + (y - m) ** 2, 0) / (v.length - 1) : 0;
      mean.push(m);
      se.push(Math.sqrt(varc / v.length));
    }
    return { mean, se };
  };
  const last = (a: ArrayLike<number>): number => a[a.length - 1];
  const s: Fig2Series = {
    model, n, times,
    collapseGap: band((x) => x.collapseGap),
    gaugeGap: band((x) => x.gaugeGap),
    conditionalDiameter: band((x) => x.conditionalDiameter),
    energyGap: band((x) => x.energyGap),
    final: {
      collapseGap: runs.map((x) => last(x.collapseGap)),
      gaugeGap: runs.map((x) => last(x.gaugeGap)),
      conditionalDiameter: runs.map((x) => last(x.conditionalDiameter)),
      time: runs.map((x) => last(x.times)),
    },
  };
  if (model === "rope") {
    // G_x -> 1 - v_3^2 for the gauge-frame limit point v (docs/paper.md, Figure 2)
    s.predictedCollapseGap = runs.map((x) => 1 - limitPoint(x.finalGauge, n, 3)[2] ** 2);
  }
  return s;
}

/** The long-format CSV of fig2: one row per model, size and record time. */
export function fig2CSV(r: Fig2Result): string {
  const rows = ["model,n,t,collapseGap_mean,collapseGap_se,gaugeGap_mean,gaugeGap_se,conditionalDiameter_mean,conditionalDiameter_se,energyGap_mean,energyGap_se"];
  for (const s of r.series) {
    s.times.forEach((t, q) => {
      rows.push([s.model, s.n, t, s.collapseGap.mean[q], s.collapseGap.se[q], s.gaugeGap.mean[q], s.gaugeGap.se[q], s.conditionalDiameter.mean[q], s.conditionalDiameter.se[q], s.energyGap.mean[q], s.energyGap.se[q]].join(","));
    });
  }
  return rows.join("\n") + "\n";
}

/** Figure 2's tolerances at the final time T: a gap that closes ends below `closed`, one kept open stays above `open`. */
export const FIG2_TOLERANCE = { closed: 1e-6, open: 1e-3 } as const;

/**
 * Figure 2's predictions for one model and size, over every seed at T: the baseline collapses
 * (G_x -> 0); RoPE and the prompt collapse in the gauge frame (G_z -> 0) but not in the tokens
 * (G_x stays open); RoPE's G_x(T) is 1 - v_3^2 of the run's own gauge-frame limit v (Theorem 1).
 */
export function fig2Checks(s: Fig2Series): Criterion[] {
  const c = new Criteria();
  const max = (a: number[]) => Math.max(...a);
  if (s.model === "baseline") return c.atMost("max G_x(T)", max(s.final.collapseGap), FIG2_TOLERANCE.closed).list;
  c.atMost("max G_z(T)", max(s.final.gaugeGap), FIG2_TOLERANCE.closed).atLeast("min G_x(T)", Math.min(...s.final.collapseGap), FIG2_TOLERANCE.open);
  const p = s.predictedCollapseGap;
  if (p) c.atMost("max |G_x(T) - (1 - v3^2)|", max(p.map((g, q) => Math.abs(g - s.final.collapseGap[q]))), FIG2_TOLERANCE.closed);
  return c.list;
}
