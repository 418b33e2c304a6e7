import { ConfigError } from "../errors.js";
import type { Problem } from "../problem.js";
import { firstOffSphere } from "../sphere.js";
import { requireNumber, requireOneOf } from "../validate.js";

/**
 * The engines that run on the host CPU and answer synchronously ("wasm", "js"): the kinds every
 * experiment and theorem check accepts.
 */
export type EngineKind = "wasm" | "js";
/** Every engine: the CPU engines and "webgpu", whose results come back asynchronously (AsyncEngine). */
export type AnyEngineKind = EngineKind | "webgpu";
/** Arithmetic of the pair kernel: "f64" everywhere, or "f32" lanes for dot products and exp (wasm, d = 3, exp content). */
export type Precision = "f64" | "f32";

/** Validates a precision option; undefined means "f64". */
export function readPrecision(v: unknown, path = "precision"): Precision {
  return v === undefined ? "f64" : requireOneOf(path, v, ["f64", "f32"] as const);
}
/** The integrator: "heun" (projected RK2) or "euler". */
export type Method = "heun" | "euler";

/** Energy and energy growth rate at one state. */
export interface Evaluation {
  /** E = 1/(2n^2) sum_ij K (Definitions 4 and 8) */
  energy: number;
  /** (1/n) sum_i |dx_i/dt|^2 = dE/dt (Propositions 1 and 6) */
  meanSquaredSpeed: number;
}

/** One Heun step as adaptive runs take it. */
export interface HeunStep {
  /** E at the state before the step */
  energy: number;
  /**
   * the embedded error estimate max_i |X'_i - X~_i|: the step's result against its predictor
   * X~ = normalize(X + h k1), which is the Euler step (engines/schedule.ts), in the engine's frame
   */
  error: number;
}

/**
 * An engine holds one system's state and advances it. States cross the interface in the
 * original frame, particle-major: x[i*d + k] is coordinate k of particle i.
 * Every engine implements the same steps (docs/model.md, Appendix B.1); the wasm and JS engines
 * must agree to round-off.
 */
export interface Engine {
  readonly kind: EngineKind;
  readonly problem: Problem;
  /** Replaces the state by x (n*d, unit rows). */
  setState(x: Float64Array): void;
  /** The state x (original frame) into out, allocated when absent. */
  getState(out?: Float64Array): Float64Array;
  /** The state in the gauge frame, z_i = G_{a_i} x_i. */
  getGaugeState(out?: Float64Array): Float64Array;
  /** Takes `count` steps (default 1) of size h; returns E at the state before the last step. */
  step(method: Method, h: number, count?: number): number;
  /** One Heun step of size h, with its embedded error estimate (adaptive runs). */
  heunStep(h: number): HeunStep;
  /** Energy and mean squared speed at the current state; the velocity dx/dt into velocityOut when given. */
  evaluate(velocityOut?: Float64Array): Evaluation;
  /**
   * The engine's exact internal state (the wasm core keeps the gauge frame, the JS engine the
   * original frame): restore(snapshot()) continues bitwise as if never interrupted (checkpoints).
   */
  snapshot(): Float64Array;
  /** Puts back a state taken by snapshot() of an engine of the same kind and problem. */
  restore(state: Float64Array): void;
  /** Releases memory (and, later, workers). */
  dispose(): void;
}

/**
 * An engine whose results come back asynchronously: the WebGPU engine, whose device work is read
 * back by an asynchronous map. The same members and meanings as Engine; every method that returns
 * data returns a Promise of it. Calls must not overlap: await each before the next (the engine
 * queues them in call order all the same).
 */
export interface AsyncEngine {
  readonly kind: "webgpu";
  readonly problem: Problem;
  /**
   * Relative round-off of the energies this engine reports (f32 sums on the device); the run loop
   * widens its energy-drop guard to it. Absent on the f64 engines.
   */
  readonly energyRoundoff?: number;
  setState(x: Float64Array): void;
  getState(out?: Float64Array): Promise<Float64Array>;
  getGaugeState(out?: Float64Array): Promise<Float64Array>;
  step(method: Method, h: number, count?: number): Promise<number>;
  heunStep(h: number): Promise<HeunStep>;
  evaluate(velocityOut?: Float64Array): Promise<Evaluation>;
  snapshot(): Promise<Float64Array>;
  restore(state: Float64Array): void;
  dispose(): void;
}

/** Either kind of engine: `await` what its methods return (a value, or a Promise of one). */
export type AnyEngine = Engine | AsyncEngine;

/** Validates the arguments of Engine.step (both engines call it before stepping). */
export function checkStepArguments(method: unknown, h: unknown, count: unknown): void {
  requireOneOf("method", method, ["heun", "euler"] as const);
  requireNumber("h", h, { above: 0 });
  requireNumber("count", count, { integer: true, min: 1 });
}

/** Validates a state handed to Engine.setState: n*d finite entries, unit rows (within 1e-6). */
export function checkStateInput(x: unknown, n: number, d: number): void {
  if (!(x instanceof Float64Array) || x.length !== n * d) {
    throw new ConfigError("state", x instanceof Float64Array ? `a Float64Array of length ${x.length}` : x, `a Float64Array of length n * d = ${n * d}`);
  }
  const i = firstOffSphere(x, n, d, 1e-6);
  if (i >= 0) {
    throw new ConfigError(`state[particle ${i}]`, Array.from(x.subarray(i * d, (i + 1) * d)), "a finite unit vector (|x| = 1 within 1e-6)");
  }
}

/**
 * Validates a snapshot handed to Engine.restore: n*d finite entries whose rows are unit vectors
 * (within 1e-6; a snapshot holds the state in either frame, and the gauges keep norms).
 */
export function checkSnapshot(state: unknown, n: number, d: number): void {
  if (!(state instanceof Float64Array) || state.length !== n * d || !state.every(Number.isFinite)) {
    throw new ConfigError("snapshot", state instanceof Float64Array ? `a Float64Array of length ${state.length}` : state, `a Float64Array of n * d = ${n * d} finite numbers taken by snapshot()`);
  }
  const i = firstOffSphere(state, n, d, 1e-6);
  if (i >= 0) {
    throw new ConfigError(`snapshot[particle ${i}]`, Array.from(state.subarray(i * d, (i + 1) * d)), "a unit vector (|x| = 1 within 1e-6), as snapshot() returns");
  }
}

/** Refuses any call on an engine after dispose(): its memory and workers are gone. */
export function checkLive(disposed: boolean, method: string): void {
  if (disposed) throw new ConfigError(`engine.${method}`, "a disposed engine", "an engine before dispose(); make a new one with createEngine");
}

/** Validates an optional output array of an engine method: absent, or a Float64Array of `length`. */
export function checkOutArray(path: string, out: unknown, length: number): void {
  if (out === undefined) return;
  if (!(out instanceof Float64Array) || out.length !== length) {
    throw new ConfigError(path, out instanceof Float64Array ? `a Float64Array of length ${out.length}` : out, `a Float64Array of length n * d = ${length}, or nothing (a new one is returned)`);
  }
}
