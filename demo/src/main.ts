// The page: controls, the sphere, the plots and the state element; the worker does the simulating.
import { LinePlot } from "./plot.js";
import type { Command, DemoEngine, Frame, Report } from "./protocol.js";
import { DEFAULT_SCENARIO, resampleCurve, unit, type KernelChoice, type Scenario } from "./scenario.js";
import { SphereView } from "./sphere-view.js";
import { chooseThreads } from "./threads.js";

/** A drawn curve becomes at most this many prompts. */
const CURVE_POINTS = 48;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const state = $<HTMLOutputElement>("state");
const errorBox = $<HTMLParagraphElement>("error");
const playButton = $<HTMLButtonElement>("play");
const drawButton = $<HTMLButtonElement>("draw");

const worker = new Worker(new URL("./sim.worker.ts", import.meta.url), { type: "module" });
const send = (c: Command) => worker.postMessage(c);

let scenario: Scenario = { ...DEFAULT_SCENARIO };
let drawn: number[][] = [];
let generation = 0;
let readyGeneration = 0;
let playing = false;
let lastFrame: Frame | null = null;
const threads = chooseThreads();
/** The engine asked for: ?engine=webgpu in the address, or the selector */
let engineChoice: DemoEngine = new URLSearchParams(location.search).get("engine") === "webgpu" ? "webgpu" : "wasm";
$<HTMLSelectElement>("engine").value = engineChoice;
/** Particle counts offered only on a GPU adapter (the CPU engines would take minutes a step). */
const GPU_SIZES = [16384, 65536, 262144, 1048576];
/** The largest n offered without a GPU. */
const CPU_N_MAX = 4096;
const waiters = new Map<number, () => void>();

const view = new SphereView($("sphere"), {
  onPoint(p) { drawn.push(p); view.setMarkers(drawn); },
  onStroke(points) { drawn.push(...resampleCurve(points, CURVE_POINTS)); view.setMarkers(drawn); },
});
const energyPlot = new LinePlot($("energy-plot"), "energy E", false, "#38bdf8");
const gapPlot = new LinePlot($("gap-plot"), "collapse gap 1 − |x̄|² (log scale)", true, "#f472b6");
/** The readouts a frame fills in, cleared when there is no running system to describe. */
const READOUTS = ["r-n", "r-step", "r-energy", "r-gap", "r-clusters", "r-rate"];

state.dataset.crossOriginIsolated = String(globalThis.crossOriginIsolated === true);
state.dataset.threads = String(threads);
const isolation = globalThis.crossOriginIsolated ? "cross-origin isolated" : "not isolated";

/** Sends the scenario to the worker; resolves when the worker has built its engine. */
function configure(): Promise<void> {
  generation++;
  energyPlot.clear();
  gapPlot.clear();
  lastFrame = null;
  delete state.dataset.error;
  Object.assign(state.dataset, { kernel: scenario.kernel, ready: "false", step: "0", energy: "", collapseGap: "", clusters: "" });
  view.setMarkers(scenario.kernel === "prompts" ? scenario.targets : drawn);
  const done = new Promise<void>((resolve) => waiters.set(generation, resolve));
  send({ type: "configure", scenario, threads, engine: engineChoice });
  return done;
}

function setPlaying(on: boolean): void {
  playing = on;
  playButton.textContent = on ? "Pause" : "Play";
  send({ type: on ? "play" : "pause" });
}

function setTargets(points: number[][]): Promise<void> {
  if (points.length === 0) throw new RangeError("targets: at least one point");
  scenario = { ...scenario, kernel: "prompts", targets: points.map(unit) };
  $<HTMLSelectElement>("kernel").value = "prompts";
  return configure();
}

/**
 * Shows an error and takes down everything that described the last system: readouts, plots,
 * particles and the state element's values (a stale energy beside a rejected β would mislead).
 */
function showError(message: string): void {
  // frames still on their way describe the old system: drop them until the next "ready"
  readyGeneration = -1;
  errorBox.hidden = false;
  errorBox.textContent = message;
  playing = false;
  playButton.textContent = "Play";
  send({ type: "pause" });
  lastFrame = null;
  energyPlot.clear();
  gapPlot.clear();
  view.setLabels(new Int32Array(0), 0, null);
  view.setClusters(new Float64Array(0), [], 1);
  for (const id of READOUTS) $(id).textContent = "–";
  state.textContent = "";
  Object.assign(state.dataset, { ready: "false", step: "", energy: "", collapseGap: "", clusters: "", error: message });
}

/** The n selector shows the realised particle count, adding it as an option when it is not one. */
function showN(n: number): void {
  const select = $<HTMLSelectElement>("n");
  if (![...select.options].some((o) => Number(o.value) === n)) {
    select.querySelector("option[data-realised]")?.remove();
    const option = new Option(String(n), String(n));
    option.dataset.realised = "";
    const next = [...select.options].find((o) => Number(o.value) > n);
    select.add(option, next ?? null);
  }
  select.value = String(n);
  scenario = { ...scenario, n };
}

function showFrame(f: Frame): void {
  lastFrame = f;
  view.setPositions(f.positions);
  view.setClusters(f.clusterCentres, f.clusterMasses, f.positions.length / 3);
  energyPlot.add(f.step, f.energy);
  gapPlot.add(f.step, f.collapseGap);
  Object.assign(state.dataset, {
    step: String(f.step), energy: String(f.energy), collapseGap: String(f.collapseGap),
    clusters: String(f.clusters), stepsPerSecond: f.stepsPerSecond.toFixed(0),
  });
  state.textContent = `step ${f.step}, E = ${f.energy.toPrecision(6)}, gap = ${f.collapseGap.toExponential(3)}`;
  $("r-step").textContent = `${f.step} (t = ${f.time.toFixed(2)})`;
  $("r-energy").textContent = f.energy.toPrecision(8);
  $("r-gap").textContent = f.collapseGap.toExponential(3);
  $("r-clusters").textContent = String(f.clusters);
  $("r-rate").textContent = f.playing ? f.stepsPerSecond.toFixed(0) : "paused";
}

worker.onmessage = (e: MessageEvent<Report>) => {
  const r = e.data;
  if (r.type === "error") {
    showError(r.message);
    return;
  }
  if (r.generation !== generation) return;
  if (r.type === "ready") {
    errorBox.hidden = true;
    readyGeneration = r.generation;
    view.setLabels(r.labels, r.labelCount, r.frozen);
    Object.assign(state.dataset, { n: String(r.n), ready: "true", sharedMemory: String(r.sharedMemory), engineThreads: String(r.threads), engine: r.engine, adapter: r.adapter ?? "" });
    showEngine(r);
    $("r-n").textContent = `${r.n} (${r.labelCount} labels)`;
    showN(r.n);
    $("r-threads").textContent = r.engine === "webgpu" ? "none: the GPU runs the pair loop" : `${r.threads} of ${threads} (${isolation}${r.threads < threads ? "; small n runs on one thread" : ""})`;
    waiters.get(r.generation)?.();
    waiters.delete(r.generation);
  } else if (readyGeneration === generation) {
    showFrame(r);
  }
};
/** The engine readout, the fall-back notice and the particle counts the engine can take. */
function showEngine(r: Extract<Report, { type: "ready" }>): void {
  const readout = $("r-engine");
  readout.textContent = r.engine === "webgpu" ? `WebGPU on ${r.adapter}${r.gpu ? "" : " (software adapter)"}` : r.fallback ? "wasm (WebGPU unavailable)" : "wasm";
  readout.title = r.fallback ?? "";
  const notice = $<HTMLParagraphElement>("engine-notice");
  notice.hidden = r.fallback === null;
  notice.textContent = r.fallback ? `WebGPU is unavailable here, so the wasm engine runs: ${r.fallback}` : "";
  if (r.fallback) console.warn(`demo: ${r.fallback}`);
  const select = $<HTMLSelectElement>("n");
  for (const size of GPU_SIZES) {
    const option = select.querySelector<HTMLOptionElement>(`option[value="${size}"]`);
    if (r.gpu && !option) select.add(new Option(String(size), String(size)));
    if (!r.gpu && option) option.remove();
  }
  if (!r.gpu && scenario.n > CPU_N_MAX) {
    scenario = { ...scenario, n: CPU_N_MAX };
    select.value = String(CPU_N_MAX);
    void configure();
  }
}

worker.onerror = (e) => console.error(`simulation worker: ${e.message}`);

const numberInput = (id: string, key: "beta" | "n" | "seed", name: string) => {
  const el = $<HTMLInputElement | HTMLSelectElement>(id);
  el.addEventListener("change", () => {
    // a number input holds "" for text that is not a number; the library checks the range
    const v = el.value.trim() === "" ? NaN : Number(el.value);
    if (!Number.isFinite(v)) {
      showError(`${name}: got ${JSON.stringify(el.value)}; allowed: a number`);
      return;
    }
    scenario = { ...scenario, [key]: v };
    void configure();
  });
};
numberInput("beta", "beta", "beta");
numberInput("n", "n", "n");
numberInput("seed", "seed", "seed");
$<HTMLSelectElement>("kernel").addEventListener("change", (e) => {
  scenario = { ...scenario, kernel: (e.target as HTMLSelectElement).value as KernelChoice };
  void configure();
});
$<HTMLSelectElement>("engine").addEventListener("change", (e) => {
  engineChoice = (e.target as HTMLSelectElement).value as DemoEngine;
  const url = new URL(location.href);
  if (engineChoice === "webgpu") url.searchParams.set("engine", "webgpu");
  else url.searchParams.delete("engine");
  history.replaceState(null, "", url);
  void configure();
});
$<HTMLSelectElement>("speed").addEventListener("change", (e) => send({ type: "speed", stepsPerFrame: Number((e.target as HTMLSelectElement).value) }));
playButton.addEventListener("click", () => setPlaying(!playing));
$("reset").addEventListener("click", () => { energyPlot.clear(); gapPlot.clear(); send({ type: "reset" }); });
drawButton.addEventListener("click", () => {
  view.drawMode = !view.drawMode;
  drawButton.setAttribute("aria-pressed", String(view.drawMode));
  view.canvas.classList.toggle("drawing", view.drawMode);
  $("hint").hidden = !view.drawMode;
  view.setMarkers(drawn);
});
$("clear").addEventListener("click", () => { drawn = []; view.setMarkers(drawn); });
$("realise").addEventListener("click", () => {
  if (drawn.length > 0) void setTargets(drawn).then(() => setPlaying(true));
});

/** Hooks for tests and for scripting the page from the console. */
const api = {
  /** asks for an engine ("wasm" or "webgpu", which falls back to wasm without an adapter) and waits for it */
  setEngine(kind: DemoEngine): Promise<void> {
    engineChoice = kind;
    $<HTMLSelectElement>("engine").value = kind;
    return configure();
  },
  /** changes the scenario (kernel, beta, n, seed) and waits for the engine */
  configure(patch: Partial<Omit<Scenario, "targets">>): Promise<void> {
    scenario = { ...scenario, ...patch };
    for (const k of ["kernel", "beta", "n", "seed"] as const) {
      const el = document.getElementById(k) as HTMLInputElement | HTMLSelectElement | null;
      if (el) el.value = String(scenario[k]);
    }
    return configure();
  },
  /** prompt targets (unit vectors, normalised here) realised by prompt gauges; waits for the engine */
  setTargets,
  play: () => setPlaying(true),
  pause: () => setPlaying(false),
  reset: () => send({ type: "reset" }),
  /** engine steps per frame; 0 = as many as fit in a frame */
  setSpeed(stepsPerFrame: number) {
    $<HTMLSelectElement>("speed").value = String(stepsPerFrame);
    send({ type: "speed", stepsPerFrame });
  },
  /** the last reported positions, one [x, y, z] per particle */
  positions(): number[][] {
    const x = lastFrame?.positions ?? new Float64Array();
    return Array.from({ length: x.length / 3 }, (_, i) => [x[3 * i], x[3 * i + 1], x[3 * i + 2]]);
  },
  /** client coordinates of a point of the sphere, and whether it faces the viewer */
  screenPoint: (p: number[]) => view.screenPoint(p),
  /** the points drawn so far (model frame) */
  drawn: () => drawn.map((p) => [...p]),
  /** the collapsed clusters' markers as drawn: centre, mass, diameter in CSS pixels, facing the viewer */
  clusterMarkers: () => view.clusterMarkers(),
};
(window as unknown as { mftDemo: typeof api }).mftDemo = api;

// the page opens running: the first thing a visitor sees is the flow
void configure().then(() => setPlaying(true));
