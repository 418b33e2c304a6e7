// The simulation worker: owns the engine and steps it; the page only draws what it reports.
// Running here (not on the page's main thread) lets a threaded engine block on Atomics.wait.
import { collapseGap, createEngine, defineProblem, WasmEngine, type Engine, type Problem } from "meanfield-transformer";
import { summariseClusters } from "./clusters.js";
import { CLUSTER_ANGLE, type Command, type Frame, type Report } from "./protocol.js";
import { problemConfig, stepFor } from "./scenario.js";

/** Wall time between two frames when paced, and the least stepping time of one frame at full speed. */
const FRAME_MS = 16;
/** At full speed, stepping gets at least this multiple of the time a report (diagnostics) costs. */
const STEP_TO_REPORT = 4;

const post = (r: Report, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(r, transfer);

let engine: Engine | null = null;
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
  // the page chose the thread count (threads.ts); the engine uses fewer for small n
  engine = await createEngine(problem, { threads: cmd.threads });
  const wasm = engine instanceof WasmEngine ? engine : null;
  post({
    type: "ready", generation, n: problem.n, labelCount: problem.labelCount, labels: problem.labels,
    frozen: problem.frozen, threads: wasm?.threads ?? 1, sharedMemory: wasm?.shared ?? false, energyMax: problem.energyMax,
  });
  reset();
}

function reset(): void {
  if (!engine || !problem) return;
  engine.setState(problem.initial);
  step = 0;
  rate = [];
  report();
}

function report(): void {
  if (!engine || !problem) return;
  const began = performance.now();
  const x = engine.getState();
  const { energy } = engine.evaluate();
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

function tick(): void {
  timer = undefined;
  if (!playing || !engine) return;
  const start = performance.now();
  if (stepsPerFrame > 0) {
    engine.step("heun", h, stepsPerFrame);
    step += stepsPerFrame;
  } else {
    // full speed: chunks of steps until the frame's budget is spent; the budget grows with the
    // cost of a report, so that diagnostics take at most 1/(STEP_TO_REPORT + 1) of the time
    const budget = Math.max(FRAME_MS, STEP_TO_REPORT * reportMs);
    let chunk = 1;
    while (performance.now() - start < budget) {
      engine.step("heun", h, chunk);
      step += chunk;
      chunk = Math.min(chunk * 2, 64);
    }
  }
  report();
  const spent = performance.now() - start;
  timer = setTimeout(tick, stepsPerFrame > 0 ? Math.max(0, FRAME_MS - spent) : 0);
}

function schedule(): void {
  if (playing && timer === undefined) timer = setTimeout(tick, 0);
}

async function handle(cmd: Command): Promise<void> {
  switch (cmd.type) {
    case "configure": await configure(cmd); break;
    case "play": playing = true; rate = []; break;
    case "pause": playing = false; report(); break;
    case "reset": reset(); break;
    case "speed": stepsPerFrame = cmd.stepsPerFrame; rate = []; break;
  }
  schedule();
}

let queue: Promise<void> = Promise.resolve();
self.onmessage = (e: MessageEvent<Command>) => {
  queue = queue.then(() => handle(e.data)).catch((err: unknown) => {
    playing = false;
    post({ type: "error", message: err instanceof Error ? err.message : String(err) });
  });
};
