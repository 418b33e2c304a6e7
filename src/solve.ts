// Problem + solver + engine -> solution: the run loop with records and the early stop.
import { createRecordDiagnostics } from "./diagnostics/record.js";
import { readPrecision, type AnyEngine, type AnyEngineKind, type AsyncEngine, type Engine, type EngineKind, type Precision } from "./engines/engine.js";
import { ReferenceEngine } from "./engines/reference.js";
import { PAIR_LOOPS, WasmEngine, resolveThreads, type PairLoop } from "./engines/wasm.js";
import type { WebGpuEngineOptions } from "./engines/webgpu/engine.js";
import { ConfigError, SimulationError } from "./errors.js";
import { requireProblem, type Problem } from "./problem.js";
import { checkFiniteResult, checkRecordValues, checkStepCount } from "./result-check.js";
import { checkpointMismatch } from "./resume-check.js";
import { firstOffSphere, normAt } from "./sphere.js";
import { requireObject, requireOneOf } from "./validate.js";
import { defineSolver, readAnyEngineKind, requireSolver, type Solver, type SolverConfig } from "./solver.js";

/** Largest accepted deviation of |x_i| from 1 at a record before the run is stopped as broken. */
export const NORM_DRIFT_LIMIT = 1e-9;

/** Which engine runs a problem and how: engine kind, threads, precision, pair loop (createEngine, solve). */
export interface EngineOptions {
  /**
   * "wasm" (default): the SIMD core; "js": the pure-JS reference engine; "webgpu": f32 compute
   * shaders on a GPU (docs/webgpu.md), an AsyncEngine
   */
  engine?: AnyEngineKind;
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
  /** wasm only: "f64" (default) or "f32" (d = 3, exp kernels; docs/performance.md "Precision"). The JS engine accepts only "f64". */
  precision?: Precision;
  /** wasm only: how the core sums the pair terms (WasmEngineOptions.pairLoop; default: the fastest that applies) */
  pairLoop?: PairLoop;
  /** webgpu only: the GPU entry point and the pair pass's tuning (WebGpuEngineOptions) */
  webgpu?: WebGpuEngineOptions;
}

/**
 * An engine for the problem, holding its initial state: an Engine for "wasm" and "js", an
 * AsyncEngine (results as Promises) for "webgpu", whose module is loaded only then.
 */
export async function createEngine(problem: Problem, options: EngineOptions & { engine: "webgpu" }): Promise<AsyncEngine>;
export async function createEngine(problem: Problem, options?: EngineOptions & { engine?: EngineKind }): Promise<Engine>;
export async function createEngine(problem: Problem, options?: EngineOptions): Promise<AnyEngine>;
export async function createEngine(problem: Problem, options: EngineOptions = {}): Promise<AnyEngine> {
  requireProblem("problem", problem);
  requireObject("options", options);
  const kind = readAnyEngineKind(options.engine);
  if (kind === "webgpu") {
    await resolveThreads(options.threads);
    if (options.precision !== undefined && options.precision !== "f32") throw new ConfigError("precision", options.precision, '"f32" or absent with engine "webgpu" (WGSL has no f64)');
    if (options.pairLoop !== undefined) throw new ConfigError("pairLoop", options.pairLoop, 'absent with engine "webgpu" (its pair loop is the fused tiled pass)');
    const { WebGpuEngine } = await import("./engines/webgpu/engine.js");
    return WebGpuEngine.create(problem, options.webgpu);
  }
  if (kind === "js") {
    await resolveThreads(options.threads);
    if (readPrecision(options.precision) !== "f64") throw new ConfigError("precision", options.precision, '"f64" with engine "js"');
    if (options.pairLoop !== undefined) requireOneOf("pairLoop", options.pairLoop, PAIR_LOOPS);
    return new ReferenceEngine(problem);
  }
  return WasmEngine.create(problem, { sharedMemory: options.sharedMemory, threads: options.threads, precision: options.precision, pairLoop: options.pairLoop });
}

/** Options of solve(): the solver's (method, step, time, record, ...), the engine's, and record callbacks. */
export interface SolveOptions extends SolverConfig, EngineOptions {
  /** called at every record with the time reached and the terminal time */
  onRecord?: (t: number, time: number) => void;
  /** called at every record with the states (RunOptions.onRecordState), e.g. a trajectory recorder's */
  onRecordState?: RunOptions["onRecordState"];
}

/** Diagnostics at every record, the final state and how the run ended. */
export interface Solution {
  readonly problem: Problem;
  readonly solver: Solver;
  readonly engine: AnyEngineKind;
  readonly times: Float64Array;
  /** E at each record */
  readonly energy: Float64Array;
  /** E* when the theory gives it (docs/model.md), else null */
  readonly energyMax: number | null;
  /** (E* - E) / |E*| at each record, or null without E* */
  readonly energyGap: Float64Array | null;
  /** G_x = 1 - |mean x_i|^2 */
  readonly collapseGap: Float64Array;
  /** G_z, the same on z_i = G_{a_i} x_i */
  readonly gaugeGap: Float64Array;
  /**
   * max over labels of the largest distance between two particles of that label: exact, or the
   * lower end of a certified interval (docs/diagnostics.md)
   */
  readonly conditionalDiameter: Float64Array;
  /**
   * the upper ends of the diameter's intervals (equal to conditionalDiameter at records where it is
   * exact; upper <= (1 + 1e-3) lower), or null when every record is exact
   */
  readonly conditionalDiameterUpper: Float64Array | null;
  /** (1/n) sum_i |dx_i/dt|^2 = dE/dt */
  readonly meanSquaredSpeed: Float64Array;
  /** single-linkage clusters at solver.clusterAngle (docs/diagnostics.md) */
  readonly clusters: Int32Array;
  /** state at the last record (the terminal time, or the early-stop time) */
  readonly final: Float64Array;
  /** the same state in the gauge frame, z_i = G_{a_i} x_i */
  readonly finalGauge: Float64Array;
  /** steps taken (accepted steps, for adaptive runs) */
  readonly steps: number;
  /** adaptive runs: steps rejected by the error control (0 otherwise) */
  readonly rejectedSteps: number;
  readonly stoppedEarly: boolean;
  /** the problem's warnings (Problem.warnings): settings that are valid but do nothing */
  readonly warnings: readonly string[];
}

/** Runs the problem to the terminal time (or the early stop) and records diagnostics. */
export async function solve(problem: Problem, options: SolveOptions = {}): Promise<Solution> {
  requireProblem("problem", problem);
  requireObject("options", options);
  const { engine, sharedMemory, threads, precision, pairLoop, webgpu, onRecord, onRecordState, ...solverConfig } = options;
  return solveWith(problem, defineSolver(solverConfig), { engine, sharedMemory, threads, precision, pairLoop, webgpu }, { onRecord, onRecordState });
}

/** solve() for an already validated solver: makes the engine, runs it, releases it. */
export async function solveWith(problem: Problem, solver: Solver, engineOptions: EngineOptions = {}, onRecord?: ((t: number, time: number) => void) | RunOptions): Promise<Solution> {
  requireSolver("solver", solver);
  const engine = await createEngine(problem, engineOptions);
  try {
    return await run(engine, solver, typeof onRecord === "function" || onRecord === undefined ? { onRecord } : onRecord);
  } finally {
    engine.dispose();
  }
}

/** The diagnostics recorded so far, one entry per record. */
export interface RunRecords {
  times: number[]; energy: number[]; collapseGap: number[]; gaugeGap: number[];
  conditionalDiameter: number[]; meanSquaredSpeed: number[]; clusters: number[];
  /** the diameter's upper bounds (absent in checkpoints written before they existed: then exact) */
  conditionalDiameterUpper?: number[];
}

/** Everything a run needs to continue exactly where it was: steps taken, records, engine state. */
export interface RunCheckpoint {
  steps: number;
  /** adaptive runs: the time reached and the next step to try */
  time?: number;
  nextStep?: number;
  /** adaptive runs: steps rejected so far */
  rejected?: number;
  records: RunRecords;
  /** Engine.snapshot() of an engine of the same kind */
  state: Float64Array;
}

export interface RunOptions {
  /** called at every record with the time reached and the terminal time */
  onRecord?: (t: number, time: number) => void;
  /**
   * called at every record with the gauge-frame state z, t and the original-frame state x
   * (z and x are valid during the call only)
   */
  onRecordState?: (z: Float64Array, t: number, x: Float64Array) => void;
  /** continue from this checkpoint instead of the engine's current state */
  resume?: RunCheckpoint;
  /** called with a checkpoint every `checkpointEvery` records (and never at the last one) */
  onCheckpoint?: (c: RunCheckpoint) => void;
  checkpointEvery?: number;
}

/**
 * Relative energy decrease between records beyond which a run is stopped as unstable: the flow
 * has dE/dt = (1/n) sum |dx_i/dt|^2 >= 0 (Propositions 1 and 6), and Heun/Euler keep that to
 * O(h^2) per unit time; a drop larger than this means the step is too large.
 */
export const ENERGY_DROP_TOLERANCE = 1e-9;

/**
 * The run loop over an engine already holding the initial state (or resuming a checkpoint).
 * Asynchronous because the WebGPU engine reads its results back asynchronously; it awaits every
 * engine call, so a synchronous engine runs exactly as before.
 */
export async function run(engine: AnyEngine, solver: Solver, options: RunOptions | ((t: number, time: number) => void) = {}): Promise<Solution> {
  const o: RunOptions = typeof options === "function" ? { onRecord: options } : requireObject("options", options);
  const onRecord = o.onRecord;
  const p = requireProblem("engine.problem", (engine as AnyEngine | null)?.problem);
  requireSolver("solver", solver);
  const misfit = o.resume === undefined ? null : checkpointMismatch(o.resume, solver, p.n, p.dim);
  if (misfit) throw new ConfigError("options.resume", o.resume, `a checkpoint ${misfit}`);
  const { n, dim: d } = p;
  const diagnostics = createRecordDiagnostics(engine);
  const x = new Float64Array(n * d), z = new Float64Array(n * d);
  const rec: RunRecords = o.resume ? structuredClone(o.resume.records) : {
    times: [], energy: [], collapseGap: [], gaugeGap: [], conditionalDiameter: [], meanSquaredSpeed: [], clusters: [], conditionalDiameterUpper: [],
  };
  rec.conditionalDiameterUpper ??= rec.conditionalDiameter.slice();
  const upper = rec.conditionalDiameterUpper;
  // only a gradient flow of E has dE/dt >= 0 (not SA, masks, ALiBi, or V != Q^T K)
  const monotone = p.gradientFlow;
  // the energy's natural size, (1/2) max|W| kappa(1): the drop tolerance is relative to it near E = 0
  let wMax = 1;
  if (p.weights) { wMax = 0; for (const w of p.weights) wMax = Math.max(wMax, Math.abs(w)); }
  // f32 engines report energies to their own round-off, which the drop guard must tolerate
  const dropTolerance = Math.max(ENERGY_DROP_TOLERANCE, engine.kind === "webgpu" ? engine.energyRoundoff ?? 0 : 0);
  const energyScale = 0.5 * wMax * (p.content === "exp" ? Math.exp(p.beta) / p.beta : 1);
  const record = async (t: number): Promise<void> => {
    const ev = await engine.evaluate();
    await engine.getState(x);
    await engine.getGaugeState(z);
    checkState(x, n, d, t, ev.energy, solver);
    checkRecordValues(ev.meanSquaredSpeed, t, p);
    rec.times.push(t);
    rec.energy.push(ev.energy);
    rec.meanSquaredSpeed.push(ev.meanSquaredSpeed);
    const m = diagnostics.measure(x, z, solver.clusterAngle);
    rec.collapseGap.push(m.collapseGap);
    rec.gaugeGap.push(m.gaugeGap);
    rec.conditionalDiameter.push(m.conditionalDiameter);
    upper.push(m.conditionalDiameterUpper ?? m.conditionalDiameter);
    rec.clusters.push(m.clusters);
    o.onRecordState?.(z, t, x);
    onRecord?.(t, solver.time);
  };
  let done = 0, rejected = 0;
  if (o.resume) {
    await engine.restore(o.resume.state);
    done = o.resume.steps;
    rejected = o.resume.rejected ?? 0;
  } else {
    await record(0);
  }
  let stoppedEarly = false;
  let sinceCheckpoint = 0;
  // a checkpoint every `checkpointEvery` records (never at the last one: the caller checks)
  const maybeCheckpoint = async (adaptive: Pick<RunCheckpoint, "time" | "nextStep" | "rejected">): Promise<void> => {
    if (!o.onCheckpoint || !o.checkpointEvery || ++sinceCheckpoint < o.checkpointEvery) return;
    sinceCheckpoint = 0;
    o.onCheckpoint({ steps: done, ...adaptive, records: structuredClone(rec), state: await engine.snapshot() });
  };
  // the energy guard and the early stop, after each record
  const afterRecord = (): boolean => {
    const k = rec.energy.length - 1;
    if (monotone && rec.energy[k] < rec.energy[k - 1] - dropTolerance * Math.max(Math.abs(rec.energy[k - 1]), energyScale)) {
      throw new SimulationError(`the energy fell from ${rec.energy[k - 1]} to ${rec.energy[k]} between t = ${rec.times[k - 1].toPrecision(6)} and t = ${rec.times[k].toPrecision(6)}, which the flow forbids (dE/dt >= 0): solver.step = ${solver.step} is too large for this system; try solver.step = ${suggestStep(solver.step)} or smaller${solver.adaptive ? " (or smaller solver.adaptive tolerances)" : ""}`);
    }
    return solver.stop !== null && shouldStop(rec.energy, solver.stop.records, solver.stop.tol);
  };
  if (solver.adaptive) {
    const a = solver.adaptive, tol = a.atol + a.rtol;
    let t = o.resume?.time ?? 0, h = Math.min(o.resume?.nextStep ?? solver.step, a.maxStep);
    for (let r = rec.times.length; r <= solver.records; r++) {
      const target = Math.min(r * solver.record, solver.time);
      while (t < target) {
        checkStepCount(done + rejected, t);
        const hh = Math.min(h, target - t);
        // embedded pair: the Euler step x + h k1 is Heun's predictor, so the step's own error
        // estimate max_i |x_i^Heun - x_i^Euler| = (h/2)|k2 - k1| costs no third evaluation
        const s0 = await engine.snapshot();
        const { energy: e, error } = await engine.heunStep(hh);
        if (!Number.isFinite(e)) throw new SimulationError(`the energy became ${e} at t = ${t.toPrecision(6)} with an adaptive step of ${hh}`);
        const err = error / tol;
        // step-size control for an order-1 error estimate: h <- h * 0.9 / sqrt(err), within [0.2, 5]
        const factor = !Number.isFinite(err) ? 0.2 : err > 0 ? Math.min(5, Math.max(0.2, 0.9 / Math.sqrt(err))) : 5;
        if (err <= 1) {
          t = hh === target - t ? target : t + hh;
          done++;
          h = Math.min(a.maxStep, hh * factor);
        } else {
          await engine.restore(s0);
          rejected++;
          h = hh * factor;
          if (h < a.minStep) throw new SimulationError(`the adaptive step fell below solver.adaptive.minStep = ${a.minStep} at t = ${t.toPrecision(6)} (error estimate ${(err * tol).toExponential(2)} for rtol ${a.rtol}, atol ${a.atol}); loosen the tolerances or lower minStep`);
        }
      }
      await record(target);
      if (afterRecord()) {
        stoppedEarly = r < solver.records;
        break;
      }
      if (r < solver.records) await maybeCheckpoint({ time: t, nextStep: h, rejected });
    }
  } else {
    while (done < solver.steps) {
      const count = Math.min(solver.stepsPerRecord, solver.steps - done);
      const e = await engine.step(solver.method, solver.step, count);
      done += count;
      if (!Number.isFinite(e)) {
        throw new SimulationError(`the energy became ${e} before t = ${(done * solver.step).toPrecision(6)} (solver.step = ${solver.step}); try solver.step = ${suggestStep(solver.step)} or smaller`);
      }
      await record(done * solver.step);
      if (afterRecord()) {
        stoppedEarly = done < solver.steps;
        break;
      }
      if (done < solver.steps) await maybeCheckpoint({});
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
    conditionalDiameterUpper: upper.some((u, k) => u !== rec.conditionalDiameter[k]) ? Float64Array.from(upper) : null,
    meanSquaredSpeed: Float64Array.from(rec.meanSquaredSpeed),
    clusters: Int32Array.from(rec.clusters),
    final: await engine.getState(),
    finalGauge: await engine.getGaugeState(),
    steps: done,
    rejectedSteps: rejected,
    stoppedEarly,
    warnings: p.warnings,
  };
}

/** A step a quarter of h, rounded down to one significant digit (a suggestion in error messages). */
export function suggestStep(h: number): number {
  const q = h / 4, e = Math.pow(10, Math.floor(Math.log10(q)));
  return Math.floor(q / e) * e;
}

/** The paper's early stop (Appendix B.1): relative energy increment over the window below tol. */
export function shouldStop(energy: number[], windowRecords: number, tol: number): boolean {
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

/** Options of solutionToJSON. */
export interface SolutionJSONOptions {
  /**
   * what stands in the result's `final` instead of the n rows of the final state, e.g.
   * {npy: "F.npy"} when the state was written to a file (`mft simulate --final F.npy`)
   */
  final?: Record<string, unknown>;
}

/** The JSON form of a solution (the CLI's result contract: docs/cli.md, "Result"). */
export function solutionToJSON(s: Solution, options: SolutionJSONOptions = {}): Record<string, unknown> {
  const { n, dim: d } = s.problem;
  let final: number[][] | Record<string, unknown>;
  if (options.final !== undefined) {
    checkFiniteResult(s.final, "final");
    final = options.final;
  } else {
    final = [];
    for (let i = 0; i < n; i++) final.push(Array.from(s.final.subarray(i * d, (i + 1) * d)));
  }
  return checkFiniteResult({
    times: Array.from(s.times),
    energy: Array.from(s.energy),
    collapseGap: Array.from(s.collapseGap),
    gaugeGap: Array.from(s.gaugeGap),
    conditionalDiameter: Array.from(s.conditionalDiameter),
    ...(s.conditionalDiameterUpper ? { conditionalDiameterUpper: Array.from(s.conditionalDiameterUpper) } : {}),
    meanSquaredSpeed: Array.from(s.meanSquaredSpeed),
    energyMax: s.energyMax,
    energyGap: s.energyGap ? Array.from(s.energyGap) : null,
    clusters: Array.from(s.clusters),
    clusterAngle: s.solver.clusterAngle,
    final,
    n,
    dim: d,
    beta: s.problem.beta,
    timeScale: s.problem.timeScale,
    energyUnit: s.problem.timeScale === "fast" && s.problem.content === "exp" ? "E*exp(-beta)" : "E",
    kernel: s.problem.kernelName,
    engine: s.engine,
    method: s.solver.method,
    step: s.solver.step,
    steps: s.steps,
    rejectedSteps: s.rejectedSteps,
    time: s.times[s.times.length - 1],
    stoppedEarly: s.stoppedEarly,
  });
}
