// Nonnegative positional kernels: Proposition 11 and Example 4 (distance bias collapses).
import { collapseGap } from "../diagnostics/collapse.js";
import { gaugeOrbit } from "../theory.js";
import { Criteria, type TheoremCheck } from "./report.js";
import { checkMaximiser, checkRandom, defineProblem, flow, SLOW_FLOW, gridProblem, measureAt, randomUnit, resolve } from "./setup.js";

export const proposition11: TheoremCheck = {
  name: "proposition11",
  claim: "Proposition 11 / Example 4 (nonnegative distance bias: collapse)",
  async run(o) {
    const { seed, dim, engine } = resolve(o);
    const cfg = gridProblem(dim, seed, { name: "distanceBias", length: 0.2 });
    const p = defineProblem(cfg);
    const rng = checkRandom(seed, 11);
    const v = randomUnit(rng, dim);

    // a non-constant path on the sphere: one turn around the great circle of (e1, e2)
    const turn = new Float64Array(p.n * dim);
    for (let i = 0; i < p.n; i++) {
      const s = p.positions[p.labels[i]];
      turn[i * dim] = Math.cos(2 * Math.PI * s);
      turn[i * dim + 1] = Math.sin(2 * Math.PI * s);
    }
    const moving = await measureAt(p, turn, engine);
    const sol = await flow(cfg, engine, SLOW_FLOW);
    const T = sol.times.length - 1;
    const c = new Criteria();
    await checkMaximiser(c, "a constant path", p, gaugeOrbit(p, v), engine);
    c
      .atLeast("(E* - E)/E* on a non-constant path (strictly below)", moving.energyError, 1e-2)
      .atMost("G_x(T) of the flow (collapse)", collapseGap(sol.final, p.n, dim), 1e-10)
      .atMost("(E* - E(T))/E*", sol.energyGap![T], 1e-10);
    return c.report({ ...this, prediction: "W = exp(-|s - s'|/0.2) >= 0 and nonincreasing: E* = (e^beta/beta) sum W / (2 n^2), attained only by constant paths; the flow collapses to a Dirac mass" }, seed, dim);
  },
};
