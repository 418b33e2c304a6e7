// How a step and a record grow with n: one Heun step and one record (evaluate, read x and z, the
// core's diagnostics: what solve() does at each record) at n = 2^14 ... 2^20, for d = 2 and 3,
// beta in {1, 10, 50}, W = 1 (USA) and an 8-label distanceBias (length 0.5, labels in blocks), on
// all threads with the engine's default path (the Fourier series at d = 2, the harmonic expansion
// at d = 3 where the cost model picks them). The fitted exponent of each column is the
// least-squares slope of log time against log n. Fast time scale (the time scale changes the step's
// factor, not its cost), a uniform cloud; best of a few calls (the machine may be shared: load only
// adds time). Writes bench/scale.json.
//   Usage: npm run build && node bench/scale.mjs [--quick] [--max 20]
import { availableParallelism, cpus, loadavg, totalmem } from "node:os";
import { writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { createEngine, createRecordDiagnostics, defineProblem } from "../dist/index.js";
import { bestOf as best } from "./best-of.mjs";

/**
 * The PyTorch script on an NVIDIA H200 (chunked G = X[s] @ X.T, exp(beta (G - 1)), E @ X, the
 * projection), pairs/s = n^2 per evaluation over its time. Measured on another machine (16-core
 * Intel Xeon host with the H200), not by this benchmark.
 */
export const PYTORCH_H200 = {
  f32PairsPerSec: [5.0e10, 9.8e10],
  f64PairsPerSec: [4.9e10, 6.0e10],
  n: 1048576, d: 3, f32EvaluationSeconds: 11.3, f64EvaluationSeconds: 18.6,
};

const LABELS = 8;
const KERNELS = [
  ["W = 1", () => ({ name: "usa" }), null],
  ["distanceBias, 8 labels", () => ({ name: "distanceBias", length: 0.5 }), (n) => ({ assign: Array.from({ length: n }, (_, i) => Math.floor((i * LABELS) / n)), count: LABELS })],
];


/** The least-squares slope of log y against log x (the fit of src/experiments/fit-slope.ts; a benchmark reads only dist/). */
export function fittedExponent(xs, ys) {
  const lx = xs.map(Math.log), ly = ys.map(Math.log);
  const mx = lx.reduce((a, b) => a + b, 0) / lx.length, my = ly.reduce((a, b) => a + b, 0) / ly.length;
  let sxy = 0, sxx = 0;
  for (let k = 0; k < lx.length; k++) {
    sxy += (lx[k] - mx) * (ly[k] - my);
    sxx += (lx[k] - mx) ** 2;
  }
  return sxy / sxx;
}

const ms = (t) => (t >= 1000 ? `${(t / 1000).toFixed(2)} s` : t >= 10 ? `${t.toFixed(0)} ms` : `${t.toFixed(1)} ms`);

/** One cell: a Heun step and a record at this n, d, beta and kernel, on `threads` threads. */
async function cell(n, d, beta, kernel, labels, threads) {
  const p = defineProblem({ dim: d, beta, n, timeScale: "fast", kernel, labels: labels?.(n), init: { law: "uniform", seed: 1 } });
  const e = await createEngine(p, { engine: "wasm", threads });
  const reps = n >= 2 ** 19 ? 1 : n >= 2 ** 17 ? 2 : 3;
  const x = new Float64Array(n * d), z = new Float64Array(n * d);
  const diag = createRecordDiagnostics(e);
  const start = e.snapshot();
  let sink = e.step("heun", 1e-4, 1); // warm-up: first-touch of the buffers, the JIT of the host side
  const stepMs = best(() => { e.restore(start); sink += e.step("heun", 1e-4, 1); }, reps);
  e.restore(start);
  const record = () => {
    const ev = e.evaluate();
    e.getState(x);
    e.getGaugeState(z);
    sink += ev.energy + diag.measure(x, z, 0.05).collapseGap;
  };
  record(); // warm-up, as for the step: the first touch of the diagnostics' buffers
  const recordMs = best(record, reps);
  const path = e.plan.path;
  const K = e.plan.expansionDegree ?? e.plan.fourierDegree ?? null;
  e.dispose();
  if (!Number.isFinite(sink)) throw new Error(`non-finite energy at n = ${n}, d = ${d}, beta = ${beta}`);
  return { stepMs, recordMs, path, K };
}

/** Runs the scale table and prints it; returns its rows and the fitted exponents. */
export async function scale({ minLog = 14, maxLog = 20, threads = availableParallelism(), log = console.log } = {}) {
  const load0 = loadavg()[0];
  const ns = [];
  for (let lg = minLog; lg <= maxLog; lg++) ns.push(2 ** lg);
  const columns = [];
  for (const d of [2, 3]) {
    for (const beta of [1, 10, 50]) {
      for (const [label, kernel, labels] of KERNELS) {
        const cells = [];
        for (const n of ns) cells.push({ n, ...(await cell(n, d, beta, kernel(), labels, threads)) });
        const col = {
          d, beta, kernel: label, cells,
          stepExponent: fittedExponent(ns, cells.map((c) => c.stepMs)),
          recordExponent: fittedExponent(ns, cells.map((c) => c.recordMs)),
        };
        columns.push(col);
        const paths = [...new Set(cells.map((c) => `${c.path}${c.K !== null ? ` K = ${c.K}` : ""}`))].join(", ");
        log(`| ${d} | ${beta} | ${label} | ${paths} | ${cells.map((c) => `${ms(c.stepMs)} / ${ms(c.recordMs)}`).join(" | ")} | ${col.stepExponent.toFixed(2)} | ${col.recordExponent.toFixed(2)} |`);
      }
    }
  }
  return { threads, ns, columns, loadAverage: { start: load0, end: loadavg()[0] } };
}

/** The table's header (the rows follow as they are measured). */
export function scaleHeader(ns, threads) {
  return [
    `\nScale: one Heun step / one record, ms, on ${threads} threads (wasm f64, default path; fast time scale, uniform cloud)`,
    `| d | β | W | path | ${ns.map((n) => `n = 2^${Math.log2(n)}`).join(" | ")} | step exponent | record exponent |`,
    `|---|---|---|---|${ns.map(() => "---").join("|")}|---|---|`,
  ].join("\n");
}

/** The PyTorch figures, with where they were measured. */
export function pytorchNote() {
  const t = PYTORCH_H200;
  return `Beside it, measured on another machine (an NVIDIA H200; not by this benchmark): the PyTorch script (chunked X @ X.T, exp, E @ X) reaches ${t.f32PairsPerSec.map((v) => v.toExponential(1)).join(" to ")} pairs/s in f32 and ${t.f64PairsPerSec.map((v) => v.toExponential(1)).join(" to ")} in f64; at n = ${t.n.toLocaleString("en-US")}, d = ${t.d} one evaluation took ${t.f32EvaluationSeconds} s (f32) and ${t.f64EvaluationSeconds} s (f64), a Heun step twice that.`;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const quick = process.argv.includes("--quick");
  const at = process.argv.indexOf("--max");
  const maxLog = at > 0 ? Number(process.argv[at + 1]) : quick ? 16 : 20;
  const threads = availableParallelism();
  const machine = `${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} logical cores (${threads} available), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}`;
  console.log(`machine: ${machine}`);
  const ns = [];
  for (let lg = 14; lg <= maxLog; lg++) ns.push(2 ** lg);
  console.log(scaleHeader(ns, threads));
  const res = await scale({ maxLog, threads });
  console.log(`load average: ${res.loadAverage.start.toFixed(2)} at start, ${res.loadAverage.end.toFixed(2)} at end`);
  console.log(pytorchNote());
  writeFileSync(new URL("./scale.json", import.meta.url), JSON.stringify({ machine, pytorchH200: PYTORCH_H200, ...res }, null, 1) + "\n");
}
