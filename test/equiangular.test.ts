// The equiangular reduction (src/equiangular.ts): the scalar ODE against its closed form at
// beta = 0 and its quadrature, the equiangular starts, and the particle simulation of both
// engines started equiangular against the scalar rho(t) (issue 7, item 6).
import { describe, expect, it } from "vitest";
import { defineProblem } from "../src/problem.js";
import { createEngine } from "../src/solve.js";
import { ConfigError } from "../src/errors.js";
import {
  equiangularConfiguration, equiangularHittingTime, equiangularMin, equiangularRate, pairwiseInnerProducts, solveEquiangular,
} from "../src/equiangular.js";
import { ENGINES, expectClose, normDrift } from "./helpers.js";

describe("the scalar ODE for rho(t)", () => {
  it("matches the closed form at beta = 0, (1 + (n-1) rho)/(1 - rho) = C e^{2t}, for USA and SA", () => {
    const times = [0, 0.05, 0.3, 1, 2.5, 6];
    for (const n of [2, 7, 32]) for (const rho0 of [equiangularMin(n) + 1e-3, 0, 0.6]) for (const normalize of ["usa", "sa"] as const) {
      const C = (1 + (n - 1) * rho0) / (1 - rho0);
      const exact = times.map((t) => { const K = C * Math.exp(2 * t); return (K - 1) / (K + n - 1); });
      expectClose(solveEquiangular({ n, beta: 0, normalize }, rho0, times), exact, 1e-11, `n = ${n}, rho0 = ${rho0}, ${normalize}`);
    }
  });

  it("the rate is the derived formula: USA (2/n) e^{beta rho}(1+(n-1)rho)(1-rho), SA divided by (e^beta + (n-1)e^{beta rho})/n", () => {
    const n = 9, beta = 3, rho = 0.4;
    const usa = (2 / n) * Math.exp(beta * rho) * (1 + (n - 1) * rho) * (1 - rho);
    expect(equiangularRate({ n, beta }, rho)).toBeCloseTo(usa, 12);
    expect(equiangularRate({ n, beta, normalize: "sa" }, rho) / usa).toBeCloseTo(n / (Math.exp(beta) + (n - 1) * Math.exp(beta * rho)), 12);
    expect(equiangularRate({ n, beta, timeScale: "fast" }, rho) / usa).toBeCloseTo(Math.exp(-beta), 14);
    expect(equiangularRate({ n, beta, normalize: "sa", timeScale: "fast" }, rho)).toBe(equiangularRate({ n, beta, normalize: "sa" }, rho));
    expect(equiangularRate({ n, beta }, 1)).toBe(0);
    expect(equiangularRate({ n, beta }, equiangularMin(n))).toBeCloseTo(0, 15);
  });

  it("the hitting time (quadrature) and the RK4 solution agree: rho(t*) = threshold", () => {
    for (const normalize of ["usa", "sa"] as const) for (const beta of [0.1, 1, 5, 9]) for (const threshold of [0.5, 0.999]) {
      const m = { n: 32, beta, normalize };
      const t = equiangularHittingTime(m, 0, threshold);
      expect(t).toBeGreaterThan(0);
      expectClose(solveEquiangular(m, 0, [t])[0], threshold, 1e-10, `${normalize} beta = ${beta}`);
    }
    expect(equiangularHittingTime({ n: 4, beta: 1 }, 0.5, 0.2)).toBe(0);
    expect(equiangularHittingTime({ n: 4, beta: 1 }, 0.5, 1)).toBe(Infinity);
    expect(equiangularHittingTime({ n: 4, beta: 1 }, -1 / 3, 0.5)).toBe(Infinity);
  });

  it("the fast time scale is the change of time tau = e^beta t for USA", () => {
    const beta = 4, n = 10, tau = [0, 20, 100, 400];
    const fast = solveEquiangular({ n, beta, timeScale: "fast" }, 0.1, tau);
    const natural = solveEquiangular({ n, beta }, 0.1, tau.map((s) => s * Math.exp(-beta)));
    expectClose(fast, natural, 1e-11, "rho(tau) vs rho(e^-beta tau)");
  });

  it("refuses bad input with a ConfigError naming the parameter", () => {
    expect(() => solveEquiangular({ n: 1, beta: 1 }, 0, [1])).toThrow(/model\.n/);
    expect(() => solveEquiangular({ n: 4, beta: -1 }, 0, [1])).toThrow(/model\.beta/);
    expect(() => solveEquiangular({ n: 4, beta: 800 }, 0, [1])).toThrow(/model\.beta/);
    expect(() => solveEquiangular({ n: 4, beta: 1 }, -0.5, [1])).toThrow(/rho0: got -0.5/);
    expect(() => solveEquiangular({ n: 4, beta: 1 }, 0, [1, 0.5])).toThrow(/times\[1\]/);
    expect(() => equiangularConfiguration(5, 4, 0)).toThrow(ConfigError);
    expect(() => equiangularConfiguration(5, 4, 0)).toThrow(/^d: got 4; allowed: an integer >= 5/);
  });
});

describe("equiangular starts", () => {
  it("n unit vectors in R^d (d >= n) with <x_i, x_j> = rho0 exactly, for rho0 in [-1/(n-1), 1]", () => {
    for (const [n, d] of [[2, 2], [6, 6], [11, 20], [16, 17]]) for (const rho0 of [equiangularMin(n), -0.05, 0, 0.3, 0.99, 1]) {
      const x = equiangularConfiguration(n, d, rho0);
      expect(normDrift(x, d)).toBeLessThanOrEqual(1e-15);
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) {
        let s = 0;
        for (let k = 0; k < d; k++) s += x[i * d + k] * x[j * d + k];
        expect(Math.abs(s - rho0), `n = ${n}, rho0 = ${rho0}, pair ${i},${j}`).toBeLessThanOrEqual(1e-15);
      }
    }
  });
});

// Heun's global error is O(h^2): the particle rho(t) differs from the scalar ODE's (RK4, error
// below 1e-11) by C h^2. Measured C <= 26 (USA, beta = 4, n = 6); the stated bound is 40 h^2, and
// halving h must divide the difference by 4 (3.6 to 4.4), which a model mismatch would not do.
describe("particle simulation started equiangular = the scalar ODE (both engines)", () => {
  const T = 3, record = 0.1, h = 0.01;
  const times = Array.from({ length: T / record + 1 }, (_, q) => q * record);

  async function simulate(engine: "wasm" | "js", normalize: "usa" | "sa", n: number, beta: number, step: number, rho0: number, timeScale: "natural" | "fast" = "natural") {
    const d = n + 1;
    const x0 = equiangularConfiguration(n, d, rho0);
    const problem = defineProblem({ dim: d, beta, timeScale, kernel: { name: normalize }, init: { points: Array.from({ length: n }, (_, i) => Array.from(x0.subarray(i * d, (i + 1) * d))) } });
    const e = await createEngine(problem, { engine, threads: 1 });
    const mean: number[] = [];
    let spread = 0;
    try {
      for (let q = 0; q < times.length; q++) {
        if (q > 0) e.step("heun", step, Math.round(record / step));
        const s = pairwiseInnerProducts(e.getState(), n, d);
        mean.push(s.mean);
        spread = Math.max(spread, s.spread);
      }
    } finally {
      e.dispose();
    }
    return { mean, spread };
  }

  const maxDiff = (a: number[], b: ArrayLike<number>) => Math.max(...a.map((v, q) => Math.abs(v - b[q])));

  for (const normalize of ["usa", "sa"] as const) {
    it(`${normalize}: n in {6, 11, 16}, beta in {0.5, 2, 4}, rho0 = 0 and 0.3`, async () => {
      for (const n of [6, 11, 16]) for (const beta of [0.5, 2, 4]) {
        const rho0 = n === 11 ? 0.3 : 0;
        const ode = solveEquiangular({ n, beta, normalize }, rho0, times);
        expect(ode[ode.length - 1]).toBeGreaterThan(rho0 + 0.1); // the runs move rho
        const coarse: number[][] = [];
        for (const engine of ENGINES) {
          const run = await simulate(engine, normalize, n, beta, h, rho0);
          expect(run.spread, `${engine} n = ${n} beta = ${beta}: spread of <x_i,x_j>`).toBeLessThanOrEqual(1e-13);
          expect(maxDiff(run.mean, ode), `${engine} n = ${n} beta = ${beta}`).toBeLessThanOrEqual(40 * h * h);
          coarse.push(run.mean);
        }
        expectClose(coarse[0], coarse[1], 1e-12, "wasm vs js");
        const fine = await simulate("wasm", normalize, n, beta, h / 2, rho0);
        const ratio = maxDiff(coarse[0], ode) / maxDiff(fine.mean, ode);
        expect(ratio, `n = ${n} beta = ${beta}: error ratio h / (h/2)`).toBeGreaterThanOrEqual(3.6);
        expect(ratio).toBeLessThanOrEqual(4.4);
      }
    });
  }

  it("usa on the fast time scale (tau = e^beta t) follows the fast-scale ODE", async () => {
    const n = 8, beta = 6;
    // on the fast scale, rho moves at e^{-beta(1-rho)}: start close to 1 so that it does
    const ode = solveEquiangular({ n, beta, timeScale: "fast" }, 0.8, times);
    expect(ode[ode.length - 1]).toBeGreaterThan(0.9);
    for (const engine of ENGINES) {
      const run = await simulate(engine, "usa", n, beta, h, 0.8, "fast");
      expect(maxDiff(run.mean, ode)).toBeLessThanOrEqual(40 * h * h);
      expect(run.spread).toBeLessThanOrEqual(1e-13);
    }
  });
});
