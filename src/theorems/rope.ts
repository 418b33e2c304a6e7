// RoPE: Theorem 1 (anti-collapse), Corollary 1 (latitude circle), Example 5 (single frequency).
import { collapseGap } from "../diagnostics/collapse.js";
import { circularW1, heightSpread, limitPoint, orbitResidual, planeAngles, planeFitResidual } from "../diagnostics/laws.js";
import type { KernelSpec } from "../kernels/specs.js";
import { gaugeOrbit } from "../theory.js";
import { Criteria, type TheoremCheck } from "./report.js";
import { anchoredInit, checkMaximiser, checkRandom, defineProblem, flow, gridProblem, LABELS, PER_LABEL, randomUnit, resolve } from "./setup.js";

const ROPE: KernelSpec = { name: "rope", omega: 2 * Math.PI, plane: [0, 1] };
const PLANE = [0, 1] as const;

/** The flow's distance to its limit at T in the RoPE checks. */
const TOL = { limit: 1e-6 };

/** The unit vector at polar angle theta from the last axis, azimuth 0 in the rotation plane. */
function polarPoint(dim: number, theta: number): Float64Array {
  const v = new Float64Array(dim);
  v[0] = Math.sin(theta);
  v[dim - 1] = Math.cos(theta);
  return v;
}

/** 1 - |P_perp v|^2: the collapse gap of the orbit R(-2 pi s_a) v over L >= 2 grid labels. */
function orbitGap(v: Float64Array): number {
  let h = 0;
  for (let k = 0; k < v.length; k++) if (k !== PLANE[0] && k !== PLANE[1]) h += v[k] * v[k];
  return 1 - h;
}

export const theorem1: TheoremCheck = {
  name: "theorem1",
  claim: "Theorem 1 (RoPE anti-collapse)",
  async run(o) {
    const { seed, dim, engine } = resolve(o);
    const cfg = gridProblem(dim, seed, ROPE);
    const p = defineProblem(cfg);
    const c = new Criteria();
    await checkMaximiser(c, "x(s) = R(-2 pi s) v", p, gaugeOrbit(p, randomUnit(checkRandom(seed, 1), dim)), engine);
    const sol = await flow(cfg, engine);
    const T = sol.times.length - 1;
    const vT = limitPoint(sol.finalGauge, p.n, dim);
    c.atMost("G_z(T) of the flow", sol.gaugeGap[T], TOL.limit)
      .atMost("max_i |x_i(T) - R(-2 pi s_i) v(T)|", orbitResidual(p, sol.final, vT), 1e-5)
      .atMost("|G_x(T) - (1 - |P_perp v(T)|^2)|", Math.abs(sol.collapseGap[T] - orbitGap(vT)), 1e-5);
    return c.report({ ...this, prediction: "E* = e^beta/(2 beta) is attained by x(s) = R(-2 pi s) v for every v; the flow settles on such an orbit (G_z -> 0) with G_x -> 1 - |P_perp v|^2 > 0: no collapse" }, seed, dim);
  },
};

export const corollary1: TheoremCheck = {
  name: "corollary1",
  claim: "Corollary 1 (maximiser with RoPE: the latitude circle)",
  async run(o) {
    const { seed, dim, engine } = resolve(o);
    const cfg = gridProblem(dim, seed, ROPE);
    const p = defineProblem(cfg);
    const sol = await flow(cfg, engine);
    const vT = limitPoint(sol.finalGauge, p.n, dim);
    const angles = planeAngles(sol.final, p.n, dim, PLANE);
    const shifted = angles.map((t, i) => t + 2 * Math.PI * p.positions[p.labels[i]]);
    // the orbit's angles are phi_v - 2 pi s_a: equispaced, so W1 to the uniform law is pi / (2L)
    const uniform = Float64Array.from({ length: 4096 }, (_, k) => (2 * Math.PI * (k + 0.5)) / 4096);
    const c = new Criteria();
    await checkMaximiser(c, "the latitude circle R(-2 pi s) v, polar angle pi/3", p, gaugeOrbit(p, polarPoint(dim, Math.PI / 3)), engine);
    c
      .atMost("height spread max_i |P_perp x_i(T) - mean|", heightSpread(sol.final, p.n, dim, PLANE), 1e-5)
      .atMost("W1(angles(T), uniform) - pi/(2L)", circularW1(angles, uniform) - Math.PI / (2 * LABELS), 1e-3)
      .atMost("spread of angle_i + 2 pi s_i (one point)", circularW1(shifted, [Math.atan2(vT[1], vT[0])]), 1e-5);
    return c.report({ ...this, prediction: "the output law is the uniform law on the latitude circle of v(T): constant height, angles phi_v - 2 pi s uniform" }, seed, dim);
  },
};

export const example5: TheoremCheck = {
  name: "example5",
  claim: "Example 5 (single-frequency RoPE: latitude, equator, pole)",
  async run(o) {
    const { seed, dim, engine } = resolve(o);
    const c = new Criteria();
    const rng = checkRandom(seed, 5);
    for (const theta of [0, Math.PI / 3, Math.PI / 2]) {
      const v = polarPoint(dim, theta);
      const cfg = gridProblem(dim, seed, ROPE, anchoredInit(LABELS, PER_LABEL, dim, v, rng));
      const p = defineProblem(cfg);
      await checkMaximiser(c, `theta = ${theta.toFixed(3)}: R(-2 pi s) v`, p, gaugeOrbit(p, v), engine);
      const sol = await flow(cfg, engine);
      const T = sol.times.length - 1;
      const tag = `theta = ${theta.toFixed(3)}`;
      c.atMost(`${tag}: |G_x(T) - sin^2 theta|`, Math.abs(sol.collapseGap[T] - Math.sin(theta) ** 2), 1e-6);
      c.atMost(`${tag}: max_i |x_i(T) - R(-2 pi s_i) v|`, orbitResidual(p, sol.final, v), 1e-5);
      if (theta === Math.PI / 2) c.atMost(`${tag}: great-circle residual`, planeFitResidual(sol.final, p.n, dim), 1e-5);
      if (theta === 0) c.atMost(`${tag}: G_x(T) (a Dirac mass)`, collapseGap(sol.final, p.n, dim), 1e-10);
    }
    return c.report({ ...this, prediction: "with v at polar angle theta (fixed by frozen anchor tokens, one per label), the output is the uniform law on the latitude circle: G_x = sin^2 theta; theta = pi/2 the equator (a great circle), theta = 0 a Dirac mass" }, seed, dim);
  },
};
