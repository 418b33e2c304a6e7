// Heun step time of the exact fast summations against the row loop, side by side in one process on
// one thread (docs/performance.md, "Fast summation: measured"): the circle's Fourier series (d = 2,
// W = 1 and an 8-label distanceBias table) and the linear content's label sums (toeplitz, d = 3).
// The row loop is timed up to --pair-max particles (default 32768); above, its time is the last
// measured one times (n / n_measured)^2 and is marked "~".
// Usage: npm run build && node bench/fast-paths.mjs [--quick] [--pair-max N]
import { cpus, loadavg } from "node:os";
import { defineProblem, WasmEngine } from "../dist/index.js";

const quick = process.argv.includes("--quick");
const at = process.argv.indexOf("--pair-max");
const pairMax = at > 0 ? Number(process.argv[at + 1]) : quick ? 8192 : 32768;
const sizes = quick ? [4096, 8192, 16384] : [4096, 8192, 16384, 32768, 65536, 131072, 262144];
const blocks = (n, L) => ({ count: L, perLabel: n / L });

const CASES = [
  { label: "usa, d = 2, beta = 1", fast: "expansion", config: (n) => ({ dim: 2, n, beta: 1 }) },
  { label: "usa, d = 2, beta = 50", fast: "expansion", config: (n) => ({ dim: 2, n, beta: 50 }) },
  { label: "usa, d = 2, beta = 1e4 (fast time scale)", fast: "expansion", config: (n) => ({ dim: 2, n, beta: 1e4, timeScale: "fast" }) },
  { label: "distanceBias, 8 labels, d = 2, beta = 1", fast: "expansion", config: (n) => ({ dim: 2, n, beta: 1, kernel: { name: "distanceBias", length: 0.3 }, labels: blocks(n, 8) }) },
  { label: "toeplitz, 8 labels, d = 3 (linear)", fast: "sums", config: (n) => ({ dim: 3, n, kernel: { name: "toeplitz", coefficients: [0.2, 1, 0.3] }, labels: blocks(n, 8) }) },
];

/** Seconds per Heun step: steps in rounds of at least 0.2 s, best of three rounds (one or two single steps when a step is long). */
function stepTime(engine, guess) {
  engine.step("heun", 1e-3, 1);
  if (guess > 2) {
    let best = Infinity;
    for (let r = 0; r < (guess > 8 ? 1 : 2); r++) {
      const t0 = performance.now();
      engine.step("heun", 1e-3, 1);
      best = Math.min(best, (performance.now() - t0) / 1e3);
    }
    return best;
  }
  const steps = Math.max(1, Math.ceil(0.2 / guess));
  let best = Infinity;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    engine.step("heun", 1e-3, steps);
    best = Math.min(best, (performance.now() - t0) / 1e3 / steps);
  }
  return best;
}

const fmt = (s) => (s >= 1 ? `${s.toFixed(2)} s` : `${(s * 1e3).toPrecision(3)} ms`);
console.log(`machine: ${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} logical cores, Node ${process.version}; one thread`);
console.log(`load average before: ${loadavg().map((x) => x.toFixed(2)).join(" ")}\n`);
for (const c of CASES) {
  console.log(`${c.label}\n\n| n | K | fast path | row loop | row / fast |\n|---|---|---|---|---|`);
  let last = null;
  for (const n of sizes) {
    const p = defineProblem({ init: { law: "uniform", seed: 1 }, ...c.config(n) });
    const fast = await WasmEngine.create(p, { threads: 1, pairLoop: c.fast });
    const tf = stepTime(fast, 1e-8 * n * ((fast.fourierDegree ?? p.dim) + 2));
    fast.dispose();
    let tr, mark = "";
    if (n <= pairMax) {
      const row = await WasmEngine.create(p, { threads: 1, pairLoop: "row" });
      tr = stepTime(row, 5e-9 * n * n);
      row.dispose();
      last = { n, t: tr };
    } else {
      tr = last.t * (n / last.n) ** 2;
      mark = "~";
    }
    console.log(`| ${n} | ${fast.fourierDegree ?? "–"} | ${fmt(tf)} | ${mark}${fmt(tr)} | ${mark}${Math.round(tr / tf)} |`);
  }
  console.log("");
}
console.log(`load average after: ${loadavg().map((x) => x.toFixed(2)).join(" ")}`);
