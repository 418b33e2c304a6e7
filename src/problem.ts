// A problem: particles, labels, kernel and initial state, validated once and frozen.
import { ConfigError } from "./errors.js";
import { applyTranspose } from "./linalg.js";
import { buildKernel } from "./kernels/registry.js";
import type { AttentionHead, Content, KernelTables, Normalization } from "./kernels/types.js";
import { createRandom, type Random } from "./random.js";
import { kappaProfile } from "./kernels/kappa.js";
import { angleBetween, normalizeInPlace, sampleCap, sampleUniform } from "./sphere.js";
import {
  optionalNumber, requireArray, requireNumber, requireNumberArray, requireObject,
  requireOneOf, rejectUnknownKeys,
} from "./validate.js";

/** Largest beta for which exp(beta) is a finite double with room to spare. */
export const BETA_MAX = 700;
/** Largest beta with timeScale "fast" (the shifted exponent beta (u - 1) never overflows). */
export const BETA_MAX_FAST = 1e5;

/**
 * "natural": t as in MODEL.md, E as defined (beta <= BETA_MAX, so that e^beta is a finite double).
 * "fast": for the exp content the flow runs in tau = e^beta t and energies are reported as
 * E e^{-beta} (a change of time: dx/dtau = P_x((1/n) sum_j W exp(beta (<z_i,z_j> - 1)) ...)),
 * so any beta <= BETA_MAX_FAST runs. SA normalisation cancels the factor: its time is unchanged.
 * The linear content has no beta: both scales coincide.
 */
export type TimeScale = "natural" | "fast";
/** Largest number of particles a problem accepts (2^24). */
export const N_MAX = 16777216;
/** Largest dimension a problem accepts. */
export const DIM_MAX = 4096;
/** Explicit points must have |x| within this of 1 unless init.normalize is true. */
export const UNIT_TOLERANCE = 1e-6;

/** Label layout: L labels of m particles each (label of i = floor(i/m)), or explicit. */
export type LabelSpec =
  | { count: number; perLabel: number; positions?: number[] | "grid" | "random" }
  | { assign: number[]; count?: number; positions?: number[] | "grid" | "random" };

/** Initial law. A seeded law draws from the problem's one generator. */
export type InitSpec =
  | { points: number[][]; frame?: "original" | "gauge"; normalize?: boolean }
  | { law: "uniform"; seed?: number; frame?: "original" | "gauge" }
  | { law: "cap"; center: number[]; radius: number; seed?: number; frame?: "original" | "gauge" }
  | { law: "caps"; k: number; radius: number; centers?: number[][]; minSeparation?: number; seed?: number; frame?: "original" | "gauge" };

/** Kernel spec: a registered name and its fields (see README, "Kernels"). */
export type KernelSpec = { name: string; [field: string]: unknown };

/** Everything that defines a problem. JSON configurations have the same shape. */
export interface ProblemConfig {
  dim: number;
  /** inverse temperature of kappa = exp(beta u)/beta; default 1 */
  beta?: number;
  /** number of particles, when init is a seeded law and no labels fix it */
  n?: number;
  kernel?: KernelSpec;
  labels?: LabelSpec;
  init?: InitSpec;
  /** indices of frozen particles (they exert force, never move) */
  frozen?: number[];
  /** seed of the problem's generator when init has none; default 0 */
  seed?: number;
  /** "natural" (default) or "fast": time in units of e^{-beta} and energies times e^{-beta}, for beta > 700 */
  timeScale?: TimeScale;
}

/** A validated, frozen problem. Its arrays must be treated as read-only. */
export interface Problem {
  readonly dim: number;
  readonly beta: number;
  readonly n: number;
  readonly labelCount: number;
  /** a_i for each particle */
  readonly labels: Int32Array;
  /** s_a for each label */
  readonly positions: Float64Array;
  /** particles per label */
  readonly labelSizes: Int32Array;
  readonly kernelName: string;
  readonly content: Content;
  readonly normalize: Normalization;
  /** W[a*L + b] or null (W = 1) */
  readonly weights: Float64Array | null;
  /** G_a at [a*d*d], row-major, or null (G = I) */
  readonly gauges: Float64Array | null;
  /** 1 for frozen particles, or null */
  readonly frozen: Uint8Array | null;
  /** initial contents x_i (original frame), particle-major n*d */
  readonly initial: Float64Array;
  /** E* = max E when the theory gives it, else null */
  readonly energyMax: number | null;
  /** the time scale of the flow and of the reported energies (see TimeScale) */
  readonly timeScale: TimeScale;
  /**
   * true when the flow is the gradient flow of E (dE/dt = (1/n) sum_i |dx_i/dt|^2 >= 0): every
   * kernel of the paper with "usa"; false for "sa", masked or ALiBi heads, and V != Q^T K
   */
  readonly gradientFlow: boolean;
  /** attention heads (kernels "attention", "multihead"; W, G and kappa unused), or null */
  readonly attention: readonly AttentionHead[] | null;
  /** the configuration as given (JSON-serialisable parts) */
  readonly config: Readonly<ProblemConfig>;
}

const TOP_KEYS = ["dim", "beta", "n", "kernel", "labels", "init", "frozen", "seed", "timeScale"] as const;

/** Validates a configuration once and returns the frozen problem (throws ConfigError). */
export function defineProblem(config: ProblemConfig): Problem {
  const cfg = requireObject("config", config);
  rejectUnknownKeys("", cfg, TOP_KEYS);
  const dim = requireNumber("dim", cfg.dim, { integer: true, min: 2, max: DIM_MAX });
  const timeScale = cfg.timeScale === undefined ? "natural" : requireOneOf("timeScale", cfg.timeScale, ["natural", "fast"] as const);
  const beta = timeScale === "fast" ? optionalNumber("beta", cfg.beta, 1, { above: 0, max: BETA_MAX_FAST }) : readNaturalBeta(cfg.beta);
  const init = (cfg.init ?? { law: "uniform" }) as Record<string, unknown>;
  requireObject("init", init);
  const seed = init.seed !== undefined
    ? requireNumber("init.seed", init.seed, { integer: true, min: 0, max: Number.MAX_SAFE_INTEGER })
    : optionalNumber("seed", cfg.seed, 0, { integer: true, min: 0, max: Number.MAX_SAFE_INTEGER });
  const rng = createRandom(seed);

  const n = resolveCount(cfg, init);
  checkMemory(n, dim);
  const lab = resolveLabels(cfg.labels, n, rng);
  const kernelSpec = cfg.kernel ?? { name: "usa" };
  const tables = buildKernel(kernelSpec, {
    dim, beta, labelCount: lab.count, positions: lab.positions, labelSizes: lab.sizes, path: "kernel", timeScale,
  });
  checkNormalization(tables, lab.count);
  const frozen = resolveFrozen(cfg.frozen, n);
  const initial = resolveInit(init, n, dim, rng, lab.labels, tables.gauges);

  return Object.freeze({
    dim, beta, n,
    labelCount: lab.count,
    labels: lab.labels,
    positions: lab.positions,
    labelSizes: lab.sizes,
    kernelName: (kernelSpec as KernelSpec).name,
    content: tables.content,
    normalize: tables.normalize,
    weights: tables.weights,
    gauges: tables.gauges,
    frozen,
    initial,
    energyMax: energyMax(tables, lab.sizes, n, beta, timeScale),
    timeScale,
    gradientFlow: tables.gradientFlow ?? tables.normalize !== "sa",
    attention: tables.attention ?? null,
    config: cfg as unknown as ProblemConfig,
  });
}

/** beta on the natural scale: at most BETA_MAX, with the fast scale named as the way further. */
function readNaturalBeta(v: unknown): number {
  if (typeof v === "number" && Number.isFinite(v) && v > BETA_MAX && v <= BETA_MAX_FAST) {
    throw new ConfigError("beta", v, `a finite number > 0 <= ${BETA_MAX} (e^beta must be a finite double); up to ${BETA_MAX_FAST} with "timeScale": "fast" (time in units of e^-beta, energies as E e^-beta)`);
  }
  return optionalNumber("beta", v, 1, { above: 0, max: BETA_MAX });
}

/** Bytes per particle and coordinate that a system holds at least (the wasm core's four state arrays). */
const STATE_BYTES = 4 * 8;
/** The wasm32 memory maximum: 65536 pages of 64 KiB. */
export const MEMORY_MAX_BYTES = 2 ** 32;

/** Refuses, before anything is allocated, a system whose state cannot fit in the wasm memory maximum. */
function checkMemory(n: number, d: number): void {
  const bytes = n * d * STATE_BYTES;
  if (bytes > MEMORY_MAX_BYTES) {
    throw new ConfigError("n", n, `a system whose state fits in 4 GiB of wasm memory: n = ${n} particles in d = ${d} need at least ${(bytes / 2 ** 30).toFixed(2)} GiB (4 state arrays of n d doubles), so n <= ${Math.floor(MEMORY_MAX_BYTES / (d * STATE_BYTES))} at d = ${d}`);
  }
}

/** n from "n", explicit points or labels; any disagreement is an error. */
function resolveCount(cfg: Record<string, unknown>, init: Record<string, unknown>): number {
  const sources: [string, number][] = [];
  if (cfg.n !== undefined) sources.push(["n", requireNumber("n", cfg.n, { integer: true, min: 1, max: N_MAX })]);
  if (init.points !== undefined) sources.push(["init.points", requireArray("init.points", init.points, "points").length]);
  if (cfg.labels !== undefined) {
    const l = requireObject("labels", cfg.labels);
    if (l.assign !== undefined) sources.push(["labels.assign", requireArray("labels.assign", l.assign, "labels").length]);
    else {
      const count = requireNumber("labels.count", l.count, { integer: true, min: 1, max: N_MAX });
      const per = requireNumber("labels.perLabel", l.perLabel, { integer: true, min: 1, max: N_MAX });
      sources.push(["labels (count x perLabel)", count * per]);
    }
  }
  if (sources.length === 0) throw new ConfigError("n", undefined, "an integer >= 1 (required when init is a seeded law and there are no labels)");
  const [name0, n0] = sources[0];
  for (const [name, v] of sources.slice(1)) {
    if (v !== n0) throw new ConfigError(name, v, `the same particle count as ${name0} = ${n0}`);
  }
  if (n0 > N_MAX) throw new ConfigError(name0, n0, `at most ${N_MAX} particles`);
  return n0;
}

interface ResolvedLabels { count: number; labels: Int32Array; positions: Float64Array; sizes: Int32Array }

function resolveLabels(spec: unknown, n: number, rng: Random): ResolvedLabels {
  const labels = new Int32Array(n);
  let count = 1;
  let positionsSpec: unknown = undefined;
  if (spec !== undefined) {
    const l = requireObject("labels", spec);
    rejectUnknownKeys("labels", l, ["count", "perLabel", "assign", "positions"]);
    positionsSpec = l.positions;
    if (l.assign !== undefined) {
      if (l.perLabel !== undefined) throw new ConfigError("labels.perLabel", l.perLabel, "absent when labels.assign is given");
      const a = requireNumberArray("labels.assign", l.assign, n, { integer: true, min: 0, max: N_MAX - 1 });
      let max = 0;
      a.forEach((v, i) => { labels[i] = v; max = Math.max(max, v); });
      count = l.count === undefined ? max + 1 : requireNumber("labels.count", l.count, { integer: true, min: max + 1, max: N_MAX });
    } else {
      count = l.count as number;
      const per = l.perLabel as number;
      for (let i = 0; i < n; i++) labels[i] = Math.floor(i / per);
    }
  }
  const positions = new Float64Array(count);
  if (positionsSpec === undefined || positionsSpec === "grid") {
    for (let a = 0; a < count; a++) positions[a] = a / count;
  } else if (positionsSpec === "random") {
    for (let a = 0; a < count; a++) positions[a] = rng.uniform();
  } else if (Array.isArray(positionsSpec)) {
    positions.set(requireNumberArray("labels.positions", positionsSpec, count, { min: 0 }));
    positions.forEach((s, a) => { if (!(s < 1)) throw new ConfigError(`labels.positions[${a}]`, s, "a number in [0, 1)"); });
  } else {
    throw new ConfigError("labels.positions", positionsSpec, `"grid", "random", or an array of ${count} numbers in [0, 1)`);
  }
  const sizes = new Int32Array(count);
  for (let i = 0; i < n; i++) sizes[labels[i]]++;
  return { count, labels, positions, sizes };
}

/** SA divides by (1/n) sum_j W kappa'; that sum stays positive only for W >= 0 with W[a,a] > 0. */
function checkNormalization(t: KernelTables, L: number): void {
  if (t.normalize !== "sa" || !t.weights) return;
  for (let a = 0; a < L; a++) {
    for (let b = 0; b < L; b++) {
      const w = t.weights[a * L + b];
      if (!(w >= 0) || (a === b && !(w > 0))) {
        throw new ConfigError("kernel.normalize", "sa", `"usa" for this table: softmax normalisation needs W >= 0 with W[a][a] > 0 (W[${a}][${b}] = ${w})`);
      }
    }
  }
}

function resolveFrozen(spec: unknown, n: number): Uint8Array | null {
  if (spec === undefined) return null;
  if (!Array.isArray(spec)) throw new ConfigError("frozen", spec, `an array of particle indices in 0..${n - 1}`);
  const mask = new Uint8Array(n);
  spec.forEach((v, k) => {
    const i = requireNumber(`frozen[${k}]`, v, { integer: true, min: 0, max: n - 1 });
    if (mask[i]) throw new ConfigError(`frozen[${k}]`, v, "distinct particle indices");
    mask[i] = 1;
  });
  return mask;
}

function resolveInit(init: Record<string, unknown>, n: number, d: number, rng: Random, labels: Int32Array, gauges: Float64Array | null): Float64Array {
  const x = new Float64Array(n * d);
  const frame = init.frame === undefined ? "original" : requireOneOf("init.frame", init.frame, ["original", "gauge"] as const);
  if (init.points !== undefined) {
    rejectUnknownKeys("init", init, ["points", "frame", "normalize", "seed"]);
    if (init.law !== undefined) throw new ConfigError("init.law", init.law, "absent when init.points is given");
    const normalize = init.normalize === undefined ? false : init.normalize;
    if (typeof normalize !== "boolean") throw new ConfigError("init.normalize", normalize, "true or false");
    const pts = init.points as unknown[];
    pts.forEach((p, i) => {
      const v = requireNumberArray(`init.points[${i}]`, p, d);
      x.set(v, i * d);
      let s = 0;
      for (const c of v) s += c * c;
      const r = Math.sqrt(s);
      if (!(r > 0) || !Number.isFinite(r)) throw new ConfigError(`init.points[${i}]`, p, "a finite non-zero vector");
      if (!normalize && Math.abs(r - 1) > UNIT_TOLERANCE) {
        throw new ConfigError(`init.points[${i}]`, p, `a unit vector (|x| = 1 within ${UNIT_TOLERANCE}; this one has |x| = ${r}), or set init.normalize: true`);
      }
      normalizeInPlace(d, x, i * d);
    });
  } else {
    const law = init.law === undefined ? "uniform" : requireOneOf("init.law", init.law, ["uniform", "cap", "caps"] as const);
    if (law === "uniform") {
      rejectUnknownKeys("init", init, ["law", "seed", "frame"]);
      for (let i = 0; i < n; i++) sampleUniform(rng, d, x, i * d);
    } else if (law === "cap") {
      rejectUnknownKeys("init", init, ["law", "seed", "frame", "center", "radius"]);
      const c = readUnit("init.center", init.center, d);
      const r = requireNumber("init.radius", init.radius, { above: 0, max: Math.PI });
      for (let i = 0; i < n; i++) sampleCap(rng, d, c, r, x, i * d);
    } else {
      rejectUnknownKeys("init", init, ["law", "seed", "frame", "k", "radius", "centers", "minSeparation"]);
      const r = requireNumber("init.radius", init.radius, { above: 0, max: Math.PI });
      const centers = readCenters(init, d, n, rng);
      const k = centers.length;
      // cap c holds particles floor(c n / k) .. floor((c+1) n / k) - 1
      for (let i = 0; i < n; i++) sampleCap(rng, d, centers[Math.floor((i * k) / n)], r, x, i * d);
    }
  }
  if (frame === "gauge" && gauges) {
    // the drawn points are z_i in the gauge frame: x_i = G_{a_i}^T z_i
    const z = Float64Array.from(x);
    for (let i = 0; i < n; i++) applyTranspose(d, gauges, labels[i] * d * d, z, i * d, x, i * d);
  }
  return x;
}

function readUnit(path: string, v: unknown, d: number): Float64Array {
  const c = Float64Array.from(requireNumberArray(path, v, d));
  const r = normalizeInPlace(d, c, 0);
  if (!(r > 0)) throw new ConfigError(path, v, "a non-zero vector");
  return c;
}

/** Cap centres: given, or k drawn uniformly with pairwise angle >= minSeparation (rejection, bounded). */
function readCenters(init: Record<string, unknown>, d: number, n: number, rng: Random): Float64Array[] {
  if (init.centers !== undefined) {
    const list = requireArray("init.centers", init.centers, `vectors of ${d} numbers`);
    if (init.k !== undefined && init.k !== list.length) throw new ConfigError("init.k", init.k, `the number of init.centers (${list.length})`);
    if (list.length > n) throw new ConfigError("init.centers", list.length, `at most n = ${n} centres`);
    return list.map((c, i) => readUnit(`init.centers[${i}]`, c, d));
  }
  const k = requireNumber("init.k", init.k, { integer: true, min: 1, max: n });
  const sep = optionalNumber("init.minSeparation", init.minSeparation, 0, { min: 0, max: Math.PI });
  const centers: Float64Array[] = [];
  for (let attempt = 0; centers.length < k; attempt++) {
    if (attempt > 10000 * k) throw new ConfigError("init.minSeparation", sep, `a separation that ${k} random centres on S^${d - 1} can reach (10000 k draws failed)`);
    const c = new Float64Array(d);
    sampleUniform(rng, d, c, 0);
    if (centers.every((o) => angleBetween(d, o, 0, c, 0) >= sep)) centers.push(c);
  }
  return centers;
}

/**
 * E* where the theory gives it. Generic rule: for W >= 0 entrywise the energy
 * E = 1/(2n^2) sum_ij W kappa(<z_i,z_j>) is at most kappa(1)/(2n^2) sum_ij W[a_i,a_j], attained
 * when every z_i is the same point (a Dirac mass in the gauge frame; Theorem 1, Theorem 4).
 * Kernels with signed W may supply their own (Toeplitz, Proposition 10).
 */
function energyMax(t: KernelTables, sizes: Int32Array, n: number, beta: number, timeScale: TimeScale): number | null {
  if (t.energyMax !== undefined) return t.energyMax;
  const L = sizes.length;
  let sum = 0;
  if (t.weights) {
    for (let a = 0; a < L; a++) {
      for (let b = 0; b < L; b++) {
        const w = t.weights[a * L + b];
        if (w < 0 && sizes[a] > 0 && sizes[b] > 0) return null;
        sum += sizes[a] * sizes[b] * w;
      }
    }
  } else {
    sum = n * n;
  }
  // kappa(1) = e^beta / beta; on the fast scale energies are E e^{-beta}
  return (kappaProfile(t.content, beta, timeScale).one * sum) / (2 * n * n);
}

