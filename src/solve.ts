// Problem + solver + engine -> solution: the run loop with records and the early stop.
import { collapseGap, clusterCount, conditionalDiameter, groupByLabel } from "./diagnostics/collapse.js";
import type { Engine, EngineKind } from "./engines/engine.js";
import { ReferenceEngine } from "./engines/reference.js";
import { WasmEngine, resolveThreads } from "./engines/wasm.js";
import { SimulationError } from "./errors.js";
import type { Problem } from "./problem.js";
import { firstOffSphere, normAt } from "./sphere.js";
import { defineSolver, readEngineKind, type Solver, type SolverConfig } from "./solver.js";

/** Largest accepted deviation of |x_i| from 1 at a record before the run is stopped as broken. */
export const NORM_DRIFT_LIMIT = 1e-9;

export interface EngineOptions {
  /** "wasm" (default): the SIMD core; "js": the pure-JS reference engine */
  engine?: EngineKind;
  /**
   * wasm only: use a shared WebAssembly.Memory (default: wherever one can be made, i.e. Node and
   * cross-origin isolated pages); false forces the plain build over a non-shared memory.
   */
  sharedMemory?: boolean;
  /**
   * wasm only: threads that split one system's particles (default: the available cores; one below
   * n = THREAD_MIN_N). Results are bitwise the same for any value. The JS engine validates and ignores it.
   */
  threads?: number;
}

/** An engine for the problem, holding its initial state. */
export async function createEngine(problem: Problem, options: EngineOptions = {}): Promise<Engine> {
  const kind = readEngineKind(options.engine);
  if (kind === "js") {
    await resolveThreads(options.threads);
    return new ReferenceEngine(problem);
  }
  return WasmEngine.create(problem, { sharedMemory: options.sharedMemory, threads: options.threads });
}

export interface SolveOptions extends SolverConfig, EngineOptions {
  /** called at every record with the time reached and the terminal time */
  onRecord?: (t: number, time: number) => void;
}

/** Diagnostics at every record, the final state and how the run ended. */
export interface Solution {
  readonly problem: Problem;
  readonly solver: Solver;
  readonly engine: EngineKind;
  readonly times: Float64Array;
  /** E at each record */
  readonly energy: Float64Array;
  /** E* when the theory gives it (MODEL.md), else null */
  readonly energyMax: number | null;
  /** (E* - E) / |E*| at each record, or null without E* */
  readonly energyGap: Float64Array | null;
  /** G_x = 1 - |mean x_i|^2 */
  readonly collapseGap: Float64Array;
  /** G_z, the same on z_i = G_{a_i} x_i */
  readonly gaugeGap: Float64Array;
  /** max over labels of the largest distance between two particles of that label */
  readonly conditionalDiameter: Float64Array;
  /** (1/n) sum_i |dx_i/dt|^2 = dE/dt */
  readonly meanSquaredSpeed: Float64Array;
  /** clusters at solver.clusterAngle */
  readonly clusters: Int32Array;
  /** state at the last record (the terminal time, or the early-stop time) */
  readonly final: Float64Array;
  /** the same state in the gauge frame, z_i = G_{a_i} x_i */
  readonly finalGauge: Float64Array;
  /** steps taken */
  readonly steps: number;
  readonly stoppedEarly: boolean;
}

/** Runs the problem to the terminal time (or the early stop) and records diagnostics. */
export async function solve(problem: Problem, options: SolveOptions = {}): Promise<Solution> {
  const { engine, sharedMemory, threads, onRecord, ...solverConfig } = options;
  return solveWith(problem, defineSolver(solverConfig), { engine, sharedMemory, threads }, onRecord);
}

/** solve() for an already validated solver: makes the engine, runs it, releases it. */
export async function solveWith(problem: Problem, solver: Solver, engineOptions: EngineOptions = {}, onRecord?: (t: number, time: number) => void): Promise<Solution> {
  const engine = await createEngine(problem, engineOptions);
  try {
    return run(engine, solver, onRecord);
  } finally {
    engine.dispose();
  }
}

/** The run loop over an engine already holding the initial state. */
export function run(engine: Engine, solver: Solver, onRecord?: (t: number, time: number) => void): Solution {
  const p = engine.problem;
  const { n, dim: d } = p;
  const groups = groupByLabel(p.labels, p.labelCount);
  const x = new Float64Array(n * d), z = new Float64Array(n * d);
  const rec = {
    times: [] as number[], energy: [] as number[], collapseGap: [] as number[], gaugeGap: [] as number[],
    conditionalDiameter: [] as number[], meanSquaredSpeed: [] as number[], clusters: [] as number[],
  };
  const record = (step: number): void => {
    const t = step * solver.step;
    const ev = engine.evaluate();
    engine.getState(x);
    engine.getGaugeState(z);
    checkState(x, n, d, t, ev.energy, solver);
    rec.times.push(t);
    rec.energy.push(ev.energy);
    rec.meanSquaredSpeed.push(ev.meanSquaredSpeed);
    rec.collapseGap.push(collapseGap(x, n, d));
    rec.gaugeGap.push(collapseGap(z, n, d));
    rec.conditionalDiameter.push(conditionalDiameter(x, d, groups));
    rec.clusters.push(clusterCount(x, n, d, solver.clusterAngle));
    onRecord?.(t, solver.time);
  };
  record(0);
  let done = 0;
  let stoppedEarly = false;
  while (done < solver.steps) {
    const count = Math.min(solver.stepsPerRecord, solver.steps - done);
    const e = engine.step(solver.method, solver.step, count);
    done += count;
    if (!Number.isFinite(e)) {
      throw new SimulationError(`the energy became ${e} before t = ${(done * solver.step).toPrecision(6)} (solver.step = ${solver.step}); try a smaller solver.step`);
    }
    record(done);
    if (solver.stop && shouldStop(rec.energy, solver.stop.records, solver.stop.tol)) {
      stoppedEarly = done < solver.steps;
      break;
    }
  }
  const energy = Float64Array.from(rec.energy);
  const Es = p.energyMax;
  return {
    problem: p,
    solver,
    engine: engine.kind,
    times: Float64Array.from(rec.times),
    energy,
    energyMax: Es,
    energyGap: Es === null ? null : energy.map((e) => (Es - e) / Math.abs(Es)),
    collapseGap: Float64Array.from(rec.collapseGap),
    gaugeGap: Float64Array.from(rec.gaugeGap),
    conditionalDiameter: Float64Array.from(rec.conditionalDiameter),
    meanSquaredSpeed: Float64Array.from(rec.meanSquaredSpeed),
    clusters: Int32Array.from(rec.clusters),
    final: engine.getState(),
    finalGauge: engine.getGaugeState(),
    steps: done,
    stoppedEarly,
  };
}

/** The paper's early stop (Appendix B.1): relative energy increment over the window below tol. */
function shouldStop(energy: number[], windowRecords: number, tol: number): boolean {
  const k = energy.length - 1;
  if (k < windowRecords) return false;
  const e = energy[k];
  return (e - energy[k - windowRecords]) / Math.abs(e) < tol;
}

/** Refuses to record a broken state: non-finite values or unit norms lost. */
function checkState(x: Float64Array, n: number, d: number, t: number, energy: number, solver: Solver): void {
  const at = `at t = ${t.toPrecision(6)} (solver.step = ${solver.step})`;
  if (!Number.isFinite(energy)) throw new SimulationError(`the energy is ${energy} ${at}; try a smaller solver.step`);
  const i = firstOffSphere(x, n, d, NORM_DRIFT_LIMIT);
  if (i < 0) return;
  const r = normAt(x, i, d);
  if (!Number.isFinite(r)) throw new SimulationError(`particle ${i} is not finite ${at}; try a smaller solver.step`);
  throw new SimulationError(`particle ${i} left the sphere (|x| = ${r}) ${at}`);
}

/** The JSON form of a solution (the CLI's result contract; see README). */
export function solutionToJSON(s: Solution): Record<string, unknown> {
  const { n, dim: d } = s.problem;
  const final: number[][] = [];
  for (let i = 0; i < n; i++) final.push(Array.from(s.final.subarray(i * d, (i + 1) * d)));
  return {
    times: Array.from(s.times),
    energy: Array.from(s.energy),
    collapseGap: Array.from(s.collapseGap),
    gaugeGap: Array.from(s.gaugeGap),
    conditionalDiameter: Array.from(s.conditionalDiameter),
    meanSquaredSpeed: Array.from(s.meanSquaredSpeed),
    energyMax: s.energyMax,
    energyGap: s.energyGap ? Array.from(s.energyGap) : null,
    clusters: Array.from(s.clusters),
    clusterAngle: s.solver.clusterAngle,
    final,
    n,
    dim: d,
    beta: s.problem.beta,
    kernel: s.problem.kernelName,
    engine: s.engine,
    method: s.solver.method,
    step: s.solver.step,
    steps: s.steps,
    time: s.steps * s.solver.step,
    stoppedEarly: s.stoppedEarly,
  };
}
