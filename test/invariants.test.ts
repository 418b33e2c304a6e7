// Invariants and theorems every engine must satisfy (one suite, run against both engines).
import { describe, expect, it } from "vitest";
import { createEngine } from "../src/solve.js";
import { defineProblem } from "../src/problem.js";
import { gaugeOrbit, greatCircle } from "../src/theory.js";
import { ENGINES, engineFor, expectClose, kernelCases, normDrift, problemFor } from "./helpers.js";
import type { KernelSpec } from "../src/kernels/specs.js";

const gradientFlowCases = (d: number) => kernelCases(d).filter((c) => c.kernel!.name !== "sa");

describe.each(ENGINES)("%s engine", (kind) => {
  describe.each([3, 8])("d = %i", (d) => {
    it("keeps |x_i| = 1 to 1e-14 after every step (Heun and Euler)", async () => {
      for (const { kernel } of kernelCases(d)) {
        const e = await engineFor(kind, d, kernel, 5);
        let worst = 0;
        for (let s = 0; s < 60; s++) {
          e.step(s % 2 ? "heun" : "euler", 0.05);
          worst = Math.max(worst, normDrift(e.getState(), d));
        }
        expect(worst, `${kernel!.name}`).toBeLessThanOrEqual(1e-14);
      }
    });

    it.each(gradientFlowCases(d))("$label: dE/dt = (1/n) sum |dx_i/dt|^2 (Props 1, 6) and E never decreases", async ({ kernel }) => {
      const e = await engineFor(kind, d, kernel, 6);
      e.step("heun", 0.01, 50);
      // central difference around t1 = t0 + h with h = 1e-3: error O(h^2)
      const h = 1e-3;
      const e0 = e.evaluate().energy;
      e.step("heun", h);
      const { meanSquaredSpeed } = e.evaluate();
      e.step("heun", h);
      const e2 = e.evaluate().energy;
      const fd = (e2 - e0) / (2 * h);
      expect(Math.abs(fd - meanSquaredSpeed)).toBeLessThanOrEqual(1e-5 * Math.max(meanSquaredSpeed, 1e-3));
      // monotone along a Heun run with a small step
      let prev = e.evaluate().energy;
      for (let s = 0; s < 100; s++) {
        e.step("heun", 0.01);
        const cur = e.evaluate().energy;
        expect(cur).toBeGreaterThanOrEqual(prev - 1e-14 * Math.abs(prev));
        prev = cur;
      }
    });

    it.each(kernelCases(d).filter((c) => c.kernel!.name !== "toeplitz"))(
      "$label: the conditional Dirac G_a^T v is stationary with E = E* (Thms 1, 2, 4)", async ({ kernel }) => {
        const p = problemFor(d, kernel, 7);
        expect(p.energyMax).not.toBeNull();
        const v = new Float64Array(d);
        v[0] = 0.6; v[d - 1] = 0.8;
        const e = await createEngine(p, { engine: kind });
        e.setState(gaugeOrbit(p, v));
        const { energy, meanSquaredSpeed } = e.evaluate();
        expect(Math.abs(energy - p.energyMax!) / p.energyMax!).toBeLessThanOrEqual(1e-13);
        expect(Math.sqrt(meanSquaredSpeed)).toBeLessThanOrEqual(1e-12);
      });
  });

  it("Toeplitz: the great circle at the dominant frequency is stationary with E = E* = c_k/4 (Prop. 10)", async () => {
    for (const d of [3, 5]) {
      const p = defineProblem({ dim: d, kernel: { name: "toeplitz", coefficients: [0.2, 1, 0.3] }, labels: { count: 16, perLabel: 4 } });
      expect(p.energyMax).toBeCloseTo(0.25, 15);
      const e = await createEngine(p, { engine: kind });
      e.setState(greatCircle(p, 1));
      const { energy, meanSquaredSpeed } = e.evaluate();
      expect(Math.abs(energy - 0.25)).toBeLessThanOrEqual(1e-14);
      expect(Math.sqrt(meanSquaredSpeed)).toBeLessThanOrEqual(1e-12);
      // from a random start the flow climbs to E*, never above it
      const r = await engineFor(kind, d, { name: "toeplitz", coefficients: [0.2, 1, 0.3] }, 9);
      r.step("heun", 0.05, 600);
      const end = r.evaluate().energy;
      expect(end).toBeLessThanOrEqual(0.25 + 1e-14);
      expect(0.25 - end).toBeLessThanOrEqual(1e-6);
    }
  });

  it("E* = e^beta / (2 beta) for the baseline, and the baseline run approaches it from below", async () => {
    const p = defineProblem({ dim: 3, beta: 2, n: 40, init: { seed: 2, law: "uniform" } });
    expect(p.energyMax).toBe(Math.exp(2) / 4);
    const e = await createEngine(p, { engine: kind });
    e.step("heun", 0.01, 2000);
    const end = e.evaluate().energy;
    expect(end).toBeLessThanOrEqual(p.energyMax! * (1 + 1e-13));
    expect((p.energyMax! - end) / p.energyMax!).toBeLessThanOrEqual(1e-9);
  });
});

describe("gauge equivalence (docs/model.md: RoPE and prompt flows are the baseline in disguise)", () => {
  const d = 3;
  const cases: { label: string; kernel: KernelSpec }[] = [
    { label: "RoPE", kernel: { name: "rope", omega: 2 * Math.PI, plane: [0, 1] } },
    { label: "prompt", kernel: { name: "prompt", phases: Array.from({ length: 16 }, (_, a) => 0.37 * a * a), plane: [0, 1] } },
    { label: "prompt (orthogonal gauges)", kernel: { name: "prompt", gauges: Array.from({ length: 16 }, (_, a) => [[1, 0, 0], [0, Math.cos(a), -Math.sin(a)], [0, Math.sin(a), Math.cos(a)]]) } },
  ];
  it.each(cases)("$label mapped to the gauge frame equals the baseline from the same gauge-frame cloud", async ({ kernel }) => {
    const init = { seed: 21, law: "uniform" as const, frame: "gauge" as const };
    const model = defineProblem({ dim: d, kernel, labels: { count: 16, perLabel: 4 }, init });
    const baseline = defineProblem({ dim: d, kernel: { name: "usa" }, labels: { count: 16, perLabel: 4 }, init });
    // the JS engine integrates the model in the original frame, with its gauges
    const a = await createEngine(model, { engine: "js" });
    const b = await createEngine(baseline, { engine: "js" });
    expectClose(a.getGaugeState(), b.getState(), 1e-15, "initial gauge-frame clouds");
    a.step("heun", 0.01, 400);
    b.step("heun", 0.01, 400);
    expectClose(a.getGaugeState(), b.getState(), 1e-12, "gauge-frame states after 400 steps");
    // and the model itself did not collapse in the original frame while the baseline did contract
    expect(a.evaluate().energy).toBeCloseTo(b.evaluate().energy, 12);
  });
});
