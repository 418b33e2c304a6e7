// The serial fraction of a step on all threads (docs/performance.md, "Serial fraction"): with the
// engine's profile log on, every thread records when it runs each unit of the step plan; over the
// wall time of the steps, the time in which fewer than two threads work (one thread alone, or none:
// the hand-overs) is the serial time. Also the mean number of threads at work. Each path runs several
// rounds; a thread that another job deschedules counts as not working, so the least serial round is
// the one least disturbed, and the median is given beside it.
// Usage: npm run build && node bench/serial-fraction.mjs [--quick] [--threads k]
//   --quick: n = 16384 for the pair loops, 65536 for the O(n) paths (about two minutes on 2 cores);
//   default: n = 65536 for every path and 1,048,576 for the O(n) paths too (about ten minutes).
import { availableParallelism, cpus, loadavg } from "node:os";
import { defineProblem, WasmEngine } from "../dist/index.js";

const quick = process.argv.includes("--quick");
const at = process.argv.indexOf("--threads");
const threads = at > 0 ? Number(process.argv[at + 1]) : availableParallelism();
const big = quick ? 16384 : 65536;

const usa = { name: "usa" };
const labels = (n) => ({ assign: Array.from({ length: n }, (_, i) => i % 16), count: 16 });
/** path, problem, engine options, method and steps per measurement */
const CASES = [
  { label: `row loop, d = 3, n = ${big}`, config: { dim: 3, n: big, kernel: usa }, options: { pairLoop: "row" }, method: "euler", steps: 1 },
  { label: `symmetric loop, d = 3, n = ${big}`, config: { dim: 3, n: big, kernel: { name: "distanceBias", length: 0.3 }, labels: labels(big) }, options: { pairLoop: "symmetric" }, method: "euler", steps: 1 },
  { label: `f32 lanes, d = 3, n = ${big}`, config: { dim: 3, n: big, kernel: usa }, options: { precision: "f32" }, method: "euler", steps: 1 },
  { label: `row loop, d = 16, n = ${quick ? 8192 : 16384}`, config: { dim: 16, n: quick ? 8192 : 16384, kernel: usa }, options: { pairLoop: "row" }, method: "euler", steps: 1 },
  { label: `tiled loop (tile pairs), d = 64, n = ${quick ? 8192 : 16384}`, config: { dim: 64, n: quick ? 8192 : 16384, kernel: usa }, options: {}, method: "euler", steps: 1 },
  { label: `tiled loop (row units), attention, d = 64, n = ${quick ? 8192 : 16384}`, config: { dim: 64, n: quick ? 8192 : 16384, kernel: { name: "attention", query: "gaussian", key: "gaussian", value: "B" } }, options: {}, method: "euler", steps: 1 },
  { label: `attention (row passes), d = 8, n = ${quick ? 8192 : 16384}`, config: { dim: 8, n: quick ? 8192 : 16384, kernel: { name: "attention", query: "gaussian", key: "gaussian", value: "B" } }, options: {}, method: "euler", steps: 1 },
  { label: `harmonic expansion, d = 3, n = 4096`, config: { dim: 3, n: 4096, kernel: usa }, options: { pairLoop: "expansion" }, method: "heun", steps: 50 },
  { label: "harmonic expansion, d = 3, n = 65536", config: { dim: 3, n: 65536, kernel: usa }, options: { pairLoop: "expansion" }, method: "heun", steps: 20 },
  ...(quick ? [] : [{ label: "harmonic expansion, d = 3, n = 1048576", config: { dim: 3, n: 1 << 20, kernel: usa }, options: { pairLoop: "expansion" }, method: "heun", steps: 3 }]),
  { label: "Fourier series, d = 2, n = 65536", config: { dim: 2, n: 65536, kernel: usa }, options: { pairLoop: "expansion" }, method: "heun", steps: 50 },
  ...(quick ? [] : [{ label: "Fourier series, d = 2, n = 1048576", config: { dim: 2, n: 1 << 20, kernel: usa }, options: { pairLoop: "expansion" }, method: "heun", steps: 5 }]),
  { label: "label sums (linear content), d = 3, n = 65536", config: { dim: 3, n: 65536, kernel: { name: "custom", content: "linear" } }, options: { pairLoop: "sums" }, method: "heun", steps: 100 },
  ...(quick ? [] : [{ label: "label sums (linear content), d = 3, n = 1048576", config: { dim: 3, n: 1 << 20, kernel: { name: "custom", content: "linear" } }, options: { pairLoop: "sums" }, method: "heun", steps: 10 }]),
];

/** Time in [t0, t1] during which exactly c threads run a unit, for each c. */
function coverage(times, t0, t1, k) {
  const events = [];
  for (const log of times) {
    for (let i = 0; i < log.length; i += 2) {
      events.push([Math.max(t0, log[i]), 1], [Math.min(t1, log[i + 1]), -1]);
    }
  }
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const at = new Float64Array(k + 1);
  let busy = 0, last = t0;
  for (const [t, step] of events) {
    at[Math.min(busy, k)] += Math.max(0, t - last);
    last = Math.max(last, t);
    busy += step;
  }
  at[0] += Math.max(0, t1 - last);
  return at;
}

const clock = () => performance.timeOrigin + performance.now();
/** Rounds per path: the pair loops' steps take seconds, the O(n) paths' milliseconds. */
const roundsOf = (c) => (c.method === "euler" ? 3 : quick ? 5 : 9);
const pct = (v) => `${(100 * v).toFixed(2)}%`;
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
console.log(`machine: ${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} logical cores; ${threads} threads; load average before: ${loadavg()[0].toFixed(2)}`);
console.log(`each path: 3 (pair loops) or ${quick ? 5 : 9} (O(n) paths) rounds of its steps; the serial share of each round, smallest (the round least disturbed by other jobs) and median`);
console.log("path | wall per step (fastest round) | serial (< 2 threads at work): least / median | of which none at work (median) | mean threads at work (median)");
for (const c of CASES) {
  const p = defineProblem({ beta: 1, init: { law: "uniform", seed: 1 }, ...c.config });
  const e = await WasmEngine.create(p, { threads, profile: true, ...c.options });
  e.step(c.method, 0.001, 1);
  // a first profiled step, not counted: the threads' first use of the profile's code paths
  e.profileUnits(true);
  e.step(c.method, 0.001, 1);
  e.profileUnits(false);
  const serial = [], none = [], mean = [], wall = [];
  for (let r = 0; r < roundsOf(c); r++) {
    // one step first, so that the workers are awake as within a run (a worker that found no phase
    // for 2 ms blocks, and waking it costs 0.1 to 2 ms: docs/performance.md "Serial fraction")
    if (c.method === "heun") e.step(c.method, 0.001, 1);
    e.profileUnits(true);
    const t0 = clock();
    e.step(c.method, 0.001, c.steps);
    const t1 = clock();
    e.profileUnits(false);
    const at = coverage(e.unitTimes(), t0, t1, e.threads);
    const w = t1 - t0;
    let m = 0;
    at.forEach((v, busy) => { m += busy * v; });
    serial.push((at[0] + at[1]) / w);
    none.push(at[0] / w);
    mean.push(m / w);
    wall.push(w / c.steps);
  }
  console.log(`${c.label} (${e.plan.path}, ${c.method}) | ${Math.min(...wall).toFixed(wall[0] < 10 ? 2 : 1)} ms | ${pct(Math.min(...serial))} / ${pct(median(serial))} | ${pct(median(none))} | ${median(mean).toFixed(2)}`);
  e.dispose();
}
console.log(`load average after: ${loadavg()[0].toFixed(2)}`);
process.exit(0);
