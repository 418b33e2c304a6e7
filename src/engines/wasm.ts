// The SIMD WebAssembly engine: the state lives in the gauge frame z_i = G_{a_i} x_i inside one
// linear memory that this module creates and imports into the core (shared when the platform
// allows, so that workers can later run the same module over the same memory).
import { applyMatrix, applyTranspose } from "../linalg.js";
import { requireProblem, type Problem } from "../problem.js";
import { checkLive, checkOutArray, checkSnapshot, checkStateInput, checkStepArguments, readPrecision, type Engine, type Evaluation, type HeunStep, type Method, type Precision } from "./engine.js";
import { coreModule } from "./core-binary.js";
export { coreModule, decodeBase64 } from "./core-binary.js";
import { ATTN, CTX, planLayout, type Layout } from "./wasm-layout.js";
import { ConfigError, SimulationError } from "../errors.js";
import { requireNumber, requireOneOf } from "../validate.js";
import { availableThreads, canBlock, inNode, noticeOnce, workersAvailable } from "./platform.js";
import { SILENCE_S, Team, type UnitTimes } from "./team.js";
import { EXPANSION_CUTS_BYTES, EXPANSION_MAX_LABELS, expansionPlan, expansionTables } from "./expansion.js";
import type { DiagnosticsExports, DiagnosticsProgram } from "../diagnostics/core.js";
import { DG, writeDiagnosticsTables } from "../diagnostics/core-layout.js";
import { writeDiagnosticsArgs } from "./diag-plan.js";
import { PHASE_BYTES, THREAD_MIN_NS, THREAD_MIN_NS_NODE, buildPlan, coreFlags, f32Applies, fourierChoice, longestUnitNs, sumsChoice, tiledPath, usesSymmetricLoop, writePlan, type PathKind, type PhaseThreads, type Program, type StepPlan } from "./plan.js";
import { fourierCoefficients, FOURIER_LABELS_MAX } from "./circle.js";
import { kappaProfile } from "../kernels/kappa.js";

/** The core's exports (assembly/index.ts). Pointers are byte offsets into the memory. */
export interface CoreExports extends DiagnosticsExports {
  heapBase(): number;
  contextBytes(): number;
  scratchBytes(d: number): number;
  /** per-thread scratch of the tiled loop (assembly/tiles.ts) in dimension d with panels of up to R particles */
  tileScratchBytes(d: number, R: number): number;
  expArray(src: number, dst: number, count: number): void;
  /** units [u0, u1) of phase p of the plan (assembly/plan.ts): the one entry point of every thread */
  phase(ctx: number, p: number, u0: number, u1: number, scratch: number): void;
  /** `steps` times, phases [first, first + count), every unit on the calling thread; a leading pre-pass (lead = 1) is skipped when prepared and after the first step */
  runPhases(ctx: number, first: number, count: number, steps: number, lead: number, prepared: boolean): void;
}

/** True when a shared WebAssembly.Memory can be made here (Node, or a cross-origin isolated page). */
export function sharedMemoryAvailable(): boolean {
  if (typeof SharedArrayBuffer === "undefined") return false;
  const g = globalThis as { crossOriginIsolated?: boolean };
  if (g.crossOriginIsolated === false) return false;
  try {
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    return true;
  } catch {
    return false;
  }
}

/**
 * Instantiates the core over a fresh memory of `pagesFor(probe)` pages, where `probe` is an
 * instance over a one-page memory that answers layout questions (heapBase, scratchBytes).
 */
async function instantiate(shared: boolean, pagesFor: (probe: CoreExports) => number): Promise<{ core: CoreExports; memory: WebAssembly.Memory; module: WebAssembly.Module }> {
  const module = await coreModule(shared);
  const probeMemory = new WebAssembly.Memory(shared ? { initial: 1, maximum: 1, shared: true } : { initial: 1 });
  const probe = (await WebAssembly.instantiate(module, { env: { memory: probeMemory } })) as unknown as { exports: CoreExports };
  const pages = pagesFor(probe.exports);
  let memory: WebAssembly.Memory;
  try {
    memory = new WebAssembly.Memory(shared ? { initial: pages, maximum: pages, shared: true } : { initial: pages });
  } catch (e) {
    // within the 4 GiB the layout allows, but more than this machine or page will grant
    throw new SimulationError(`could not allocate ${(pages / 16384).toFixed(2)} GiB of wasm memory (${pages} pages of 64 KiB) for this system: ${(e as Error).message}`);
  }
  const instance = (await WebAssembly.instantiate(module, { env: { memory } })) as unknown as { exports: CoreExports };
  return { core: instance.exports, memory, module };
}

/** Options of WasmEngine.create: shared memory, threads, precision and pair loop. */
export interface WasmEngineOptions {
  /** force a non-shared memory even where a shared one is possible */
  sharedMemory?: boolean;
  /**
   * threads that run the step plan's phases (default: the available cores). One is used when n is
   * below THREAD_MIN_N, and one (with a console notice) where threads cannot run: no
   * SharedArrayBuffer, or the main thread of a page, which may not block (run the engine in a
   * Web Worker there); each phase takes no more threads than its work pays for. Results are
   * bitwise the same for any thread count.
   */
  threads?: number;
  /**
   * "f64" (default), or "f32": dot products and exp in f32x4 lanes, sums and the state in f64
   * (d = 3 with an exp kernel only; about twice the pair throughput, relative error about 1e-7 beta
   * in each e_ij; docs/performance.md "Precision").
   */
  precision?: Precision;
  /**
   * seconds without a heartbeat after which a worker that owes a phase is declared dead
   * (terminated or killed from outside): the step then throws a SimulationError naming the worker,
   * and so does every later step (default SILENCE_S = 10, or ten times the estimated longest unit
   * where that is more; a live worker beats at every unit it takes, units are at most about 50 ms
   * of work apart below 4095 x 50 ms of work per phase)
   */
  workerSilence?: number;
  /**
   * "symmetric" (default): the symmetric pair loop where it applies (d = 3, f64, exp content, W
   * symmetric bit for bit, n >= SYM_MIN_N: one exp per pair, about 1.6x the row loop; docs/performance.md),
   * the tiled loop at d >= TILE_MIN_D = 16 (exp content or attention heads: register-blocked
   * tiles, in tile pairs where e_ij = e_ji; assembly/tiles.ts), the row loop elsewhere; "row": the
   * row loop always, and attention's row passes (every particle's sum over j in index order, the
   * bits of the engine before the symmetric and the tiled loops); "expansion": the exact series
   * of the exp kernel for the problem's d wherever it applies: at d = 3 the harmonic expansion
   * (f64, W = 1 or a weight table of at most 64 labels, beta <= 100 on either time scale;
   * O(n (K+1)^2 + L^2 (K+1)^2) per evaluation, assembly/expansion.ts), at d = 2 the Fourier series
   * (f64, W = 1 or a weight table of at most 64 labels, any beta; O(n K + L^2 K), assembly/circle.ts);
   * "sums": the linear content's label sums (any d; O(n d + L^2 d), assembly/linear.ts). Left
   * undefined, each of these runs where it applies and is cheaper than the pair loop by its cost
   * model (src/engines/expansion.ts expansionPlan, plan.ts fourierChoice and sumsChoice), the
   * symmetric or the tiled loop elsewhere where they apply, the row loop otherwise.
   */
  pairLoop?: PairLoop;
  /**
   * keep a profile log of the threads (a measurement aid: each thread records when it runs each
   * unit of the step plan; WasmEngine.profileUnits, unitTimes; bench/serial-fraction.mjs)
   */
  profile?: boolean;
  /**
   * how many threads each phase of the plan takes: "work" (default) as many as its work pays for,
   * "all" every thread on every phase of more than one unit (for tests; results are the same bits)
   */
  phaseThreads?: PhaseThreads;
}

/** How the core sums the pair terms (WasmEngineOptions.pairLoop). */
export type PairLoop = "symmetric" | "row" | "expansion" | "sums";
/** Accepted values of `pairLoop`. */
export const PAIR_LOOPS = ["symmetric", "row", "expansion", "sums"] as const;

/** Largest accepted `threads`. */
export const THREADS_MAX = 256;
/**
 * Below this many particles an engine starts no workers: every phase of such a system is too
 * small to hand over (docs/performance.md, "Threads and the step plan").
 */
export const THREAD_MIN_N = 512;

/** Validates the `threads` option; undefined means the available cores. */
export async function resolveThreads(threads: unknown, path = "threads"): Promise<number> {
  return threads === undefined ? availableThreads() : requireNumber(path, threads, { integer: true, min: 1, max: THREADS_MAX });
}

/** The thread count one system of n particles will actually use, with a notice when threads cannot run here. */
function usableThreads(requested: number, n: number, shared: boolean, explicitShared: boolean | undefined): number {
  if (requested === 1 || n < THREAD_MIN_N) return 1;
  if (!shared) {
    if (explicitShared === false) return 1;
    noticeOnce("meanfield-transformer: SharedArrayBuffer is unavailable here (a page must be cross-origin isolated); running on one thread");
    return 1;
  }
  if (!workersAvailable()) {
    noticeOnce("meanfield-transformer: workers are unavailable here; running on one thread");
    return 1;
  }
  if (!canBlock()) {
    noticeOnce("meanfield-transformer: this thread may not block (a page's main thread); run the engine in a Web Worker to use threads; running on one thread");
    return 1;
  }
  return Math.min(requested, n);
}

/** The SIMD WebAssembly engine: the state resident in wasm memory, in the gauge frame, optionally split over threads (docs/performance.md). */
export class WasmEngine implements Engine {
  readonly kind = "wasm" as const;
  readonly problem: Problem;
  readonly memory: WebAssembly.Memory;
  readonly layout: Layout;
  /** the step plan: the phases of an evaluation, a Heun and an Euler step, and their units (plan.ts) */
  readonly plan: StepPlan;
  /** true when the memory is a SharedArrayBuffer */
  readonly shared: boolean;
  /** threads that run the plan (1: the calling thread alone) */
  readonly threads: number;
  /** arithmetic of the pair kernel */
  readonly precision: Precision;
  /** true when the core runs the symmetric pair loop (one exp per pair; assembly/symmetric.ts) */
  readonly symmetric: boolean;
  /** the harmonic degree K when the core runs the expansion (assembly/expansion.ts), else null */
  readonly expansionDegree: number | null;
  /** the degree K of the circle's Fourier series when the core runs it (d = 2; assembly/circle.ts), else null */
  readonly fourierDegree: number | null;
  /** the core instance over `memory` (the record diagnostics run its diag* functions; src/diagnostics/record.ts) */
  readonly core: CoreExports;
  private readonly team: Team | null;
  private f64!: Float64Array;
  private readonly tmp: Float64Array;
  private disposed = false;
  /** true when the row pre-pass of the state (the expansion's moments) is done: the last program left it */
  private prepared = false;

  private constructor(problem: Problem, core: CoreExports, memory: WebAssembly.Memory, layout: Layout, plan: StepPlan, shared: boolean, team: Team | null, precision: Precision) {
    this.problem = problem;
    this.precision = precision;
    this.plan = plan;
    this.expansionDegree = plan.expansionDegree;
    this.fourierDegree = plan.fourierDegree;
    this.symmetric = plan.path === "symmetric";
    this.team = team;
    this.threads = team ? team.size : 1;
    this.core = core;
    this.memory = memory;
    this.layout = layout;
    this.shared = shared;
    this.tmp = new Float64Array(problem.dim);
    this.writeTables();
    this.setState(problem.initial);
  }

  static async create(problem: Problem, options: WasmEngineOptions = {}): Promise<WasmEngine> {
    requireProblem("problem", problem);
    const precision = readPrecision(options.precision);
    if (precision === "f32" && problem.attention) {
      throw new ConfigError("precision", precision, `"f64" for attention kernels ("f32" covers the paper's kernels at dim = 3)`);
    }
    if (precision === "f32" && !f32Applies(problem)) {
      throw new ConfigError("precision", precision, `"f64" for this problem ("f32" covers dim = 3 with an exp kernel; got dim = ${problem.dim}, ${problem.content} content)`);
    }
    const requested = await resolveThreads(options.threads);
    const pairLoop = options.pairLoop === undefined ? undefined : requireOneOf("pairLoop", options.pairLoop, PAIR_LOOPS);
    const series = pairLoop === "expansion" || pairLoop === undefined;
    const expansion = series ? expansionPlan(problem, precision, pairLoop === "expansion") : null;
    const fourier = series && expansion === null ? fourierChoice(problem, precision, pairLoop === "expansion") : null;
    if (pairLoop === "expansion" && expansion === null && fourier === null) {
      throw new ConfigError("pairLoop", pairLoop, `"symmetric" or "row" for this problem ("expansion" covers f64 and an exp kernel at dim = 3 with W = 1 or a weight table of at most ${EXPANSION_MAX_LABELS} labels and beta up to 100, and at dim = 2 with W = 1 or a weight table of at most ${FOURIER_LABELS_MAX} labels; got dim = ${problem.dim}, beta = ${problem.beta}, ${problem.content} content${problem.weights ? `, a weight table of ${problem.labelCount} labels` : ""}${problem.attention ? ", attention heads" : ""}, precision ${precision})`);
    }
    const sums = (pairLoop === "sums" || pairLoop === undefined) && sumsChoice(problem, pairLoop === "sums");
    if (pairLoop === "sums" && !sums) {
      throw new ConfigError("pairLoop", pairLoop, `"symmetric" or "row" for this problem ("sums" covers the linear content, kappa(u) = u; got ${problem.attention ? "attention heads" : `${problem.content} content`})`);
    }
    const chosenSilence = options.workerSilence === undefined ? null : requireNumber("workerSilence", options.workerSilence, { above: 0, max: 86400 });
    if (requested > 1 && options.threads !== undefined && options.sharedMemory === false) {
      throw new ConfigError("threads", requested, "1 when sharedMemory is false (threads share one memory)");
    }
    const shared = options.sharedMemory ?? sharedMemoryAvailable();
    const threads = usableThreads(requested, problem.n, shared, options.sharedMemory);
    const tiled = (pairLoop === undefined || pairLoop === "symmetric") && precision === "f64" ? tiledPath(problem) : null;
    const path: PathKind = tiled ?? (problem.attention ? "attention" : precision === "f32" ? "f32" : expansion !== null ? "expansion"
      : fourier !== null ? "fourier" : sums ? "sums" : pairLoop !== "row" && usesSymmetricLoop(problem, precision) ? "symmetric" : "rows");
    const rule = options.phaseThreads === undefined ? "work" : requireOneOf("phaseThreads", options.phaseThreads, ["work", "all"] as const);
    const plan = buildPlan(problem, path, expansion ?? fourier, threads, rule, inNode() ? THREAD_MIN_NS_NODE : THREAD_MIN_NS);
    // a worker's heartbeat moves once per claim (one unit, or a run of CLAIM_RUN_NS of work): the default bound stays far above either
    const silence = chosenSilence ?? Math.max(SILENCE_S, (10 * longestUnitNs(plan)) / 1e9);
    let layout!: Layout;
    const { core, memory, module } = await instantiate(shared, (probe) => {
      const scratch = Math.max(probe.scratchBytes(problem.dim), plan.tileParticles ? probe.tileScratchBytes(problem.dim, plan.tileParticles) : 0);
      layout = planLayout(problem, Math.max(probe.heapBase(), 64), scratch, threads, plan);
      return layout.pages;
    });
    const team = threads > 1
      ? await Team.start(threads, module, memory, core, layout.ctx, (t) => layout.scratch + t * layout.scratchStride, problem.n, plan, { silence, profile: options.profile === true })
      : null;
    return new WasmEngine(problem, core, memory, layout, plan, shared, team, precision);
  }

  /** A Float64Array over the whole memory (remade if the memory ever grows). */
  private view(): Float64Array {
    if (!this.f64 || this.f64.buffer !== this.memory.buffer) this.f64 = new Float64Array(this.memory.buffer);
    return this.f64;
  }

  private writeTables(): void {
    const p = this.problem, L = this.layout, plan = this.plan;
    const buf = this.memory.buffer;
    const i32 = new Int32Array(buf), f64 = this.view(), u8 = new Uint8Array(buf);
    const kappa = kappaProfile(p.content, p.beta, p.timeScale);
    const c = L.ctx;
    const invN = 1 / p.n;
    i32[(c + CTX.N) >> 2] = p.n;
    i32[(c + CTX.D) >> 2] = p.dim;
    i32[(c + CTX.STRIDE) >> 2] = L.stride;
    i32[(c + CTX.L) >> 2] = p.labelCount;
    i32[(c + CTX.FLAGS) >> 2] = coreFlags(p, plan);
    f64[(c + CTX.BETA) >> 3] = p.beta;
    f64[(c + CTX.INVN) >> 3] = invN;
    // the core sums exp(beta (u - 1)) or 1: the forces' factor and the energy's (kernels/kappa.ts)
    f64[(c + CTX.FSCALE) >> 3] = kappa.coreScale * invN;
    f64[(c + CTX.EFACTOR) >> 3] = 0.5 * invN * invN * (p.attention ? 1 : kappa.energyScale);
    const ptrs: [number, number][] = [
      [CTX.Z, L.z], [CTX.ZT, L.zt], [CTX.K1, L.k1], [CTX.K2, L.k2], [CTX.LABELS, L.labels],
      [CTX.WEIGHTS, L.weights], [CTX.FROZEN, L.frozen], [CTX.EPART, L.energyPart], [CTX.SCRATCH, L.scratch],
      [CTX.SYMBUF, L.symBuf], [CTX.EXPTAB, L.expTab], [CTX.ATTN, L.attn], [CTX.PLAN, L.plan],
      [CTX.UNITSUMS, L.unitSums], [CTX.F32, L.f32], [CTX.SYMPAIRS, L.symPairs],
    ];
    for (const [off, ptr] of ptrs) i32[(c + off) >> 2] = ptr; // usize is 32-bit; the high word stays 0
    i32[(c + CTX.SYMTILE) >> 2] = plan.symTile;
    i32.set(p.labels, L.labels >> 2);
    if (p.weights) f64.set(p.weights, L.weights >> 3);
    if (p.frozen) u8.set(p.frozen, L.frozen);
    if (plan.symPairs) i32.set(plan.symPairs, L.symPairs >> 2);
    if (plan.expansion) {
      const e = plan.expansion;
      i32[(c + CTX.EXPDEG) >> 2] = e.K;
      i32.set(e.cuts, L.expTab >> 2);
      f64.set(expansionTables(e.K, p.beta), (L.expTab + EXPANSION_CUTS_BYTES) >> 3);
    }
    if (plan.fourierDegree !== null) {
      i32[(c + CTX.EXPDEG) >> 2] = plan.fourierDegree;
      f64.set(fourierCoefficients(plan.fourierDegree, p.beta), L.expTab >> 3);
    }
    writePlan(plan, i32, L.plan, (b) => L[b]);
    if (p.attention) this.writeHeads(i32, f64);
    writeDiagnosticsTables(buf, L.diag, p, L.z, L.stride, L.labels);
    // the diagnostics phases find the block in their table, and a thread's diagnostics scratch from its engine scratch
    writeDiagnosticsArgs(plan.phases, i32, L.plan, PHASE_BYTES, L.diag.dg);
    i32[(L.diag.dg + DG.ENGINE_SCRATCH) >> 2] = L.scratch;
    i32[(L.diag.dg + DG.ENGINE_STRIDE) >> 2] = L.scratchStride;
  }

  /** The attention table (assembly/attention.ts): per head its flags, beta, shift, scale, rate and pointers. */
  private writeHeads(i32: Int32Array, f64: Float64Array): void {
    const p = this.problem, L = this.layout, d = p.dim, heads = p.attention!;
    const dd = d * d, state = d * L.stride * 8;
    i32[L.attn >> 2] = heads.length;
    heads.forEach((h, q) => {
      const at = L.attn + ATTN.HEAD0 + q * ATTN.HEAD_BYTES;
      i32[(at + ATTN.FLAGS) >> 2] = (h.normalize === "sa" ? ATTN.SA : 0) | (h.mask === "causal" ? ATTN.CAUSAL : 0);
      f64[(at + ATTN.BETA) >> 3] = h.beta;
      f64[(at + ATTN.SHIFT) >> 3] = h.shift;
      f64[(at + ATTN.SCALE) >> 3] = Math.exp(h.shift);
      f64[(at + ATTN.RATE) >> 3] = h.alibi / p.n;
      [h.query, h.key, h.value].forEach((m, r) => {
        const mat = L.attnMats + (3 * q + r) * dd * 8;
        f64.set(m, mat >> 3);
        i32[(at + ATTN.MATS + 8 * r) >> 2] = mat;
        i32[(at + ATTN.ARRAYS + 8 * r) >> 2] = L.attnArrays + (3 * q + r) * state;
      });
    });
  }

  setState(x: Float64Array): void {
    this.prepared = false;
    const { n, dim: d, gauges, labels } = this.problem;
    checkLive(this.disposed, "setState");
    checkStateInput(x, n, d);
    const f64 = this.view(), s = this.layout.stride, z0 = this.layout.z >> 3, t = this.tmp;
    for (let i = 0; i < n; i++) {
      if (gauges) applyMatrix(d, gauges, labels[i] * d * d, x, i * d, t, 0);
      else for (let k = 0; k < d; k++) t[k] = x[i * d + k];
      for (let k = 0; k < d; k++) f64[z0 + k * s + i] = t[k];
    }
  }

  /** Reads a structure-of-arrays buffer at byte offset ptr into particle-major out, mapped by G^T when toOriginal. */
  private readSoA(ptr: number, out: Float64Array, toOriginal: boolean): Float64Array {
    const { n, dim: d, gauges, labels } = this.problem;
    const f64 = this.view(), s = this.layout.stride, b = ptr >> 3, t = this.tmp;
    if (!(toOriginal && gauges)) {
      // a plain transpose, one coordinate row at a time (sequential reads, strided writes)
      for (let k = 0; k < d; k++) {
        const row = f64.subarray(b + k * s, b + k * s + n);
        for (let i = 0, o = k; i < n; i++, o += d) out[o] = row[i];
      }
      return out;
    }
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < d; k++) t[k] = f64[b + k * s + i];
      applyTranspose(d, gauges, labels[i] * d * d, t, 0, out, i * d);
    }
    return out;
  }

  getState(out?: Float64Array): Float64Array {
    checkLive(this.disposed, "getState");
    checkOutArray("getState(out)", out, this.problem.n * this.problem.dim);
    return this.readSoA(this.layout.z, out ?? new Float64Array(this.problem.n * this.problem.dim), true);
  }

  getGaugeState(out?: Float64Array): Float64Array {
    checkLive(this.disposed, "getGaugeState");
    checkOutArray("getGaugeState(out)", out, this.problem.n * this.problem.dim);
    return this.readSoA(this.layout.z, out ?? new Float64Array(this.problem.n * this.problem.dim), false);
  }

  /** The gauge-frame state z, exactly as the core holds it. */
  snapshot(): Float64Array {
    return this.getGaugeState();
  }

  restore(state: Float64Array): void {
    this.prepared = false;
    const { n, dim: d } = this.problem;
    checkLive(this.disposed, "restore");
    checkSnapshot(state, n, d);
    const f64 = this.view(), s = this.layout.stride, z0 = this.layout.z >> 3;
    for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) f64[z0 + k * s + i] = state[i * d + k];
  }

  step(method: Method, h: number, count = 1): number {
    checkLive(this.disposed, "step");
    checkStepArguments(method, h, count);
    this.run(this.plan.programs[method], h, count);
    return this.view()[(this.layout.ctx + CTX.ENERGY) >> 3];
  }

  heunStep(h: number): HeunStep {
    checkLive(this.disposed, "heunStep");
    checkStepArguments("heun", h, 1);
    this.run(this.plan.programs.heun, h, 1);
    const f64 = this.view(), c = this.layout.ctx;
    return { energy: f64[(c + CTX.ENERGY) >> 3], error: f64[(c + CTX.ERROR) >> 3] };
  }

  evaluate(velocityOut?: Float64Array): Evaluation {
    checkLive(this.disposed, "evaluate");
    checkOutArray("evaluate(velocityOut)", velocityOut, this.problem.n * this.problem.dim);
    this.run(this.plan.programs.evaluate, 0, 1);
    const f64 = this.view(), c = this.layout.ctx;
    if (velocityOut) this.readSoA(this.layout.k1, velocityOut, true);
    return { energy: f64[(c + CTX.ENERGY) >> 3], meanSquaredSpeed: f64[(c + CTX.SPEED) >> 3] };
  }

  /**
   * Runs one of the record diagnostics' programs (diag-plan.ts) on the engine's threads, over the
   * diagnostics block of its layout (src/diagnostics/record.ts); the state is left as it was.
   */
  runDiagnostics(name: DiagnosticsProgram): void {
    checkLive(this.disposed, "runDiagnostics");
    const program = this.plan.diagnostics[name];
    if (this.team) this.team.run(program, 0);
    else this.core.runPhases(this.layout.ctx, program.first, program.count, 1, 0, false);
  }

  /** `steps` runs of a program of the plan with step h: on the team, or every unit here. */
  private run(program: Program, h: number, steps: number): void {
    this.view()[(this.layout.ctx + CTX.H) >> 3] = h;
    const prepared = this.prepared;
    // a step that throws half-way leaves nothing prepared
    this.prepared = false;
    if (this.team) {
      for (let s = 0; s < steps; s++) this.team.run(program, prepared || s > 0 ? program.lead : 0);
    } else {
      this.core.runPhases(this.layout.ctx, program.first, program.count, steps, program.lead, prepared);
    }
    this.prepared = program.lead === 1;
  }

  /**
   * Starts (true) or stops (false) the threads' profile log (engine option `profile`; starting
   * clears it): a measurement aid, see unitTimes.
   */
  profileUnits(on: boolean): void {
    if (!this.team) throw new Error("profileUnits: this engine runs on one thread");
    this.team.profile(on);
  }

  /** Per thread, the [start, end] times (ms, one clock for all threads) of every unit it ran while profiling. */
  unitTimes(): UnitTimes {
    return this.team ? this.team.unitTimes() : [];
  }

  /** Stops the engine's workers; every later call throws. */
  dispose(): void {
    this.disposed = true;
    this.team?.dispose();
  }
}

/** exp of each value through the core's f64x2 exp (assembly/expv.ts), for measuring its error. */
export async function vectorExp(values: Float64Array): Promise<Float64Array> {
  const count = values.length + (values.length & 1);
  let src = 0;
  const { core, memory } = await instantiate(false, (probe) => {
    src = Math.ceil(Math.max(probe.heapBase(), 64) / 16) * 16;
    return Math.ceil((src + count * 16) / 65536);
  });
  const f64 = new Float64Array(memory.buffer);
  const dst = src + count * 8;
  f64.set(values, src >> 3);
  core.expArray(src, dst, count);
  return f64.slice(dst >> 3, (dst >> 3) + values.length);
}
