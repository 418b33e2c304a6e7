// The JSON configuration of `mft simulate` (README, "CLI contract"): a problem plus
// "solver" and "engine".
import type { EngineKind } from "./engines/engine.js";
import { defineProblem, type Problem, type ProblemConfig } from "./problem.js";
import { defineSolver, readEngineKind, type Solver, type SolverConfig } from "./solver.js";
import { requireObject } from "./validate.js";

export interface SimulationConfig extends ProblemConfig {
  solver?: SolverConfig;
  engine?: EngineKind;
}

export interface ParsedSimulation {
  problem: Problem;
  solver: Solver;
  engine: EngineKind;
}

/** Validates a whole simulation configuration (throws ConfigError naming the field). */
export function parseSimulationConfig(json: unknown): ParsedSimulation {
  const { solver, engine, ...problemConfig } = requireObject("config", json) as unknown as SimulationConfig;
  const problem = defineProblem(problemConfig);
  return { problem, solver: defineSolver(solver ?? {}), engine: readEngineKind(engine) };
}
