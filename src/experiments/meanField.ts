// Mean-field convergence (Proposition 4): the empirical law of n i.i.d. particles follows the
// mean-field flow up to a Dobrushin bound W1(mu^n_t, mu_t) <= e^{Lt} W1(mu^n_0, mu_0) = O(n^{-1/2}).
// Seen on a statistic of the law: G_x(t) on a fixed grid of t, over seeds, as n grows.
import type { BatchJob } from "../batch.js";
import { runSweep, type Sweep } from "./sweep.js";
import type { SimulationConfig } from "../config.js";
import type { EngineKind } from "../engines/engine.js";
import { ConfigError } from "../errors.js";
import { requireNumber } from "../validate.js";
import { fitSlope } from "./fit-slope.js";
import { Criteria, type Criterion } from "../theorems/report.js";

/** Options of the mean-field experiment: sizes, seeds and terminal time. */
export interface MeanFieldOptions {
  /** system sizes; default [64, 128, 256, 512, 1024] */
  sizes?: number[];
  /** seeds per size; default 16 */
  seeds?: number;
  /** terminal time; default 4 (grid t = 0, 1, ..., T) */
  time?: number;
  beta?: number;
  threads?: number;
  engine?: EngineKind;
  onProgress?: (done: number, total: number) => void;
}

export interface MeanFieldRow {
  n: number;
  times: number[];
  /** mean over seeds of G_x(t) */
  mean: number[];
  /** standard deviation over seeds of G_x(t): the fluctuation of the empirical statistic */
  std: number[];
}

/** The spread of G_x(t) over seeds for each size, and the fitted exponent r of std ~ n^r at each time. */
export interface MeanFieldResult {
  rows: MeanFieldRow[];
  /** per grid time t > 0: the fitted exponent r of std ~ n^r (Proposition 4 and the CLT: r = -1/2) */
  rate: { t: number; exponent: number }[];
  /** per size: max over t of |mean_n(t) - mean_{largest n}(t)| (the successive means settle) */
  meanGap: number[];
  options: { sizes: number[]; seeds: number; time: number; beta: number };
}

/** RoPE on S^2, one particle per position s_a = a/n, contents i.i.d. in a cap of radius 1 about e1. */
export function meanFieldConfig(n: number, seed: number, time: number, beta: number): SimulationConfig {
  return {
    dim: 3,
    beta,
    kernel: { name: "rope", omega: 2 * Math.PI, plane: [0, 1] },
    labels: { count: n, perLabel: 1 },
    init: { law: "cap", center: [1, 0, 0], radius: 1, seed },
    solver: { method: "heun", step: 0.01, time, record: 1 },
  };
}

/** The sweep behind the mean-field figure: one job per (size, seed). */
export function meanFieldSweep(options: MeanFieldOptions = {}): Sweep<MeanFieldResult> {
  const sizes = options.sizes ?? [64, 128, 256, 512, 1024];
  if (!Array.isArray(sizes) || sizes.length < 2) throw new ConfigError("sizes", sizes, "at least two system sizes");
  sizes.forEach((n, i) => requireNumber(`sizes[${i}]`, n, { integer: true, min: 2, max: 1 << 20 }));
  const seeds = options.seeds === undefined ? 16 : requireNumber("seeds", options.seeds, { integer: true, min: 2, max: 100000 });
  const time = options.time === undefined ? 4 : requireNumber("time", options.time, { min: 1 });
  const beta = options.beta === undefined ? 1 : requireNumber("beta", options.beta, { above: 0, max: 700 });
  const keys: string[] = [], jobs: BatchJob[] = [];
  for (const n of sizes) for (let s = 1; s <= seeds; s++) {
    keys.push(`n=${n}/seed=${s}`);
    jobs.push({ config: { ...meanFieldConfig(n, s, time, beta), engine: options.engine ?? "wasm" } });
  }
  const resolved = { sizes, seeds, time, beta };
  return {
    name: "meanfield",
    options: resolved,
    keys,
    jobs,
    aggregate(results) {
      const rows: MeanFieldRow[] = sizes.map((n, q) => {
        const runs = results.slice(q * seeds, (q + 1) * seeds);
        const times = Array.from(runs[0].times);
        const mean = times.map((_, r) => runs.reduce((acc, x) => acc + x.collapseGap[r], 0) / seeds);
        const std = times.map((_, r) => Math.sqrt(runs.reduce((acc, x) => acc + (x.collapseGap[r] - mean[r]) ** 2, 0) / (seeds - 1)));
        return { n, times, mean, std };
      });
      const grid = rows[0].times;
      const rate = grid.map((t, r) => ({ t, exponent: fitSlope(rows.map((row) => [Math.log(row.n), Math.log(row.std[r])] as const)) })).filter((x) => x.t > 0);
      const ref = rows[rows.length - 1];
      const meanGap = rows.map((row) => Math.max(...row.mean.map((m, r) => Math.abs(m - ref.mean[r]))));
      return { rows, rate, meanGap, options: resolved };
    },
  };
}

/** Mean-field convergence (Proposition 4): the spread of G_x(t) over seeds against n, and its fitted exponent. */
export async function runMeanField(options: MeanFieldOptions = {}): Promise<MeanFieldResult> {
  return runSweep(meanFieldSweep(options), options);
}

/** Tolerance on the fitted exponent r of std(G_x(t)) ~ n^r around Proposition 4's -1/2 (few seeds: a loose band). */
export const MEAN_FIELD_TOLERANCE = 0.25;

/** Proposition 4 (fluctuations of order n^(-1/2)): |r + 1/2| against MEAN_FIELD_TOLERANCE, one check per entry of `r.rate`. */
export function meanFieldChecks(r: MeanFieldResult): Criterion[] {
  const c = new Criteria();
  for (const x of r.rate) c.atMost("|r + 0.5|", Math.abs(x.exponent + 0.5), MEAN_FIELD_TOLERANCE);
  return c.list;
}
