// A mean-field problem on the circle: the simulate configuration (d = 2) read as a law of
// (content, label) instead of n particles, plus the grid of the solver. Validated once, frozen.
import { ConfigError } from "../errors.js";
import { buildKernel } from "../kernels/registry.js";
import type { Content, Normalization } from "../kernels/types.js";
import {
  BETA_MAX_FAST, N_MAX, checkNormalization, energyMax, problemSeed, readInitLaw, readNaturalBeta,
  resolveLabels, type InitLaw, type KernelSpec, type ProblemConfig, type TimeScale,
} from "../problem.js";
import { createRandom, type Random } from "../random.js";
import { PROBLEM_FIELDS } from "../schema/config.js";
import { optionalNumber, requireArray, requireNumber, requireObject, requireOneOf, rejectUnknownKeys } from "../validate.js";
import { kernelProfile, type KernelProfile } from "./bessel.js";
import { gaussLegendre } from "./quadrature.js";
import { quantileLayout, type QuantileLayout } from "./quantile.js";

/** The solver's grid: `angles` quantile nodes per label (and cells of the output density), `labels` nodes of a continuous label law. */
export interface MeanFieldGridConfig {
  /** M: quantile nodes per label and cells of the output density on [-pi, pi); a multiple of panelPoints; default 256 */
  angles?: number;
  /** L: label nodes when labels.law is "uniform" (a multiple of panelPoints; default 32); otherwise the label count, if given */
  labels?: number;
  /** q: Gauss-Legendre points per panel (order 2q); default 4 */
  panelPoints?: number;
}

/** The simulate configuration (README "Configuration") with dim = 2, plus `grid`. */
export interface MeanFieldConfig extends ProblemConfig {
  grid?: MeanFieldGridConfig;
  /** solver options as for particles; method may also be "rk4" (the default here) */
  solver?: Record<string, unknown>;
  /** particle-engine options, accepted so that one file serves both solvers, and not used */
  engine?: unknown;
  threads?: unknown;
  precision?: unknown;
  pairLoop?: unknown;
}

/** A uniform arc of the initial law of one label: mass spread evenly over [center - halfWidth, center + halfWidth]. */
export interface Arc {
  readonly center: number;
  /** 0 (an atom) to pi (the whole circle) */
  readonly halfWidth: number;
  readonly mass: number;
}

/** A validated, frozen mean-field problem. Its arrays must be treated as read-only. */
export interface MeanFieldProblem {
  readonly beta: number;
  readonly timeScale: TimeScale;
  readonly kernelName: string;
  readonly content: Content;
  readonly normalize: Normalization;
  /** true when the flow is the gradient flow of E (as for particles) */
  readonly gradientFlow: boolean;
  /** E* when the theory gives it, else null */
  readonly energyMax: number | null;
  /** L: the labels, or the nodes of a continuous label law */
  readonly labelCount: number;
  /** true for labels.law "uniform" (labels are Gauss-Legendre nodes on [0, 1)) */
  readonly continuum: boolean;
  /** s_a for each label */
  readonly positions: Float64Array;
  /** lambda_a: the mass of each label (quadrature weights for a continuous law), summing to 1 */
  readonly labelWeights: Float64Array;
  /** W[a*L + b] or null (W = 1) */
  readonly weights: Float64Array | null;
  /** gauge of label a on the circle: psi = sign[a] * theta + angle[a] (G_a a rotation: sign 1; a reflection: -1) */
  readonly gaugeAngle: Float64Array;
  readonly gaugeSign: Int8Array;
  /** per label, the initial law of the gauge-frame angle psi as uniform arcs */
  readonly initial: readonly (readonly Arc[])[];
  /** the initial quantile points of every label (the solver's discretisation of `initial`) */
  readonly layout: QuantileLayout;
  /** the truncated Fourier series of the content kernel */
  readonly profile: KernelProfile;
  readonly grid: { readonly angles: number; readonly labels: number; readonly panelPoints: number };
  readonly config: Readonly<MeanFieldConfig>;
}

const ENGINE_KEYS = ["solver", "engine", "threads", "precision", "pairLoop"] as const;
/** Largest number of Gauss-Legendre points per panel. */
export const PANEL_POINTS_MAX = 16;
/** Largest number of quantile nodes per label, and of label nodes. */
export const GRID_MAX = 1 << 20;

/**
 * Validates a mean-field configuration: the simulate configuration with dim = 2 and a seeded
 * init law, plus `grid`. `n` is ignored (the solver has no particles; it is still checked as a
 * count), as are the particle-engine options; `frozen` and `init.points` are refused. Caps are
 * split among labels as the particles' indices split them when n grows with perLabel.
 */
export function defineMeanFieldProblem(config: MeanFieldConfig): MeanFieldProblem {
  const cfg = requireObject("config", config);
  rejectUnknownKeys("", cfg, [...PROBLEM_FIELDS, ...ENGINE_KEYS, "grid"]);
  if (cfg.dim !== 2) throw new ConfigError("dim", cfg.dim, "2 (the mean-field solver works on the circle)");
  const timeScale = cfg.timeScale === undefined ? "natural" : requireOneOf("timeScale", cfg.timeScale, ["natural", "fast"] as const);
  const beta = timeScale === "fast" ? optionalNumber("beta", cfg.beta, 1, { above: 0, max: BETA_MAX_FAST }) : readNaturalBeta(cfg.beta);
  if (cfg.frozen !== undefined) throw new ConfigError("frozen", cfg.frozen, "absent (the mean-field solver has no frozen particles)");
  const n = cfg.n === undefined ? undefined : requireNumber("n", cfg.n, { integer: true, min: 1, max: N_MAX });
  const grid = readGrid(cfg.grid);
  const init = requireObject("init", cfg.init ?? { law: "uniform" });
  if (init.points !== undefined) throw new ConfigError("init.points", "explicit points", `a seeded law ("uniform", "cap" or "caps"): the mean-field solver starts from a law`);
  const rng = createRandom(problemSeed(cfg, init));

  const labels = readLabelLaw(cfg.labels, grid, rng);
  const law = readInitLaw(init, n ?? labels.particles ?? N_MAX, 2, rng);
  const L = labels.positions.length;
  const kernelSpec = (cfg.kernel ?? { name: "usa" }) as KernelSpec;
  const tables = buildKernel(kernelSpec, {
    dim: 2, beta, labelCount: L, positions: labels.positions, labelSizes: labels.sizes, path: "kernel", timeScale, continuum: labels.continuum,
  });
  if (tables.attention) throw new ConfigError("kernel.name", kernelSpec.name, "a kernel of the W, G, kappa family (attention heads have no mean-field solver here)");
  checkNormalization(tables, L);

  const gaugeAngle = new Float64Array(L), gaugeSign = new Int8Array(L).fill(1);
  if (tables.gauges) {
    for (let a = 0; a < L; a++) {
      const g = tables.gauges.subarray(4 * a, 4 * a + 4);
      // rotation [[c, -s], [s, c]]: psi = theta + alpha; reflection [[c, s], [s, -c]]: psi = alpha - theta
      gaugeAngle[a] = Math.atan2(g[2], g[0]);
      gaugeSign[a] = g[0] * g[3] - g[1] * g[2] > 0 ? 1 : -1;
    }
  }
  const initial = labels.capShares.map((shares, a) => initialArcs(law, shares, gaugeAngle[a], gaugeSign[a]));
  return Object.freeze({
    beta, timeScale,
    kernelName: kernelSpec.name,
    content: tables.content,
    normalize: tables.normalize,
    gradientFlow: tables.gradientFlow ?? tables.normalize !== "sa",
    energyMax: energyMax(tables, labels.weights, 1, beta, timeScale),
    labelCount: L,
    continuum: labels.continuum,
    positions: labels.positions,
    labelWeights: labels.weights,
    weights: tables.weights,
    gaugeAngle, gaugeSign,
    initial,
    layout: quantileLayout(initial, grid.angles, grid.panelPoints),
    profile: kernelProfile(tables.content, beta, timeScale === "fast"),
    grid: Object.freeze({ ...grid, labels: L }),
    config: cfg as unknown as MeanFieldConfig,
  });
}

function readGrid(v: unknown): { angles: number; labels: number | undefined; panelPoints: number } {
  const g = requireObject("grid", v ?? {});
  rejectUnknownKeys("grid", g, ["angles", "labels", "panelPoints"]);
  const panelPoints = optionalNumber("grid.panelPoints", g.panelPoints, 4, { integer: true, min: 1, max: PANEL_POINTS_MAX });
  const multiple = (path: string, x: number): number => {
    if (x % panelPoints !== 0) throw new ConfigError(path, x, `a multiple of grid.panelPoints = ${panelPoints} (whole Gauss-Legendre panels)`);
    return x;
  };
  const angles = multiple("grid.angles", optionalNumber("grid.angles", g.angles, 256, { integer: true, min: panelPoints, max: GRID_MAX }));
  const labels = g.labels === undefined ? undefined : requireNumber("grid.labels", g.labels, { integer: true, min: 1, max: GRID_MAX });
  return { angles, labels, panelPoints };
}

interface LabelLaw {
  positions: Float64Array;
  weights: Float64Array;
  /** label sizes as the kernels see them (equal for a continuous law) */
  sizes: Int32Array;
  continuum: boolean;
  /** the particle count the labels fix, if they do */
  particles: number | undefined;
  /** per label: the share of its mass in each cap of a "caps" law (index c), as particle indices split them */
  capShares: ((k: number) => Float64Array)[];
}

/** Default label nodes of a continuous law. */
const LABEL_NODES_DEFAULT = 32;

function readLabelLaw(spec: unknown, grid: { labels: number | undefined; panelPoints: number }, rng: Random): LabelLaw {
  const even = (k: number): Float64Array => new Float64Array(k).fill(1 / k);
  if (spec === undefined) {
    if (grid.labels !== undefined && grid.labels !== 1) throw new ConfigError("grid.labels", grid.labels, "1 or absent (the configuration has one label)");
    return { positions: new Float64Array(1), weights: Float64Array.of(1), sizes: Int32Array.of(1), continuum: false, particles: undefined, capShares: [even] };
  }
  const l = requireObject("labels", spec);
  if (l.law !== undefined) {
    rejectUnknownKeys("labels", l, ["law"]);
    requireOneOf("labels.law", l.law, ["uniform"] as const);
    const q = grid.panelPoints;
    const L = grid.labels ?? LABEL_NODES_DEFAULT;
    if (L % q !== 0) throw new ConfigError("grid.labels", L, `a multiple of grid.panelPoints = ${q} (whole Gauss-Legendre panels in the label coordinate)`);
    // composite Gauss-Legendre rule on [0, 1): L / q panels of q nodes
    const gl = gaussLegendre(q), panels = L / q;
    const positions = new Float64Array(L), weights = new Float64Array(L);
    for (let p = 0; p < panels; p++) {
      for (let j = 0; j < q; j++) { positions[p * q + j] = (p + gl.nodes[j]) / panels; weights[p * q + j] = gl.weights[j] / panels; }
    }
    return { positions, weights, sizes: new Int32Array(L).fill(1), continuum: true, particles: undefined, capShares: Array.from({ length: L }, () => even) };
  }
  if (l.assign !== undefined) {
    const a = requireArray("labels.assign", l.assign, "labels");
    const n = a.length;
    const r = resolveLabels(l, n, rng);
    checkGridLabels(grid, r.count);
    r.sizes.forEach((m, b) => { if (m === 0) throw new ConfigError("labels.assign", `no particle with label ${b}`, `every label 0..${r.count - 1} carried by some particle (each label needs a conditional law)`); });
    const weights = Float64Array.from(r.sizes, (m) => m / n);
    // cap c of k holds particles floor(c n / k) .. floor((c+1) n / k) - 1
    const capShares = Array.from({ length: r.count }, (_, b) => (k: number) => {
      const out = new Float64Array(k);
      for (let i = 0; i < n; i++) if (r.labels[i] === b) out[Math.floor((i * k) / n)] += 1 / r.sizes[b];
      return out;
    });
    return { positions: r.positions, weights, sizes: r.sizes, continuum: false, particles: n, capShares };
  }
  const count = requireNumber("labels.count", l.count, { integer: true, min: 1, max: N_MAX });
  const perLabel = requireNumber("labels.perLabel", l.perLabel, { integer: true, min: 1, max: N_MAX });
  checkGridLabels(grid, count);
  // one particle per label draws the same positions (the draws depend on the count only)
  const r = resolveLabels({ ...l, perLabel: 1 }, count, rng);
  // as n = count * perLabel grows, label a holds the index fraction [a/L, (a+1)/L) and cap c the
  // fraction [c/k, (c+1)/k): the share of cap c in label a is L |overlap|, in units of 1/(L k)
  const capShares = Array.from({ length: count }, (_, a) => (k: number) => {
    const out = new Float64Array(k);
    for (let c = 0; c < k; c++) out[c] = Math.max(0, Math.min((a + 1) * k, (c + 1) * count) - Math.max(a * k, c * count)) / k;
    return out;
  });
  return { positions: r.positions, weights: even(count), sizes: new Int32Array(count).fill(perLabel), continuum: false, particles: count * perLabel, capShares };
}

function checkGridLabels(grid: { labels: number | undefined }, count: number): void {
  if (grid.labels !== undefined && grid.labels !== count) throw new ConfigError("grid.labels", grid.labels, `${count} (the labels of the configuration) or absent`);
}

/** A label's initial law of psi = sign theta + alpha (or of psi itself for frame "gauge") as arcs. */
function initialArcs(law: InitLaw, shares: (k: number) => Float64Array, alpha: number, sign: number): Arc[] {
  const toGauge = law.frame === "original" ? (theta: number) => sign * theta + alpha : (psi: number) => psi;
  const angle = (c: Float64Array): number => Math.atan2(c[1], c[0]);
  if (law.kind === "uniform") return [{ center: toGauge(0), halfWidth: Math.PI, mass: 1 }];
  if (law.kind === "cap") return [{ center: toGauge(angle(law.center)), halfWidth: law.radius, mass: 1 }];
  if (law.kind === "caps") {
    const p = shares(law.centers.length);
    const arcs: Arc[] = [];
    law.centers.forEach((c, k) => { if (p[k] > 0) arcs.push({ center: toGauge(angle(c)), halfWidth: law.radius, mass: p[k] }); });
    return arcs;
  }
  throw new ConfigError("init.points", "explicit points", "a seeded law");
}
