// Adaptive stepping: Heun with an embedded Euler error estimate under rtol/atol.
import { describe, expect, it } from "vitest";
import { ConfigError } from "../src/errors.js";
import { defineProblem } from "../src/problem.js";
import { createEngine, run, solve } from "../src/solve.js";
import { defineSolver } from "../src/solver.js";

const problem = () => defineProblem({ dim: 3, beta: 1, kernel: { name: "rope" }, labels: { count: 16, perLabel: 4 }, init: { law: "uniform", seed: 3 } });

describe("adaptive stepping", () => {
  it("tighter tolerances take more steps and land closer to a fine fixed-step solution", async () => {
    const p = problem();
    const reference = await solve(p, { step: 0.0005, time: 8, record: 1 });
    const gaps: number[] = [], steps: number[] = [];
    for (const rtol of [1e-4, 1e-6, 1e-7]) {
      const a = await solve(p, { step: 0.01, time: 8, record: 1, adaptive: { rtol, atol: 0 } });
      expect(Array.from(a.times)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
      let w = 0;
      for (let q = 0; q < a.final.length; q++) w = Math.max(w, Math.abs(a.final[q] - reference.final[q]));
      gaps.push(w);
      steps.push(a.steps);
    }
    expect(steps[1]).toBeGreaterThan(steps[0]);
    expect(steps[2]).toBeGreaterThan(steps[1]);
    expect(gaps[1]).toBeLessThan(gaps[0] / 10);
    expect(gaps[0]).toBeLessThan(1e-3);
    expect(gaps[2]).toBeLessThan(gaps[1]);
  });

  it("keeps the invariants: unit norms and a monotone energy", async () => {
    const s = await solve(problem(), { step: 0.1, time: 20, record: 0.5, adaptive: { rtol: 1e-5 } });
    for (let k = 1; k < s.energy.length; k++) expect(s.energy[k]).toBeGreaterThanOrEqual(s.energy[k - 1] - 1e-12);
    for (let i = 0; i < 64; i++) expect(Math.abs(Math.hypot(s.final[i * 3], s.final[i * 3 + 1], s.final[i * 3 + 2]) - 1)).toBeLessThan(1e-14);
  });

  it("resumes a checkpoint bitwise", async () => {
    const p = problem();
    const solver = defineSolver({ step: 0.01, time: 6, record: 0.5, adaptive: { rtol: 1e-6 } });
    const cps: Parameters<NonNullable<Parameters<typeof run>[2] extends infer O ? O extends { onCheckpoint?: infer F } ? F : never : never>>[0][] = [];
    const whole = await run(await createEngine(p), solver, { checkpointEvery: 4, onCheckpoint: (c) => cps.push(c) });
    const resumed = await run(await createEngine(p), solver, { resume: cps[1] });
    expect(Buffer.from(resumed.final.buffer).equals(Buffer.from(whole.final.buffer))).toBe(true);
    expect(resumed.steps).toBe(whole.steps);
    expect(resumed.rejectedSteps).toBe(whole.rejectedSteps);
  });

  it("bad adaptive options name the field", () => {
    expect(() => defineSolver({ adaptive: { rtol: -1 } })).toThrow(/^solver\.adaptive\.rtol: got -1/);
    expect(() => defineSolver({ adaptive: { rtol: 0, atol: 0 } })).toThrow(/^solver\.adaptive: .*rtol \+ atol > 0/);
    expect(() => defineSolver({ method: "euler", adaptive: {} })).toThrow(ConfigError);
    expect(() => defineSolver({ adaptive: { speed: 1 } as never })).toThrow(/solver\.adaptive/);
  });

  it("a tolerance the steps cannot meet stops with a clear error", async () => {
    await expect(solve(problem(), { step: 0.01, time: 1, record: 1, adaptive: { rtol: 1e-300, atol: 0, minStep: 1e-6 } })).rejects.toThrow(/adaptive step fell below solver\.adaptive\.minStep = 0\.000001/);
  });
});
