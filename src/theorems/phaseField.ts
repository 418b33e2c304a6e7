// Phase fields, generalised RoPE: Theorem 2 (i) construction, (ii) exact realisation, (iii) uniqueness.
import { circularW1, limitPoint, orbitResidual, planeAngles } from "../diagnostics/laws.js";
import type { EngineKind } from "../engines/engine.js";
import type { Problem } from "../problem.js";
import { planeRotation, applyMatrix } from "../linalg.js";
import { phaseFieldFor } from "../realise.js";
import type { KernelSpec } from "../kernels/specs.js";
import { gaugeOrbit } from "../theory.js";
import { Criteria, type TheoremCheck } from "./report.js";
import { anchoredInit, checkMaximiser, checkRandom, defineProblem, flow, gridProblem, LABELS, PER_LABEL, randomUnit, resolve } from "./setup.js";

/** g(s) = 2 pi s + 0.8 sin(4 pi s): a non-uniform phase (the wavy-speed orbit of Figure 3). */
const SINE_PHASE: KernelSpec = { name: "phaseField", plane: [0, 1], phase: { linear: 2 * Math.PI, sine: { amplitude: 0.8, frequency: 2 } } };
const PLANE = [0, 1] as const;

export const theorem2Construction: TheoremCheck = {
  name: "theorem2-construction",
  claim: "Theorem 2 (i) (phase-field construction)",
  async run(o) {
    const { seed, dim, engine } = resolve(o);
    const cfg = gridProblem(dim, seed, SINE_PHASE);
    const p = defineProblem(cfg);
    const c = new Criteria();
    await checkMaximiser(c, "x(s) = R(-g(s)) v", p, gaugeOrbit(p, randomUnit(checkRandom(seed, 2), dim)), engine);
    const sol = await flow(cfg, engine);
    const vT = limitPoint(sol.finalGauge, p.n, dim);
    c
      .atMost("|E(T) - E*|/E* of the flow", Math.abs(sol.energy[sol.energy.length - 1] - p.energyMax!) / p.energyMax!, 1e-10)
      .atMost("max_i |x_i(T) - R(-g(s_i)) v(T)|", orbitResidual(p, sol.final, vT), 1e-5);
    return c.report({ ...this, prediction: "for the phase g(s) = 2 pi s + 0.8 sin(4 pi s), x(s) = R(-g(s)) v attains E* for every v, and the flow settles on such a path" }, seed, dim);
  },
};

/** Angles of a law with density (1 + 0.9 cos 2 phi) / (2 pi) on the circle, at N quantile levels. */
export function bimodalAngles(N: number): number[] {
  const F = (t: number): number => (t + 0.45 * Math.sin(2 * t)) / (2 * Math.PI);
  return Array.from({ length: N }, (_, k) => {
    const u = (k + 0.5) / N;
    let lo = 0, hi = 2 * Math.PI;
    for (let it = 0; it < 60; it++) { const mid = (lo + hi) / 2; if (F(mid) < u) lo = mid; else hi = mid; }
    return (lo + hi) / 2;
  });
}

/**
 * Realises the target angle law on the equator orbit of the plane (e1, e2) with L labels of m
 * particles (Theorem 2 (ii)): phase = the target's quantile function, anchors at v = e1. Returns
 * the circular W1 between the output angles and the target sample, and the bound 2 pi / L of the
 * quantile discretisation (each label carries mass 1/L within one quantile cell).
 */
export async function orbitRealisation(target: number[], L: number, m: number, dim: number, seed: number, engine: EngineKind = "wasm"): Promise<{ w1: number; bound: number; residual: number; n: number; problem: Problem; v: Float64Array }> {
  const v = new Float64Array(dim);
  v[0] = 1;
  const cfg = { dim, beta: 1, kernel: phaseFieldFor(target), labels: { count: L, perLabel: m }, ...anchoredInit(L, m, dim, v, checkRandom(seed, 3)) };
  const sol = await flow(cfg, engine);
  const angles = planeAngles(sol.final, L * m, dim, PLANE);
  const problem = defineProblem(cfg);
  return { w1: circularW1(angles, target), bound: (2 * Math.PI) / L, residual: orbitResidual(problem, sol.final, v), n: L * m, problem, v };
}

export const theorem2Realisation: TheoremCheck = {
  name: "theorem2-realisation",
  claim: "Theorem 2 (ii) (exact realisation of any law on the orbit)",
  async run(o) {
    const { seed, dim, engine } = resolve(o);
    const target = bimodalAngles(4096);
    const r = await orbitRealisation(target, LABELS, PER_LABEL, dim, seed, engine);
    const c = new Criteria();
    await checkMaximiser(c, "the predicted law x(s) = R(-g(s)) e1", r.problem, gaugeOrbit(r.problem, r.v), engine);
    c
      .atMost("max_i |x_i(T) - R(-g(s_i)) e1| (the discrete prediction)", r.residual, 1e-9)
      .atMost(`circular W1(output, target) (bound 2 pi/L, L = ${LABELS})`, r.w1, r.bound);
    return c.report({ ...this, prediction: "with g = the target's quantile function the output law on the orbit is the target (density (1 + 0.9 cos 2 phi)/2 pi), up to the 2 pi/L quantile discretisation of L labels" }, seed, dim);
  },
};

export const theorem2Uniqueness: TheoremCheck = {
  name: "theorem2-uniqueness",
  claim: "Theorem 2 (iii) (uniqueness up to the orbit's rotation)",
  async run(o) {
    const { seed, dim, engine } = resolve(o);
    const rng = checkRandom(seed, 4);
    // two maximisers with the same output law: anchored at v1 and at v2 = R(alpha) v1 on the orbit
    const alpha = 2 * Math.PI * rng.uniform();
    const v1 = new Float64Array(dim);
    v1[0] = 1;
    const rot = planeRotation(dim, PLANE[0], PLANE[1], alpha);
    const v2 = new Float64Array(dim);
    applyMatrix(dim, rot, 0, v1, 0, v2, 0);
    const finals: Float64Array[] = [];
    const c = new Criteria();
    for (const v of [v1, v2]) {
      const cfg = gridProblem(dim, seed, SINE_PHASE, anchoredInit(LABELS, PER_LABEL, dim, v, rng));
      const p = defineProblem(cfg);
      await checkMaximiser(c, `R(-g(s)) v${finals.length + 1}`, p, gaugeOrbit(p, v), engine);
      const sol = await flow(cfg, engine);
      c.atMost(`|E(T) - E*|/E*, v ${finals.length + 1}`, Math.abs(sol.energy[sol.energy.length - 1] - p.energyMax!) / p.energyMax!, 1e-10);
      finals.push(sol.final);
    }
    // the rotations of one plane commute, so path 2 = R(alpha) path 1, particle by particle
    const n = LABELS * PER_LABEL, y = new Float64Array(dim);
    let worst = 0;
    for (let i = 0; i < n; i++) {
      applyMatrix(dim, rot, 0, finals[0], i * dim, y, 0);
      for (let k = 0; k < dim; k++) worst = Math.max(worst, Math.abs(finals[1][i * dim + k] - y[k]));
    }
    c.atMost("max_i |x2_i - R(alpha) x1_i|", worst, 1e-9);
    return c.report({ ...this, prediction: "two maximisers whose gauge-frame points differ by a rotation alpha of the orbit are the same path rotated by alpha: the maximiser is unique up to the orbit's symmetry" }, seed, dim);
  },
};
