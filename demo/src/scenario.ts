// What the page simulates: the UI's choices -> one ProblemConfig for defineProblem (d = 3).
import { createRandom, promptGaugesFor, type KernelSpec, type ProblemConfig } from "meanfield-transformer";

/** The kernels the page offers (docs/kernels.md). */
export const KERNEL_CHOICES = ["baseline", "distanceBias", "toeplitz", "rope", "phaseField", "prompts"] as const;
/** One of KERNEL_CHOICES. */
export type KernelChoice = (typeof KERNEL_CHOICES)[number];

/** Everything the page's controls choose. */
export interface Scenario {
  kernel: KernelChoice;
  beta: number;
  /** requested particle count; prompts round it to a whole number per target */
  n: number;
  seed: number;
  /** prompt targets T(p): unit vectors in R^3, one label each (kernel "prompts") */
  targets: number[][];
}

/** Labels for the positional kernels: n/perLabel labels at s_a = a/L. */
const LABELS = 32;
/** The gauge-frame point the prompt gauges send to the targets: G_p^T V = T(p) (Theorem 4). */
export const PROMPT_V = [0, 0, 1];
/** Angular radius of the gauge-frame cap that the moving prompt particles start in. */
export const PROMPT_CAP = 1.2;

/** The four vertices of a regular tetrahedron: the prompt targets before anything is drawn. */
export const DEFAULT_TARGETS: number[][] = [
  [1, 1, 1], [1, -1, -1], [-1, 1, -1], [-1, -1, 1],
].map((p) => p.map((c) => c / Math.sqrt(3)));

/** The page's first scenario. */
export const DEFAULT_SCENARIO: Scenario = { kernel: "baseline", beta: 1, n: 256, seed: 2, targets: DEFAULT_TARGETS };

/** The kernel spec of each positional choice (docs/kernels.md). */
const KERNEL_SPECS: Record<Exclude<KernelChoice, "prompts">, KernelSpec> = {
  baseline: { name: "usa" },
  distanceBias: { name: "distanceBias", length: 0.1 },
  toeplitz: { name: "toeplitz", coefficients: [0, 1] },
  rope: { name: "rope", omega: 2 * Math.PI, plane: [0, 1] },
  // a product of two plane rotations: the maximiser G_s^T v is a wavy closed curve
  phaseField: {
    name: "phaseField",
    rotations: [
      { plane: [0, 1], phase: { linear: 2 * Math.PI } },
      { plane: [1, 2], phase: { sine: { amplitude: 0.6, frequency: 3 } } },
    ],
  },
};

/**
 * Heun step for inverse temperature beta: the force kappa'(u) = exp(beta u) has Lipschitz
 * constant about beta e^beta, and h beta e^beta <= 0.15 keeps the scheme well inside its
 * stability region; h = 0.05 at beta <= 1.
 */
export function stepFor(beta: number): number {
  return Math.min(0.05, 0.15 / (beta * Math.exp(beta)));
}

/**
 * The problem for a scenario. Positional kernels: LABELS labels on a grid, the uniform law.
 * Prompts (Theorem 4): one label per target with gauges G_p^T V = T(p). Each label's particles
 * start in the gauge frame in pairs z, R z around V (R: the half-turn about V) inside a cap of
 * radius PROMPT_CAP. The gauge-frame flow is the baseline flow, equivariant under R, so the cloud
 * stays R-symmetric and collapses to a point R fixes, V itself: label p lands on T(p) exactly.
 */
export function problemConfig(s: Scenario): ProblemConfig {
  if (s.kernel !== "prompts") {
    const perLabel = Math.max(1, Math.round(s.n / LABELS));
    return {
      dim: 3, beta: s.beta, kernel: KERNEL_SPECS[s.kernel],
      labels: { count: LABELS, perLabel }, init: { law: "uniform", seed: s.seed },
    };
  }
  const L = s.targets.length;
  const perLabel = 2 * Math.max(1, Math.round(s.n / (2 * L)));
  const gauges = promptGaugesFor(3, s.targets.flat(), PROMPT_V);
  const rng = createRandom(s.seed);
  const points: number[][] = [];
  for (let p = 0; p < L; p++) {
    for (let k = 0; k < perLabel; k += 2) {
      const [x, y, z] = capPoint(rng.uniform(), rng.uniform());
      points.push([x, y, z], [-x, -y, z]);
    }
  }
  return {
    dim: 3, beta: s.beta, kernel: { name: "prompt", gauges },
    labels: { count: L, perLabel }, init: { points, frame: "gauge" },
  };
}

/** A point of the cap of radius PROMPT_CAP around V = e_3, uniform in area, from two uniforms. */
function capPoint(u1: number, u2: number): number[] {
  const cosR = Math.cos(PROMPT_CAP);
  const z = 1 - u1 * (1 - cosR);
  const r = Math.sqrt(Math.max(0, 1 - z * z));
  const phi = 2 * Math.PI * u2;
  return [r * Math.cos(phi), r * Math.sin(phi), z];
}

/** Unit vector of p (throws on a zero vector). */
export function unit(p: readonly number[]): number[] {
  const r = Math.hypot(...p);
  if (!(r > 0) || !Number.isFinite(r)) throw new RangeError(`target ${JSON.stringify(p)}: a finite non-zero vector of 3 numbers`);
  return p.map((c) => c / r);
}

/** Resamples a drawn polyline on the sphere (at least 2 points) to `count` >= 2 unit points evenly spaced along it. */
export function resampleCurve(points: readonly number[][], count: number): number[][] {
  if (points.length < 2 || count < 2) throw new RangeError(`resampleCurve: at least 2 points and count >= 2 (got ${points.length} points, count ${count})`);
  const cum = [0];
  for (let i = 1; i < points.length; i++) cum.push(cum[i - 1] + Math.hypot(...points[i].map((c, k) => c - points[i - 1][k])));
  const total = cum[cum.length - 1];
  const out: number[][] = [];
  let j = 0;
  for (let k = 0; k < count; k++) {
    const s = (total * k) / (count - 1);
    while (j < points.length - 2 && cum[j + 1] < s) j++;
    const span = cum[j + 1] - cum[j];
    const t = span > 0 ? Math.min(1, (s - cum[j]) / span) : 0;
    out.push(unit(points[j].map((c, q) => c + t * (points[j + 1][q] - c))));
  }
  return out;
}
