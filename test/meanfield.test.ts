// The mean-field solver on the circle (docs/meanfield.md): its pieces (Bessel coefficients,
// Gauss-Legendre panels, laws on the circle), its invariants, its orders, exact cases, and its
// agreement with the particle reference engine when every label's law is an atom.
import { describe, expect, it } from "vitest";
import { circleW1, circleCdf, cellDensity, empiricalCircleLaw } from "../src/diagnostics/circleLaw.js";
import { circularW1 } from "../src/diagnostics/laws.js";
import { solveEquiangular } from "../src/equiangular.js";
import { ConfigError, SimulationError } from "../src/errors.js";
import { scaledBesselI, kernelProfile } from "../src/meanfield/bessel.js";
import { defineMeanFieldProblem, type MeanFieldConfig } from "../src/meanfield/problem.js";
import { gaussLegendre } from "../src/meanfield/quadrature.js";
import { solveMeanField, type MeanFieldSolution } from "../src/meanfield/solve.js";
import { defineProblem } from "../src/problem.js";
import { createRandom } from "../src/random.js";
import { solve } from "../src/solve.js";
import { expectClose, kernelCases } from "./helpers.js";

const cap = (radius: number): MeanFieldConfig["init"] => ({ law: "cap", center: [1, 0], radius });

describe("pieces of the solver", () => {
  it("e^-beta I_k(beta) matches the quadrature (1/pi) int_0^pi e^{beta (cos u - 1)} cos(k u) du, and 1 = I_0 + 2 sum I_k (scaled)", () => {
    for (const beta of [0.01, 1, 10, 200]) {
      const K = Math.ceil(10 * Math.sqrt(beta) + 20);
      const I = scaledBesselI(beta, K);
      // the trapezoidal rule is spectrally accurate for this periodic integrand
      const N = 4 * K + 64;
      for (let k = 0; k <= K; k += Math.max(1, Math.floor(K / 7))) {
        let q = 0;
        for (let j = 0; j < N; j++) { const u = (2 * Math.PI * j) / N; q += Math.exp(beta * (Math.cos(u) - 1)) * Math.cos(k * u); }
        q /= N;
        expect(Math.abs(I[k] - q), `beta ${beta}, k ${k}`).toBeLessThanOrEqual(1e-15 * Math.max(1, I[0]) + 1e-14 * q);
      }
      let sum = I[0];
      for (let k = 1; k <= K; k++) sum += 2 * I[k];
      expect(Math.abs(sum - 1)).toBeLessThan(1e-14);
    }
    // tabulated values (Abramowitz and Stegun, Table 9.8): I_0(1) = 1.266065878, I_1(10) = 2670.988304
    expectClose(scaledBesselI(1, 1)[0] * Math.E, 1.2660658777520082, 1e-15);
    expectClose(scaledBesselI(10, 1)[1] * Math.exp(10), 2670.988303701255, 1e-10);
  });

  it("the content series reproduces kappa(cos u) = e^{beta cos u}/beta and cos u", () => {
    for (const [content, beta, f] of [["exp", 2, (u: number) => Math.exp(2 * Math.cos(u)) / 2], ["linear", 1, Math.cos]] as const) {
      const p = kernelProfile(content, beta, false);
      for (const u of [0, 0.3, 1.7, Math.PI]) {
        let s = p.potential[0];
        for (let k = 1; k <= p.modes; k++) s += 2 * p.potential[k] * Math.cos(k * u);
        expectClose(s, f(u), 1e-14 * Math.abs(f(0)), `${content} at u = ${u}`);
      }
    }
  });

  it("the q-point Gauss-Legendre rule integrates x^p exactly for p <= 2q - 1 and not for p = 2q", () => {
    for (const q of [1, 2, 3, 4, 8]) {
      const { nodes, weights } = gaussLegendre(q);
      const integrate = (p: number): number => nodes.reduce((s, x, i) => s + weights[i] * x ** p, 0);
      for (let p = 0; p < 2 * q; p++) expectClose(integrate(p), 1 / (p + 1), 4e-16, `q = ${q}, p = ${p}`);
      expect(Math.abs(integrate(2 * q) - 1 / (2 * q + 1))).toBeGreaterThan(1e-12);
    }
  });

  it("circleW1 equals a brute-force min_c int |F - G - c| on a fine grid, and the closed forms for arcs and atoms", () => {
    const rng = createRandom(5);
    const N = 100000, wrap = (t: number) => ((t % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI);
    for (let t = 0; t < 3; t++) {
      const a = Array.from({ length: 40 + t }, () => 8 * rng.uniform() - 4), b = Array.from({ length: 31 }, () => 2 * rng.uniform());
      // F - G at N grid points, then the median c of those values minimises the Riemann sum
      const D = new Float64Array(N);
      for (const x of a) D[Math.ceil((wrap(x) / (2 * Math.PI)) * N) % N] += 1 / a.length;
      for (const x of b) D[Math.ceil((wrap(x) / (2 * Math.PI)) * N) % N] -= 1 / b.length;
      for (let i = 1; i < N; i++) D[i] += D[i - 1];
      const c = Float64Array.from(D).sort()[N / 2];
      const brute = D.reduce((s, v) => s + Math.abs(v - c), 0) * ((2 * Math.PI) / N);
      expectClose(circleW1(empiricalCircleLaw(a), empiricalCircleLaw(b)), brute, 1e-3);
      expectClose(circularW1(a, b), circleW1(empiricalCircleLaw(a), empiricalCircleLaw(b)), 0);
    }
    const arc = (start: number, length: number) => ({ start: Float64Array.of(start), length: Float64Array.of(length), mass: Float64Array.of(1) });
    // an atom against the uniform law: int_0^{2 pi} |t/(2 pi) - 1/2| dt = pi/2
    expectClose(circleW1(empiricalCircleLaw([0.3]), arc(1, 2 * Math.PI)), Math.PI / 2, 1e-14);
    // two equal arcs shifted by 0.4 (no wrap-around): W1 = 0.4; prepared or not
    expectClose(circleW1(circleCdf(arc(-1, 2)), arc(-0.6, 2)), 0.4, 1e-14);
    // an atom at the middle of an arc of length l: l / 4
    expectClose(circleW1(empiricalCircleLaw([3]), arc(2.5, 1)), 0.25, 1e-14);
  });

  it("cellDensity conserves mass, wraps around, and puts an atom in one cell", () => {
    const law = { start: Float64Array.of(3, -1, 0.2), length: Float64Array.of(1, 0, 0.5), mass: Float64Array.of(0.5, 0.25, 0.25) };
    const M = 16, d = cellDensity(law, M), h = (2 * Math.PI) / M;
    expectClose(d.reduce((s, v) => s + v, 0) * h, 1, 1e-15);
    expect(d.every((v) => v >= 0)).toBe(true);
    // the arc from 3 to 4 wraps past pi into the first cells
    expect(d[0]).toBeGreaterThan(0);
    expectClose(d[Math.floor((-1 + Math.PI) / h)] * h, 0.25, 1e-15, "the atom's cell");
  });
});

describe("defineMeanFieldProblem", () => {
  it("reads the simulate configuration (n ignored, engine options accepted) and refuses what has no mean-field form", () => {
    const ok: MeanFieldConfig = { dim: 2, n: 100, engine: "wasm", threads: 2, solver: { step: 0.01 }, init: cap(1), grid: { angles: 16 } };
    expect(defineMeanFieldProblem(ok).labelCount).toBe(1);
    const bad: [MeanFieldConfig, string, RegExp][] = [
      [{ ...ok, dim: 3 }, "dim", /2 \(the mean-field solver works on the circle\)/],
      [{ ...ok, frozen: [0] }, "frozen", /absent/],
      [{ ...ok, init: { points: [[1, 0]] } }, "init.points", /a seeded law/],
      [{ ...ok, grid: { angles: 10 } }, "grid.angles", /multiple of grid.panelPoints = 4/],
      [{ ...ok, grid: { angles: 16, labels: 3 } }, "grid.labels", /1 or absent/],
      [{ ...ok, labels: { count: 4, perLabel: 2 }, grid: { angles: 16, labels: 8 } }, "grid.labels", /4 \(the labels of the configuration\)/],
      [{ ...ok, labels: { law: "uniform" }, grid: { angles: 16, labels: 6 } }, "grid.labels", /multiple of grid.panelPoints/],
      [{ ...ok, labels: { assign: [0, 2, 2] } }, "labels.assign", /every label 0..2/],
      [{ ...ok, init: { law: "caps", k: 6, radius: 0.1, minSeparation: 0.5 }, grid: { angles: 16 } }, "grid.angles", /at least 24 \(the initial law of label 0 has 6 pieces/],
      [{ ...ok, kernel: { name: "attention" as const, query: [[1, 0], [0, 1]], key: [[1, 0], [0, 1]], value: [[1, 0], [0, 1]] } }, "kernel.name", /W, G, kappa family/],
      [{ ...ok, grid: { angles: 16, cells: 3 } as never }, "grid.cells", /no such field/],
    ];
    for (const [cfg, parameter, allowed] of bad) {
      let err: unknown;
      try { defineMeanFieldProblem(cfg); } catch (e) { err = e; }
      expect(err, parameter).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).parameter).toBe(parameter);
      expect((err as ConfigError).message).toMatch(allowed);
    }
    expect(() => solveMeanField(ok, { adaptive: {} } as never)).toThrow(/solver.adaptive/);
  });

  it("splits caps among labels as the particles' indices do, in the limit of many particles per label", () => {
    const p = defineMeanFieldProblem({ dim: 2, labels: { count: 3, perLabel: 5 }, init: { law: "caps", centers: [[1, 0], [0, 1]], radius: 0.2 }, grid: { angles: 16 } });
    // label a holds indices [a/3, (a+1)/3), cap c [c/2, (c+1)/2): label 1 is half in each cap
    expect(p.initial.map((arcs) => arcs.map((a) => a.mass))).toEqual([[1], [0.5, 0.5], [1]]);
    expectClose(p.initial[2][0].center, Math.PI / 2, 1e-15);
    // the particles: the same split at n = 6 * 5 (perLabel 10)
    const q = defineProblem({ dim: 2, labels: { count: 3, perLabel: 10 }, init: { law: "caps", centers: [[1, 0], [0, 1]], radius: 0.2, seed: 1 } });
    const inSecond = Array.from({ length: 30 }, (_, i) => q.initial[2 * i + 1] > 0.5);
    expect(inSecond.slice(10, 20).filter(Boolean).length).toBe(5);
    // random positions and random cap centres are the particles' draws
    const cfg = { dim: 2, kernel: { name: "rope" as const, omega: 2 }, labels: { count: 4, perLabel: 3, positions: "random" as const }, init: { law: "caps" as const, k: 2, radius: 0, seed: 9 } };
    const pde = defineMeanFieldProblem({ ...cfg, grid: { angles: 4 } }), part = defineProblem(cfg);
    expectClose(pde.positions, part.positions, 0, "positions");
    // label 0 (particles 0..2) is in cap 0: its atom is particle 0's angle, moved to the gauge frame (psi = theta + 2 s)
    expectClose(pde.initial[0][0].center, Math.atan2(part.initial[1], part.initial[0]) + 2 * part.positions[0], 1e-14, "cap 0's centre");
  });

  it("labels.law uniform: particles get one label each at a uniform position, drawn after the contents", () => {
    const base = { dim: 2, n: 50, kernel: { name: "rope" as const, omega: 3 }, init: { law: "uniform" as const, seed: 4 } };
    const p = defineProblem({ ...base, labels: { law: "uniform" } });
    const q = defineProblem({ ...base, kernel: { name: "usa" as const } });
    expect(p.labelCount).toBe(50);
    expect(Array.from(p.labelSizes).every((m) => m === 1)).toBe(true);
    expect(Array.from(p.positions).every((s) => s >= 0 && s < 1)).toBe(true);
    expect(new Set(p.positions).size).toBe(50);
    expectClose(p.initial, q.initial, 0, "the same contents as without labels");
    expect(() => defineProblem({ ...base, labels: { law: "uniform", count: 3 } as never })).toThrow(/labels.count/);
    expect(() => defineProblem({ ...base, labels: { law: "beta" } as never })).toThrow(/labels.law/);
  });
});

describe("solveMeanField", () => {
  it("keeps every invariant at every record, for every kernel of the circle (mass 1 to 1e-13, density >= 0, E non-decreasing)", () => {
    for (const { label, kernel } of kernelCases(2)) {
      if (label.includes("product of rotations")) continue;
      const s = solveMeanField({ dim: 2, beta: 1, kernel, labels: { count: 16, perLabel: 4 }, init: { law: "caps", k: 3, radius: 0.8, seed: 2 }, grid: { angles: 16 } }, { time: 2, record: 0.5 });
      expect(s.invariants.mass, label).toBeLessThanOrEqual(1e-13);
      expect(s.invariants.minDensity, label).toBeGreaterThanOrEqual(0);
      if (label === "sa") expect(s.invariants.energyDrop).toBeNull();
      else expect(s.invariants.energyDrop!, label).toBeLessThanOrEqual(1e-12);
      for (const row of s.final.density) expectClose(row.reduce((a, b) => a + b, 0) * ((2 * Math.PI) / 16), 1, 1e-13, `${label}: a row integrates to 1`);
      expect(s.times).toEqual(Float64Array.of(0, 0.5, 1, 1.5, 2));
    }
  });

  it("conserves the mean gauge-frame angle sum_a lambda_a int psi dmu_a for every usa kernel (the interaction is odd and W symmetric), not for sa", () => {
    const mean = (st: { psi: Float64Array; layout: { weight: Float64Array; perLabel: number }; problem: { labelWeights: Float64Array } }) => {
      let m = 0;
      st.psi.forEach((v, i) => { m += st.problem.labelWeights[Math.floor(i / st.layout.perLabel)] * st.layout.weight[i] * v; });
      return m;
    };
    for (const { label, kernel } of kernelCases(2)) {
      if (label.includes("product of rotations")) continue;
      const drift: number[] = [];
      let first: number | null = null;
      solveMeanField({ dim: 2, beta: 1, kernel, labels: { count: 16, perLabel: 4 }, init: { law: "caps", k: 3, radius: 0.8, seed: 2 }, grid: { angles: 16 } }, {
        time: 2, record: 0.5, onRecord: (_t, st) => { const m = mean(st); first ??= m; drift.push(Math.abs(m - first)); },
      });
      if (label === "sa") expect(Math.max(...drift), label).toBeGreaterThan(1e-6);
      else expect(Math.max(...drift), label).toBeLessThan(1e-13);
    }
  });

  it("stops with a SimulationError when a step is too large for the invariants (a check that can fail)", () => {
    expect(() => solveMeanField({ dim: 2, beta: 6, init: cap(2.5), grid: { angles: 16 } }, { method: "euler", time: 4, step: 1, record: 1 })).toThrow(SimulationError);
    expect(() => solveMeanField({ dim: 2, beta: 3, init: cap(2.5), grid: { angles: 16 } }, { time: 4, step: 0.5, record: 0.5 })).toThrow(/lost its order at t = 1.00000 \(a negative density\)/);
  });

  it("agrees with the particle reference engine when every label's law is an atom (then it is that particle system), for every kernel", async () => {
    for (const { label, kernel } of kernelCases(2)) {
      if (label.includes("product of rotations")) continue;
      const cfg = { dim: 2, beta: 1.5, kernel, labels: { count: 16, perLabel: 1 }, init: { law: "caps" as const, k: 16, radius: 0, seed: 3 } };
      const pde = solveMeanField({ ...cfg, grid: { angles: 4 } }, { time: 2, record: 1, step: 0.01 });
      const part = await solve(defineProblem(cfg), { engine: "js", step: 0.0005, time: 2, record: 1 });
      const st = pde.finalState, per = st.layout.perLabel;
      let err = 0;
      for (let a = 0; a < 16; a++) {
        const theta = st.problem.gaugeSign[a] * (st.psi[a * per + 1] - st.problem.gaugeAngle[a]);
        const d = theta - Math.atan2(part.final[2 * a + 1], part.final[2 * a]);
        err = Math.max(err, Math.abs(Math.atan2(Math.sin(d), Math.cos(d))));
      }
      // Heun's error at h = 5e-4 is about 1e-7 here; RK4's at 1e-2 below 1e-9
      expect(err, label).toBeLessThan(5e-7);
      expectClose(pde.energy, part.energy, 5e-7 * Math.abs(part.energy[0]), `${label}: energy`);
      expectClose(pde.collapseGap, part.collapseGap, 5e-7, `${label}: G_x`);
      expectClose(pde.gaugeGap, part.gaugeGap, 5e-7, `${label}: G_z`);
    }
  });

  it("exact: a uniform start is stationary for W = 1 (usa and rope), with more panels than Fourier modes", () => {
    // P equal panels of a uniform quantile give sum_j w_j e^{-ik psi_j} = 0 unless P divides k:
    // with P = 32 > K = 16 modes (beta = 1) every velocity vanishes to round-off
    for (const extra of [{}, { kernel: { name: "rope" as const, omega: 2 }, labels: { law: "uniform" as const }, grid: { angles: 128, labels: 8 } }]) {
      let worst = 0;
      const s = solveMeanField({ dim: 2, beta: 1, grid: { angles: 128 }, ...extra }, {
        time: 5, record: 1,
        onRecord: (_t, st) => { for (let a = 0; a < st.problem.labelCount; a++) for (const v of cellDensity(st.labelLaw(a), 128)) worst = Math.max(worst, Math.abs(v - 1 / (2 * Math.PI))); },
      });
      expect(worst).toBeLessThan(1e-12);
      expectClose(s.collapseGap, new Float64Array(6).fill(1), 1e-13, "G_x = 1");
      expectClose(s.energy, new Float64Array(6).fill(s.energy[0]), 1e-14, "E constant");
    }
  });

  it("exact: two atoms of masses p, 1 - p follow the equiangular reduction with n = 2 (rho = <x, y>), whatever p", () => {
    const rho0 = Math.cos(2);
    // masses 3/4 and 1/4: four caps of radius 0, three of them at the same centre
    const y = [Math.cos(2), Math.sin(2)];
    const s = solveMeanField({ dim: 2, beta: 1, init: { law: "caps", centers: [[1, 0], [1, 0], [1, 0], y], radius: 0 }, grid: { angles: 8 } }, { time: 6, record: 0.5, step: 0.005 });
    // for p, 1 - p: rho = <x, y> and G_x = 1 - |p x + (1 - p) y|^2 = 2 p (1 - p) (1 - rho)
    const p = 0.75;
    const rho = s.collapseGap.map((g) => 1 - g / (2 * p * (1 - p)));
    expectClose(rho, solveEquiangular({ n: 2, beta: 1 }, rho0, s.times), 1e-10, "rho(t)");
    // a wrong model (the n = 3 reduction) is far off
    expect(Math.max(...rho.map((r, i) => Math.abs(r - solveEquiangular({ n: 3, beta: 1 }, rho0, s.times)[i])))).toBeGreaterThan(1e-2);
  });

  it("orders: 2-point panels in the mass coordinate and RK4 in time fall as 4^-4 per 4x refinement; the energy identity too", () => {
    const sols = [4, 16, 64].map((M) => solveMeanField({ dim: 2, beta: 1, init: cap(3), grid: { angles: M, panelPoints: 2 } }, { time: 1, record: 1, step: 0.002 }));
    const edge = (s: MeanFieldSolution) => { const psi = s.finalState.psi; return [psi[0], psi[psi.length - 1]]; };
    const e = [0, 1].map((k) => Math.max(...edge(sols[k]).map((v, j) => Math.abs(v - edge(sols[k + 1])[j]))));
    const order = Math.log(e[0] / e[1]) / Math.log(4);
    expect(order).toBeGreaterThan(3.5);
    expect(order).toBeLessThan(4.5);
    const steps = [0.1, 0.025, 0.00625];
    const t = steps.map((h) => solveMeanField({ dim: 2, beta: 1, init: cap(2), grid: { angles: 16 } }, { time: 2, record: 0.5, step: h }));
    const diff = (a: MeanFieldSolution, b: MeanFieldSolution) => Math.max(...a.finalState.psi.map((v, i) => Math.abs(v - b.finalState.psi[i])));
    const timeOrder = Math.log(diff(t[0], t[1]) / diff(t[1], t[2])) / Math.log(4);
    expect(timeOrder).toBeGreaterThan(3.5);
    expect(timeOrder).toBeLessThan(4.5);
    const id = t.map((s) => s.invariants.energyIdentity!);
    const idOrder = Math.log(id[1] / id[2]) / Math.log(4);
    expect(idOrder).toBeGreaterThan(3.5);
    expect(idOrder).toBeLessThan(4.5);
  });

  it("Theorem 1 on the circle: RoPE's limit law is the push-forward of U[0,1) by s -> v - omega s, with E -> E*", () => {
    const omega = 2;
    const s = solveMeanField({ dim: 2, beta: 1, kernel: { name: "rope" as const, omega }, labels: { law: "uniform" }, init: cap(1), grid: { angles: 32, labels: 16 } }, { time: 25, record: 5 });
    expect(s.energyGap![s.energyGap!.length - 1]).toBeLessThan(1e-10);
    const half = omega / 2;
    expectClose(s.collapseGap[s.collapseGap.length - 1], 1 - (Math.sin(half) / half) ** 2, 1e-9, "G_x of the uniform law on an arc of length omega");
    expect(s.gaugeGap[s.gaugeGap.length - 1]).toBeLessThan(1e-15);
  });
});
