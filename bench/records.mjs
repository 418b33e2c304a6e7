// The cost of a record against the cost of a step, side by side in one process: d = 3, USA, beta = 1,
// W = 1 (the harmonic expansion: an O(n) step), n = 2^14 ... 2^20, on one thread and on all.
// A record is what solve() does at each record: evaluate (E and (1/n) sum |v|^2), read x and z, and
// the core's diagnostics (G_x, G_z, the conditional diameter, the clusters; docs/diagnostics.md),
// timed at three states: uniform (t = 0), a cap of radius 0.3 (collapsing) and one of 1e-6
// (collapsed). Best of a few calls each; writes bench/records.json.
//   Usage: npm run bench:records [-- --quick] [-- --max 18]
import { availableParallelism, cpus, loadavg, totalmem } from "node:os";
import { writeFileSync } from "node:fs";
import { createEngine, createRecordDiagnostics, defineProblem } from "../dist/index.js";
import { bestOf as best } from "./best-of.mjs";

const quick = process.argv.includes("--quick");
const maxAt = process.argv.indexOf("--max");
const maxLog = maxAt > 0 ? Number(process.argv[maxAt + 1]) : quick ? 16 : 20;
const ALL = availableParallelism();
const machine = `${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} logical cores (${ALL} available), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}`;
console.log(`machine: ${machine}\nload average at start: ${loadavg().map((v) => v.toFixed(2)).join(" ")}\n`);


const STATES = [
  ["uniform", { law: "uniform", seed: 1 }],
  ["cap 0.3", { law: "cap", center: [0, 0, 1], radius: 0.3, seed: 1 }],
  ["cap 1e-6", { law: "cap", center: [0, 0, 1], radius: 1e-6, seed: 1 }],
];
const rows = [];
console.log("threads | n | state | Heun step ms | record ms (evaluate + read + diagnostics) | diagnostics ms | record / step");
for (let lg = 14; lg <= maxLog; lg += 2) {
  const n = 2 ** lg;
  for (const threads of [...new Set([1, ALL])]) {
    for (const [name, init] of STATES) {
      const p = defineProblem({ dim: 3, beta: 1, n, kernel: { name: "usa" }, init });
      const e = await createEngine(p, { threads });
      const reps = n >= 2 ** 19 ? 2 : 3;
      const x = new Float64Array(n * 3), z = new Float64Array(n * 3);
      const diag = createRecordDiagnostics(e);
      const start = e.snapshot();
      const step = best(() => { e.restore(start); e.step("heun", 1e-4, 1); }, reps);
      e.restore(start);
      let sink = 0;
      const measure = best(() => { sink += diag.measure(x, z, 0.05).clusters; }, reps);
      const record = best(() => {
        const ev = e.evaluate();
        e.getState(x);
        e.getGaugeState(z);
        sink += ev.energy + diag.measure(x, z, 0.05).collapseGap;
      }, reps);
      e.dispose();
      if (!Number.isFinite(sink)) throw new Error("non-finite result");
      const row = { n, threads, state: name, expansion: e.expansionDegree, stepMs: step, recordMs: record, diagnosticsMs: measure, ratio: record / step };
      rows.push(row);
      console.log(`${threads} | 2^${lg} | ${name} | ${step.toFixed(1)} | ${record.toFixed(1)} | ${measure.toFixed(1)} | ${row.ratio.toFixed(2)}`);
    }
  }
}
console.log(`\nload average at end: ${loadavg().map((v) => v.toFixed(2)).join(" ")}`);
writeFileSync(new URL("./records.json", import.meta.url), JSON.stringify({ machine, load: loadavg(), rows }, null, 1) + "\n");
