// A team of workers that split one system's particles over one shared WebAssembly.Memory.
//
// Thread t (t = 0 is the calling thread) owns the particles [blocks[t], blocks[t+1]), a fixed
// contiguous block, and its own scratch. Every phase runs the core's range functions on each
// block; each particle's force sum runs over j in one fixed order (assembly/forces.ts), so the
// result does not depend on the number of threads, bit for bit. A worker runs its block's forces
// in chunks of `rows` particles (at most CHUNK_WORK pair-coordinates each) and bumps its heartbeat
// after each chunk; a chunk is only a sub-range, so it changes no bit.
//
// Control words (Int32Array over a SharedArrayBuffer, k threads):
//   [0] generation: the caller adds 1 to start a phase; workers wait for it to change
//   [1] op:         OP_* below
//   [2] done:       workers add 1 when their block is finished; the caller waits for k - 1
//   [3] failed:     1 once a worker caught an error; its message is in bytes [message, + 960)
//   [4] message length in bytes
//   f64 at byte 24: the step h
//   [16 + t]:     heartbeat of worker t (1 <= t < k): +1 at the start of a phase and after each chunk
//   [16 + k + t]: the generation worker t last finished
// Workers start once, wait on [0] (spinning briefly first), never allocate, and stop on OP_QUIT.
// The caller waits on [2] in slices of SLICE_MS; a worker that has not finished and whose heartbeat
// has not moved for the silence bound (default SILENCE_S) is declared dead: a worker terminated
// from outside or killed cannot report through [3], and its exit event cannot be delivered while
// this thread blocks.
import { SimulationError } from "../errors.js";
import { startWorker, type PortableWorker } from "./platform.js";
import type { CoreExports } from "./wasm.js";
import type { Layout } from "./wasm-layout.js";

/** Worker phases. */
export const OP = {
  QUIT: 0,
  /** k1 = V(z) */
  VELOCITY: 1,
  /** k1 = V(z); zt = normalize(z + h k1)   (Heun predictor) */
  PREDICT: 2,
  /** k2 = V(zt); z = normalize(z + (h/2)(k1 + k2))   (Heun corrector) */
  CORRECT: 3,
  /** the expansion's second phase (after the moments and expCombine): k1 = V(z) on each block */
  FINISH_VELOCITY: 4,
  /** k1 = V(z); zt = normalize(z + h k1) on each block */
  FINISH_PREDICT: 5,
  /** k2 = V(zt); z = normalize(z + (h/2)(k1 + k2)) on each block */
  FINISH_CORRECT: 6,
} as const;
type Op = (typeof OP)[keyof typeof OP];

const H_AT = 24;
const BEATS = 16;
const MESSAGE_BYTES = 960;
/** Polls of a control word before blocking on it: a wake-up costs far more than a short spin. */
const SPIN = 20000;
/** Milliseconds of one blocking wait of the caller between two looks at the heartbeats. */
const SLICE_MS = 100;
/**
 * Pair-coordinates (pairs x max(d, 3)) of one chunk: about 15 ms of one thread at d = 3, f64
 * (44 particles at n = 65536), so a live worker's heartbeat moves many times a second.
 */
export const CHUNK_WORK = 1 << 23;
/** Default silence bound: seconds without a heartbeat after which a worker is declared dead. */
export const SILENCE_S = 10;

/** Particles per chunk of a block: even, at least 2, about CHUNK_WORK pair-coordinates. */
export function chunkRows(n: number, d: number): number {
  return 2 * Math.max(1, Math.ceil(CHUNK_WORK / (2 * n * Math.max(d, 3))));
}

const WORKER_SOURCE = `
const SPIN = ${SPIN};
onHostMessage((m) => {
  let core;
  try {
    core = new WebAssembly.Instance(m.module, { env: { memory: m.memory } }).exports;
  } catch (e) {
    postToHost({ type: "error", message: String((e && e.message) || e) });
    return;
  }
  const ctl = new Int32Array(m.control);
  const f64 = new Float64Array(m.control, 0, 4);
  const text = new Uint8Array(m.control, m.messageAt, ${MESSAGE_BYTES});
  const { ctx, z, zt, k1, k2, i0, i1, scratch, rows, beat, fin, groups, g0, g1 } = m;
  const forces = (src, dst) => {
    for (let c = i0; c < i1; c += rows) {
      core.velocityRange(ctx, src, dst, c, Math.min(c + rows, i1), scratch);
      Atomics.add(ctl, beat, 1);
    }
  };
  // the symmetric loop: this thread's whole groups, rows in order (the caller finishes every particle)
  const pairs = (src) => {
    for (let g = g0; g < g1; g++) {
      for (let c = groups[g]; c < groups[g + 1]; c += rows) {
        core.symRows(ctx, src, g, c, Math.min(c + rows, groups[g + 1]));
        Atomics.add(ctl, beat, 1);
      }
    }
  };
  postToHost({ type: "ready" });
  let seen = 0;
  for (;;) {
    let spins = 0;
    while (Atomics.load(ctl, 0) === seen) {
      if (++spins > SPIN) { Atomics.wait(ctl, 0, seen); spins = 0; }
    }
    seen = Atomics.load(ctl, 0);
    const op = Atomics.load(ctl, 1);
    if (op === ${OP.QUIT}) return;
    Atomics.add(ctl, beat, 1);
    try {
      const h = f64[${H_AT / 8}];
      if (op === ${OP.FINISH_VELOCITY}) {
        core.expFinish(ctx, z, k1, i0, i1, scratch);
      } else if (op === ${OP.FINISH_PREDICT}) {
        core.expFinish(ctx, z, k1, i0, i1, scratch);
        core.advanceRange(ctx, z, k1, k1, h, zt, i0, i1);
      } else if (op === ${OP.FINISH_CORRECT}) {
        core.expFinish(ctx, zt, k2, i0, i1, scratch);
        core.advanceRange(ctx, z, k1, k2, h, z, i0, i1);
      } else if (groups) {
        pairs(op === ${OP.CORRECT} ? zt : z);
      } else if (op === ${OP.VELOCITY}) {
        forces(z, k1);
      } else if (op === ${OP.PREDICT}) {
        forces(z, k1);
        core.advanceRange(ctx, z, k1, k1, h, zt, i0, i1);
      } else if (op === ${OP.CORRECT}) {
        forces(zt, k2);
        core.advanceRange(ctx, z, k1, k2, h, z, i0, i1);
      }
    } catch (e) {
      if (Atomics.compareExchange(ctl, 3, 0, 1) === 0) {
        const bytes = new TextEncoder().encode("particles " + i0 + ".." + (i1 - 1) + ": " + String((e && e.message) || e));
        const len = Math.min(bytes.length, ${MESSAGE_BYTES});
        for (let q = 0; q < len; q++) text[q] = bytes[q];
        Atomics.store(ctl, 4, len);
      }
    }
    Atomics.store(ctl, fin, seen);
    Atomics.add(ctl, 2, 1);
    Atomics.notify(ctl, 2);
  }
});
`;

/** Splits n particles into k contiguous blocks: block t is [b[t], b[t+1]). */
export function blockBounds(n: number, k: number): number[] {
  const b: number[] = [];
  for (let t = 0; t <= k; t++) b.push(Math.floor((t * n) / k));
  return b;
}

/** Options of a team. */
export interface TeamOptions {
  /** seconds without a heartbeat after which a worker that has not finished is declared dead (default SILENCE_S) */
  silence?: number;
  /**
   * the symmetric loop's group first rows (wasm-layout.ts symmetricGroups) when the core runs it:
   * thread t then takes the groups [floor(t G / k), floor((t+1) G / k)) of the G groups, and the
   * calling thread finishes every particle after the phase
   */
  symmetricGroups?: Int32Array;
  /**
   * the core runs the harmonic expansion over those groups: after the moment phase the calling
   * thread combines the totals (expCombine), then every thread evaluates its own block
   */
  expansion?: boolean;
}

/** The groups [g0, g1) of `count` that thread t of k takes. */
function groupsOf(t: number, k: number, count: number): [number, number] {
  return [Math.floor((t * count) / k), Math.floor(((t + 1) * count) / k)];
}

const now = (): number => (typeof performance !== "undefined" ? performance.now() : Date.now());

/** Workers 1..k-1 of one system; the calling thread is thread 0 and does block 0 itself. */
export class Team {
  readonly size: number;
  private readonly ctl: Int32Array;
  private readonly f64: Float64Array;
  private readonly workers: PortableWorker[];
  private readonly core: CoreExports;
  private readonly layout: Layout;
  private readonly bounds: number[];
  private readonly messageAt: number;
  private readonly silenceMs: number;
  private readonly groups: Int32Array | null;
  private readonly expansion: boolean;
  /** per worker: the heartbeat last seen and when it last moved (used only inside run) */
  private readonly lastBeat: Int32Array;
  private readonly lastMove: Float64Array;
  private broken: string | null = null;

  private constructor(size: number, control: SharedArrayBuffer, workers: PortableWorker[], core: CoreExports, layout: Layout, bounds: number[], messageAt: number, silence: number, groups: Int32Array | null, expansion: boolean) {
    this.groups = groups;
    this.expansion = expansion;
    this.size = size;
    this.ctl = new Int32Array(control);
    this.f64 = new Float64Array(control, 0, 4);
    this.workers = workers;
    this.core = core;
    this.layout = layout;
    this.bounds = bounds;
    this.messageAt = messageAt;
    this.silenceMs = silence * 1000;
    this.lastBeat = new Int32Array(size);
    this.lastMove = new Float64Array(size);
    workers.forEach((w, q) => {
      w.listen(() => {}, (reason) => { this.broken ??= `${this.describe(q + 1)} stopped: ${reason}`; });
      w.unref();
    });
  }

  /** Starts k - 1 workers over the memory (forces in chunks of `rows` particles, see chunkRows); resolves when every one has instantiated the core. */
  static async start(k: number, n: number, rows: number, module: WebAssembly.Module, memory: WebAssembly.Memory, core: CoreExports, layout: Layout, options: TeamOptions = {}): Promise<Team> {
    const messageAt = 4 * (BEATS + 2 * k);
    const control = new SharedArrayBuffer(messageAt + MESSAGE_BYTES);
    const b = blockBounds(n, k);
    const workers: PortableWorker[] = [];
    const groups = options.symmetricGroups;
    try {
      const ready: Promise<void>[] = [];
      for (let t = 1; t < k; t++) {
        const w = await startWorker(WORKER_SOURCE);
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
        w.postMessage({
          module, memory, control, messageAt, ctx: layout.ctx, z: layout.z, zt: layout.zt, k1: layout.k1, k2: layout.k2,
          i0: b[t], i1: b[t + 1], scratch: layout.scratch + t * layout.scratchStride, rows, beat: BEATS + t, fin: BEATS + k + t,
          ...(groups ? { groups: Array.from(groups), g0: groupsOf(t, k, groups.length - 1)[0], g1: groupsOf(t, k, groups.length - 1)[1] } : {}),
        });
      }
      await Promise.all(ready);
    } catch (e) {
      for (const w of workers) void w.terminate();
      throw e;
    }
    return new Team(k, control, workers, core, layout, b, messageAt, options.silence ?? SILENCE_S, options.symmetricGroups ?? null, options.expansion === true);
  }

  /** "worker t (particles a..b)" */
  private describe(t: number): string {
    return `worker ${t} (particles ${this.bounds[t]}..${this.bounds[t + 1] - 1})`;
  }

  /** Worker t of the team (1 <= t < size), for fault-injection tests. */
  workerAt(t: number): PortableWorker {
    return this.workers[t - 1];
  }

  /** Runs one step phase on every thread (block 0 here) and returns when all blocks are done. */
  run(op: Op, h: number): void {
    const L = this.layout, core = this.core, groups = this.groups, i1 = this.bounds[1];
    if (groups) {
      // the group phase: this thread's whole groups of rows (symmetric pairs or expansion moments)
      const src = op === OP.CORRECT ? L.zt : L.z;
      const [g0, g1] = groupsOf(0, this.size, groups.length - 1);
      this.phase(op, h, () => { for (let g = g0; g < g1; g++) core.symRows(L.ctx, src, g, groups[g], groups[g + 1]); });
      if (this.expansion) {
        // the totals here, then every thread evaluates (and steps) its own block
        core.expCombine(L.ctx);
        const fin = op === OP.CORRECT ? OP.FINISH_CORRECT : op === OP.PREDICT ? OP.FINISH_PREDICT : OP.FINISH_VELOCITY;
        this.phase(fin, h, () => {
          if (op === OP.CORRECT) {
            core.expFinish(L.ctx, L.zt, L.k2, 0, i1, L.scratch);
            core.advanceRange(L.ctx, L.z, L.k1, L.k2, h, L.z, 0, i1);
          } else {
            core.expFinish(L.ctx, L.z, L.k1, 0, i1, L.scratch);
            if (op === OP.PREDICT) core.advanceRange(L.ctx, L.z, L.k1, L.k1, h, L.zt, 0, i1);
          }
        });
        return;
      }
      // every group's sums are in: V and the step for all particles here
      const n = this.bounds[this.size];
      if (op === OP.CORRECT) {
        core.symFinish(L.ctx, L.zt, L.k2, 0, n);
        core.advanceRange(L.ctx, L.z, L.k1, L.k2, h, L.z, 0, n);
      } else {
        core.symFinish(L.ctx, L.z, L.k1, 0, n);
        if (op === OP.PREDICT) core.advanceRange(L.ctx, L.z, L.k1, L.k1, h, L.zt, 0, n);
      }
      return;
    }
    this.phase(op, h, () => {
      if (op === OP.VELOCITY) {
        core.velocityRange(L.ctx, L.z, L.k1, 0, i1, L.scratch);
      } else if (op === OP.PREDICT) {
        core.velocityRange(L.ctx, L.z, L.k1, 0, i1, L.scratch);
        core.advanceRange(L.ctx, L.z, L.k1, L.k1, h, L.zt, 0, i1);
      } else if (op === OP.CORRECT) {
        core.velocityRange(L.ctx, L.zt, L.k2, 0, i1, L.scratch);
        core.advanceRange(L.ctx, L.z, L.k1, L.k2, h, L.z, 0, i1);
      }
    });
  }

  /** Starts phase `op` on the workers, runs `own` here, and returns when every worker is done. */
  private phase(op: Op, h: number, own: () => void): void {
    if (this.broken) throw new SimulationError(this.broken);
    const ctl = this.ctl, others = this.size - 1;
    Atomics.store(ctl, 2, 0);
    Atomics.store(ctl, 1, op);
    this.f64[H_AT / 8] = h;
    const generation = Atomics.add(ctl, 0, 1) + 1;
    Atomics.notify(ctl, 0);
    let failure: unknown = null;
    try {
      own();
    } catch (e) {
      failure = e;
    }
    this.awaitWorkers(generation, others);
    if (Atomics.load(ctl, 3) !== 0) {
      const len = Atomics.load(ctl, 4);
      const text = new TextDecoder().decode(new Uint8Array(ctl.buffer, this.messageAt, len).slice());
      this.broken = `a worker failed (${text})`;
      throw new SimulationError(this.broken);
    }
    if (failure !== null) throw failure;
  }

  /**
   * Returns when `others` workers have finished the phase `generation`; throws (and breaks the
   * team) when one that has not finished shows no heartbeat for the silence bound.
   */
  private awaitWorkers(generation: number, others: number): void {
    const ctl = this.ctl;
    let spins = 0;
    let c = Atomics.load(ctl, 2);
    if (c >= others) return;
    while (c < others && ++spins <= SPIN) c = Atomics.load(ctl, 2);
    const start = now();
    for (let t = 1; t <= others; t++) {
      this.lastBeat[t] = Atomics.load(ctl, BEATS + t);
      this.lastMove[t] = start;
    }
    while (c < others) {
      Atomics.wait(ctl, 2, c, SLICE_MS);
      c = Atomics.load(ctl, 2);
      if (c >= others) break;
      const time = now();
      for (let t = 1; t <= others; t++) {
        if (Atomics.load(ctl, BEATS + this.size + t) === generation) continue;
        const beat = Atomics.load(ctl, BEATS + t);
        if (beat !== this.lastBeat[t]) {
          this.lastBeat[t] = beat;
          this.lastMove[t] = time;
        } else if (time - this.lastMove[t] > this.silenceMs) {
          this.broken = `${this.describe(t)} gave no sign of life for ${(this.silenceMs / 1000).toPrecision(3)} s in the middle of a phase: it was terminated or crashed`;
          for (const w of this.workers) void w.terminate();
          throw new SimulationError(this.broken);
        }
      }
    }
  }

  /** Stops the workers (they leave their loop on OP_QUIT, then are terminated). */
  dispose(): void {
    if (this.workers.length === 0) return;
    Atomics.store(this.ctl, 1, OP.QUIT);
    Atomics.add(this.ctl, 0, 1);
    Atomics.notify(this.ctl, 0);
    for (const w of this.workers) void w.terminate();
    this.workers.length = 0;
    this.broken ??= "the engine was disposed";
  }
}
