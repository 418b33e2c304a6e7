// Solver options: the integrator, the time grid and the early stop, validated once and frozen.
import { ConfigError } from "./errors.js";
import type { EngineKind, Method } from "./engines/engine.js";
import { optionalNumber, requireNumber, requireObject, requireOneOf, rejectUnknownKeys } from "./validate.js";

export interface SolverConfig {
  /** "heun" (projected RK2, default) or "euler" */
  method?: Method;
  /** step h; default 0.01 */
  step?: number;
  /** terminal time T; default 30 */
  time?: number;
  /** record interval; a record is taken at t = 0 and every multiple of it (and at T); default 0.5 */
  record?: number;
  /** early stop: (E(t) - E(t - window)) / |E(t)| < tol at a record time; window a multiple of record */
  stop?: { window: number; tol: number };
  /** angular threshold (radians) of the cluster count; default 0.05 */
  clusterAngle?: number;
}

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
}

/** The integer k with k * unit = value, up to round-off; a ConfigError otherwise. */
function multipleOf(path: string, value: number, unit: number, unitName: string): number {
  const k = Math.round(value / unit);
  if (k < 1 || Math.abs(k * unit - value) > 1e-9 * Math.max(1, Math.abs(value))) {
    throw new ConfigError(path, value, `a positive multiple of ${unitName} = ${unit}`);
  }
  return k;
}

export function defineSolver(config: SolverConfig = {}): Solver {
  const c = requireObject("solver", config);
  rejectUnknownKeys("solver", c, ["method", "step", "time", "record", "stop", "clusterAngle"]);
  const method = c.method === undefined ? "heun" : requireOneOf("solver.method", c.method, ["heun", "euler"] as const);
  const step = optionalNumber("solver.step", c.step, 0.01, { above: 0 });
  const time = optionalNumber("solver.time", c.time, 30, { min: 0 });
  const steps = time === 0 ? 0 : multipleOf("solver.time", time, step, "solver.step");
  const record = optionalNumber("solver.record", c.record, Math.min(0.5, time || 0.5), { above: 0 });
  const stepsPerRecord = multipleOf("solver.record", record, step, "solver.step");
  let stop: Solver["stop"] = null;
  if (c.stop !== undefined) {
    const s = requireObject("solver.stop", c.stop);
    rejectUnknownKeys("solver.stop", s, ["window", "tol"]);
    const window = requireNumber("solver.stop.window", s.window, { above: 0 });
    const tol = requireNumber("solver.stop.tol", s.tol, { above: 0 });
    stop = Object.freeze({ window, tol, records: multipleOf("solver.stop.window", window, record, "solver.record") });
  }
  const clusterAngle = optionalNumber("solver.clusterAngle", c.clusterAngle, 0.05, { above: 0, max: Math.PI });
  return Object.freeze({ method, step, time, record, steps, stepsPerRecord, stop, clusterAngle });
}

/** "wasm" (default) or "js". */
export function readEngineKind(v: unknown, path = "engine"): EngineKind {
  return v === undefined ? "wasm" : requireOneOf(path, v, ["wasm", "js"] as const);
}
