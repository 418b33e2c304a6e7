// The paper's experiments on reduced settings: each prediction of docs/model.md asserted numerically.
import { describe, expect, it } from "vitest";
import { fig2CSV, fig2Config, resolveFig2, runFig2 } from "../src/experiments/fig2.js";
import { runFig3 } from "../src/experiments/fig3.js";
import { runMeanField } from "../src/experiments/meanField.js";
import { defineProblem } from "../src/problem.js";
import { parseSimulationConfig } from "../src/config.js";

describe("Figure 2 (reduced: 3 seeds, n in {32, 64}, T = 30)", async () => {
  const r = await runFig2({ seeds: 3, sizes: [32, 64] });
  const get = (model: string, n: number) => r.series.find((s) => s.model === model && s.n === n)!;

  it("baseline collapses: G_x(T) < 1e-6 for every seed and size", () => {
    for (const n of [32, 64]) for (const g of get("baseline", n).final.collapseGap) expect(g).toBeLessThan(1e-6);
  });
  it("RoPE and prompt: G_z(T) < 1e-6 while G_x(T) stays positive", () => {
    for (const model of ["rope", "prompt"]) {
      for (const n of [32, 64]) {
        const s = get(model, n);
        for (const g of s.final.gaugeGap) expect(g).toBeLessThan(1e-6);
        for (const g of s.final.collapseGap) expect(g).toBeGreaterThan(1e-3);
        for (const c of s.final.conditionalDiameter) expect(c).toBeLessThan(1e-6);
      }
    }
  });
  it("RoPE: G_x(T) = 1 - v3^2 with v the run's own gauge-frame limit point", () => {
    for (const n of [32, 64]) {
      const s = get("rope", n);
      s.final.collapseGap.forEach((g, q) => expect(Math.abs(g - s.predictedCollapseGap![q])).toBeLessThan(1e-6));
    }
  });
  it("the three models share the gauge-frame cloud within a seed", () => {
    const o = resolveFig2({});
    const z = ["baseline", "rope", "prompt"].map((m) => {
      const { problem } = parseSimulationConfig(fig2Config(m as "rope", 64, 7, o));
      const out = new Float64Array(problem.n * 3);
      // z_i = G_{a_i} x_i
      for (let i = 0; i < problem.n; i++) {
        for (let r2 = 0; r2 < 3; r2++) {
          let acc = 0;
          for (let c = 0; c < 3; c++) acc += (problem.gauges ? problem.gauges[problem.labels[i] * 9 + r2 * 3 + c] : r2 === c ? 1 : 0) * problem.initial[i * 3 + c];
          out[i * 3 + r2] = acc;
        }
      }
      return out;
    });
    for (let k = 0; k < z[0].length; k++) {
      expect(Math.abs(z[1][k] - z[0][k])).toBeLessThan(1e-14);
      expect(Math.abs(z[2][k] - z[0][k])).toBeLessThan(1e-14);
    }
  });
  it("mean +- SE bands and the CSV have one row per model, size and record", () => {
    for (const s of r.series) {
      expect(s.collapseGap.mean.length).toBe(s.times.length);
      expect(s.collapseGap.se.every((v) => v >= 0 && Number.isFinite(v))).toBe(true);
    }
    const lines = fig2CSV(r).trim().split("\n");
    expect(lines.length).toBe(1 + 3 * 2 * 61);
    expect(lines[0].split(",")).toContain("collapseGap_se");
  });
  it("rejects sizes that are not multiples of the particles per label", async () => {
    await expect(runFig2({ sizes: [30], seeds: 1 })).rejects.toThrow(/sizes/);
    expect(() => defineProblem({ dim: 3, n: 4 })).not.toThrow();
  });
});

describe("Figure 3 (n = 120): each predicted shape", async () => {
  const panels = await runFig3({ n: 120 });
  const m = (s: string) => panels.find((p) => p.scenario === s)!.measures;

  it("baseline and distance bias: a Dirac mass (diameter -> 0)", () => {
    expect(m("baseline").diameter).toBeLessThan(1e-8);
    expect(m("distanceBias").diameter).toBeLessThan(1e-8);
  });
  it("Toeplitz: a great circle (plane-fit residual -> 0) and E -> c1/4", () => {
    expect(m("toeplitz").planeResidual).toBeLessThan(1e-5);
    expect(m("toeplitz").energyGap).toBeLessThan(1e-8);
  });
  it("RoPE: a latitude circle (height spread -> 0) traversed uniformly", () => {
    expect(m("rope").heightSpread).toBeLessThan(1e-8);
    expect(m("rope").angleW1ToUniform).toBeLessThan(m("rope").uniformBound + 1e-5);
    expect(m("rope").orbitResidual).toBeLessThan(1e-8);
  });
  it("phase field: the wavy curve G_s^T v", () => {
    expect(m("phaseField").orbitResidual).toBeLessThan(1e-8);
    // it is not a latitude circle: the heights vary along the curve
    const p = panels.find((q) => q.scenario === "phaseField")!;
    const z = Array.from({ length: 120 }, (_, i) => p.points[i * 3 + 2]);
    expect(Math.max(...z) - Math.min(...z)).toBeGreaterThan(0.3);
  });
  it("prefix tokens: as many clusters as prompts, at the predicted points", () => {
    expect(m("prompt").clusters).toBe(5);
    expect(m("prompt").orbitResidual).toBeLessThan(1e-8);
  });
});

describe("mean-field convergence (Proposition 4)", () => {
  it("the spread over seeds of G_x(t) falls with n at a rate near n^-1/2", async () => {
    const r = await runMeanField({ sizes: [32, 64, 128, 256], seeds: 8, time: 2 });
    for (const { exponent } of r.rate) {
      expect(exponent).toBeLessThan(-0.25);
      expect(exponent).toBeGreaterThan(-0.8);
    }
  }, 60_000);
});

describe("Figure 2's opt-in shared gauge-frame run", () => {
  it("gives every model's series of separate runs to round-off, from a third of the runs", async () => {
    const a = await runFig2({ seeds: 2, sizes: [32], time: 12 });
    const b = await runFig2({ seeds: 2, sizes: [32], time: 12, sharedGaugeRun: true });
    expect(b.options.sharedGaugeRun).toBe(true);
    expect(b.series.map((s) => s.model)).toEqual(a.series.map((s) => s.model));
    for (let k = 0; k < a.series.length; k++) {
      const x = a.series[k], y = b.series[k];
      expect(y.times).toEqual(x.times);
      expect(y.final.time).toEqual(x.final.time);
      for (const f of ["collapseGap", "gaugeGap", "conditionalDiameter", "energyGap"] as const) {
        x[f].mean.forEach((v, q) => expect(Math.abs(v - y[f].mean[q])).toBeLessThan(1e-12));
      }
      x.final.collapseGap.forEach((v, q) => expect(Math.abs(v - y.final.collapseGap[q])).toBeLessThan(1e-12));
      // RoPE's and the prompt's G_x are their own, not the baseline's
      if (x.model !== "baseline") expect(Math.min(...y.final.collapseGap)).toBeGreaterThan(1e-3);
    }
  });
});
