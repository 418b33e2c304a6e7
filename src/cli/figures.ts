// The reproduction figures as SVG, from the experiments' results (Node only: Vega-Lite).
import type { Fig2Result } from "../experiments/fig2.js";
import type { Fig3Panel } from "../experiments/fig3.js";
import type { MetastabilityResult } from "../experiments/metastability.js";
import type { MeanFieldResult } from "../experiments/meanField.js";
import type { LostInTheMiddleResult } from "../experiments/lostInTheMiddle.js";
import type { PhaseDiagramResult } from "../experiments/phaseDiagram.js";
import { heatmapSVG } from "../plot/heatmap.js";
import { lineChartSVG, type LineSeries } from "../plot/lines.js";
import { sphereFigureSVG } from "../plot/sphere.js";

const MODEL_TITLE = { baseline: "baseline USA", rope: "RoPE", prompt: "prompt" } as const;

/**
 * Figure 2: mean +- SE over seeds per model (columns) and size (colours), log scale: the collapse
 * gap G_x (top row), the gauge-frame gap G_z and the conditional diameter (rows below).
 */
export async function fig2SVG(r: Fig2Result): Promise<string> {
  const rows = [
    ["G_x", (s: Fig2Result["series"][number]) => s.collapseGap],
    ["G_z", (s: Fig2Result["series"][number]) => s.gaugeGap],
    ["conditional diameter", (s: Fig2Result["series"][number]) => s.conditionalDiameter],
  ] as const;
  const series: LineSeries[] = [];
  for (const [label, pick] of rows) {
    for (const s of r.series) {
      const b = pick(s);
      series.push({
        name: `n = ${s.n}`,
        panel: `${MODEL_TITLE[s.model]}: ${label}`,
        x: s.times,
        y: b.mean,
        lo: b.mean.map((m, q) => m - b.se[q]),
        hi: b.mean.map((m, q) => m + b.se[q]),
      });
    }
  }
  return lineChartSVG({
    title: `Figure 2: mean ± SE over ${r.options.seeds} seeds (beta = ${r.options.beta}, d = 3); top row the collapse gap G_x = 1 - |mean x|^2`,
    xLabel: "t (depth)",
    yLabel: "value (log scale)",
    yScale: "log",
    series,
    columns: 3,
    rules: [{ y: 2 / 3, label: "E[1 - v3^2] = 2/3", panel: `${MODEL_TITLE.rope}: G_x` }],
  });
}

/** Figure 3: the six scenarios' final particles on spheres, with the predicted curve or points. */
export function fig3SVG(panels: Fig3Panel[]): string {
  return sphereFigureSVG(
    panels.map((p) => ({
      title: p.title,
      points: p.points,
      groups: p.scenario === "prompt" ? p.labels : undefined,
      curves: p.curve ? [{ points: p.curve, closed: true, label: p.prediction }] : undefined,
      markers: p.markers ?? undefined,
    })),
    { columns: 3, title: "Figure 3: the law each kernel represents (final particles; dashed/crosses: theory)" },
  );
}

/** Metastability: E/E* against log fast time, one curve per beta (the energy staircase). */
export async function metastabilitySVG(r: MetastabilityResult): Promise<string> {
  const series: LineSeries[] = [];
  for (const run of r.runs) {
    const keep = run.tau.map((t, q) => q).filter((q) => run.tau[q] > 0);
    series.push({ name: `beta = ${run.beta}`, panel: "energy E/E*", x: keep.map((q) => run.tau[q]), y: keep.map((q) => run.energyRatio[q]) });
    series.push({ name: `beta = ${run.beta}`, panel: "largest cluster diameter", x: keep.map((q) => run.tau[q]), y: keep.map((q) => run.clusterDiameter[q]) });
  }
  return lineChartSVG({
    title: `Metastability: energy staircase (fitted slope of log first-merger time vs beta ${r.mergerSlope?.toFixed(3) ?? "n/a"}; 1 - cos gap = ${r.predictedSlope.toFixed(3)})`,
    xLabel: "fast time tau = e^beta t",
    yLabel: "value",
    xScale: "log",
    yScale: "log",
    series,
    columns: 2,
  });
}

/** Mean-field convergence: the spread over seeds of G_x(t) against n, log-log, per t. */
export async function meanFieldSVG(r: MeanFieldResult): Promise<string> {
  const times = r.rows[0].times;
  const series: LineSeries[] = times.map((t, q) => ({ name: `t = ${t}`, x: r.rows.map((row) => row.n), y: r.rows.map((row) => row.std[q]) })).filter((_, q) => times[q] > 0);
  const n0 = r.rows[0].n, s0 = series[0]?.y[0] ?? 1;
  series.push({ name: "n^-1/2", x: r.rows.map((row) => row.n), y: r.rows.map((row) => s0 * Math.sqrt(n0 / row.n)) });
  return lineChartSVG({
    title: `Mean-field convergence (Prop. 4): std over ${r.options.seeds} seeds of G_x(t); fitted exponents ${r.rate.map((x) => x.exponent.toFixed(2)).join(", ")}`,
    xLabel: "n",
    yLabel: "std of G_x(t)",
    xScale: "log",
    yScale: "log",
    series,
  });
}

/** Lost in the middle: the last token's retrieval profile over source positions, one curve per time (bins, mean ± SE). */
export async function lostInTheMiddleSVG(r: LostInTheMiddleResult): Promise<string> {
  const o = r.options;
  const series: LineSeries[] = r.profiles.map((p) => ({
    name: `t = ${p.t}`,
    x: p.bins.map((b) => b.position),
    y: p.bins.map((b) => b.mean),
    lo: p.bins.map((b) => b.mean - b.se),
    hi: p.bins.map((b) => b.mean + b.se),
  }));
  return lineChartSVG({
    title: `Lost in the middle on the circle: n = ${o.n} tokens, causal ALiBi lambda = ${o.alibi}, ${o.normalize}, beta = ${o.beta}, ${o.seeds} seeds (mean ± SE over ${o.bins} bins)`,
    xLabel: "source position s",
    yLabel: "n E[phi(theta_N(t) - theta_s(0))]",
    series,
    width: 520,
    height: 320,
  });
}

/**
 * The phase diagram as two heat maps over (t, beta), each with the equiangular model's boundary
 * (the time its rho(t) reaches cos(angle)) drawn up to the end of the time axis:
 * `phase-diagram.svg` the fraction of clustered pairs, `phase-diagram-clusters.svg` the mean
 * union-find cluster count.
 */
export async function phaseDiagramSVG(r: PhaseDiagramResult): Promise<[string, string][]> {
  const o = r.options;
  const T = r.times[r.times.length - 1];
  const last = r.boundary.time.findIndex((t) => t > T);
  const keep = last < 0 ? r.boundary.time.length : last + 1;
  const overlay = [{ name: "equiangular model", x: r.boundary.time.slice(0, keep), y: r.boundary.beta.slice(0, keep) }];
  const setup = `${o.model.toUpperCase()}, n = ${o.n}, d = ${o.dim}, ${o.seeds} seeds per beta`;
  const common = { xLabel: "t", yLabel: "beta", x: r.times, y: r.betas, overlay: keep >= 2 ? overlay : [], width: 420, height: 320 };
  return [
    ["phase-diagram.svg", await heatmapSVG({ ...common, title: `Fraction of pairs with <x_i,x_j> >= ${Math.cos(o.angle).toPrecision(4)} (${setup})`, values: r.pairFraction, colorLabel: "clustered pairs" })],
    ["phase-diagram-clusters.svg", await heatmapSVG({ ...common, title: `Mean number of clusters at angle ${o.angle.toPrecision(3)} (union-find; ${setup})`, values: r.clusters, colorLabel: "clusters" })],
  ];
}
