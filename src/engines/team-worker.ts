// A team worker (team.ts): instantiates the core over the engine's shared memory, then takes units
// of each phase the calling thread publishes (team-protocol.ts) until the team stops. Bundled on
// its own into one classic script (scripts/build-worker.mjs, from team-worker-entry.ts) and
// started from inline source. It never allocates while it serves phases.
import {
  GEN, PROFILE, QUIT, SLEEPERS, UNIT_MASK, ackAt, awaitUnitsBefore, beatAt, claimUnit, describeUnit, logUnit,
  markUnitDone, recordFailure, sharedClock, unitDone, type PhaseTable,
} from "./team-protocol.js";

/** Polls between two reads of the clock while a worker waits for a phase (a power of 2). */
const SPIN_CHECK = 256;

/** The part of the core a worker calls: the one entry point of every phase. */
export interface PhaseCore {
  phase(ctx: number, p: number, u0: number, u1: number, scratch: number): void;
}

/** What the calling thread sends a worker once, at its start. */
export interface TeamWorkerInit extends PhaseTable {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  /** byte offset of the failure message in the control block */
  messageAt: number;
  /** the team's profile log (team-protocol.ts PROFILE_SLOTS per thread), or null */
  profile: SharedArrayBuffer | null;
  /** this worker's thread index (1 .. k - 1) and the team size k */
  thread: number;
  size: number;
  ctx: number;
  /** this worker's scratch */
  scratch: number;
  /** milliseconds the worker polls for the next phase before it blocks */
  spinMs: number;
  /** n, and per phase its name, whether its units are rows, and its rows per unit (failure messages) */
  n: number;
  names: string[];
  rows: boolean[];
  per: number[];
}

/** A worker's state between phases. */
export interface WorkerState {
  readonly init: TeamWorkerInit;
  readonly core: PhaseCore;
  readonly ctl: Int32Array;
  readonly log: Float64Array | null;
  /** the tag of the phase last looked at, and the units of the last claim */
  readonly tag: Int32Array;
  /** bumps the heartbeat while the worker waits for another thread's unit */
  readonly beat: () => void;
}

/** The state of worker `init.thread` over an instantiated core. */
export function workerState(init: TeamWorkerInit, core: PhaseCore): WorkerState {
  const ctl = new Int32Array(init.control);
  return { init, core, ctl, log: init.profile ? new Float64Array(init.profile) : null, tag: new Int32Array(2), beat: () => { Atomics.add(ctl, beatAt(init.thread), 1); } };
}

/**
 * Takes runs of units of the published phase until none is left for this worker, then acknowledges the
 * phase's tag. A unit that throws is recorded as the team's failure (team.ts then throws) and
 * still counted, so the caller never waits for it.
 */
export function drainPhase(s: WorkerState): void {
  const { init, core, ctl, log, tag } = s;
  const t = init.thread;
  for (;;) {
    const c = claimUnit(ctl, init, t, tag);
    if (c < 0) break;
    const p = Math.floor(c / (UNIT_MASK + 1)), u = c & UNIT_MASK, r = tag[1];
    Atomics.add(ctl, beatAt(t), 1);
    // a phase whose units wait for others is claimed one unit at a time (PhaseTable.run)
    const after = init.after[p];
    if (after) awaitUnitsBefore(ctl, init.size, after, u, tag[0], s.beat);
    const start = log && Atomics.load(ctl, PROFILE) ? sharedClock() : 0;
    try {
      core.phase(init.ctx, p, u, u + r, init.scratch);
    } catch (e) {
      recordFailure(ctl, init.messageAt, `worker ${t}, ${describeUnit(init.names[p], init.rows[p], init.per[p], init.n, u, u + r)}: ${String((e as Error)?.message ?? e)}`);
    }
    if (start) logUnit(log!, t, start, sharedClock());
    if (after) markUnitDone(ctl, init.size, u, tag[0]);
    unitDone(ctl, r);
  }
  Atomics.store(ctl, ackAt(t), tag[0]);
}

/** Serves phases until the team stops: drain the published phase, then wait for the next one. */
export function serveTeam(s: WorkerState): void {
  const ctl = s.ctl;
  let seen = Atomics.load(ctl, GEN);
  for (;;) {
    if (Atomics.load(ctl, QUIT)) return;
    Atomics.add(ctl, beatAt(s.init.thread), 1);
    drainPhase(s);
    // poll for spinMs (the clock read every SPIN_CHECK polls), then block until woken
    let spins = 0, since = -1;
    while (Atomics.load(ctl, GEN) === seen) {
      if ((++spins & (SPIN_CHECK - 1)) !== 0) continue;
      const time = performance.now();
      if (since < 0) since = time;
      else if (time - since > s.init.spinMs) {
        Atomics.add(ctl, SLEEPERS, 1);
        Atomics.wait(ctl, GEN, seen);
        Atomics.sub(ctl, SLEEPERS, 1);
        since = -1;
      }
    }
    seen = Atomics.load(ctl, GEN);
  }
}

/** A worker's life: instantiate the core, say "ready" (or why not), serve until the team stops. */
export function runTeamWorker(init: TeamWorkerInit, post: (m: unknown) => void): void {
  let core: PhaseCore;
  try {
    core = new WebAssembly.Instance(init.module, { env: { memory: init.memory } }).exports as unknown as PhaseCore;
  } catch (e) {
    post({ type: "error", message: String((e as Error)?.message ?? e) });
    return;
  }
  post({ type: "ready" });
  serveTeam(workerState(init, core));
}
