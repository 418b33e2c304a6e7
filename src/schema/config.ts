// The shape of a configuration, defined once: the problem (defineProblem), the solver
// (defineSolver) and the whole `mft simulate` configuration. The TypeScript types are `Static` of
// these schemas, and `simulationConfigSchema` is the JSON Schema published as
// meanfield-transformer/schema.json (and printed by `mft schema`).
import * as T from "@sinclair/typebox";
import { kernelSpecSchema } from "../kernels/specs.js";
import { numberList, stringEnum } from "./fields.js";

/** Where particles start in their own frame: "original" (x) or "gauge" (z, with x_i = G_{a_i}^T z_i). */
const frameField = T.Optional(stringEnum(["original", "gauge"] as const, '"original" (default): the points are x_i; "gauge": they are z_i and x_i = G_{a_i}^T z_i'));
const seedField = T.Optional(T.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: "seed of the problem's one generator (xoshiro128**)" }));
const positionsField = T.Optional(T.Union([
  stringEnum(["grid", "random"] as const, '"grid" (default): s_a = a/L; "random": uniform draws'),
  numberList("one position s_a in [0, 1) per label"),
], { description: "the label positions s_a" }));

/** The labels a_i: L labels of m particles each, or an explicit assignment. */
export const labelSpecSchema = T.Union([
  T.Object({
    count: T.Integer({ minimum: 1, description: "L, the number of labels" }),
    perLabel: T.Integer({ minimum: 1, description: "m: particle i gets label floor(i/m)" }),
    positions: positionsField,
  }, { additionalProperties: false }),
  T.Object({
    assign: T.Array(T.Integer({ minimum: 0 }), { minItems: 1, description: "a_i for each particle" }),
    count: T.Optional(T.Integer({ minimum: 1, description: "L (default: the largest label + 1)" })),
    positions: positionsField,
  }, { additionalProperties: false }),
  T.Object({
    law: T.Literal("uniform", { description: "one label per particle, its position drawn uniformly from [0, 1) after the contents (a continuous label law; the mean-field solver integrates over it)" }),
  }, { additionalProperties: false }),
], { description: 'the labels: {"count": L, "perLabel": m}, {"assign": [a_0, ...]} or {"law": "uniform"} (default: one label)' });

/** The initial state: explicit points, or a seeded law. */
export const initSpecSchema = T.Union([
  T.Object({
    points: T.Array(numberList("a unit vector of dim numbers"), { minItems: 1, description: "the initial points, one per particle" }),
    frame: frameField,
    normalize: T.Optional(T.Boolean({ description: "true: scale each point to unit length (default false: they must be unit vectors within 1e-6)" })),
    seed: seedField,
  }, { additionalProperties: false }),
  T.Object({
    law: T.Optional(T.Literal("uniform", { description: "i.i.d. uniform on the sphere (the default law)" })),
    seed: seedField,
    frame: frameField,
  }, { additionalProperties: false }),
  T.Object({
    law: T.Literal("cap", { description: "i.i.d. uniform in one spherical cap" }),
    center: numberList("the cap's centre (normalised)"),
    radius: T.Number({ minimum: 0, maximum: Math.PI, description: "the cap's angular radius (radians; 0: one point)" }),
    seed: seedField,
    frame: frameField,
  }, { additionalProperties: false }),
  T.Object({
    law: T.Literal("caps", { description: "k caps, n/k particles each" }),
    k: T.Optional(T.Integer({ minimum: 1, description: "the number of caps (or the length of centers)" })),
    radius: T.Number({ minimum: 0, maximum: Math.PI, description: "each cap's angular radius (radians; 0: one point)" }),
    centers: T.Optional(T.Array(numberList("a cap centre"), { minItems: 1, description: "the caps' centres (default: k uniform draws)" })),
    minSeparation: T.Optional(T.Number({ minimum: 0, maximum: Math.PI, description: "least angle between drawn centres (radians)" })),
    seed: seedField,
    frame: frameField,
  }, { additionalProperties: false }),
], { description: 'the initial state: {"law": "uniform" | "cap" | "caps", "seed", ...} or {"points": [[...], ...]} (default: uniform, seed 0)' });

/** The fields of a problem (defineProblem). */
const problemFields = {
  dim: T.Integer({ minimum: 2, description: "d: the particles live on the unit sphere S^{d-1} in R^d" }),
  beta: T.Optional(T.Number({ exclusiveMinimum: 0, description: 'beta of kappa(u) = exp(beta u)/beta (default 1); at most 700, or 1e5 with "timeScale": "fast"' })),
  n: T.Optional(T.Integer({ minimum: 1, description: "the number of particles, when neither labels nor points fix it" })),
  kernel: T.Optional(kernelSpecSchema),
  labels: T.Optional(labelSpecSchema),
  init: T.Optional(initSpecSchema),
  frozen: T.Optional(T.Array(T.Integer({ minimum: 0 }), { description: "indices of particles that exert force but never move (prefix tokens)" })),
  seed: T.Optional(T.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: "seed of the generator when init has none (default 0)" })),
  timeScale: T.Optional(stringEnum(["natural", "fast"] as const, '"natural" (default): t and E as defined; "fast": time tau = e^beta t and energies E e^-beta, for beta up to 1e5')),
};

/** A problem's configuration (defineProblem); JSON configurations have the same shape. */
export const problemConfigSchema = T.Object(problemFields, { additionalProperties: false });

/** The solver's configuration (defineSolver). */
export const solverConfigSchema = T.Object({
  method: T.Optional(stringEnum(["heun", "euler"] as const, '"heun" (default): projected RK2; "euler"')),
  step: T.Optional(T.Number({ exclusiveMinimum: 0, description: "the step h (default 0.01; with adaptive: the first step)" })),
  time: T.Optional(T.Number({ minimum: 0, description: "the terminal time T (default 30), a multiple of step" })),
  record: T.Optional(T.Number({ exclusiveMinimum: 0, description: "the record interval (default 0.5), a multiple of step: a record at t = 0 and at every multiple" })),
  stop: T.Optional(T.Object({
    window: T.Number({ exclusiveMinimum: 0, description: "T_w, a multiple of record" }),
    tol: T.Number({ exclusiveMinimum: 0, description: "stop when (E(t) - E(t - T_w)) / |E(t)| < tol" }),
  }, { additionalProperties: false, description: "early stop at a record where the energy has stopped rising (default off)" })),
  clusterAngle: T.Optional(T.Number({ exclusiveMinimum: 0, maximum: Math.PI, description: "angle (radians) below which two particles are in one cluster (default 0.05)" })),
  adaptive: T.Optional(T.Object({
    rtol: T.Optional(T.Number({ minimum: 0, maximum: 1, description: "default 1e-6" })),
    atol: T.Optional(T.Number({ minimum: 0, maximum: 1, description: "default 1e-9" })),
    minStep: T.Optional(T.Number({ exclusiveMinimum: 0, description: "default 1e-9; below it the run stops with an error" })),
    maxStep: T.Optional(T.Number({ exclusiveMinimum: 0, description: "default: record" })),
  }, { additionalProperties: false, description: "adaptive Heun steps, accepted when max_i |x_i^Heun - x_i^Euler| <= atol + rtol (default off)" })),
}, { additionalProperties: false, description: "the integrator, the time grid and the early stop" });

/** The fields `mft simulate` adds to a problem: the solver and the engine's options. */
const runFields = {
  solver: T.Optional(solverConfigSchema),
  engine: T.Optional(stringEnum(["wasm", "js", "webgpu"] as const, '"wasm" (default): the SIMD WebAssembly core; "js": the reference engine; "webgpu": f32 compute shaders')),
  threads: T.Optional(T.Integer({ minimum: 1, description: "threads that split this system (default: the available cores; results are bitwise the same for any value)" })),
  precision: T.Optional(stringEnum(["f64", "f32"] as const, '"f64" (default) or "f32" (wasm at d = 3 with exp kernels; webgpu is always f32)')),
  pairLoop: T.Optional(stringEnum(["expansion", "sums", "symmetric", "row"] as const, 'the wasm engine\'s pair sum (default: the fastest that applies): "expansion" the exact series of the exp kernel (d = 3 harmonics, d = 2 Fourier), "sums" the linear content\'s label sums, "symmetric" or "row" a pair loop')),
  grid: T.Optional(T.Object({
    angles: T.Optional(T.Integer({ minimum: 1, description: "M: quantile nodes per label and cells of the output density (default 256), a multiple of panelPoints" })),
    labels: T.Optional(T.Integer({ minimum: 1, description: 'L: label nodes when labels.law is "uniform" (default 32); otherwise the label count, if given' })),
    panelPoints: T.Optional(T.Integer({ minimum: 1, description: "Gauss-Legendre points per panel of the mass coordinate (default 4)" })),
  }, { additionalProperties: false, description: "the mean-field solver's grid (mft meanfield, docs/meanfield.md); particle runs do not read it" })),
};

/** A whole `mft simulate` configuration: a problem plus solver, engine, threads, precision and pairLoop. */
export const simulationConfigObject = T.Object({ ...problemFields, ...runFields }, { additionalProperties: false });

/** Label layout: L labels of m particles each (label of i = floor(i/m)), or explicit. */
export type LabelSpec = T.Static<typeof labelSpecSchema>;
/** Initial law: explicit points, or a seeded law drawn from the problem's one generator. */
export type InitSpec = T.Static<typeof initSpecSchema>;
/** Everything that defines a problem (defineProblem). JSON configurations have the same shape. */
export interface ProblemConfig extends T.Static<typeof problemConfigSchema> {}
/** The solver's options (defineSolver): method, step, time, record, stop, clusterAngle, adaptive. */
export interface SolverConfig extends T.Static<typeof solverConfigSchema> {}
/** A whole `mft simulate` configuration (docs/cli.md). */
export interface SimulationConfig extends T.Static<typeof simulationConfigObject> {}

/** The top-level fields of a problem, in the order of the schema. */
export const PROBLEM_FIELDS: readonly string[] = Object.keys(problemFields);
/** The top-level fields of an `mft simulate` configuration. */
export const SIMULATION_FIELDS: readonly string[] = [...PROBLEM_FIELDS, ...Object.keys(runFields)];

/**
 * The JSON Schema (draft-07) of an `mft simulate` configuration, as published in
 * meanfield-transformer/schema.json. It describes the shape: field names, types, required fields
 * and plain bounds; `parseSimulationConfig` checks the rest (cross-field rules, exact ranges).
 */
export function simulationConfigSchema(): Record<string, unknown> {
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "mft simulate configuration",
    description: "A problem (particles, labels, kernel, initial state) and how to run it (solver, engine). Every field is described in docs/cli.md.",
    // a plain copy: the TypeBox markers are symbols, which JSON leaves out
    ...JSON.parse(JSON.stringify(simulationConfigObject)),
  };
}
