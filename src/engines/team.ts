// A team of workers that run one system's step plan (plan.ts) over one shared WebAssembly.Memory.
// The calling thread is thread 0. For each phase of a program it either runs every unit itself
// (a phase whose plan says one thread: too little work to hand over) or publishes the phase
// (team-protocol.ts) and takes units like every worker until none is left, then waits for the units
// that workers took. A unit's result does not depend on which thread runs it, so results are bitwise
// the same for any thread count.
//
// Failures: a unit that throws, here or in a worker, is recorded; the phase's remaining units are
// withdrawn, and once the units in flight are done the step throws a SimulationError naming the
// thread, the phase and the unit's particles; every later step throws too. A worker that is
// terminated or killed from outside cannot report: each worker bumps a heartbeat at each wake-up
// and each claim of units, and acknowledges each phase it was asked to take part in once it found it
// exhausted. A worker that owes an acknowledgement and shows no heartbeat for the silence bound
// (default SILENCE_S) is declared dead; the calling thread looks before it publishes a phase, every
// LOOK_CLAIMS claims it runs itself, and while it waits (in slices of SLICE_MS). A worker whose exit
// event arrived between steps makes the next step throw at once.
import { SimulationError } from "../errors.js";
import { startWorker, workerSpinMs, type PortableWorker } from "./platform.js";
import type { Phase, Program, StepPlan } from "./plan.js";
import {
  CLAIM, DONE, FAILED, GEN, MESSAGE_BYTES, PROFILE, PROFILE_SLOTS, QUIT, SLEEPERS, SPIN, TAG_MASK, UNIT_MASK, WAITING,
  ackAt, awaitUnitsBefore, beatAt, claimUnit, closePhase, controlBytes, describeUnit, failureMessage, logUnit, markUnitDone, publishPhase,
  recordFailure, sharedClock, type PhaseTable,
} from "./team-protocol.js";
import type { PhaseCore, TeamWorkerInit } from "./team-worker.js";
import { TEAM_WORKER_SOURCE } from "./team-worker-source.generated.js";

/** Milliseconds of one blocking wait of the caller between two looks at the heartbeats. */
const SLICE_MS = 100;
/** The calling thread looks at the workers' heartbeats after every LOOK_CLAIMS runs of units it takes itself. */
const LOOK_CLAIMS = 32;
/** Estimated one-thread work of the longest run of units one claim takes (team-protocol.ts claimUnit). */
export const CLAIM_RUN_NS = 2_000_000;
/** Default silence bound: seconds without a heartbeat after which a worker that owes a phase is declared dead. */
export const SILENCE_S = 10;

/** Options of a team. */
export interface TeamOptions {
  /** seconds without a heartbeat after which a worker that owes a phase is declared dead (default SILENCE_S) */
  silence?: number;
  /** keep a profile log: each thread records the start and end of every unit it runs (measurement aid) */
  profile?: boolean;
}

/** Where each thread's units ran: per thread, [start, end] pairs in ms on a clock all threads share. */
export type UnitTimes = Float64Array[];

const now = (): number => (typeof performance !== "undefined" ? performance.now() : Date.now());

/** Workers 1..k-1 of one system; the calling thread is thread 0. */
export class Team {
  readonly size: number;
  private readonly ctl: Int32Array;
  private readonly workers: PortableWorker[];
  private readonly core: PhaseCore;
  private readonly ctx: number;
  private readonly scratch: number;
  private readonly n: number;
  private readonly plan: StepPlan;
  private readonly table: PhaseTable;
  private readonly messageAt: number;
  private readonly silenceMs: number;
  private readonly log: Float64Array | null;
  private seq = 0;
  private readonly tag = new Int32Array(2);
  /** per worker: the tag of the latest phase it must acknowledge (-1: none), and the watch on its heartbeat */
  private readonly owed: Int32Array;
  private readonly watchBeat: Int32Array;
  private readonly watchSince: Float64Array;
  private broken: string | null = null;

  private constructor(size: number, control: SharedArrayBuffer, workers: PortableWorker[], core: PhaseCore, ctx: number, scratch: number, n: number, plan: StepPlan, messageAt: number, silence: number, log: Float64Array | null) {
    this.size = size;
    this.ctl = new Int32Array(control);
    this.workers = workers;
    this.core = core;
    this.ctx = ctx;
    this.scratch = scratch;
    this.n = n;
    this.plan = plan;
    this.table = tableOf(plan);
    this.messageAt = messageAt;
    this.silenceMs = silence * 1000;
    this.log = log;
    this.owed = new Int32Array(size).fill(-1);
    this.watchBeat = new Int32Array(size);
    this.watchSince = new Float64Array(size);
    workers.forEach((w, q) => {
      w.listen(() => {}, (reason) => { this.broken ??= `worker ${q + 1} stopped: ${reason}`; });
      w.unref();
    });
  }

  /**
   * Starts k - 1 workers over the memory, each with its scratch at scratch(t); resolves when every
   * one has instantiated the core. ctx: the system's context block; n its particle count.
   */
  static async start(k: number, module: WebAssembly.Module, memory: WebAssembly.Memory, core: PhaseCore, ctx: number, scratch: (t: number) => number, n: number, plan: StepPlan, options: TeamOptions = {}): Promise<Team> {
    const bytes = controlBytes(k, flagWords(plan));
    const messageAt = bytes - MESSAGE_BYTES;
    const control = new SharedArrayBuffer(bytes);
    // nothing published yet: the claim word reads as an exhausted phase
    Atomics.store(new Int32Array(control), CLAIM, UNIT_MASK);
    const profile = options.profile ? new SharedArrayBuffer(8 * PROFILE_SLOTS * k) : null;
    // written once now, so that the log's first use does not pay its page faults inside the steps it times
    if (profile) new Float64Array(profile).fill(1).fill(0);
    const table = tableOf(plan);
    const workers: PortableWorker[] = [];
    try {
      const ready: Promise<void>[] = [];
      for (let t = 1; t < k; t++) {
        const w = await startWorker(TEAM_WORKER_SOURCE);
        workers.push(w);
        ready.push(new Promise<void>((resolve, reject) => {
          w.listen(
            (m) => {
              const msg = m as { type: string; message?: string };
              if (msg.type === "ready") resolve();
              else reject(new SimulationError(`a worker could not start: ${msg.message}`));
            },
            (reason) => reject(new SimulationError(`a worker could not start: ${reason}`)),
          );
        }));
        const init: TeamWorkerInit = {
          module, memory, control, messageAt, profile, thread: t, size: k, ctx, scratch: scratch(t), n, spinMs: workerSpinMs(),
          units: Array.from(table.units), threads: Array.from(table.threads), after: table.after, run: Array.from(table.run),
          names: plan.phases.map((p) => p.name), rows: plan.phases.map((p) => p.rows), per: plan.phases.map((p) => p.per),
        };
        w.postMessage(init);
      }
      await Promise.all(ready);
    } catch (e) {
      for (const w of workers) void w.terminate();
      throw e;
    }
    return new Team(k, control, workers, core, ctx, scratch(0), n, plan, messageAt, options.silence ?? SILENCE_S, profile ? new Float64Array(profile) : null);
  }

  /** Worker t of the team (1 <= t < size), for fault-injection tests. */
  workerAt(t: number): PortableWorker {
    return this.workers[t - 1];
  }

  /** Runs the phases of one program (one step or one evaluation) in order, from its phase `skip` on. */
  run(program: Program, skip = 0): void {
    for (let p = program.first + skip; p < program.first + program.count; p++) this.runPhase(p);
  }

  /** One phase: here alone, or published and shared. */
  private runPhase(p: number): void {
    if (this.broken) throw new SimulationError(this.broken);
    const ctl = this.ctl, units = this.table.units[p];
    const profiling = this.log !== null && Atomics.load(ctl, PROFILE) !== 0;
    if (this.table.threads[p] <= 1) {
      const start = profiling ? sharedClock() : 0;
      try {
        this.core.phase(this.ctx, p, 0, units, this.scratch);
      } catch (e) {
        this.broken = `the calling thread failed (phase "${this.plan.phases[p].name}": ${String((e as Error)?.message ?? e)})`;
        throw new SimulationError(this.broken);
      }
      if (profiling) logUnit(this.log!, 0, start, sharedClock());
      return;
    }
    const time = now();
    this.lookAtWorkers(time);
    const seq = ++this.seq;
    publishPhase(ctl, seq, p);
    const tag = seq & TAG_MASK;
    for (let t = 1; t < this.table.threads[p]; t++) {
      if (this.owed[t] < 0) {
        // a new debt: the watch on its heartbeat starts now
        this.watchSince[t] = time;
        this.watchBeat[t] = Atomics.load(ctl, beatAt(t));
      }
      this.owed[t] = tag;
    }
    // units run here, and units withdrawn after a failure: the workers owe the rest
    let own = 0, claims = 0;
    for (;;) {
      if (Atomics.load(ctl, FAILED) !== 0) {
        own += closePhase(ctl, units);
        break;
      }
      const c = claimUnit(ctl, this.table, 0, this.tag);
      if (c < 0) break;
      const u = c & UNIT_MASK, r = this.tag[1];
      const after = this.table.after[p];
      if (after) awaitUnitsBefore(ctl, this.size, after, u, this.tag[0], this.idle);
      const start = profiling ? sharedClock() : 0;
      try {
        this.core.phase(this.ctx, p, u, u + r, this.scratch);
      } catch (e) {
        const ph = this.plan.phases[p];
        recordFailure(ctl, this.messageAt, `the calling thread, ${describeUnit(ph.name, ph.rows, ph.per, this.n, u, u + r)}: ${String((e as Error)?.message ?? e)}`);
        own += closePhase(ctl, units);
      }
      if (profiling) logUnit(this.log!, 0, start, sharedClock());
      if (after) markUnitDone(ctl, this.size, u, this.tag[0]);
      own += r;
      // a long phase done here alone still looks at the workers now and then
      if (++claims % LOOK_CLAIMS === 0) this.lookAtWorkers(now());
    }
    this.awaitUnits(units - own);
    if (Atomics.load(ctl, FAILED) !== 0) {
      this.broken = `a thread of the team failed (${failureMessage(ctl, this.messageAt)})`;
      throw new SimulationError(this.broken);
    }
  }

  /** While the caller waits for a worker's unit: the workers' liveness. */
  private readonly idle = (): void => this.lookAtWorkers(now());

  /** Returns when workers have finished `need` units of the current phase; throws when one that owes the phase is dead. */
  private awaitUnits(need: number): void {
    const ctl = this.ctl;
    let c = Atomics.load(ctl, DONE);
    for (let spins = 0; c < need && spins < SPIN; spins++) c = Atomics.load(ctl, DONE);
    if (c >= need) return;
    try {
      while (c < need) {
        Atomics.store(ctl, WAITING, 1);
        c = Atomics.load(ctl, DONE);
        if (c >= need) break;
        Atomics.wait(ctl, DONE, c, SLICE_MS);
        c = Atomics.load(ctl, DONE);
        if (c < need) this.lookAtWorkers(now());
      }
    } finally {
      Atomics.store(ctl, WAITING, 0);
    }
  }

  /**
   * Declares dead (and throws for) a worker that owes an acknowledgement and whose heartbeat has
   * not moved for the silence bound; forgets the debts of workers that acknowledged.
   */
  private lookAtWorkers(time: number): void {
    const ctl = this.ctl, k = this.size;
    for (let t = 1; t < k; t++) {
      const owed = this.owed[t];
      if (owed < 0) continue;
      const behind = (owed - Atomics.load(ctl, ackAt(t))) & TAG_MASK;
      if (behind === 0 || behind > TAG_MASK / 2) {
        this.owed[t] = -1;
        continue;
      }
      const beat = Atomics.load(ctl, beatAt(t));
      if (beat !== this.watchBeat[t]) {
        this.watchBeat[t] = beat;
        this.watchSince[t] = time;
      } else if (time - this.watchSince[t] > this.silenceMs) {
        this.broken = `worker ${t} gave no sign of life for ${(this.silenceMs / 1000).toPrecision(3)} s in the middle of a phase: it was terminated or crashed`;
        for (const w of this.workers) void w.terminate();
        throw new SimulationError(this.broken);
      }
    }
  }

  /** Starts (true) or stops (false) the profile log; starting clears it. Needs the `profile` option. */
  profile(on: boolean): void {
    if (!this.log) throw new Error("the team keeps no profile log (TeamOptions.profile)");
    if (on) for (let t = 0; t < this.size; t++) this.log[t * PROFILE_SLOTS] = 0;
    Atomics.store(this.ctl, PROFILE, on ? 1 : 0);
  }

  /** The units' times logged since profile(true). */
  unitTimes(): UnitTimes {
    const log = this.log;
    if (!log) return [];
    const out: UnitTimes = [];
    for (let t = 0; t < this.size; t++) {
      const at = t * PROFILE_SLOTS;
      out.push(log.slice(at + 1, at + 1 + 2 * log[at]));
    }
    return out;
  }

  /** Stops the workers (they leave their loop on QUIT, then are terminated). */
  dispose(): void {
    if (this.workers.length === 0) return;
    Atomics.store(this.ctl, QUIT, 1);
    Atomics.add(this.ctl, GEN, 1);
    if (Atomics.load(this.ctl, SLEEPERS) > 0) Atomics.notify(this.ctl, GEN);
    for (const w of this.workers) void w.terminate();
    this.workers.length = 0;
    this.broken ??= "the engine was disposed";
  }
}

/** Units, threads and dependencies of every phase of the plan, as the claim loop reads them. */
function tableOf(plan: StepPlan): PhaseTable {
  return {
    units: Int32Array.from(plan.phases, (p) => p.units), threads: Int32Array.from(plan.phases, (p) => p.threads), after: plan.phases.map((p) => p.after),
    run: Int32Array.from(plan.phases, claimRun),
  };
}

/**
 * The most units one claim of the phase takes: 1 where units wait for others, else as many as
 * CLAIM_RUN_NS of estimated work (a worker's heartbeat moves once per claim).
 */
export function claimRun(p: Phase): number {
  return p.after ? 1 : Math.max(1, Math.floor(CLAIM_RUN_NS / Math.max(1, p.workNs / p.units)));
}

/** Done flags the control block needs: the units of the largest phase with dependencies. */
function flagWords(plan: StepPlan): number {
  return plan.phases.reduce((most, p) => (p.after ? Math.max(most, p.units) : most), 0);
}
