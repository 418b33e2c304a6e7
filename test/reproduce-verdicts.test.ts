// PASS or FAIL beside each prediction `mft reproduce` checks: the experiments' checks on results
// built to pass and to fail, the line format, and whole runs that pass (converged) and fail (stopped early).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main, type CliIO } from "../src/cli/main.js";
import { formatValue, verdict, Verdicts } from "../src/cli/verdict.js";
import { fig2Checks, FIG2_TOLERANCE, type Fig2Series } from "../src/experiments/fig2.js";
import { fig3Checks, type Fig3Panel } from "../src/experiments/fig3.js";
import { lostInTheMiddleChecks, type LostInTheMiddleProfile, type LostInTheMiddleResult } from "../src/experiments/lostInTheMiddle.js";
import { meanFieldChecks, type MeanFieldResult } from "../src/experiments/meanField.js";
import { metastabilityChecks, type MetastabilityResult } from "../src/experiments/metastability.js";

function capture(): CliIO & { out: string[]; err: string[] } {
  const out: string[] = [], err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), readStdin: () => "" };
}

const band = { mean: [0], se: [0] };
function series(model: Fig2Series["model"], gx: number[], gz: number[], predicted?: number[]): Fig2Series {
  return {
    model, n: 32, times: [0], collapseGap: band, gaugeGap: band, conditionalDiameter: band, energyGap: band,
    final: { collapseGap: gx, gaugeGap: gz, conditionalDiameter: gz, time: gx.map(() => 30) }, predictedCollapseGap: predicted,
  };
}

describe("verdict lines", () => {
  it("print the quantity, its value, PASS or FAIL, and the bound", () => {
    expect(verdict({ quantity: "max G_z(T)", value: 1.6e-15, relation: "<=", bound: 1e-6, pass: true })).toBe("max G_z(T) = 1.6e-15 PASS (<= 1e-6)");
    expect(verdict({ quantity: "margin / SE", value: 1.9134, relation: ">=", bound: 2, pass: false })).toBe("margin / SE = 1.91 FAIL (>= 2)");
    expect(formatValue(NaN)).toBe("NaN");
    expect(formatValue(0.0524)).toBe("0.0524");
    const v = new Verdicts();
    expect(v.summary()).toBe("");
    expect(v.add(fig2Checks(series("baseline", [1e-15], [1e-15])))).toBe("max G_x(T) = 1e-15 PASS (<= 1e-6)");
    v.add(fig2Checks(series("baseline", [0.5], [0.5])));
    expect(v.summary()).toBe("2 predictions checked: 1 PASS, 1 FAIL");
  });
});

describe("the experiments' checks", () => {
  it("Figure 2: baseline collapses; RoPE and prompt close G_z, keep G_x open, RoPE at 1 - v3^2", () => {
    const pass = (c: { pass: boolean }[]) => c.map((x) => x.pass);
    expect(pass(fig2Checks(series("baseline", [2e-15, 1e-15], [2e-15, 1e-15])))).toEqual([true]);
    expect(pass(fig2Checks(series("baseline", [2e-15, 2 * FIG2_TOLERANCE.closed], [0, 0])))).toEqual([false]);
    expect(pass(fig2Checks(series("rope", [0.4, 0.9], [1e-15, 1e-15], [0.4, 0.9])))).toEqual([true, true, true]);
    // collapsed tokens (G_x ~ 0) and a limit off its prediction both fail
    expect(pass(fig2Checks(series("rope", [1e-12, 0.9], [1e-15, 1e-15], [1e-12, 0.8])))).toEqual([true, false, false]);
    expect(pass(fig2Checks(series("prompt", [0.4], [1e-3])))).toEqual([false, true]);
  });

  it("Figure 3: each shape's distance to its prediction, and one cluster per prompt", () => {
    const panel = (scenario: Fig3Panel["scenario"], measures: Record<string, number>) => ({ scenario, measures }) as Fig3Panel;
    expect(fig3Checks(panel("baseline", { diameter: 1e-15 })).map((c) => c.pass)).toEqual([true]);
    expect(fig3Checks(panel("distanceBias", { diameter: 1e-3 })).map((c) => c.pass)).toEqual([false]);
    expect(fig3Checks(panel("rope", { heightSpread: 1e-15, angleW1ToUniform: 0.06, uniformBound: 0.05, orbitResidual: 1e-15 })).map((c) => c.pass)).toEqual([true, false, true]);
    expect(fig3Checks(panel("prompt", { clusters: 4, orbitResidual: 1e-15 })).map((c) => c.pass)).toEqual([false, true]);
    expect(fig3Checks(panel("prompt", { clusters: 5, orbitResidual: 1e-15 })).map((c) => c.pass)).toEqual([true, true]);
  });

  it("metastability: contraction at the largest beta, later mergers at larger beta, the log-slope within 30%", () => {
    const run = (beta: number, firstMerger: number | null, contractionRate: number | null) => ({ beta, firstMerger, contractionRate }) as MetastabilityResult["runs"][number];
    const r = (runs: MetastabilityResult["runs"], mergerSlope: number) => ({ runs, mergerSlope, predictedSlope: 0.546 }) as MetastabilityResult;
    expect(metastabilityChecks(r([run(8, 51, null), run(12, 310, 0.26)], 0.45)).map((c) => c.pass)).toEqual([true, true, true]);
    // the slope 0.3 is 45% off 0.546; mergers in the wrong order; no contraction fit
    expect(metastabilityChecks(r([run(8, 310, 0.2), run(12, 51, null)], 0.3)).map((c) => c.pass)).toEqual([false, false, false]);
  });

  it("mean field: the fitted exponent within 0.25 of -1/2", () => {
    const r = { rate: [{ t: 1, exponent: -0.44 }, { t: 2, exponent: -0.8 }, { t: 3, exponent: -0.2 }] } as MeanFieldResult;
    expect(meanFieldChecks(r).map((c) => [c.value, c.pass])).toEqual([[Math.abs(-0.44 + 0.5), true], [Math.abs(-0.8 + 0.5), false], [Math.abs(-0.2 + 0.5), false]]);
  });

  it("lost in the middle: recency at t = 1, a U at t = 2, primacy at t = 3 of the reference setup; nothing elsewhere", () => {
    const options = { alibi: 1, normalize: "sa", beta: 1 } as LostInTheMiddleResult["options"];
    const profile = (t: number, means: number[], se = 0.05): LostInTheMiddleProfile => ({ t, positions: [], mean: [], se: [], bins: means.map((mean, k) => ({ position: (k + 0.5) / means.length, mean, se })) });
    const pass = (t: number, means: number[], o = options) => lostInTheMiddleChecks(o, profile(t, means)).map((c) => c.pass);
    expect(pass(1, [1, 1.1, 1.2, 1.5])).toEqual([true]);
    expect(pass(1, [1.5, 1.2, 1.1, 1])).toEqual([false]);
    expect(pass(2, [2, 1.5, 1.6, 2.1])).toEqual([true, true, true, true]);
    expect(pass(2, [2, 1.95, 1.96, 2.1])).toEqual([true, true, false, false]); // a valley 2.5% and 0.7 SE deep
    expect(pass(3, [3, 2.5, 2.4, 2.2])).toEqual([true]);
    expect(pass(4, [3, 2.5, 2.4, 2.2])).toEqual([]);
    expect(pass(2, [2, 1.5, 1.6, 2.1], { ...options, alibi: 2 })).toEqual([]);
  });
});

describe("mft reproduce prints PASS or FAIL beside each prediction", () => {
  const dir = mkdtempSync(join(tmpdir(), "mft-verdicts-"));
  const run = async (time: string) => {
    const io = capture();
    expect(await main(["reproduce", "fig2", "--seeds", "2", "--sizes", "32", "--time", time, "--out", join(dir, `t${time}`)], io)).toBe(0);
    return io.out.join("").trim().split("\n");
  };

  it("fig2 run to convergence: every line's checks PASS, and the closing line counts them", async () => {
    const lines = await run("30");
    const fig2 = lines.filter((l) => l.startsWith("fig2 "));
    expect(fig2).toHaveLength(3);
    expect(fig2[0]).toMatch(/^fig2 baseline .*max G_x\(T\) = \S+ PASS \(<= 1e-6\)$/);
    expect(fig2[1]).toMatch(/max G_z\(T\) = \S+ PASS \(<= 1e-6\), min G_x\(T\) = \S+ PASS \(>= 0.001\), max \|G_x\(T\) - \(1 - v3\^2\)\| = \S+ PASS/);
    expect(lines.at(-1)).toBe("reproduce: 6 predictions checked: 6 PASS, 0 FAIL");
  }, 60_000);

  it("fig2 stopped at t = 1, before the collapse: the baseline's and the gauge frame's checks FAIL", async () => {
    const lines = await run("1");
    expect(lines[0]).toMatch(/^fig2 baseline .*max G_x\(T\) = \S+ FAIL \(<= 1e-6\)$/);
    expect(lines[1]).toMatch(/max G_z\(T\) = \S+ FAIL/);
    expect(lines.at(-1)).toMatch(/^reproduce: 6 predictions checked: \d PASS, [1-6] FAIL$/);
  }, 60_000);
});
