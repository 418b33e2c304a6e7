// What the host offers for threads: a core count, a way to start a worker from inline source, and
// whether this thread may block on Atomics.wait. Node and browsers differ in all three.

/** The part of a worker both Node's worker_threads and Web Workers provide, as used here. */
export interface PortableWorker {
  postMessage(message: unknown): void;
  /** handler of the worker's messages, its errors and its exit */
  listen(onMessage: (data: unknown) => void, onFailure: (reason: string) => void): void;
  /** stops keeping the process alive (Node); a no-op in browsers */
  unref(): void;
  /** stops the worker; resolves once it has stopped (Node) or at once (browsers, which do not say) */
  terminate(): Promise<void>;
}

interface NodeWorker {
  postMessage(m: unknown): void;
  on(event: string, f: (x: unknown) => void): void;
  unref(): void;
  terminate(): Promise<number>;
}
type NodeWorkerCtor = new (src: string, opts: { eval: true; execArgv: string[] }) => NodeWorker;

const g = globalThis as {
  process?: { versions?: { node?: string }; execArgv?: string[]; getBuiltinModule?: (id: string) => unknown };
  navigator?: { hardwareConcurrency?: number };
  Worker?: new (url: string) => { postMessage(m: unknown): void; onmessage: unknown; onerror: unknown; terminate(): void };
  Blob?: new (parts: string[], opts: { type: string }) => unknown;
  URL?: { createObjectURL(b: unknown): string; revokeObjectURL(u: string): void };
};

const isNode = typeof g.process?.versions?.node === "string";

/** Node's builtin module `id` without a static import (the library also runs in browsers). */
export async function nodeBuiltin<T>(id: string): Promise<T> {
  const viaProcess = g.process?.getBuiltinModule?.(id);
  if (viaProcess) return viaProcess as T;
  const spec = id; // a variable specifier keeps bundlers from resolving it for the browser
  return (await import(/* @vite-ignore */ spec)) as T;
}

/** Cores the host reports: os.availableParallelism() in Node, navigator.hardwareConcurrency in browsers. */
export async function availableThreads(): Promise<number> {
  if (isNode) {
    const os = await nodeBuiltin<{ availableParallelism?: () => number; cpus: () => unknown[] }>("node:os");
    return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  }
  return Math.max(1, g.navigator?.hardwareConcurrency ?? 1);
}

let blockingAllowed: boolean | undefined;
/** True in Node (its worker threads included), false in browsers. */
export function inNode(): boolean {
  return isNode;
}

/**
 * Milliseconds a team worker polls for the next phase before it blocks: a wake-up from a blocking
 * wait costs 0.1 to 1 ms on a virtual machine, so in Node a worker stays awake between the steps of
 * a run; in a browser, where the same cores render the page, it blocks sooner (docs/performance.md
 * "Serial fraction").
 */
export function workerSpinMs(): number {
  return isNode ? 2 : 0.25;
}

/** True when this thread may call Atomics.wait (Node's threads, browser workers; not a page's main thread). */
export function canBlock(): boolean {
  if (blockingAllowed === undefined) {
    try {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1);
      blockingAllowed = true;
    } catch {
      blockingAllowed = false;
    }
  }
  return blockingAllowed;
}

/** True when workers can be started here. */
export function workersAvailable(): boolean {
  return isNode || (typeof g.Worker === "function" && typeof g.Blob === "function" && !!g.URL);
}

/**
 * Starts a worker running `source`, a classic script. In the script, `onHostMessage(f)` registers
 * the message handler and `postToHost(m)` answers (both defined by the prelude added here).
 */
export async function startWorker(source: string): Promise<PortableWorker> {
  if (isNode) {
    const { Worker } = await nodeBuiltin<{ Worker: NodeWorkerCtor }>("node:worker_threads");
    const prelude = `const { parentPort } = require("node:worker_threads");
const onHostMessage = (f) => parentPort.on("message", f);
const postToHost = (m, transfer) => parentPort.postMessage(m, transfer);
`;
    const w = new Worker(prelude + source, { eval: true, execArgv: workerExecArgv(g.process?.execArgv ?? []) });
    return {
      postMessage: (m) => w.postMessage(m),
      listen(onMessage, onFailure) {
        w.on("message", onMessage);
        w.on("error", (e) => onFailure(String((e as Error)?.message ?? e)));
        w.on("exit", (code) => onFailure(`the worker exited (code ${String(code)})`));
      },
      unref: () => w.unref(),
      terminate: () => w.terminate().then(() => undefined, () => undefined),
    };
  }
  const prelude = `const onHostMessage = (f) => { self.onmessage = (e) => f(e.data); };
const postToHost = (m, transfer) => self.postMessage(m, transfer);
`;
  const url = g.URL!.createObjectURL(new g.Blob!([prelude + source], { type: "text/javascript" }));
  const w = new g.Worker!(url);
  return {
    postMessage: (m) => w.postMessage(m),
    listen(onMessage, onFailure) {
      w.onmessage = (e: { data: unknown }) => onMessage(e.data);
      w.onerror = (e: { message?: string }) => onFailure(String(e?.message ?? "worker error"));
    },
    unref: () => {},
    terminate: () => { w.terminate(); g.URL!.revokeObjectURL(url); return Promise.resolve(); },
  };
}

/**
 * The host's Node flags for an inline worker, less --input-type: a host started as
 * `node --input-type=module -e` would otherwise run the worker's classic script as a module.
 */
function workerExecArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--input-type") i++;
    else if (!argv[i].startsWith("--input-type=")) out.push(argv[i]);
  }
  return out;
}

const warned = new Set<string>();
/** console.warn once per distinct message. */
export function noticeOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  console.warn(message);
}
