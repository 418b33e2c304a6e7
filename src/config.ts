// The JSON configuration of `mft simulate` (README, "CLI contract"): a problem plus
// "solver" and "engine".
import { readPrecision, type EngineKind, type Precision } from "./engines/engine.js";
import { defineProblem, type Problem, type ProblemConfig } from "./problem.js";
import { defineSolver, readEngineKind, type Solver, type SolverConfig } from "./solver.js";
import { requireNumber, requireObject, requireOneOf } from "./validate.js";
import { PAIR_LOOPS, THREADS_MAX, type PairLoop } from "./engines/wasm.js";

export interface SimulationConfig extends ProblemConfig {
  solver?: SolverConfig;
  engine?: EngineKind;
  /** threads for this system (integer >= 1; default: the available cores) */
  threads?: number;
  /** "f64" (default) or "f32" (wasm, d = 3, exp kernels) */
  precision?: Precision;
  /** wasm: "expansion", "symmetric" or "row" (default: the fastest that applies; README "Speed") */
  pairLoop?: PairLoop;
  /** the mean-field solver's grid (`mft meanfield`, docs/meanfield.md); particles do not read it */
  grid?: unknown;
}

export interface ParsedSimulation {
  problem: Problem;
  solver: Solver;
  engine: EngineKind;
  /** undefined: the available cores */
  threads: number | undefined;
  precision: Precision;
  /** undefined: the engine's choice */
  pairLoop: PairLoop | undefined;
}

/** Validates a whole simulation configuration (throws ConfigError naming the field). */
export function parseSimulationConfig(json: unknown): ParsedSimulation {
  // `grid` belongs to the mean-field solver, so that one file serves both
  const { solver, engine, threads, precision, pairLoop, grid: _grid, ...problemConfig } = requireObject("config", json) as unknown as SimulationConfig;
  const problem = defineProblem(problemConfig);
  if (threads !== undefined) requireNumber("threads", threads, { integer: true, min: 1, max: THREADS_MAX });
  if (pairLoop !== undefined) requireOneOf("pairLoop", pairLoop, PAIR_LOOPS);
  return { problem, solver: defineSolver(solver ?? {}), engine: readEngineKind(engine), threads, precision: readPrecision(precision), pairLoop };
}
