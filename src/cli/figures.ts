// The reproduction figures as SVG, from the experiments' results (Node only: Vega-Lite).
import { FIG2_MODELS, type Fig2Result } from "../experiments/fig2.js";
import type { Fig3Panel } from "../experiments/fig3.js";
import type { MetastabilityResult } from "../experiments/metastability.js";
import type { MeanFieldResult } from "../experiments/meanField.js";
import type { LostInTheMiddleResult } from "../experiments/lostInTheMiddle.js";
import type { PhaseDiagramResult } from "../experiments/phaseDiagram.js";
import { heatmapSVG } from "../plot/heatmap.js";
import { lineChartSVG, type LineChartSpec, type LineSeries, type PanelAxis } from "../plot/lines.js";
import { sphereFigureSVG } from "../plot/sphere.js";

/** A number's text with the minus sign U+2212 in place of the hyphen. */
const minus = (text: string): string => text.replace(/-/g, "−");

const MODEL_TITLE = { baseline: "baseline USA", rope: "RoPE", prompt: "prompt" } as const;

/** The collapse gap G_x = 1 - |mean x|^2 and its gauge-frame twin, as axis titles. */
const GX = "Gₓ = 1 − |x̄|²";
const GZ = "G_{z} = 1 − |z̄|²";

/**
 * Figure 2 as a chart: mean ± SE over seeds per model (columns) and size (colours). Top row the
 * collapse gap G_x: log scale for the baseline (it collapses to round-off), linear for RoPE and
 * the prompt (they stay near their predicted level, RoPE's E[1 - v_3^2] = 2/3 dashed). Below,
 * the gauge-frame gap G_z and the conditional diameter, log scale. Each panel has its own y range.
 */
export function fig2Chart(r: Fig2Result): LineChartSpec {
  type S = Fig2Result["series"][number];
  const rows: [string, string, (s: S) => S["collapseGap"]][] = [
    ["Gₓ", GX, (s) => s.collapseGap],
    ["G_{z}", GZ, (s) => s.gaugeGap],
    ["conditional diameter", "conditional diameter", (s) => s.conditionalDiameter],
  ];
  const panel = (model: keyof typeof MODEL_TITLE, row: string) => `${MODEL_TITLE[model]}: ${row}`;
  const series: LineSeries[] = [];
  const panelAxes: PanelAxis[] = [];
  for (const [row, yLabel, pick] of rows) {
    for (const model of FIG2_MODELS) {
      const linear = row === "Gₓ" && model !== "baseline";
      panelAxes.push({ panel: panel(model, row), yLabel, yScale: linear ? "linear" : "log" });
    }
    for (const s of r.series) {
      const b = pick(s);
      series.push({
        name: `n = ${s.n}`,
        panel: panel(s.model, row),
        x: s.times,
        y: b.mean,
        lo: b.mean.map((m, q) => m - b.se[q]),
        hi: b.mean.map((m, q) => m + b.se[q]),
      });
    }
  }
  return {
    title: `Figure 2: collapse through depth, mean ± SE over ${r.options.seeds} seeds (β = ${r.options.beta}, d = 3)`,
    subtitle: "Gₓ: collapse gap of the tokens; G_{z}: of the gauge frame. Dashed: RoPE's prediction E[1 − v₃²] = 2/3.",
    xLabel: "t (depth)",
    yLabel: GX,
    series,
    columns: 3,
    width: 300,
    height: 190,
    yResolve: "independent",
    panelAxes,
    rules: [{ y: 2 / 3, label: "E[1 − v₃²] = 2/3", panel: panel("rope", "Gₓ") }],
  };
}

/** Figure 2 as SVG (`fig2Chart`). */
export async function fig2SVG(r: Fig2Result): Promise<string> {
  return lineChartSVG(fig2Chart(r));
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

/**
 * Metastability as a chart, against the fast time τ = e^β t (log): E/E* on a linear scale (the
 * energy staircase: a plateau per metastable state, a step at each merger) and the largest
 * cluster diameter on a log scale, one curve per β, each panel with its own y range.
 */
export function metastabilityChart(r: MetastabilityResult): LineChartSpec {
  const series: LineSeries[] = [];
  for (const run of r.runs) {
    const keep = run.tau.map((_, q) => q).filter((q) => run.tau[q] > 0);
    const x = keep.map((q) => run.tau[q]);
    series.push({ name: `β = ${run.beta}`, panel: "energy", x, y: keep.map((q) => run.energyRatio[q]) });
    series.push({ name: `β = ${run.beta}`, panel: "largest cluster diameter", x, y: keep.map((q) => run.clusterDiameter[q]) });
  }
  return {
    title: "Metastability: the energy staircase (Theorem 5)",
    subtitle: `slope of log(first merger time) against β: ${r.mergerSlope?.toFixed(3) ?? "n/a"}; predicted 1 − cos(gap) = ${r.predictedSlope.toFixed(3)}`,
    xLabel: "fast time τ = eᵝt",
    yLabel: "E / E*",
    xScale: "log",
    series,
    columns: 2,
    yResolve: "independent",
    panelAxes: [{ panel: "energy", yScale: "linear", yLabel: "E / E*" }, { panel: "largest cluster diameter", yScale: "log", yLabel: "diameter (rad)" }],
  };
}

/** Metastability as SVG (`metastabilityChart`). */
export async function metastabilitySVG(r: MetastabilityResult): Promise<string> {
  return lineChartSVG(metastabilityChart(r));
}

/**
 * Mean-field convergence as a chart: the spread over seeds of G_x(t) against n, log-log, one
 * curve per t, and the rate n^(-1/2) of Proposition 4 dashed through the first point.
 */
export function meanFieldChart(r: MeanFieldResult): LineChartSpec {
  const times = r.rows[0].times;
  const n = r.rows.map((row) => row.n);
  const series: LineSeries[] = times.map((t, q) => ({ name: `t = ${t}`, x: n, y: r.rows.map((row) => row.std[q]) })).filter((_, q) => times[q] > 0);
  const n0 = n[0], s0 = series[0]?.y[0] ?? 1;
  series.push({ name: "∝ 1/√n", x: n, y: n.map((m) => s0 * Math.sqrt(n0 / m)), dashed: true });
  return {
    title: "Mean-field convergence (Proposition 4)",
    subtitle: `std over ${r.options.seeds} seeds of Gₓ(t); fitted exponents ${r.rate.map((x) => minus(x.exponent.toFixed(2))).join(", ")} (predicted −0.5)`,
    xLabel: "n (particles)",
    xTicks: n,
    yLabel: "std of Gₓ(t) over seeds",
    xScale: "log",
    yScale: "log",
    series,
  };
}

/** Mean-field convergence as SVG (`meanFieldChart`). */
export async function meanFieldSVG(r: MeanFieldResult): Promise<string> {
  return lineChartSVG(meanFieldChart(r));
}

/** Lost in the middle as a chart: the last token's retrieval profile over source positions, one curve per time (bins, mean ± SE). */
export function lostInTheMiddleChart(r: LostInTheMiddleResult): LineChartSpec {
  const o = r.options;
  const series: LineSeries[] = r.profiles.map((p) => ({
    name: `t = ${p.t}`,
    x: p.bins.map((b) => b.position),
    y: p.bins.map((b) => b.mean),
    lo: p.bins.map((b) => b.mean - b.se),
    hi: p.bins.map((b) => b.mean + b.se),
  }));
  return {
    title: "Lost in the middle on the circle",
    subtitle: `n = ${o.n} tokens, causal ALiBi λ = ${o.alibi}, ${o.normalize.toUpperCase()}, β = ${o.beta}, ${o.seeds} seeds (mean ± SE over ${o.bins} bins)`,
    xLabel: "source position s",
    yLabel: "n·E[φ(θ_{N}(t) − θₛ(0))]",
    series,
    width: 420,
    height: 280,
  };
}

/** Lost in the middle as SVG (`lostInTheMiddleChart`). */
export async function lostInTheMiddleSVG(r: LostInTheMiddleResult): Promise<string> {
  return lineChartSVG(lostInTheMiddleChart(r));
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
  const setup = `${o.model.toUpperCase()}, n = ${o.n}, d = ${o.dim}, ${o.seeds} seeds per β`;
  const common = { xLabel: "t", yLabel: "β", x: r.times, y: r.betas, overlay: keep >= 2 ? overlay : [], width: 420, height: 320 };
  return [
    ["phase-diagram.svg", await heatmapSVG({ ...common, title: `Fraction of pairs with ⟨xᵢ, xⱼ⟩ ≥ ${Math.cos(o.angle).toPrecision(4)} (${setup})`, values: r.pairFraction, colorLabel: "clustered pairs" })],
    ["phase-diagram-clusters.svg", await heatmapSVG({ ...common, title: `Mean number of clusters at angle ${o.angle.toPrecision(3)} (union-find; ${setup})`, values: r.clusters, colorLabel: "clusters" })],
  ];
}
