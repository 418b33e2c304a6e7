// The reproduction figures' chart specs (src/cli/figures.ts): each panel's y scale, the dashed
// references, the labels' notation, and SVGs as wide as their content. Results are synthetic:
// the figures' layout does not depend on the simulation.
import { describe, expect, it } from "vitest";
import { fig2Chart, fig2SVG, lostInTheMiddleChart, lostInTheMiddleSVG, meanFieldChart, meanFieldSVG, metastabilityChart, metastabilitySVG } from "../src/cli/figures.js";
import type { Fig2Result, Fig2Series } from "../src/experiments/fig2.js";
import type { MetastabilityResult } from "../src/experiments/metastability.js";
import type { MeanFieldResult } from "../src/experiments/meanField.js";
import type { LostInTheMiddleResult } from "../src/experiments/lostInTheMiddle.js";
import type { LineChartSpec } from "../src/plot/index.js";
import { allText, findAll, hasClass, parseXml, type XmlElement } from "./xml.js";

const times = [0, 1, 2, 3, 4, 5];
const band = (mean: number[]) => ({ mean, se: mean.map((m) => m / 10) });

const fig2: Fig2Result = {
  options: { sizes: [64, 128], seeds: 3, time: 5, step: 0.01, record: 1, beta: 1, perLabel: 4, stop: null },
  series: (["baseline", "rope", "prompt"] as const).flatMap((model) => [64, 128].map((n): Fig2Series => {
    const decay = times.map((t) => Math.exp(-6 * t));
    const gx = model === "baseline" ? decay : times.map((t) => 0.6 + 0.4 * Math.exp(-t));
    return {
      model, n, times, collapseGap: band(gx), gaugeGap: band(decay), conditionalDiameter: band(decay.map(Math.sqrt)), energyGap: band(decay),
      final: { collapseGap: [gx[5]], gaugeGap: [decay[5]], conditionalDiameter: [Math.sqrt(decay[5])], time: [5] },
    };
  })),
};

const metastability: MetastabilityResult = {
  runs: [8, 10].map((beta) => ({
    beta, tau: [0, 1, 10, 100, 500], energy: [1, 1, 1, 1, 1],
    energyRatio: [0.4, 0.45, 0.48, beta === 8 ? 0.69 : 0.48, 0.69],
    clusterDiameter: [0.3, 0.1, 1e-3, 1e-5, 1e-7], clusters: [3, 3, 3, 2, 2], contractionRate: 0.2, firstMerger: beta === 8 ? 60 : 300,
  })),
  mergerSlope: 0.45,
  predictedSlope: 0.546,
  options: { betas: [8, 10], centreAngles: [0, 1.1, 2.5], radius: 0.2, labelsPerCluster: 4, perLabel: 4, length: 0.5, horizon: 500, step: 0.05, record: 1, dim: 3, seed: 1 },
};

const meanField: MeanFieldResult = {
  rows: [32, 64, 128, 256].map((n) => ({ n, times: [0, 1, 2], mean: [1, 0.5, 0.3], std: [0, 0.3 / Math.sqrt(n), 0.5 / Math.sqrt(n)] })),
  rate: [{ t: 1, exponent: -0.5 }, { t: 2, exponent: -0.48 }],
  meanGap: [0, 0, 0, 0],
  options: { sizes: [32, 64, 128, 256], seeds: 8, time: 2, beta: 1 },
};

const lostInTheMiddle = {
  options: { n: 32, beta: 1, alibi: 1, normalize: "sa", times: [1, 2], seeds: 64, seed: 1, step: 0.05, modes: 20, width: 8, epsilon: 1e-6, bins: 4, engine: "wasm" },
  profiles: [1, 2].map((t) => ({ t, positions: [], mean: [], se: [], bins: [0.1, 0.4, 0.6, 0.9].map((position, k) => ({ position, mean: t + (k === 1 ? -0.3 : 0), se: 0.05 })) })),
} as unknown as LostInTheMiddleResult;

/** Every label a chart spec shows: titles, axis titles, series names, rule labels. */
function labels(c: LineChartSpec): string[] {
  return [c.title ?? "", c.subtitle ?? "", c.xLabel, c.yLabel, ...c.series.map((s) => s.name), ...(c.series.map((s) => s.panel ?? "")), ...(c.panelAxes ?? []).map((a) => a.yLabel ?? ""), ...(c.rules ?? []).map((r) => r.label ?? "")];
}

/** Notation the figures must not use: ASCII exponents and subscripts, spelled-out Greek, generic axis titles. */
const PLAIN_NOTATION = [/\^\d/, /\bv3\b/, /G_[xz]\b/, /\bbeta\b/, /\btau\b/, /\btheta\b/, /\bphi\b/, /\blambda\b/, /value \(log scale\)/, /^value$/];

function svgSize(svg: string): { width: number; height: number; doc: XmlElement } {
  const doc = parseXml(svg);
  return { width: Number(doc.attrs.width), height: Number(doc.attrs.height), doc };
}

describe("reproduction figures", () => {
  it("Figure 2: RoPE's and the prompt's Gₓ panels on their own linear scale, every other panel log; independent y ranges", () => {
    const c = fig2Chart(fig2);
    expect(c.yResolve).toBe("independent");
    const scale = new Map(c.panelAxes!.map((a) => [a.panel, a.yScale]));
    expect(scale.get("baseline USA: Gₓ")).toBe("log");
    expect(scale.get("RoPE: Gₓ")).toBe("linear");
    expect(scale.get("prompt: Gₓ")).toBe("linear");
    for (const m of ["baseline USA", "RoPE", "prompt"]) {
      expect(scale.get(`${m}: G_{z}`)).toBe("log");
      expect(scale.get(`${m}: conditional diameter`)).toBe("log");
    }
    // every series sits in a panel with an axis, and the prediction 2/3 is in RoPE's Gₓ panel only
    for (const s of c.series) expect(scale.has(s.panel!)).toBe(true);
    expect(c.rules).toEqual([{ y: 2 / 3, label: "E[1 − v₃²] = 2/3", panel: "RoPE: Gₓ" }]);
  });

  it("metastability: E/E* linear (the staircase), cluster diameter log, each its own range", () => {
    const c = metastabilityChart(metastability);
    expect(c.yResolve).toBe("independent");
    expect(c.xScale).toBe("log");
    expect(c.panelAxes).toEqual([{ panel: "energy", yScale: "linear", yLabel: "E / E*" }, { panel: "largest cluster diameter", yScale: "log", yLabel: "diameter (rad)" }]);
  });

  it("mean field: the n^(-1/2) reference dashed, ticks at the system sizes", () => {
    const c = meanFieldChart(meanField);
    expect(c.series.filter((s) => s.dashed).map((s) => s.name)).toEqual(["∝ 1/√n"]);
    expect(c.xTicks).toEqual([32, 64, 128, 256]);
    // the reference passes through the first curve's first point with slope -1/2
    const ref = c.series.find((s) => s.dashed)!;
    expect(ref.y[0]).toBeCloseTo(c.series[0].y[0], 12);
    expect(Math.log(ref.y[3] / ref.y[0]) / Math.log(256 / 32)).toBeCloseTo(-0.5, 12);
  });

  it("labels in mathematical notation (Gₓ, v₃², β, τ, θ_N), no generic 'value' axis", () => {
    const all = [fig2Chart(fig2), metastabilityChart(metastability), meanFieldChart(meanField), lostInTheMiddleChart(lostInTheMiddle)].flatMap(labels);
    for (const text of all) for (const bad of PLAIN_NOTATION) expect(text, `${JSON.stringify(text)} matches ${bad}`).not.toMatch(bad);
    expect(all).toContain("Gₓ = 1 − |x̄|²");
    expect(all).toContain("n·E[φ(θ_{N}(t) − θₛ(0))]");
    expect(all).toContain("fast time τ = eᵝt");
  });

  it("the SVGs: dashed references, 10⁻ⁿ log labels, subscripts as tspans, and no width beyond their content", async () => {
    const f2 = svgSize(await fig2SVG(fig2));
    const rules = findAll(f2.doc, (e) => e.attrs["aria-roledescription"] === "rule mark");
    expect(rules.map((r) => r.attrs["stroke-dasharray"])).toEqual(["6,4"]);
    const tickLabels = findAll(f2.doc, hasClass("role-axis-label")).flatMap((g) => findAll(g, (e) => e.name === "text")).map(allText);
    expect(tickLabels.some((l) => /^10⁻[⁰¹²³⁴⁵⁶⁷⁸⁹]+$/.test(l))).toBe(true);
    expect(tickLabels.some((l) => /e-\d/.test(l))).toBe(false);
    // three panels of 300 px, y axes and a legend: well under the 1343 px the old layout took
    expect(f2.width).toBeLessThan(3 * 300 + 3 * 80 + 100);

    const mf = svgSize(await meanFieldSVG(meanField));
    const dashed = findAll(mf.doc, (e) => e.attrs["aria-roledescription"] === "line mark" && e.attrs["stroke-dasharray"] === "6,4");
    expect(dashed).toHaveLength(1);
    expect(mf.width).toBeLessThan(360 + 80 + 110); // panel, y axis, legend (was 1107 px)

    const litm = await lostInTheMiddleSVG(lostInTheMiddle);
    expect(litm).toMatch(/θ<tspan dy="[\d.]+" font-size="[\d.]+px">N<\/tspan>/);
    expect(svgSize(litm).width).toBeLessThan(420 + 80 + 80); // was 1376 px

    const ms = svgSize(await metastabilitySVG(metastability));
    expect(ms.width).toBeLessThan(2 * 360 + 2 * 80 + 100);
  });
});
