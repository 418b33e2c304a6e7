// Toeplitz cosine kernels: Proposition 10 (E* and the great circle), Example 6 (W = cos).
import { collapseGap } from "../diagnostics/collapse.js";
import { planeFitResidual } from "../diagnostics/laws.js";
import { gaugeOrbit, greatCircle } from "../theory.js";
import { Criteria, type TheoremCheck } from "./report.js";
import { checkMaximiser, defineProblem, flow, gridProblem, resolve } from "./setup.js";

/** max_{i,j} |<x_i, x_j> - cos(2 pi k (s_i - s_j))|: 0 iff x is a uniform rotation at frequency k on a great circle. */
function rotationDefect(x: Float64Array, n: number, d: number, s: (i: number) => number, k: number): number {
  let worst = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let g = 0;
      for (let q = 0; q < d; q++) g += x[i * d + q] * x[j * d + q];
      worst = Math.max(worst, Math.abs(g - Math.cos(2 * Math.PI * k * (s(i) - s(j)))));
    }
  }
  return worst;
}

export const proposition10: TheoremCheck = {
  name: "proposition10",
  claim: "Proposition 10 (Toeplitz linear kernels)",
  async run(o) {
    const { seed, dim, engine } = resolve(o);
    const c = new Criteria();
    // c_1 dominant, c_2 dominant (a great circle run twice), c_0 dominant (a constant path)
    for (const [coefficients, k] of [[[0.2, 1, 0.3], 1], [[0, 0.2, 1], 2], [[1, 0.5], 0]] as [number[], number][]) {
      const cfg = gridProblem(dim, seed, { name: "toeplitz", coefficients });
      const p = defineProblem(cfg);
      const predicted = (1 / 2) * Math.max(coefficients[0], ...coefficients.slice(1).map((v) => v / 2));
      const tag = `c = [${coefficients}]`;
      c.atMost(`${tag}: |E*(library) - (1/2) max(c0, c_k/2)|`, Math.abs((p.energyMax ?? NaN) - predicted), 1e-15);
      if (k > 0) {
        await checkMaximiser(c, `${tag}: the great circle at k* = ${k}`, p, greatCircle(p, k), engine);
      }
      const sol = await flow(cfg, engine, { method: "heun", step: 0.01, time: 80, record: 1 });
      const T = sol.times.length - 1;
      c.atMost(`${tag}: (E* - E(T))/E*`, sol.energyGap![T], 1e-8);
      if (k > 0) {
        c.atMost(`${tag}: great-circle residual at T`, planeFitResidual(sol.final, p.n, dim), 1e-4);
        c.atMost(`${tag}: uniform rotation defect at T`, rotationDefect(sol.final, p.n, dim, (i) => p.positions[p.labels[i]], k), 1e-4);
      } else {
        await checkMaximiser(c, `${tag}: a constant path`, p, gaugeOrbit(p, Float64Array.from({ length: dim }, (_, q) => (q === 0 ? 1 : 0))), engine);
        c.atMost(`${tag}: G_x(T) (a constant path)`, collapseGap(sol.final, p.n, dim), 1e-8);
      }
    }
    return c.report({ ...this, prediction: "E* = (1/2) max(c_0, max_k c_k/2); for a dominant k* >= 1 the maximiser is the uniform rotation x(s) = cos(2 pi k* s) e1 + sin(2 pi k* s) e2 on a great circle, for c_0 dominant a constant path" }, seed, dim);
  },
};

export const example6: TheoremCheck = {
  name: "example6",
  claim: "Example 6 (cosine Toeplitz kernel: the uniform great circle)",
  async run(o) {
    const { seed, dim, engine } = resolve(o);
    const cfg = gridProblem(dim, seed, { name: "toeplitz", coefficients: [0, 1] });
    const p = defineProblem(cfg);
    const c = new Criteria();
    await checkMaximiser(c, "one uniform turn of a great circle", p, greatCircle(p, 1), engine);
    const sol = await flow(cfg, engine, { method: "heun", step: 0.01, time: 80, record: 1 });
    const T = sol.times.length - 1;
    c
      .atMost("|E(T) - 1/4| / (1/4)", Math.abs(sol.energy[T] - 0.25) / 0.25, 1e-8)
      .atMost("great-circle residual at T", planeFitResidual(sol.final, p.n, dim), 1e-4)
      .atMost("max |<x_i,x_j> - cos(2 pi (s_i - s_j))| at T", rotationDefect(sol.final, p.n, dim, (i) => p.positions[p.labels[i]], 1), 1e-4);
    return c.report({ ...this, prediction: "W = cos(2 pi (s - s')) (c_1 = 1): E* = c_1/4 = 1/4, attained by one uniform turn around a great circle; the flow converges to it" }, seed, dim);
  },
};
