// What every theorem check does: build a problem, measure a predicted maximiser (E = E*, the
// projected gradient vanishes), and run the flow from a seeded random start.
import { parseSimulationConfig, type SimulationConfig } from "../config.js";
import type { EngineKind } from "../engines/engine.js";
import { defineProblem, type Problem, type ProblemConfig } from "../problem.js";
import { createRandom, type Random } from "../random.js";
import { solveWith, createEngine, type Solution } from "../solve.js";
import type { SolverConfig } from "../solver.js";
import { maxRowDistance, sampleUniform } from "../sphere.js";
import type { CheckOptions, Criteria } from "./report.js";

/** The checks' default system: L = 16 equally spaced labels of m = 4 particles, beta = 1. */
export const LABELS = 16, PER_LABEL = 4;
/** The checks' default run: Heun, h = 0.01, T = 40 (the flow is then within round-off of its limit). */
export const FLOW: SolverConfig = { method: "heun", step: 0.01, time: 40, record: 1 };
/** Distance bias couples far positions weakly (W = e^{-1/(2 length)} at distance 1/2): a longer run. */
export const SLOW_FLOW: SolverConfig = { ...FLOW, time: 150, record: 2 };

export interface Resolved { seed: number; dim: number; engine: EngineKind }
export function resolve(o: CheckOptions = {}): Resolved {
  return { seed: o.seed ?? 1, dim: o.dim ?? 3, engine: o.engine ?? "wasm" };
}

/** A seeded generator for the check's own draws (targets, gauge points), apart from the problem's. */
export function checkRandom(seed: number, stream: number): Random {
  return createRandom(seed * 7919 + stream);
}

/** A uniform random unit vector. */
export function randomUnit(rng: Random, d: number): Float64Array {
  const v = new Float64Array(d);
  sampleUniform(rng, d, v, 0);
  return v;
}

/** Energy and speed at a given state: how far it is from a stationary maximiser. */
export interface AtState {
  energy: number;
  /** |E - E*| / |E*| (NaN without E*) */
  energyError: number;
  /** max_i |dx_i/dt| (Proposition 8: 0 at a maximiser) */
  maxSpeed: number;
}

export async function measureAt(problem: Problem, x: Float64Array, engine: EngineKind): Promise<AtState> {
  const e = await createEngine(problem, { engine });
  try {
    e.setState(x);
    const d = problem.dim, v = new Float64Array(problem.n * d);
    const ev = e.evaluate(v);
    const Es = problem.energyMax;
    return { energy: ev.energy, energyError: Es === null ? NaN : Math.abs(ev.energy - Es) / Math.abs(Es), maxSpeed: maxRowDistance(v, d) };
  } finally {
    e.dispose();
  }
}

/** Tolerances at a predicted maximiser: E = E* and the projected gradient vanishes (Proposition 8). */
export const AT_MAXIMISER = { energy: 1e-12, speed: 1e-12 };

/** Appends the two maximiser criteria for state x (named `label`): |E - E*|/E* and max |dx/dt|. */
export async function checkMaximiser(c: Criteria, label: string, problem: Problem, x: Float64Array, engine: EngineKind): Promise<void> {
  const at = await measureAt(problem, x, engine);
  c.atMost(`|E - E*|/E* at ${label}`, at.energyError, AT_MAXIMISER.energy);
  c.atMost(`max |dx/dt| at ${label}`, at.maxSpeed, AT_MAXIMISER.speed);
}

/** Runs the flow of a configuration (validated like `mft simulate`). */
export async function flow(config: SimulationConfig, engine: EngineKind, solver: SolverConfig = FLOW): Promise<Solution> {
  const { problem, solver: s } = parseSimulationConfig({ ...config, solver });
  return solveWith(problem, s, { engine });
}

/** A problem with the default labels (L x m on the grid s_a = a/L) and a uniform random start. */
export function gridProblem(dim: number, seed: number, kernel: ProblemConfig["kernel"], extra: Partial<ProblemConfig> = {}): ProblemConfig {
  return { dim, beta: 1, kernel, labels: { count: LABELS, perLabel: PER_LABEL }, init: { law: "uniform" }, seed, ...extra };
}

/**
 * An anchored start: particles uniform at random in the gauge frame, except the first particle
 * of each label (particles a*m for labels of m consecutive particles), placed at v in the gauge
 * frame and frozen: prefix tokens that fix the free point of the maximiser x(a) = G_a^T v
 * (Theorems 2 and 4). In the gauge frame the flow is the baseline USA flow with a fixed fraction
 * 1/m of its mass at v, so it settles at v; the anchors themselves sit on the predicted law.
 */
export function anchoredInit(labels: number, perLabel: number, d: number, v: ArrayLike<number>, rng: Random): Pick<ProblemConfig, "init" | "frozen"> {
  const n = labels * perLabel;
  const z = new Float64Array(n * d);
  for (let i = 0; i < n; i++) sampleUniform(rng, d, z, i * d);
  const frozen: number[] = [];
  for (let a = 0; a < labels; a++) {
    frozen.push(a * perLabel);
    for (let k = 0; k < d; k++) z[a * perLabel * d + k] = v[k];
  }
  const points: number[][] = [];
  for (let i = 0; i < n; i++) points.push(Array.from(z.subarray(i * d, (i + 1) * d)));
  return { init: { points, frame: "gauge", normalize: true }, frozen };
}

export { defineProblem };
