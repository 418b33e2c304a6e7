// The JSON configuration of `mft simulate` (docs/cli.md): a problem plus
// "solver" and "engine".
import { readPrecision, type AnyEngineKind, type Precision } from "./engines/engine.js";
import { defineProblem, type Problem, type ProblemConfig } from "./problem.js";
import { defineSolver, readAnyEngineKind, type Solver, type SolverConfig } from "./solver.js";
import { ConfigError } from "./errors.js";
import { checkNesting, rejectUnknownKeys, requireNumber, requireObject, requireOneOf } from "./validate.js";
import { SIMULATION_FIELDS, type SimulationConfig } from "./schema/config.js";
import { PAIR_LOOPS, THREADS_MAX, type PairLoop } from "./engines/wasm.js";

export type { SimulationConfig };

/** A validated simulate configuration: the problem, the solver and the engine's options. */
export interface ParsedSimulation {
  problem: Problem;
  solver: Solver;
  engine: AnyEngineKind;
  /** undefined: the available cores */
  threads: number | undefined;
  precision: Precision;
  /** undefined: the engine's choice */
  pairLoop: PairLoop | undefined;
}

/** Validates a whole simulation configuration (throws ConfigError naming the field). */
export function parseSimulationConfig(json: unknown): ParsedSimulation {
  checkNesting("", json);
  const cfg = requireObject("config", json);
  // every top-level field is known here, so a typo of a run field ("solvr") is named too
  rejectUnknownKeys("", cfg, SIMULATION_FIELDS);
  // `grid` belongs to the mean-field solver (mft meanfield), so that one file serves both
  const { solver, engine, threads, precision, pairLoop, grid: _grid, ...problemConfig } = cfg as unknown as SimulationConfig;
  const problem = defineProblem(problemConfig);
  if (threads !== undefined) requireNumber("threads", threads, { integer: true, min: 1, max: THREADS_MAX });
  if (pairLoop !== undefined) requireOneOf("pairLoop", pairLoop, PAIR_LOOPS);
  const kind = readAnyEngineKind(engine);
  if (kind === "webgpu") {
    if (precision !== undefined && precision !== "f32") throw new ConfigError("precision", precision, '"f32" or absent with engine "webgpu" (WGSL has no f64)');
    if (pairLoop !== undefined) throw new ConfigError("pairLoop", pairLoop, 'absent with engine "webgpu" (its pair loop is the fused tiled pass)');
  }
  return { problem, solver: defineSolver(solver === undefined ? {} : solver), engine: kind, threads, precision: kind === "webgpu" ? "f32" : readPrecision(precision), pairLoop };
}
