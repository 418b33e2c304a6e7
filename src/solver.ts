// Solver options: the integrator, the time grid and the early stop, validated once and frozen.
import { ConfigError } from "./errors.js";
import type { AnyEngineKind, EngineKind, Method } from "./engines/engine.js";
import { fieldsOf } from "./schema/fields.js";
import { solverConfigSchema, type SolverConfig } from "./schema/config.js";
import { checkNesting, optionalNumber, requireNumber, requireObject, requireOneOf, rejectUnknownKeys } from "./validate.js";

/** Most steps one run may take (fixed steps, or accepted plus rejected adaptive steps). */
export const STEPS_MAX = 1e9;
/** Most records one run may take after t = 0 (each keeps seven numbers per diagnostic series). */
export const RECORDS_MAX = 1e6;
/**
 * Smallest adaptive minStep relative to the terminal time: a step of time * 2^-48 still moves t
 * by at least 16 units in the last place, so the clock always advances.
 */
export const MIN_STEP_RELATIVE = 2 ** -48;

export type { SolverConfig };

/** Validated, frozen solver options, with the step and record counts they imply (made by defineSolver). */
export interface Solver {
  readonly method: Method;
  readonly step: number;
  readonly time: number;
  readonly record: number;
  /** number of steps to reach T */
  readonly steps: number;
  /** steps between records */
  readonly stepsPerRecord: number;
  readonly stop: { readonly window: number; readonly tol: number; readonly records: number } | null;
  readonly clusterAngle: number;
  /** adaptive stepping, or null for fixed steps */
  readonly adaptive: { readonly rtol: number; readonly atol: number; readonly minStep: number; readonly maxStep: number } | null;
  /** number of records after t = 0 */
  readonly records: number;
}

/** Every solver defineSolver has made: run() takes these and nothing else. */
const made = new WeakSet<object>();

/** `v` itself when it is a Solver returned by defineSolver; a ConfigError naming `path` otherwise. */
export function requireSolver(path: string, v: unknown): Solver {
  if (typeof v !== "object" || v === null || !made.has(v)) throw new ConfigError(path, v, "a Solver returned by defineSolver (a copy or a hand-built object is not one)");
  return v as Solver;
}

/** The integer k with k * unit = value, up to round-off; a ConfigError otherwise. */
function multipleOf(path: string, value: number, unit: number, unitName: string): number {
  const k = Math.round(value / unit);
  if (k < 1 || Math.abs(k * unit - value) > 1e-9 * Math.max(1, Math.abs(value))) {
    throw new ConfigError(path, value, `a positive multiple of ${unitName} = ${unit}`);
  }
  return k;
}

/** Validates solver options once and returns a frozen Solver (throws ConfigError naming the field); defaults: Heun, h = 0.01, T = 30, records every 0.5. */
export function defineSolver(config: SolverConfig = {}): Solver {
  checkNesting("solver", config);
  const c = requireObject("solver", config);
  rejectUnknownKeys("solver", c, fieldsOf(solverConfigSchema));
  const method = c.method === undefined ? "heun" : requireOneOf("solver.method", c.method, ["heun", "euler"] as const);
  const step = optionalNumber("solver.step", c.step, 0.01, { above: 0 });
  const time = optionalNumber("solver.time", c.time, 30, { min: 0 });
  const record = optionalNumber("solver.record", c.record, Math.min(0.5, time || 0.5), { above: 0 });
  let adaptive: Solver["adaptive"] = null;
  if (c.adaptive !== undefined) {
    const a = requireObject("solver.adaptive", c.adaptive);
    rejectUnknownKeys("solver.adaptive", a, ["rtol", "atol", "minStep", "maxStep"]);
    if (method !== "heun") throw new ConfigError("solver.method", method, "heun when solver.adaptive is set (Heun with its embedded Euler estimate)");
    adaptive = Object.freeze({
      rtol: optionalNumber("solver.adaptive.rtol", a.rtol, 1e-6, { min: 0, max: 1 }),
      atol: optionalNumber("solver.adaptive.atol", a.atol, 1e-9, { min: 0, max: 1 }),
      minStep: optionalNumber("solver.adaptive.minStep", a.minStep, 1e-9, { above: 0 }),
      maxStep: optionalNumber("solver.adaptive.maxStep", a.maxStep, record, { above: 0 }),
    });
    if (adaptive.rtol + adaptive.atol === 0) throw new ConfigError("solver.adaptive", a, "rtol + atol > 0");
    if (!(adaptive.maxStep >= adaptive.minStep)) throw new ConfigError("solver.adaptive.maxStep", adaptive.maxStep, `a step >= solver.adaptive.minStep = ${adaptive.minStep}`);
    const least = time * MIN_STEP_RELATIVE;
    if (!(adaptive.minStep >= least)) {
      throw new ConfigError("solver.adaptive.minStep", adaptive.minStep, `a step >= solver.time * 2^-48 = ${least.toPrecision(3)}, so that t + minStep > t up to T = ${time} (the clock must advance)${a.minStep === undefined ? "; the default 1e-9 is too small for this time, give minStep" : ""}`);
    }
    // the fewest steps the run can take: every step at most maxStep
    const fewest = Math.ceil(time / adaptive.maxStep);
    if (!(fewest <= STEPS_MAX)) {
      throw new ConfigError("solver.adaptive.maxStep", adaptive.maxStep, `a step with solver.time / maxStep <= ${STEPS_MAX} steps (here ${time} / ${adaptive.maxStep} = ${fewest.toPrecision(3)} steps at least)`);
    }
  }
  if (time > 0 && !adaptive) {
    const count = time / step;
    if (!(count <= STEPS_MAX + 0.5)) {
      throw new ConfigError("solver.time", time, `a run of at most ${STEPS_MAX} steps (here solver.time / solver.step = ${time} / ${step} = ${count.toPrecision(4)} steps); a larger solver.step or a shorter solver.time`);
    }
  }
  if (time > 0 && !(time / record <= RECORDS_MAX + 0.5)) {
    throw new ConfigError("solver.record", record, `a record interval with at most ${RECORDS_MAX} records (here solver.time / solver.record = ${(time / record).toPrecision(4)})`);
  }
  // fixed steps tile the records exactly; adaptive steps land on each record time instead
  const steps = time === 0 ? 0 : adaptive ? 0 : multipleOf("solver.time", time, step, "solver.step");
  const stepsPerRecord = adaptive ? 0 : multipleOf("solver.record", record, step, "solver.step");
  const records = Math.ceil(time / record - 1e-9);
  let stop: Solver["stop"] = null;
  if (c.stop !== undefined) {
    const s = requireObject("solver.stop", c.stop);
    rejectUnknownKeys("solver.stop", s, ["window", "tol"]);
    const window = requireNumber("solver.stop.window", s.window, { above: 0 });
    const tol = requireNumber("solver.stop.tol", s.tol, { above: 0 });
    stop = Object.freeze({ window, tol, records: multipleOf("solver.stop.window", window, record, "solver.record") });
  }
  const clusterAngle = optionalNumber("solver.clusterAngle", c.clusterAngle, 0.05, { above: 0, max: Math.PI });
  const solver: Solver = Object.freeze({ method, step, time, record, steps, stepsPerRecord, stop, clusterAngle, adaptive, records });
  made.add(solver);
  return solver;
}

/** "wasm" (default) or "js": the CPU engines. */
export function readEngineKind(v: unknown, path = "engine"): EngineKind {
  return v === undefined ? "wasm" : requireOneOf(path, v, ["wasm", "js"] as const);
}

/** "wasm" (default), "js" or "webgpu": every engine (a configuration's "engine" field). */
export function readAnyEngineKind(v: unknown, path = "engine"): AnyEngineKind {
  return v === undefined ? "wasm" : requireOneOf(path, v, ["wasm", "js", "webgpu"] as const);
}
