// A team of workers that split one system's particles over one shared WebAssembly.Memory.
//
// Thread t (t = 0 is the calling thread) owns the particles [blocks[t], blocks[t+1]), a fixed
// contiguous block, and its own scratch. Every phase runs the core's range functions on each
// block; each particle's force sum runs over j in one fixed order (assembly/forces.ts), so the
// result does not depend on the number of threads, bit for bit.
//
// Control words (Int32Array over a SharedArrayBuffer):
//   [0] generation: the caller adds 1 to start a phase; workers wait for it to change
//   [1] op:         OP_* below
//   [2] done:       workers add 1 when their block is finished; the caller waits for k - 1
//   [3] failed:     1 once a worker caught an error; its message is in bytes [64, 64 + 960)
//   [4] message length in bytes
//   f64 at byte 16: the step h
// Workers start once, wait on [0] (spinning briefly first), never allocate, and stop on OP_QUIT.
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
} as const;
type Op = (typeof OP)[keyof typeof OP];

const MESSAGE_AT = 64;
const MESSAGE_BYTES = 960;
/** Polls of a control word before blocking on it: a wake-up costs far more than a short spin. */
const SPIN = 20000;

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
  const ctl = new Int32Array(m.control, 0, 16);
  const f64 = new Float64Array(m.control, 0, 8);
  const text = new Uint8Array(m.control, ${MESSAGE_AT}, ${MESSAGE_BYTES});
  const { ctx, z, zt, k1, k2, i0, i1, scratch } = m;
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
    try {
      const h = f64[2];
      if (op === ${OP.VELOCITY}) {
        core.velocityRange(ctx, z, k1, i0, i1, scratch);
      } else if (op === ${OP.PREDICT}) {
        core.velocityRange(ctx, z, k1, i0, i1, scratch);
        core.advanceRange(ctx, z, k1, k1, h, zt, i0, i1);
      } else if (op === ${OP.CORRECT}) {
        core.velocityRange(ctx, zt, k2, i0, i1, scratch);
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

/** Workers 1..k-1 of one system; the calling thread is thread 0 and does block 0 itself. */
export class Team {
  readonly size: number;
  private readonly ctl: Int32Array;
  private readonly f64: Float64Array;
  private readonly workers: PortableWorker[];
  private readonly core: CoreExports;
  private readonly layout: Layout;
  private readonly i1: number;
  private broken: string | null = null;

  private constructor(size: number, control: SharedArrayBuffer, workers: PortableWorker[], core: CoreExports, layout: Layout, i1: number) {
    this.size = size;
    this.ctl = new Int32Array(control, 0, 16);
    this.f64 = new Float64Array(control, 0, 8);
    this.workers = workers;
    this.core = core;
    this.layout = layout;
    this.i1 = i1;
    for (const w of workers) {
      w.listen(() => {}, (reason) => { this.broken ??= `a worker stopped: ${reason}`; });
      w.unref();
    }
  }

  /** Starts k - 1 workers over the memory; resolves when every one has instantiated the core. */
  static async start(k: number, n: number, module: WebAssembly.Module, memory: WebAssembly.Memory, core: CoreExports, layout: Layout): Promise<Team> {
    const control = new SharedArrayBuffer(MESSAGE_AT + MESSAGE_BYTES);
    const b = blockBounds(n, k);
    const workers: PortableWorker[] = [];
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
          module, memory, control, ctx: layout.ctx, z: layout.z, zt: layout.zt, k1: layout.k1, k2: layout.k2,
          i0: b[t], i1: b[t + 1], scratch: layout.scratch + t * layout.scratchStride,
        });
      }
      await Promise.all(ready);
    } catch (e) {
      for (const w of workers) w.terminate();
      throw e;
    }
    return new Team(k, control, workers, core, layout, b[1]);
  }

  /** Runs one phase on every thread (block 0 here) and returns when all blocks are done. */
  run(op: Op, h: number): void {
    if (this.broken) throw new SimulationError(this.broken);
    const ctl = this.ctl, L = this.layout, core = this.core, others = this.size - 1;
    Atomics.store(ctl, 2, 0);
    Atomics.store(ctl, 1, op);
    this.f64[2] = h;
    Atomics.add(ctl, 0, 1);
    Atomics.notify(ctl, 0);
    let own: unknown = null;
    try {
      if (op === OP.VELOCITY) {
        core.velocityRange(L.ctx, L.z, L.k1, 0, this.i1, L.scratch);
      } else if (op === OP.PREDICT) {
        core.velocityRange(L.ctx, L.z, L.k1, 0, this.i1, L.scratch);
        core.advanceRange(L.ctx, L.z, L.k1, L.k1, h, L.zt, 0, this.i1);
      } else if (op === OP.CORRECT) {
        core.velocityRange(L.ctx, L.zt, L.k2, 0, this.i1, L.scratch);
        core.advanceRange(L.ctx, L.z, L.k1, L.k2, h, L.z, 0, this.i1);
      }
    } catch (e) {
      own = e;
    }
    // every worker always reports (errors included), so this wait ends
    let spins = 0;
    for (let c = Atomics.load(ctl, 2); c < others; c = Atomics.load(ctl, 2)) {
      if (++spins > SPIN) { Atomics.wait(ctl, 2, c); spins = 0; }
    }
    if (Atomics.load(ctl, 3) !== 0) {
      const len = Atomics.load(ctl, 4);
      const text = new TextDecoder().decode(new Uint8Array(ctl.buffer, MESSAGE_AT, len).slice());
      this.broken = `a worker failed (${text})`;
      throw new SimulationError(this.broken);
    }
    if (own !== null) throw own;
  }

  /** Stops the workers (they leave their loop on OP_QUIT, then are terminated). */
  dispose(): void {
    if (this.workers.length === 0) return;
    Atomics.store(this.ctl, 1, OP.QUIT);
    Atomics.add(this.ctl, 0, 1);
    Atomics.notify(this.ctl, 0);
    for (const w of this.workers) w.terminate();
    this.workers.length = 0;
    this.broken ??= "the engine was disposed";
  }
}
