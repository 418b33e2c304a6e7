// Pair interactions per second and Heun steps per second: the wasm core on 1 and on all threads,
// side by side in one run with the pure-JS reference engine, a NumPy peer (bench/numpy_peer.py,
// when python3 with numpy is present) and a native C peer (bench/native_peer.c, when cc is present).
// USA kernel, beta = 1, W = 1; at d = 3 also precision "f32" and the row loop (pairLoop "row", against
// the default symmetric loop); at d >= 16 the default is the tiled loop. Then, in its own table, d = 64
// at the roofline (bench/roofline.mjs): wasm on all threads against NumPy, C and the measured f64x2
// ceiling. Last, the "scale" table (bench/scale.mjs): a Heun step and a record at n = 2^14 ... 2^20,
// d = 2 and 3, beta 1, 10, 50, W = 1 and an 8-label distanceBias, with the fitted exponents of time
// against n. Writes bench/results.json.   Usage: npm run bench [-- --quick | -- --roofline | -- --scale]
//   --quick: n <= 4096, d = 3, no roofline table, the scale table to n = 2^16; --roofline, --scale:
//   that table alone.
//
// wasm and JS are timed on Heun steps (2 n^2 pairs each; benchmark.js's fastest sample below 0.3 s per
// step, best of two single steps above); the peers on one force evaluation (n^2 pairs), best of their repeats.
// A cell whose predicted time is over its budget is skipped and says so.
import Benchmark from "benchmark";
import { availableParallelism, cpus, totalmem } from "node:os";
import { writeFileSync } from "node:fs";
import { defineProblem, createEngine, THREAD_MIN_N } from "../dist/index.js";
import { buildNativePeer, nativeSeconds, NATIVE_FLAGS, numpySeconds, numpyVersion as findNumpy } from "./peers.mjs";
import { roofline } from "./roofline.mjs";
import { pytorchNote, scale as scaleTable, scaleHeader } from "./scale.mjs";

const quick = process.argv.includes("--quick");
const onlyRoofline = process.argv.includes("--roofline");
const onlyScale = process.argv.includes("--scale");
const ns = quick ? [256, 1024, 4096] : [256, 1024, 4096, 16384, 65536];
const ds = onlyRoofline || onlyScale ? [] : quick ? [3] : [3, 16, 64];
const ALL = availableParallelism();
/** largest predicted seconds per timed call before a cell is skipped */
const BUDGET = { wasm: quick ? 2 : 12, js: 3, numpy: quick ? 2 : 10, c: quick ? 2 : 10 };
/** the Heun step docs/performance.md reports at scale always runs (on all threads) */
const SCALE = { n: 65536, d: 3 };

const machine = `${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} logical cores (${ALL} available), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}`;
console.log(`machine: ${machine}`);

const numpyVersion = findNumpy();
const native = buildNativePeer();
const ccVersion = native?.cc ?? null;
const nativeBin = native?.bin ?? null;
console.log(`NumPy peer: ${numpyVersion ? `numpy ${numpyVersion}` : "absent (python3 with numpy not found)"}`);
console.log(`native peer: ${nativeBin ? `${ccVersion}, ${NATIVE_FLAGS.join(" ")}` : "absent (no working cc)"}\n`);

/** Seconds per call of fn: benchmark.js for short calls, best of two calls for long ones. */
async function timeCall(fn, predicted) {
  if (predicted > 0.3) {
    let best = Infinity;
    for (let r = 0; r < (predicted > 5 ? 1 : 2); r++) {
      const t0 = performance.now();
      fn();
      best = Math.min(best, (performance.now() - t0) / 1e3);
    }
    return best;
  }
  const bench = new Benchmark("call", fn, { minSamples: 5, maxTime: quick ? 0.5 : 1.5 });
  await new Promise((resolve) => bench.on("complete", resolve).run({ async: true }));
  // the fastest sample: the machine is shared, and other load only ever adds time
  return Math.min(...bench.stats.sample);
}

/** Pairs per second measured so far per (engine, d): predicts the next size's time. */
const rates = new Map();
function predict(key, pairs) {
  const r = rates.get(key);
  return r ? pairs / r : 0;
}

const rows = [];
let scale = null;
let header = false;
for (const d of ds) {
  for (const n of ns) {
    const row = { n, d, cells: {} };
    const problem = defineProblem({ dim: d, beta: 1, n, kernel: { name: "usa" }, init: { seed: 1, law: "uniform" } });
    const stepPairs = 2 * n * n;
    let sink = 0;
    // the pair loops (the default one where no expansion applies, so d = 3 names "symmetric"), then
    // at d = 3 the harmonic expansion (the engine's default there where its cost estimate is below the
    // symmetric loop's: from about n = 220 on at beta = 1)
    const variants = [["wasm1", 1, "f64", d === 3 ? "symmetric" : undefined], ["wasmAll", ALL, "f64", d === 3 ? "symmetric" : undefined]];
    if (d === 3) variants.push(["wasmRow1", 1, "f64", "row"], ["wasmRowAll", ALL, "f64", "row"], ["wasmF32All", ALL, "f32"], ["expansion1", 1, "f64", "expansion"], ["expansionAll", ALL, "f64", "expansion"]);
    for (const [name, threads, precision, pairLoop] of variants) {
      const key = `${name}:${d}`;
      const pred = predict(key, stepPairs);
      const forced = (name === "wasmAll" || name === "wasmF32All") && n === SCALE.n && d === SCALE.d;
      if (pred > BUDGET.wasm && !forced) { row.cells[name] = { skipped: `one Heun step ≈ ${pred.toFixed(0)} s` }; continue; }
      if (threads > 1 && n < THREAD_MIN_N && precision === "f64") { row.cells[name] = { ...row.cells[name.replace("All", "1")], note: `n < ${THREAD_MIN_N}: one thread` }; continue; }
      const rss0 = process.memoryUsage().rss;
      const engine = await createEngine(problem, { engine: "wasm", threads, precision, pairLoop });
      const s = await timeCall(() => { sink += engine.step("heun", 1e-4); }, pred);
      rates.set(key, stepPairs / s);
      row.cells[name] = { threads: engine.threads, precision, symmetric: engine.symmetric, expansionDegree: engine.expansionDegree, stepsPerSec: 1 / s, mpairsPerSec: stepPairs / s / 1e6 };
      if (forced && precision === "f64" && pairLoop !== "expansion") {
        scale = { n, d, threads: engine.threads, heunStepSeconds: s, wasmMemoryMiB: engine.memory.buffer.byteLength / 2 ** 20, rssGrowthMiB: (process.memoryUsage().rss - rss0) / 2 ** 20, rssMiB: process.memoryUsage().rss / 2 ** 20 };
      }
      engine.dispose();
    }
    {
      const pred = predict(`js:${d}`, stepPairs);
      if (pred > BUDGET.js) row.cells.js = { skipped: `one Heun step ≈ ${pred.toFixed(0)} s` };
      else {
        const engine = await createEngine(problem, { engine: "js" });
        const s = await timeCall(() => { sink += engine.step("heun", 1e-4); }, pred);
        rates.set(`js:${d}`, stepPairs / s);
        row.cells.js = { stepsPerSec: 1 / s, mpairsPerSec: stepPairs / s / 1e6 };
      }
    }
    if (!Number.isFinite(sink)) throw new Error("non-finite energy in the benchmark");
    if (numpyVersion) {
      const pred = predict(`numpy:${d}`, n * n);
      const bytes = 3 * n * n * 8;
      if (bytes > totalmem() / 4) row.cells.numpy = { skipped: `needs ${(bytes / 2 ** 30).toFixed(0)} GiB for its n x n matrices` };
      else if (pred > BUDGET.numpy) row.cells.numpy = { skipped: `one evaluation ≈ ${pred.toFixed(0)} s` };
      else {
        const seconds = numpySeconds(n, d, pred > 1 ? 1 : 3);
        rates.set(`numpy:${d}`, (n * n) / seconds);
        row.cells.numpy = { mpairsPerSec: (n * n) / seconds / 1e6 };
      }
    }
    if (nativeBin) {
      for (const [name, threads] of [["c1", 1], ["cAll", ALL]]) {
        const pred = predict(`${name}:${d}`, n * n);
        if (pred > BUDGET.c) { row.cells[name] = { skipped: `one evaluation ≈ ${pred.toFixed(0)} s` }; continue; }
        const seconds = nativeSeconds(nativeBin, n, d, pred > 1 ? 1 : 5, threads);
        rates.set(`${name}:${d}`, (n * n) / seconds);
        row.cells[name] = { threads, mpairsPerSec: (n * n) / seconds / 1e6 };
      }
    }
    rows.push(row);
    printRow(row);
  }
}

function fmt(cell) {
  if (!cell) return "—";
  if (cell.skipped) return "skip";
  return cell.mpairsPerSec >= 100 ? cell.mpairsPerSec.toFixed(0) : cell.mpairsPerSec.toPrecision(3);
}
function ratio(a, b) {
  return a?.mpairsPerSec && b?.mpairsPerSec ? `${(a.mpairsPerSec / b.mpairsPerSec).toFixed(2)}×` : "—";
}
function printRow(r) {
  const c = r.cells;
  if (!header) {
    console.log(`Mpairs/s (n² per force evaluation; a Heun step is two). all = ${ALL} threads. wasm = the pair loop (d = 3: symmetric; d >= 16: tiled);`);
    console.log("expansion = the harmonic expansion (d = 3, O(n (K+1)^2); its Mpairs/s are n² per evaluation divided by its time, for comparison).");
    console.log("|     n |  d | wasm 1 | wasm all | row 1 | row all | sym/row (all) | wasm f32 all | expansion 1 | expansion all | Heun steps/s (all) |   js | numpy | C 1 | C all | all/js | all/numpy | all/C all | expansion all/numpy |");
    console.log("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    header = true;
  }
  const steps = c.wasmAll?.stepsPerSec ?? c.wasm1?.stepsPerSec;
  console.log(`| ${String(r.n).padStart(5)} | ${String(r.d).padStart(2)} | ${fmt(c.wasm1)} | ${fmt(c.wasmAll)} | ${fmt(c.wasmRow1)} | ${fmt(c.wasmRowAll)} | ${ratio(c.wasmAll, c.wasmRowAll)} | ${fmt(c.wasmF32All)} | ${fmt(c.expansion1)} | ${fmt(c.expansionAll)} | ${steps ? steps.toPrecision(3) : "—"} | ${fmt(c.js)} | ${fmt(c.numpy)} | ${fmt(c.c1)} | ${fmt(c.cAll)} | ${ratio(c.wasmAll, c.js)} | ${ratio(c.wasmAll, c.numpy)} | ${ratio(c.wasmAll, c.cAll)} | ${ratio(c.expansionAll, c.numpy)} |`);
}

const skipped = rows.flatMap((r) => Object.entries(r.cells).filter(([, c]) => c.skipped).map(([k, c]) => `${k} at n = ${r.n}, d = ${r.d}: ${c.skipped}`));
if (skipped.length) console.log(`\nskipped (over the time or memory budget):\n  ${skipped.join("\n  ")}`);
if (scale) console.log(`\nHeun step at n = ${scale.n}, d = ${scale.d}, ${scale.threads} threads: ${scale.heunStepSeconds.toFixed(2)} s; wasm memory ${scale.wasmMemoryMiB.toFixed(1)} MiB; process RSS ${scale.rssMiB.toFixed(0)} MiB`);
// d = 64 at the roofline: its own table, every peer side by side in interleaved rounds
const roof = quick || onlyScale ? null : await roofline({ threads: ALL, numpy: numpyVersion !== null, nativeBin });
// the growth with n of the O(n) paths at d = 2 and 3, steps and records
let growth = null;
if (!onlyRoofline) {
  const maxLog = quick ? 16 : 20;
  console.log(scaleHeader(Array.from({ length: maxLog - 13 }, (_, k) => 2 ** (14 + k)), ALL));
  growth = await scaleTable({ maxLog, threads: ALL });
  console.log(pytorchNote());
}
writeFileSync(new URL("./results.json", import.meta.url), JSON.stringify({ machine, date: new Date().toISOString(), quick, threads: ALL, numpy: numpyVersion, cc: ccVersion, rows, scale, roofline: roof, growth }, null, 2) + "\n");
console.log("\nwrote bench/results.json");
