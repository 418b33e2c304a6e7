// `mft reproduce mean-field-limit`: runs the experiment, prints its measurements and PASS/FAIL
// lines, and writes mean-field-limit.json, .csv and .svg (Node only: Vega-Lite).
import { join } from "node:path";
import type { TopLevelSpec } from "vega-lite";
import { meanFieldLimitCSV, runMeanFieldLimit, type MeanFieldLimitOptions, type MeanFieldLimitPanel, type MeanFieldLimitResult } from "../experiments/meanFieldLimit.js";
import { heatmapSpec } from "../plot/heatmap.js";
import { lineChartSpec, type LineSeries } from "../plot/lines.js";
import { CHART_CONFIG, vegaLiteToSVG } from "../plot/vega.js";
import { writeFileAtomic } from "./atomic-write.js";
import type { CliIO } from "./main.js";
import { progressBar } from "./progress.js";
import type { Verdicts } from "./verdict.js";

/** The flags of `mft reproduce` that this experiment reads. */
export interface MeanFieldLimitFlags {
  out: string;
  quick: boolean;
  seeds?: number;
  sizes?: number[];
  /** the Theorem 1 run's terminal time */
  time?: number;
  threads?: number;
  /** the run's PASS/FAIL tally (mft reproduce's closing line) */
  verdicts?: Verdicts;
}

/** The --quick settings: n = 64 ... 512, 16 seeds, Heun step 0.05, a smaller grid; exponents checked within 2 standard errors. */
export const QUICK: MeanFieldLimitOptions = { sizes: [64, 128, 256, 512], seeds: 16, particleStep: 0.05, angles: 64, labels: 16, refine: 64, quick: true, strict: false };

const TITLE = { baseline: "baseline USA", rope: "RoPE" } as const;

/** Largest number of time columns and angle rows drawn in a heat map (cells are merged above it). */
const HEAT_COLUMNS = 26, HEAT_ROWS = 64;

/** One model's (t, theta) heat map of log10 of the solution's density, with the particle histograms as ridges ending at their times. */
function panelSpec(p: MeanFieldLimitPanel): Record<string, unknown> {
  const floor = 1e-3;
  const every = Math.ceil((p.times.length - 1) / (HEAT_COLUMNS - 1)), merge = Math.max(1, Math.ceil(p.angles.length / HEAT_ROWS));
  const cols = p.times.map((_, r) => r).filter((r) => r % every === 0);
  const rows = Array.from({ length: Math.floor(p.angles.length / merge) }, (_, k) => k);
  // merged cells: the mean density over `merge` neighbouring angle cells
  const cellMean = (r: number, k: number): number => { let s = 0; for (let j = 0; j < merge; j++) s += p.density[r][k * merge + j]; return s / merge; };
  const angles = rows.map((k) => { let s = 0; for (let j = 0; j < merge; j++) s += p.angles[k * merge + j]; return s / merge; });
  const values = rows.map((k) => cols.map((r) => Math.log10(Math.max(floor, cellMean(r, k)))));
  // a histogram at time t drawn as x = t - 0.8 h(theta) / max h: a ridge whose right edge is t
  const overlay = p.histograms.map((h) => {
    const top = Math.max(...h.density);
    return { name: `particles, t = ${h.t}`, x: h.density.map((v) => h.t - (0.8 * v) / top), y: p.angles };
  });
  const n = p.histograms[0]?.n;
  const spec = heatmapSpec({
    title: `${TITLE[p.model]}: log10 density of theta; ridges: ${n ?? ""} particles`,
    xLabel: "t", yLabel: "theta", x: cols.map((r) => p.times[r]), y: angles, values, colorLabel: "log10 density", overlay, width: 300, height: 260,
  }) as unknown as Record<string, unknown>;
  const { $schema: _s, config: _c, ...body } = spec;
  return body;
}

/** W1 against n, log-log, one line per (model, t) with its fitted exponent, and n^-1/2 for reference. */
function w1Spec(r: MeanFieldLimitResult): Record<string, unknown> {
  const series: LineSeries[] = r.w1.map((s) => ({
    name: `${s.model} t = ${s.t}: r = ${s.exponent.toFixed(2)}`,
    x: s.sizes, y: s.mean, lo: s.mean.map((m, i) => m - s.se[i]), hi: s.mean.map((m, i) => m + s.se[i]),
  }));
  const first = r.w1[0], n0 = first.sizes[0];
  series.push({ name: "n^-1/2", x: first.sizes, y: first.sizes.map((n) => first.mean[0] * Math.sqrt(n0 / n)) });
  const spec = lineChartSpec({
    title: `W1(particles, solution) over ${r.options.seeds} seeds (mean ± SE)`,
    xLabel: "n", yLabel: "W1 on the circle", xScale: "log", yScale: "log", series, width: 300, height: 260,
  }) as unknown as Record<string, unknown>;
  const { $schema: _s, config: _c, ...body } = spec;
  return body;
}

/** The figure: the two heat maps and the W1 plot side by side. */
export async function meanFieldLimitSVG(r: MeanFieldLimitResult): Promise<string> {
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: `The mean-field limit on the circle (beta = ${r.options.beta}, RoPE omega = ${r.options.omega.toFixed(4)}, x_0 in a cap of radius 1)`,
    hconcat: [...r.panels.map(panelSpec), w1Spec(r)],
    resolve: { scale: { color: "independent", fill: "independent", stroke: "independent", strokeDash: "independent" }, legend: { color: "independent", fill: "independent", stroke: "independent", strokeDash: "independent" } },
    config: { ...CHART_CONFIG, legend: { ...CHART_CONFIG.legend, labelLimit: 240 } },
  };
  return vegaLiteToSVG(spec as unknown as TopLevelSpec);
}

/** JSON with typed arrays as plain arrays. */
function toJSON(v: unknown): string {
  return JSON.stringify(v, (_, x) => (ArrayBuffer.isView(x) ? Array.from(x as unknown as ArrayLike<number>) : x), 1);
}

/** Runs the experiment for `mft reproduce`, prints what it measured and its checks, and writes its files. */
export async function meanFieldLimitCommand(c: MeanFieldLimitFlags, io: CliIO): Promise<string[]> {
  const bar = progressBar("mean-field-limit", io);
  const r = await runMeanFieldLimit({
    ...(c.quick ? QUICK : {}),
    ...(c.sizes ? { sizes: c.sizes } : {}),
    ...(c.seeds ? { seeds: c.seeds } : {}),
    ...(c.time ? { theoremTime: c.time } : {}),
    threads: c.threads,
    onProgress: (d, t) => bar.update(d, t),
  });
  bar.finish();
  for (const s of r.refinement) io.stdout(`mean-field-limit refinement ${s.name}: errors ${s.errors.map((e) => e.toExponential(2)).join(", ")}; orders ${s.orders.map((o) => o.toFixed(2)).join(", ")} (stated ${s.stated})\n`);
  for (const s of r.w1) io.stdout(`mean-field-limit W1 ${s.model.padEnd(8)} t = ${s.t}: ${s.mean.map((m, i) => `n = ${s.sizes[i]}: ${m.toExponential(2)}`).join(", ")}; exponent ${s.exponent.toFixed(3)} ± ${s.exponentSE.toFixed(3)}\n`);
  for (const k of r.checks) io.stdout(`mean-field-limit ${k.pass ? "PASS" : "FAIL"} ${k.name}: ${k.detail}\n`);
  c.verdicts?.tally(r.checks);
  const files: [string, string][] = [["mean-field-limit.json", toJSON(r)], ["mean-field-limit.csv", meanFieldLimitCSV(r)], ["mean-field-limit.svg", await meanFieldLimitSVG(r)]];
  return files.map(([name, text]) => { const path = join(c.out, name); writeFileAtomic(path, text); return path; });
}
