// The harmonic expansion against the pair loops, side by side in one process, on one thread.
//   --constants: the cost model's constants (src/engines/plan.ts EXP_COST, and the pair loops'):
//     each phase of one evaluation timed alone through the core's entry point, best of a few.
//   default: Heun step times of the expansion and the symmetric loop at n = 2^12 ... 2^max for
//     beta in {1, 10, 50} (fast time scale), W = 1 and an 8-label distanceBias; the symmetric loop
//     is measured up to 2^symMax and extrapolated as n^2 above (said so in the table).
// Writes bench/expansion.json (each mode its own key).
//   Usage: npm run build && node bench/expansion.mjs [--constants [--rounds 5]] [--max 18] [--sym-max 15]
import { cpus, loadavg } from "node:os";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createEngine, defineProblem } from "../dist/index.js";
import { bestOf as best } from "./best-of.mjs";

const arg = (name, dflt) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? Number(process.argv[at + 1]) : dflt;
};
const machine = `${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} logical cores, Node ${process.version}`;
const load = () => loadavg().map((v) => v.toFixed(2)).join(" ");
console.log(`machine: ${machine}\nload average at start: ${load()}\n`);


function problem(n, beta, labels = 1) {
  return defineProblem({
    dim: 3, n, beta, timeScale: "fast", init: { law: "uniform", seed: 1 },
    kernel: labels > 1 ? { name: "distanceBias", length: 0.5 } : { name: "usa" },
    labels: { count: labels, assign: Array.from({ length: n }, (_, i) => Math.floor((i * labels) / n)) },
  });
}

/** One-thread ms of each phase of one evaluation (the program's phases, run in order through core.phase). */
function phaseTimes(e, reps) {
  const { first, count } = e.plan.programs.evaluate;
  const out = {};
  for (let r = 0; r < reps; r++) {
    for (let p = first; p < first + count; p++) {
      const ph = e.plan.phases[p];
      const t0 = performance.now();
      e.core.phase(e.layout.ctx, p, 0, ph.units, e.layout.scratch);
      const ms = performance.now() - t0;
      out[ph.name] = Math.min(out[ph.name] ?? Infinity, ms);
    }
  }
  return out;
}

const results = { machine, loadAtStart: load() };

if (process.argv.includes("--constants")) {
  // every engine made first, then timed in turns (best of each over the rounds): all see the same load
  const cases = [];
  for (const n of [2048, 4096]) for (const pairLoop of ["row", "symmetric"]) cases.push({ kind: pairLoop, n, e: await createEngine(problem(n, 1), { threads: 1, pairLoop }) });
  for (const [n, beta, labels] of [[65536, 1, 1], [65536, 10, 1], [65536, 50, 1], [16384, 50, 1], [65536, 10, 8], [16384, 50, 8], [4096, 20, 64]]) {
    cases.push({ kind: "expansion", n, beta, labels, e: await createEngine(problem(n, beta, labels), { threads: 1, pairLoop: "expansion" }) });
  }
  const rounds = arg("--rounds", 5);
  for (let r = 0; r < rounds; r++) {
    for (const c of cases) {
      const t = phaseTimes(c.e, 1);
      c.ms ??= {};
      for (const [k, v] of Object.entries(t)) c.ms[k] = Math.min(c.ms[k] ?? Infinity, v);
    }
  }
  const rows = [];
  for (const c of cases) {
    const { kind, n, ms, e } = c;
    const total = Object.values(ms).reduce((a, b) => a + b, 0);
    if (kind !== "expansion") {
      const pairs = kind === "row" ? n * n : (n * n) / 2;
      rows.push({ kind, n, ms, nsPerPair: (total * 1e6) / pairs });
      console.log(`${kind.padEnd(9)} n = ${n}: ${((total * 1e6) / pairs).toFixed(2)} ns per ${kind === "row" ? "pair term" : "unordered pair"}`);
    } else {
      const s = e.plan.expansion, nh = n * s.H;
      const row = {
        kind, n, beta: c.beta, labels: c.labels, K: s.K, chunks: s.chunks, ranges: s.ranges, ms,
        momentNs: (ms["expansion moments"] * 1e6) / nh, finishNs: (ms["expansion finish"] * 1e6) / nh,
        combineNs: (ms["expansion combine"] * 1e6) / ((s.chunks * s.labels + s.labels * s.labels) * s.H),
      };
      rows.push(row);
      console.log(`expansion n = ${n}, beta = ${c.beta}, L = ${c.labels}: K = ${s.K}, ${s.chunks} chunks x ${s.ranges} ranges; ns per particle-harmonic: moments ${row.momentNs.toFixed(2)}, finish ${row.finishNs.toFixed(2)}; combine ${row.combineNs.toFixed(2)} ns per item`);
    }
    e.dispose();
  }
  results.constants = rows;
} else {
  const max = arg("--max", 18), symMax = arg("--sym-max", 15);
  const rows = [];
  console.log("labels | beta | K | n | expansion Heun step ms | symmetric Heun step ms | symmetric / expansion");
  for (const labels of [1, 8]) {
    for (const beta of [1, 10, 50]) {
      let symFit = null;
      for (let lg = 12; lg <= max; lg++) {
        const n = 2 ** lg;
        const p = problem(n, beta, labels);
        const reps = n >= 2 ** 17 ? 2 : 3;
        const ex = await createEngine(p, { threads: 1, pairLoop: "expansion" });
        const sym = lg <= symMax ? await createEngine(p, { threads: 1, pairLoop: "symmetric" }) : null;
        const start = ex.snapshot();
        // in turns, so that both see the same load; the best of each
        let exMs = Infinity, symMs = Infinity;
        for (let r = 0; r < (lg >= 14 ? 2 : reps); r++) {
          exMs = Math.min(exMs, best(() => { ex.restore(start); ex.step("heun", 0.01, 1); }, lg >= 17 ? 1 : 3));
          if (sym) symMs = Math.min(symMs, best(() => { sym.restore(start); sym.step("heun", 0.01, 1); }, 1));
        }
        const K = ex.expansionDegree;
        ex.dispose();
        sym?.dispose();
        let extrapolated = false;
        if (sym) symFit = symMs / (n * n);
        else {
          symMs = symFit * n * n;
          extrapolated = true;
        }
        const row = { labels, beta, K, n, expansionMs: exMs, symmetricMs: symMs, symmetricExtrapolated: extrapolated, ratio: symMs / exMs, load: load() };
        rows.push(row);
        console.log(`${labels} | ${beta} | ${K} | ${n} | ${exMs.toFixed(2)} | ${symMs.toFixed(1)}${extrapolated ? " (n^2 from 2^" + symMax + ")" : ""} | ${(symMs / exMs).toFixed(2)}  (load ${row.load})`);
      }
    }
  }
  results.steps = rows;
}
results.loadAtEnd = load();
console.log(`\nload average at end: ${results.loadAtEnd}`);
// each mode keeps the other's last results
const file = new URL("./expansion.json", import.meta.url);
const kept = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {};
const mode = results.constants ? "constants" : "steps";
writeFileSync(file, JSON.stringify({ ...kept, [mode]: { machine, loadAtStart: results.loadAtStart, loadAtEnd: results.loadAtEnd, rows: results[mode] } }, null, 2) + "\n");
