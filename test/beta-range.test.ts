// beta from 1e-3 to 5000: the shifted exponent exp(beta (u - 1)) with the scale carried as a change
// of time (timeScale "fast": tau = e^beta t, energies as E e^-beta). Finite results, unit norms,
// and the predicted collapse (baseline) or non-collapse (RoPE).
import { describe, expect, it } from "vitest";
import { defineProblem } from "../src/problem.js";
import { createEngine, solve, solutionToJSON } from "../src/solve.js";
import { ENGINES } from "./helpers.js";
import type { KernelSpec } from "../src/kernels/specs.js";

const BETAS = [1e-3, 1, 50, 700, 5000];

/** A start that interacts at this beta: a cap of angular radius about beta^-1/2 (the kernel's width). */
function config(beta: number, kernel: KernelSpec) {
  const fast = beta > 1;
  return {
    dim: 3, beta, kernel, labels: { count: 16, perLabel: 4 },
    init: { law: "cap" as const, center: [0.6, 0, 0.8], radius: Math.min(1, 1 / Math.sqrt(beta)), frame: "gauge" as const, seed: 3 },
    ...(fast ? { timeScale: "fast" as const } : {}),
  };
}

describe.each(BETAS)("beta = %s", (beta) => {
  it("baseline: finite, unit norms, collapse (G_x -> 0); RoPE: G_z -> 0 while G_x stays positive", async () => {
    const solver = { step: 0.05, time: 40, record: 1 };
    const base = await solve(defineProblem(config(beta, { name: "usa" })), solver);
    const rope = await solve(defineProblem(config(beta, { name: "rope" })), solver);
    for (const s of [base, rope]) {
      expect([...s.energy, ...s.collapseGap, ...s.final].every(Number.isFinite)).toBe(true);
      for (let i = 0; i < 64; i++) expect(Math.abs(Math.hypot(s.final[i * 3], s.final[i * 3 + 1], s.final[i * 3 + 2]) - 1)).toBeLessThan(1e-14);
      // energy monotone and at most E* (both on the same scale), up to round-off: at collapse
      // u = <z_i, z_j> rounds to 1 +- 2 eps, which moves exp(beta (u - 1)) by about 2 beta eps
      const slack = 1e-13 + 8 * beta * Number.EPSILON;
      for (let k = 1; k < s.energy.length; k++) expect(s.energy[k]).toBeGreaterThanOrEqual(s.energy[k - 1] - slack * Math.abs(s.energy[k - 1]));
      expect(s.energy.at(-1)!).toBeLessThanOrEqual(s.energyMax! * (1 + slack));
    }
    expect(base.collapseGap.at(-1)!).toBeLessThan(1e-10);
    expect(rope.gaugeGap.at(-1)!).toBeLessThan(1e-10);
    // the orbit of v = (0.6, 0, 0.8) under RoPE has G_x = 1 - 0.8^2 = 0.36, up to where the cap settled
    expect(rope.collapseGap.at(-1)!).toBeGreaterThan(0.2);
    const json = solutionToJSON(base);
    expect(json.timeScale).toBe(beta > 1 ? "fast" : "natural");
    expect(json.energyUnit).toBe(beta > 1 ? "E*exp(-beta)" : "E");
  }, 60_000);
});

describe("the fast scale is a change of time", () => {
  it.each(ENGINES)("%s: the natural flow at t and the fast flow at tau = e^beta t agree; energies differ by e^beta", async (engine) => {
    const beta = 3;
    const nat = await createEngine(defineProblem({ ...config(beta, { name: "rope" }), timeScale: "natural" }), { engine });
    const fast = await createEngine(defineProblem({ ...config(beta, { name: "rope" }), timeScale: "fast" }), { engine });
    const h = 0.001, scale = Math.exp(beta);
    const e1 = nat.evaluate().energy, e2 = fast.evaluate().energy;
    expect(Math.abs(e2 * scale - e1) / e1).toBeLessThan(1e-14);
    nat.step("heun", h, 200);
    fast.step("heun", h * scale, 200);
    const a = nat.getState(), b = fast.getState();
    for (let q = 0; q < a.length; q++) expect(Math.abs(a[q] - b[q])).toBeLessThan(1e-13);
  });

  it("beta beyond 700 on the natural scale names the fast scale; beyond 1e5 is refused", () => {
    expect(() => defineProblem({ dim: 3, n: 4, beta: 5000 })).toThrow(/^beta: got 5000; allowed: .*"timeScale": "fast"/);
    expect(() => defineProblem({ dim: 3, n: 4, beta: 2e5, timeScale: "fast" })).toThrow(/^beta: got 200000; allowed: a finite number > 0 <= 100000/);
    expect(() => defineProblem({ dim: 3, n: 4, timeScale: "slow" as never })).toThrow(/^timeScale: got "slow"/);
  });
});
