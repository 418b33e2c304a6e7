// The phase diagram's linkage statistics at d = 2 (clusters and linked pairs, one thread) against a
// one-thread Heun step (the Fourier series, beta = 1, fast time scale), side by side in one process:
// uniform, clustered (five arcs of width 0.04) and collapsed (an arc of 1e-6) states, angles 0.01,
// 0.05 and 0.5. `node bench/linkage-pairs.mjs [maxLog] [otherDist]`: with otherDist (a copy of an
// earlier dist/), the same cells timed with its StateDiagnostics too.
import { createEngine, defineProblem, StateDiagnostics } from "../dist/index.js";
import { bestOf } from "./best-of.mjs";
import { loadavg } from "node:os";

const maxLog = Number(process.argv[2] ?? 20);
const other = process.argv[3] ? await import(`${process.argv[3].replace(/\/$/, "")}/index.js`) : null;

/** A deterministic uniform variate stream (mulberry32). */
function stream(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function arcs(n, centres, width, seed) {
  const u = stream(seed), x = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const a = centres[Math.floor(u() * centres.length)] + width * (u() - 0.5);
    x[2 * i] = Math.cos(a);
    x[2 * i + 1] = Math.sin(a);
  }
  return x;
}

const rows = [];
console.log(`load average at start ${loadavg()[0].toFixed(2)}`);
for (let log = 14; log <= maxLog; log += 2) {
  const n = 2 ** log;
  const p = defineProblem({ dim: 2, beta: 1, n, timeScale: "fast", init: { law: "uniform", seed: 1 } });
  const e = await createEngine(p, { engine: "wasm", threads: 1 });
  const reps = n >= 2 ** 19 ? 3 : 5;
  const start = e.snapshot();
  e.step("heun", 1e-4, 1);
  const stepMs = bestOf(() => { e.restore(start); e.step("heun", 1e-4, 1); }, reps);
  e.dispose();
  const states = { uniform: p.initial, clustered: arcs(n, [0.3, 1.5, 2.9, 4.1, 5.5], 0.04, 7), collapsed: arcs(n, [2], 1e-6, 9) };
  const sys = { n, dim: 2, labelCount: 1, labels: new Int32Array(n), gauges: null };
  const now = StateDiagnostics.create(sys), before = other ? other.StateDiagnostics.create(sys) : null;
  for (const [name, x] of Object.entries(states)) {
    now.setState(x);
    before?.setState(x);
    for (const angle of [0.01, 0.05, 0.5]) {
      const a = now.linkageStatistics(angle);
      const ms = bestOf(() => now.linkageStatistics(angle), reps);
      const path = now.linkagePath;
      let msBefore = null;
      if (before) {
        const b = before.linkageStatistics(angle);
        if (b.clusters !== a.clusters || b.pairFraction !== a.pairFraction) throw new Error(`before and after differ at n = ${n}, ${name}, ${angle}`);
        msBefore = bestOf(() => before.linkageStatistics(angle), reps);
      }
      rows.push({ n, state: name, angle, stepMs, ms, msBefore, path });
      console.log(`n = 2^${log} ${name.padEnd(9)} angle ${String(angle).padEnd(4)} step ${stepMs.toFixed(2)} ms | linkage ${ms.toFixed(2)} ms = ${(ms / stepMs).toFixed(2)} step (${path})` +
        (msBefore === null ? "" : ` | before ${msBefore.toFixed(2)} ms = ${(msBefore / stepMs).toFixed(2)} step`));
    }
  }
}
console.log(`load average at end ${loadavg()[0].toFixed(2)}`);
