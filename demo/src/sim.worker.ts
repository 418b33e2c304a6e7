// The simulation worker: owns the engine and steps it; the page only draws what it reports.
// Running here (not on the page's main thread) lets a threaded engine block on Atomics.wait.
import {
  collapseGap, createEngine, defineProblem, GpuUnavailableError, WasmEngine, type AnyEngine, type Problem, type WebGpuEngine,
} from "meanfield-transformer";
import { summariseClusters } from "./clusters.js";
import { CLUSTER_ANGLE, type Command, type DemoEngine, type Frame, type Report } from "./protocol.js";
import { problemConfig, stepFor } from "./scenario.js";

/** Wall time between two frames when paced, and the least stepping time of one frame at full speed. */
const FRAME_MS = 16;
/** At full speed, stepping gets at least this multiple of the time a report (diagnostics) costs. */
const STEP_TO_REPORT = 4;

const post = (r: Report, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(r, transfer);

let engine: AnyEngine | null = null;
let problem: Problem | null = null;
let generation = 0;
let playing = false;
let stepsPerFrame = 2;
/** Heun step h for the current beta */
let h = 0.05;
let step = 0;
let timer: ReturnType<typeof setTimeout> | undefined;
/** (wall ms, step) samples of the last second, for the steps/s readout */
let rate: [number, number][] = [];
/** wall time the last report took (energy = one force evaluation, gap, clusters O(n k), copy-out) */
let reportMs = 0;

async function configure(cmd: Extract<Command, { type: "configure" }>): Promise<void> {
  generation++;
  engine?.dispose();
  engine = null;
  problem = defineProblem(problemConfig(cmd.scenario));
  h = stepFor(problem.beta);
  let fallback: string | null = null;
  if (cmd.engine === "webgpu") {
    try {
      engine = await createEngine(problem, { engine: "webgpu" });
    } catch (e) {
      // no adapter here: the wasm core runs instead, and the page says why
      if (!(e instanceof GpuUnavailableError)) throw e;
      fallback = e.message;
    }
  }
  // the page chose the thread count (threads.ts); the engine uses fewer for small n
  engine ??= await createEngine(problem, { threads: cmd.threads });
  const wasm = engine instanceof WasmEngine ? engine : null;
  const gpu = engine.kind === "webgpu" ? (engine as WebGpuEngine).adapter : null;
  post({
    type: "ready", generation, n: problem.n, labelCount: problem.labelCount, labels: problem.labels,
    frozen: problem.frozen, threads: wasm?.threads ?? 1, sharedMemory: wasm?.shared ?? false, energyMax: problem.energyMax,
    engine: engine.kind as DemoEngine, adapter: gpu?.name ?? null, gpu: gpu !== null && !gpu.software, fallback,
  });
  await reset();
}

async function reset(): Promise<void> {
  if (!engine || !problem) return;
  engine.setState(problem.initial);
  step = 0;
  rate = [];
  lastEnergy = null;
  await report();
}

/** The energy a step returned (at the state before its last step): WebGPU reports that instead of a separate evaluation. */
let lastEnergy: number | null = null;

async function report(): Promise<void> {
  if (!engine || !problem) return;
  const began = performance.now();
  const x = await engine.getState();
  // on the GPU a separate evaluation would cost a whole pair pass; the last step's energy is one step old
  const energy = engine.kind === "webgpu" && lastEnergy !== null ? lastEnergy : (await engine.evaluate()).energy;
  const now = performance.now();
  rate.push([now, step]);
  while (rate.length > 2 && now - rate[0][0] > 1000) rate.shift();
  const [t0, s0] = rate[0];
  const stepsPerSecond = now > t0 ? ((step - s0) * 1000) / (now - t0) : 0;
  const clusters = summariseClusters(x, problem.n, CLUSTER_ANGLE);
  const frame: Frame = {
    type: "frame", generation, step, time: step * h, energy, collapseGap: collapseGap(x, problem.n, 3),
    clusters: clusters.count, clusterCentres: clusters.centres, clusterMasses: clusters.masses, stepsPerSecond, playing, positions: x,
  };
  post(frame, [x.buffer, clusters.centres.buffer, clusters.masses.buffer]);
  reportMs = performance.now() - began;
}

async function tick(): Promise<void> {
  timer = undefined;
  if (!playing || !engine) return;
  const start = performance.now();
  if (stepsPerFrame > 0) {
    lastEnergy = await engine.step("heun", h, stepsPerFrame);
    step += stepsPerFrame;
  } else {
    // full speed: chunks of steps until the frame's budget is spent; the budget grows with the
    // cost of a report, so that diagnostics take at most 1/(STEP_TO_REPORT + 1) of the time
    const budget = Math.max(FRAME_MS, STEP_TO_REPORT * reportMs);
    let chunk = 1;
    while (performance.now() - start < budget) {
      lastEnergy = await engine.step("heun", h, chunk);
      step += chunk;
      chunk = Math.min(chunk * 2, 64);
    }
  }
  await report();
  const spent = performance.now() - start;
  timer = setTimeout(enqueueTick, stepsPerFrame > 0 ? Math.max(0, FRAME_MS - spent) : 0);
}

/** Ticks run in the command queue, so that no command (configure, reset) lands in the middle of an asynchronous step. */
function enqueueTick(): void {
  enqueue(tick);
}

function schedule(): void {
  if (playing && timer === undefined) timer = setTimeout(enqueueTick, 0);
}

async function handle(cmd: Command): Promise<void> {
  switch (cmd.type) {
    case "configure": await configure(cmd); break;
    case "play": playing = true; rate = []; break;
    case "pause": playing = false; await report(); break;
    case "reset": await reset(); break;
    case "speed": stepsPerFrame = cmd.stepsPerFrame; rate = []; break;
  }
  schedule();
}

let queue: Promise<void> = Promise.resolve();
function enqueue(job: () => Promise<void>): void {
  queue = queue.then(job).catch((err: unknown) => {
    playing = false;
    post({ type: "error", message: err instanceof Error ? err.message : String(err) });
  });
}
self.onmessage = (e: MessageEvent<Command>) => enqueue(() => handle(e.data));
