// A problem: particles, labels, kernel and initial state, validated once and frozen.
import { ConfigError } from "./errors.js";
import { applyTranspose } from "./linalg.js";
import { MAGNITUDE_MAX } from "./kernels/common.js";
import { buildKernel, getKernel } from "./kernels/registry.js";
import type { AttentionHead, Content, KernelTables, Normalization } from "./kernels/types.js";
import { createRandom, type Random } from "./random.js";
import type { KernelSpec } from "./kernels/specs.js";
import { PROBLEM_FIELDS, type InitSpec, type LabelSpec, type ProblemConfig } from "./schema/config.js";
import { SetupBudget } from "./setup-cost.js";
import { kappaProfile } from "./kernels/kappa.js";
import { angleBetween, normalizeInPlace, sampleCap, sampleUniform } from "./sphere.js";
import {
  checkNesting, optionalNumber, requireArray, requireNumber, requireNumberArray, requireObject,
  requireOneOf, rejectUnknownKeys,
} from "./validate.js";

/** Largest beta for which exp(beta) is a finite double with room to spare. */
export const BETA_MAX = 700;
/** Largest beta with timeScale "fast" (the shifted exponent beta (u - 1) never overflows). */
export const BETA_MAX_FAST = 1e5;

/**
 * "natural": t as in docs/model.md, E as defined (beta <= BETA_MAX, so that e^beta is a finite double).
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

export type { InitSpec, KernelSpec, LabelSpec, ProblemConfig };

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
  /**
   * settings that are valid but do nothing, one sentence each (empty when there are none): a
   * positional kernel (rope, phaseField, distanceBias, toeplitz) with one label
   */
  readonly warnings: readonly string[];
}


/** Every problem defineProblem has made: the engines and solve() take these and nothing else. */
const made = new WeakSet<object>();

/** True when `v` is a Problem returned by defineProblem (not a copy, not a hand-built object). */
export function isProblem(v: unknown): v is Problem {
  return typeof v === "object" && v !== null && made.has(v);
}

/** `v` itself when it is a Problem made by defineProblem; a ConfigError naming `path` otherwise. */
export function requireProblem(path: string, v: unknown): Problem {
  if (!isProblem(v)) throw new ConfigError(path, v, "a Problem returned by defineProblem (a copy or a hand-built object is not one)");
  return v;
}

/**
 * Validates a configuration once and returns the frozen problem (throws ConfigError). Every table
 * is sized from the configuration and reserved in a SetupBudget before it is allocated.
 */
export function defineProblem(config: ProblemConfig): Problem {
  checkNesting("", config);
  const cfg = requireObject("config", config);
  rejectUnknownKeys("", cfg, PROBLEM_FIELDS);
  const dim = requireNumber("dim", cfg.dim, { integer: true, min: 2, max: DIM_MAX });
  const timeScale = cfg.timeScale === undefined ? "natural" : requireOneOf("timeScale", cfg.timeScale, ["natural", "fast"] as const);
  const beta = timeScale === "fast" ? optionalNumber("beta", cfg.beta, 1, { above: 0, max: BETA_MAX_FAST }) : readNaturalBeta(cfg.beta);
  const init: Record<string, unknown> = cfg.init === undefined ? { law: "uniform" } : requireObject("init", cfg.init);
  const rng = createRandom(problemSeed(cfg, init));

  const n = resolveCount(cfg, init);
  checkMemory(n, dim);
  const budget = new SetupBudget();
  budget.reserve({
    field: "n", value: n, what: `the initial state and the per-particle arrays (n d doubles, d = ${dim})`,
    // JS: the initial state, labels, frozen mask; core: 4 state arrays, labels, frozen mask, energy parts and a context page
    host: (v) => v * (8 * dim + 5), core: (v) => (v + 1) * (32 * dim + 13) + 65536, work: (v) => 8 * v * dim,
  });
  const lab = resolveLabels(cfg.labels, n, rng, budget);
  const law = readInitLaw(init, n, dim, rng, budget);
  const initial = sampleInitLaw(law, n, dim, rng);
  // a continuous label law: the positions are drawn after the contents
  if (lab.law === "uniform") for (let a = 0; a < lab.count; a++) lab.positions[a] = rng.uniform();
  // a field left out takes its default; null is a value, and no field accepts it
  const kernelSpec = cfg.kernel === undefined ? { name: "usa" } : cfg.kernel;
  const tables = buildKernel(kernelSpec, {
    dim, beta, labelCount: lab.count, positions: lab.positions, labelSizes: lab.sizes, path: "kernel", timeScale,
    budget, labelCountPath: lab.countPath, n,
  });
  checkMagnitudes(tables, beta, timeScale, kernelSpec as Record<string, unknown>);
  checkNormalization(tables, lab.count);
  const frozen = resolveFrozen(cfg.frozen, n) ?? loneParticle(n, tables);
  if (law.frame === "gauge" && tables.gauges) {
    // the drawn points are z_i in the gauge frame: x_i = G_{a_i}^T z_i
    const z = Float64Array.from(initial);
    for (let i = 0; i < n; i++) applyTranspose(dim, tables.gauges, lab.labels[i] * dim * dim, z, i * dim, initial, i * dim);
  }

  const problem: Problem = Object.freeze({
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
    warnings: Object.freeze(problemWarnings((kernelSpec as KernelSpec).name, lab.count)),
  });
  made.add(problem);
  return problem;
}

/**
 * What a valid configuration asks for but does not get. A positional kernel reads the label
 * positions s_a; with one label every particle has s = 0, so its gauges are all one rotation (rope,
 * phaseField: the baseline flow, turned) or its W one number (distanceBias: W = 1; toeplitz:
 * W = sum_k c_k): nothing positional is left.
 */
function problemWarnings(kernelName: string, labelCount: number): string[] {
  const warnings: string[] = [];
  if (labelCount === 1 && getKernel(kernelName).positional) {
    warnings.push(`kernel "${kernelName}" with one label does nothing positional: every particle has position s = 0, so the flow is the baseline's (up to a fixed rotation or a constant weight); give labels, e.g. "labels": {"count": L, "perLabel": m}`);
  }
  return warnings;
}

/**
 * A lone particle of a W/G/kappa kernel never moves: its force W kappa'(1) G^T G x = c x is
 * parallel to it, so its velocity P_x(c x) is exactly 0. It is held as frozen, so that the
 * round-off of that projection (c up to e^700) cannot push it.
 */
function loneParticle(n: number, t: KernelTables): Uint8Array | null {
  return n === 1 && !t.attention ? Uint8Array.of(1) : null;
}

/**
 * The kernel's largest terms must be finite doubles with room for their sums: max |W| kappa(1)
 * (energy) and max |W| kappa'(1) (force), kappa(1) = e^beta / beta and kappa'(1) = e^beta on the
 * natural scale, 1/beta and 1 on the fast one, 1 and 1 for the linear content.
 */
function checkMagnitudes(t: KernelTables, beta: number, timeScale: TimeScale, spec: Record<string, unknown>): void {
  let wMax = 1;
  if (t.weights) { wMax = 0; for (const w of t.weights) wMax = Math.max(wMax, Math.abs(w)); }
  const exp = t.content === "exp" && !t.attention;
  const kappa1 = exp ? (timeScale === "fast" ? 1 : Math.exp(beta)) / beta : 1;
  const kappaPrime1 = exp && timeScale === "natural" ? Math.exp(beta) : 1;
  const source = t.weightsSource ?? "weights";
  for (const [what, k] of [["kappa(1)", kappa1], ["kappa'(1)", kappaPrime1]] as const) {
    const product = wMax * k;
    if (product <= MAGNITUDE_MAX) continue;
    const field = wMax > 1 || !(wMax >= 0) ? `kernel.${source}` : "beta";
    const value = field === "beta" ? beta : spec[source];
    throw new ConfigError(field, value, `values with max |W| ${what} <= e^700 = ${MAGNITUDE_MAX.toPrecision(3)} (here max |W| = ${wMax}, ${what} = ${k.toPrecision(3)}${exp ? ` at beta = ${beta}` : ""}, product ${product.toPrecision(3)}): the kernel's largest ${what === "kappa(1)" ? "energy" : "force"} term must stay a finite double`);
  }
}

/** The seed of a problem's one generator: init.seed, else the top-level seed (default 0). */
export function problemSeed(cfg: Record<string, unknown>, init: Record<string, unknown>): number {
  return init.seed !== undefined
    ? requireNumber("init.seed", init.seed, { integer: true, min: 0, max: Number.MAX_SAFE_INTEGER })
    : optionalNumber("seed", cfg.seed, 0, { integer: true, min: 0, max: Number.MAX_SAFE_INTEGER });
}

/** beta on the natural scale: at most BETA_MAX, with the fast scale named as the way further. */
export function readNaturalBeta(v: unknown): number {
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
    if (l.law !== undefined) {
      // one label per particle: n comes from "n" or the points
    } else if (l.assign !== undefined) sources.push(["labels.assign", requireArray("labels.assign", l.assign, "labels").length]);
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

/** Labels as read from a configuration; with law "uniform" the positions are still to be drawn. */
export interface ResolvedLabels { count: number; labels: Int32Array; positions: Float64Array; sizes: Int32Array; countPath: string; law: "uniform" | null }

/**
 * Reads `labels` for n particles: the label of each particle, the positions ("random" ones drawn
 * from rng now) and the label sizes, each table reserved in the budget before it is allocated.
 * With `{law: "uniform"}` every particle is its own label and the positions are left for the
 * caller to draw (defineProblem draws them after the contents).
 */
export function resolveLabels(spec: unknown, n: number, rng: Random, budget: SetupBudget = new SetupBudget()): ResolvedLabels {
  let count = 1;
  let countPath = "labels.count";
  let assign: number[] | null = null;
  let positionsSpec: unknown = undefined;
  if (spec !== undefined) {
    const l = requireObject("labels", spec);
    if (l.law !== undefined) {
      rejectUnknownKeys("labels", l, ["law"]);
      requireOneOf("labels.law", l.law, ["uniform"] as const);
      budget.reserve({ field: "n", value: n, what: "one label per particle (labels.law)", host: (v) => 20 * v, work: (v) => 4 * v });
      const labels = new Int32Array(n);
      for (let i = 0; i < n; i++) labels[i] = i;
      return { count: n, labels, positions: new Float64Array(n), sizes: new Int32Array(n).fill(1), countPath: "n", law: "uniform" };
    }
    rejectUnknownKeys("labels", l, ["count", "perLabel", "assign", "positions", "law"]);
    positionsSpec = l.positions;
    if (l.assign !== undefined) {
      if (l.perLabel !== undefined) throw new ConfigError("labels.perLabel", l.perLabel, "absent when labels.assign is given");
      assign = requireNumberArray("labels.assign", l.assign, n, { integer: true, min: 0, max: N_MAX - 1 });
      let max = 0;
      for (const v of assign) max = Math.max(max, v);
      if (l.count === undefined) { count = max + 1; countPath = "labels.assign"; }
      else count = requireNumber("labels.count", l.count, { integer: true, min: max + 1, max: N_MAX });
    } else {
      count = l.count as number;
    }
  }
  // positions, sizes and the groups of the diagnostics: 4 + 8 + 4 bytes per label
  budget.reserve({ field: countPath, value: count, what: "the label positions and sizes", host: (L) => 16 * L, work: (L) => 4 * L });
  const labels = new Int32Array(n);
  if (assign) assign.forEach((v, i) => { labels[i] = v; });
  else if (spec !== undefined) {
    const per = (spec as Record<string, unknown>).perLabel as number;
    for (let i = 0; i < n; i++) labels[i] = Math.floor(i / per);
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
  return { count, labels, positions, sizes, countPath, law: null };
}

/** SA divides by (1/n) sum_j W kappa'; that sum stays positive only for W >= 0 with W[a,a] > 0. */
export function checkNormalization(t: KernelTables, L: number): void {
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

/** An initial law as a configuration gives it, with any random cap centres already drawn. */
export type InitLaw =
  | { kind: "points"; points: Float64Array; frame: "original" | "gauge" }
  | { kind: "uniform"; frame: "original" | "gauge" }
  | { kind: "cap"; center: Float64Array; radius: number; frame: "original" | "gauge" }
  /** cap c holds particles floor(c n / k) .. floor((c+1) n / k) - 1 */
  | { kind: "caps"; centers: Float64Array[]; radius: number; frame: "original" | "gauge" };

/**
 * Reads `init` for n particles in dimension d: explicit points (checked and normalised), or a
 * seeded law whose random cap centres are drawn from rng here, before any particle.
 */
export function readInitLaw(init: Record<string, unknown>, n: number, d: number, rng: Random, budget: SetupBudget = new SetupBudget()): InitLaw {
  const frame = init.frame === undefined ? "original" : requireOneOf("init.frame", init.frame, ["original", "gauge"] as const);
  if (init.points !== undefined) {
    rejectUnknownKeys("init", init, ["points", "frame", "normalize", "seed"]);
    if (init.law !== undefined) throw new ConfigError("init.law", init.law, "absent when init.points is given");
    const normalize = init.normalize === undefined ? false : init.normalize;
    if (typeof normalize !== "boolean") throw new ConfigError("init.normalize", normalize, "true or false");
    const x = new Float64Array(n * d);
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
    return { kind: "points", points: x, frame };
  }
  const law = init.law === undefined ? "uniform" : requireOneOf("init.law", init.law, ["uniform", "cap", "caps"] as const);
  if (law === "uniform") {
    rejectUnknownKeys("init", init, ["law", "seed", "frame"]);
    return { kind: "uniform", frame };
  }
  if (law === "cap") {
    rejectUnknownKeys("init", init, ["law", "seed", "frame", "center", "radius"]);
    const center = readUnit("init.center", init.center, d);
    return { kind: "cap", center, radius: requireNumber("init.radius", init.radius, { min: 0, max: Math.PI }), frame };
  }
  rejectUnknownKeys("init", init, ["law", "seed", "frame", "k", "radius", "centers", "minSeparation"]);
  const radius = requireNumber("init.radius", init.radius, { min: 0, max: Math.PI });
  return { kind: "caps", centers: readCenters(init, d, n, rng, budget), radius, frame };
}

/** Draws n particles (particle-major n*d) from a law read by readInitLaw, in the law's frame. */
function sampleInitLaw(law: InitLaw, n: number, d: number, rng: Random): Float64Array {
  if (law.kind === "points") return law.points;
  const x = new Float64Array(n * d);
  if (law.kind === "uniform") {
    for (let i = 0; i < n; i++) sampleUniform(rng, d, x, i * d);
  } else if (law.kind === "cap") {
    for (let i = 0; i < n; i++) sampleCap(rng, d, law.center, law.radius, x, i * d);
  } else {
    const k = law.centers.length;
    for (let i = 0; i < n; i++) sampleCap(rng, d, law.centers[Math.floor((i * k) / n)], law.radius, x, i * d);
  }
  return x;
}

function readUnit(path: string, v: unknown, d: number): Float64Array {
  const c = Float64Array.from(requireNumberArray(path, v, d));
  const r = normalizeInPlace(d, c, 0);
  if (!(r > 0)) throw new ConfigError(path, v, "a non-zero vector");
  return c;
}

/**
 * Cap centres: given, or k drawn uniformly with pairwise angle >= minSeparation (rejection; at most
 * 10000 k draws, and the comparisons count against the set-up budget).
 */
function readCenters(init: Record<string, unknown>, d: number, n: number, rng: Random, budget: SetupBudget): Float64Array[] {
  if (init.centers !== undefined) {
    const list = requireArray("init.centers", init.centers, `vectors of ${d} numbers`);
    if (init.k !== undefined && init.k !== list.length) throw new ConfigError("init.k", init.k, `the number of init.centers (${list.length})`);
    if (list.length > n) throw new ConfigError("init.centers", list.length, `at most n = ${n} centres`);
    return list.map((c, i) => readUnit(`init.centers[${i}]`, c, d));
  }
  const k = requireNumber("init.k", init.k, { integer: true, min: 1, max: n });
  const sep = optionalNumber("init.minSeparation", init.minSeparation, 0, { min: 0, max: Math.PI });
  budget.reserve({ field: "init.k", value: k, what: `the cap centres (k d doubles, d = ${d})`, host: (v) => 8 * v * d, work: (v) => 8 * v * d });
  const fit = packingBound(d, sep);
  if (k > fit) throw new ConfigError("init.minSeparation", sep, `a separation at which ${k} centres fit on S^${d - 1}: caps of angular radius minSeparation / 2 around them are disjoint, so at most ${Math.floor(fit)} fit at this one`);
  const centers: Float64Array[] = [];
  const fail = (why: string): never => { throw new ConfigError("init.minSeparation", sep, `a separation that ${k} random centres on S^${d - 1} can reach (${why})`); };
  for (let attempt = 0; centers.length < k; attempt++) {
    if (attempt > 10000 * k) fail("10000 k draws failed");
    const c = new Float64Array(d);
    sampleUniform(rng, d, c, 0);
    // a draw costs about 30 d multiply-adds (normal deviates), each comparison 4 d
    if (sep > 0) budget.spend((30 + 4 * centers.length) * d, () => fail(`the draws ran past the set-up bound after ${centers.length} centres`));
    if (sep === 0 || centers.every((o) => angleBetween(d, o, 0, c, 0) >= sep)) centers.push(c);
  }
  return centers;
}

/**
 * The most points with pairwise angle >= sep that S^{d-1} can hold, by area: the caps of angular
 * radius sep/2 around them are disjoint, so k <= |S^{d-1}| / |cap(sep/2)|, the cap's area being
 * proportional to the integral of sin^{d-2} from 0 to its radius (Simpson's rule, 2048 panels).
 */
function packingBound(d: number, sep: number): number {
  if (!(sep > 0)) return Infinity;
  const area = (r: number): number => {
    const m = 2048, h = r / m;
    let s = 0;
    for (let q = 0; q <= m; q++) s += (q === 0 || q === m ? 1 : q % 2 ? 4 : 2) * Math.sin(q * h) ** (d - 2);
    return (s * h) / 3;
  };
  // 1 + a little: Simpson's error must not refuse a count that fits exactly
  return (area(Math.PI) / area(Math.min(sep / 2, Math.PI))) * (1 + 1e-6);
}

/**
 * E* where the theory gives it, for labels of the given sizes (particle counts, or the weights of
 * a label law) summing to `total`. Generic rule: for W >= 0 entrywise the energy
 * E = 1/(2n^2) sum_ij W kappa(<z_i,z_j>) is at most kappa(1)/(2n^2) sum_ij W[a_i,a_j], attained
 * when every z_i is the same point (a Dirac mass in the gauge frame; Theorem 1, Theorem 4).
 * Kernels with signed W may supply their own (Toeplitz, Proposition 10).
 */
export function energyMax(t: KernelTables, sizes: ArrayLike<number>, total: number, beta: number, timeScale: TimeScale): number | null {
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
    sum = total * total;
  }
  // kappa(1) = e^beta / beta; on the fast scale energies are E e^{-beta}
  return (kappaProfile(t.content, beta, timeScale).one * sum) / (2 * total * total);
}

