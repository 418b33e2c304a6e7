// The demo page's problem configurations (demo/src/scenario.ts) are valid problems, and its
// prompt configuration realises the drawn targets (Theorem 4) from the first step on.
import { describe, expect, it } from "vitest";
import { createEngine, defineProblem } from "../src/index.js";
import { DEFAULT_SCENARIO, KERNEL_CHOICES, problemConfig, resampleCurve, stepFor, unit } from "../demo/src/scenario.js";

describe("demo scenarios", () => {
  it.each(KERNEL_CHOICES.map((k) => [k]))("%s is a valid problem at every n the page offers", (kernel) => {
    for (const n of [64, 256, 4096]) {
      const p = defineProblem(problemConfig({ ...DEFAULT_SCENARIO, kernel, n }));
      expect(p.dim).toBe(3);
      expect(Math.abs(p.n - n)).toBeLessThanOrEqual(kernel === "prompts" ? 2 * DEFAULT_SCENARIO.targets.length : 16);
    }
  });

  it("prompts: every label's particles converge onto its own target", async () => {
    const targets = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 0, -1], [-0.6, 0.8, 0]];
    const p = defineProblem(problemConfig({ ...DEFAULT_SCENARIO, kernel: "prompts", n: 100, targets }));
    expect(p.labelCount).toBe(5);
    const e = await createEngine(p);
    e.step("heun", 0.05, 600);
    const x = e.getState();
    let worst = 0;
    for (let i = 0; i < p.n; i++) {
      const t = targets[p.labels[i]];
      worst = Math.max(worst, Math.hypot(x[3 * i] - t[0], x[3 * i + 1] - t[1], x[3 * i + 2] - t[2]));
    }
    expect(worst).toBeLessThan(1e-9);
  });

  it.each([[0.5], [1], [4], [10]])("the page's step at beta = %s keeps the energy non-decreasing (Heun)", async (beta) => {
    expect(stepFor(beta)).toBeLessThanOrEqual(0.05);
    const p = defineProblem(problemConfig({ ...DEFAULT_SCENARIO, kernel: "baseline", beta, n: 64 }));
    const e = await createEngine(p);
    let last = e.evaluate().energy;
    for (let k = 0; k < 100; k++) {
      e.step("heun", stepFor(beta), 5);
      const energy = e.evaluate().energy;
      expect(energy).toBeGreaterThanOrEqual(last * (1 - 1e-12));
      last = energy;
    }
  });

  it("resamples a drawn curve to evenly spaced unit points, keeping its ends", () => {
    const arc = Array.from({ length: 101 }, (_, k) => [Math.cos((k * Math.PI) / 200), Math.sin((k * Math.PI) / 200), 0]);
    const out = resampleCurve(arc, 5);
    expect(out).toHaveLength(5);
    const expected = [0, 1, 2, 3, 4].map((k) => [Math.cos((k * Math.PI) / 8), Math.sin((k * Math.PI) / 8), 0]);
    out.forEach((p, k) => p.forEach((c, q) => expect(c).toBeCloseTo(expected[k][q], 4)));
    expect(() => unit([0, 0, 0])).toThrow(/non-zero/);
    // a short stroke is interpolated up to the count
    const two = resampleCurve([[1, 0, 0], [0, 1, 0]], 3);
    expect(two[1][0]).toBeCloseTo(Math.SQRT1_2, 12);
    expect(two[1][1]).toBeCloseTo(Math.SQRT1_2, 12);
  });
});
