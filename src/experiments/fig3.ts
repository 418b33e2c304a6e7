// Figure 3 (docs/paper.md "Experiments"): which law each kernel represents, on S^2.
// Six scenarios, each run from a seeded random start, with the theory's prediction beside it.
import { collapseGap, conditionalDiameter, groupByLabel } from "../diagnostics/collapse.js";
import { circularW1, clusterCentres, heightSpread, limitPoint, orbitResidual, planeAngles, planeFitResidual } from "../diagnostics/laws.js";
import type { EngineKind } from "../engines/engine.js";
import { randomOrthogonalMatrix } from "../linalg.js";
import { defineProblem, type Problem, type ProblemConfig } from "../problem.js";
import { createRandom } from "../random.js";
import { solveWith, type Solution } from "../solve.js";
import { defineSolver } from "../solver.js";
import { gaugeOrbit } from "../theory.js";
import { requireNumber } from "../validate.js";
import { ConfigError } from "../errors.js";
import { Criteria, type Criterion } from "../theorems/report.js";

export type Fig3Scenario = "baseline" | "distanceBias" | "toeplitz" | "rope" | "phaseField" | "prompt";
export const FIG3_SCENARIOS: readonly Fig3Scenario[] = ["baseline", "distanceBias", "toeplitz", "rope", "phaseField", "prompt"];

/** Options of Figure 3: the particle count and the terminal time. */
export interface Fig3Options {
  /** particles, a multiple of 20; default 240 (L = n/4 labels of 4; the prompt scenario uses 5 prompts of n/5) */
  n?: number;
  /** terminal time; default 60 */
  time?: number;
  /** default 1 */
  beta?: number;
  seed?: number;
  engine?: EngineKind;
  onProgress?: (done: number, total: number) => void;
}

/** One scenario: the final particles, the predicted shape, and the numbers that test it. */
export interface Fig3Panel {
  scenario: Fig3Scenario;
  title: string;
  /** what the theory predicts */
  prediction: string;
  /** final particles, n*3 */
  points: Float64Array;
  labels: Int32Array;
  /** the predicted curve (a closed polyline, m*3), when the prediction is a curve */
  curve: Float64Array | null;
  /** the predicted points (k*3), when the prediction is a set of points */
  markers: Float64Array | null;
  /** the measured shape statistics (names in docs/paper.md) */
  measures: Record<string, number>;
  energy: number;
  energyMax: number | null;
}

const PERIODS = 3, WAVE = 0.35, PROMPTS = 5;

/** A unit vector at height z, at the azimuth (35 degrees) the figure is seen from. */
function facing(z: number): number[] {
  const r = Math.sqrt(1 - z * z), a = (35 * Math.PI) / 180;
  return [r * Math.cos(a), r * Math.sin(a), z];
}

/** The problem of each scenario. */
export function fig3Config(s: Fig3Scenario, n: number, beta: number, seed: number): ProblemConfig {
  const L = s === "prompt" ? PROMPTS : n / 4;
  const base = { dim: 3, beta, labels: { count: L, perLabel: n / L }, init: { law: "uniform" as const }, seed };
  switch (s) {
    case "baseline": return { ...base, kernel: { name: "usa" } };
    case "distanceBias": return { ...base, kernel: { name: "distanceBias", length: 0.5 } };
    case "toeplitz": return { ...base, kernel: { name: "toeplitz", coefficients: [0.2, 1, 0.3] } };
    // RoPE and the phase field start from a cap in the gauge frame about a point facing the
    // default view, so that the predicted curve (through the limit point) is seen from the front
    case "rope": return { ...base, kernel: { name: "rope", omega: 2 * Math.PI, plane: [0, 1] }, init: { law: "cap", center: facing(0.55), radius: 0.6, frame: "gauge" } };
    case "phaseField":
      // G_s = R_{e1 e3}(0.35 sin(6 pi s)) R_{e1 e2}(2 pi s): G_s^T v tilts v by a sine, then turns it once around
      return { ...base, init: { law: "cap", center: facing(0.15), radius: 0.6, frame: "gauge" }, kernel: { name: "phaseField", rotations: [{ plane: [0, 2], phase: { sine: { amplitude: WAVE, frequency: PERIODS } } }, { plane: [0, 1], phase: { linear: 2 * Math.PI } }] } };
    case "prompt": {
      const rng = createRandom(seed * 31 + 7);
      return { ...base, kernel: { name: "prompt", gauges: Array.from({ length: PROMPTS }, () => randomOrthogonalMatrix(3, rng)) } };
    }
  }
}

/** Figure 3: the law each kernel represents, one panel per kernel, with the theory's prediction drawn through the run's limit point. */
export async function runFig3(options: Fig3Options = {}): Promise<Fig3Panel[]> {
  const n = options.n === undefined ? 240 : requireNumber("n", options.n, { integer: true, min: 20, max: 1 << 16 });
  if (n % 20 !== 0) throw new ConfigError("n", n, "a multiple of 20 (4 particles per label; 5 equal prompt groups)");
  const time = options.time === undefined ? 60 : requireNumber("time", options.time, { above: 0 });
  const beta = options.beta === undefined ? 1 : requireNumber("beta", options.beta, { above: 0, max: 700 });
  const seed = options.seed ?? 1;
  const panels: Fig3Panel[] = [];
  for (const s of FIG3_SCENARIOS) {
    const problem = defineProblem(fig3Config(s, n, beta, seed));
    const sol = await solveWith(problem, defineSolver({ method: "heun", step: 0.01, time, record: time / 4 }), { engine: options.engine });
    panels.push(describe(s, problem, sol));
    options.onProgress?.(panels.length, FIG3_SCENARIOS.length);
  }
  return panels;
}

/** A closed polyline of x(s) = G_s^T v over s in [0, 1) for a one-parameter gauge family. */
function orbitCurve(v: Float64Array, gauge: (s: number) => (u: Float64Array) => Float64Array, samples = 240): Float64Array {
  const out = new Float64Array(samples * 3);
  for (let q = 0; q < samples; q++) out.set(gauge(q / samples)(v), q * 3);
  return out;
}

/** R_{pq}(theta)^T u in R^3. */
function rotT(p: number, q: number, theta: number, u: Float64Array): Float64Array {
  const c = Math.cos(theta), s = Math.sin(theta), out = Float64Array.from(u);
  out[p] = c * u[p] + s * u[q];
  out[q] = -s * u[p] + c * u[q];
  return out;
}

function describe(s: Fig3Scenario, p: Problem, sol: Solution): Fig3Panel {
  const x = sol.final, n = p.n, T = sol.times.length - 1;
  const measures: Record<string, number> = {};
  let curve: Float64Array | null = null, markers: Float64Array | null = null;
  let title = "", prediction = "";
  const v = limitPoint(sol.finalGauge, n, 3);
  switch (s) {
    case "baseline":
    case "distanceBias":
      title = s === "baseline" ? "baseline USA" : "distance bias W = exp(−|s − s′|/0.5)";
      prediction = "a Dirac mass (collapse)";
      measures.diameter = diameter(x, n);
      markers = Float64Array.from(v);
      break;
    case "toeplitz": {
      title = "Toeplitz, c = [0.2, 1, 0.3]";
      prediction = "a great circle, E → c₁/4 = 0.25";
      measures.planeResidual = planeFitResidual(x, n, 3);
      measures.energyGap = Math.abs(0.25 - sol.energy[T]) / 0.25;
      curve = greatCircleThrough(x, n);
      break;
    }
    case "rope": {
      title = "RoPE, ω = 2π";
      prediction = "the uniform latitude circle of v";
      measures.heightSpread = heightSpread(x, n, 3, [0, 1]);
      measures.angleW1ToUniform = circularW1(planeAngles(x, n, 3, [0, 1]), Array.from({ length: 4096 }, (_, k) => (2 * Math.PI * (k + 0.5)) / 4096));
      measures.uniformBound = Math.PI / (2 * p.labelCount);
      measures.orbitResidual = orbitResidual(p, x, v);
      curve = orbitCurve(v, (t) => (u) => rotT(0, 1, 2 * Math.PI * t, u));
      break;
    }
    case "phaseField": {
      title = "phase field, g = 0.35 sin(6πs) tilt + one turn";
      prediction = "the wavy closed curve Gₛᵀv";
      measures.orbitResidual = orbitResidual(p, x, v);
      curve = orbitCurve(v, (t) => (u) => rotT(0, 1, 2 * Math.PI * t, rotT(0, 2, WAVE * Math.sin(2 * Math.PI * PERIODS * t), u)));
      break;
    }
    case "prompt": {
      title = `prefix tokens, ${PROMPTS} prompts`;
      prediction = `${PROMPTS} clusters at Gₚᵀv`;
      const predicted = gaugeOrbit(p, v);
      markers = new Float64Array(PROMPTS * 3);
      for (let a = 0; a < PROMPTS; a++) markers.set(predicted.subarray(a * (n / PROMPTS) * 3, a * (n / PROMPTS) * 3 + 3), a * 3);
      const cl = clusterCentres(x, n, 3, 0.05);
      measures.clusters = cl.centres.length;
      measures.orbitResidual = orbitResidual(p, x, v);
      break;
    }
  }
  measures.collapseGap = collapseGap(x, n, 3);
  return { scenario: s, title, prediction, points: x, labels: p.labels, curve, markers, measures, energy: sol.energy[T], energyMax: p.energyMax };
}

/** The largest distance between two particles (the conditional diameter of a single label). */
function diameter(x: Float64Array, n: number): number {
  return conditionalDiameter(x, 3, groupByLabel(new Int32Array(n), 1));
}

/** The great circle of the best-fit plane: through the first particle and its orthogonal complement in the plane. */
function greatCircleThrough(x: Float64Array, n: number, samples = 240): Float64Array {
  // normal of the plane: the cross product of two particles far from parallel
  const a = x.subarray(0, 3);
  let best = 0, b = x.subarray(3, 6);
  for (let i = 1; i < n; i++) {
    const c = x.subarray(i * 3, i * 3 + 3);
    const dot = Math.abs(a[0] * c[0] + a[1] * c[1] + a[2] * c[2]);
    if (1 - dot > best) { best = 1 - dot; b = c; }
  }
  const dot = a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
  const e = [b[0] - dot * a[0], b[1] - dot * a[1], b[2] - dot * a[2]];
  const r = Math.hypot(...e);
  const out = new Float64Array(samples * 3);
  for (let q = 0; q < samples; q++) {
    const t = (2 * Math.PI * q) / samples;
    for (let k = 0; k < 3; k++) out[q * 3 + k] = Math.cos(t) * a[k] + Math.sin(t) * (e[k] / r);
  }
  return out;
}

/** Figure 3's tolerances at T: distances to the predicted shape (round-off reaches 1e-15) and the Toeplitz plane fit. */
export const FIG3_TOLERANCE = { shape: 1e-8, plane: 1e-5 } as const;

/**
 * Each scenario's prediction against its measures: a Dirac mass (diameter), a great circle
 * (plane residual, E -> 1/4), the uniform latitude circle (height spread, angles within the
 * pi/(2L) of L atoms of uniform, the orbit of v), the curve G_s^T v, and one cluster per prompt.
 */
export function fig3Checks(p: Fig3Panel): Criterion[] {
  const c = new Criteria(), m = p.measures, tol = FIG3_TOLERANCE;
  switch (p.scenario) {
    case "baseline":
    case "distanceBias":
      c.atMost("diameter", m.diameter, tol.shape);
      break;
    case "toeplitz":
      c.atMost("planeResidual", m.planeResidual, tol.plane).atMost("energyGap", m.energyGap, tol.shape);
      break;
    case "rope":
      c.atMost("heightSpread", m.heightSpread, tol.shape).atMost("angleW1ToUniform", m.angleW1ToUniform, m.uniformBound + 1e-5).atMost("orbitResidual", m.orbitResidual, tol.shape);
      break;
    case "phaseField":
      c.atMost("orbitResidual", m.orbitResidual, tol.shape);
      break;
    case "prompt":
      c.atMost(`|clusters - ${PROMPTS}|`, Math.abs(m.clusters - PROMPTS), 0).atMost("orbitResidual", m.orbitResidual, tol.shape);
      break;
  }
  return c.list;
}
