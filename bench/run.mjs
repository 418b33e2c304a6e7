// Heun steps per second and pair interactions per second, wasm core vs the pure-JS reference,
// measured side by side in one run (benchmark.js). Usage: npm run bench [-- --quick]
import Benchmark from "benchmark";
import { cpus } from "node:os";
import { writeFileSync } from "node:fs";
import { defineProblem, createEngine } from "../dist/index.js";

const quick = process.argv.includes("--quick");
const sizes = quick ? [[256, 3], [1024, 3]] : [[256, 3], [1024, 3], [4096, 3], [1024, 16], [1024, 64]];
const machine = `${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} cores, Node ${process.version}`;
console.log(`machine: ${machine}\n`);

const rows = [];
for (const [n, d] of sizes) {
  const problem = defineProblem({ dim: d, beta: 1, n, kernel: { name: "usa" }, init: { seed: 1, law: "uniform" } });
  const engines = { wasm: await createEngine(problem, { engine: "wasm" }), js: await createEngine(problem, { engine: "js" }) };
  const suite = new Benchmark.Suite();
  let sink = 0;
  for (const [name, engine] of Object.entries(engines)) {
    suite.add(name, () => { sink += engine.step("heun", 1e-4); }, { minSamples: 5, maxTime: quick ? 1 : 3 });
  }
  await new Promise((resolve) => suite.on("complete", resolve).run({ async: true }));
  if (!Number.isFinite(sink)) throw new Error("non-finite energy in the benchmark");
  const hz = Object.fromEntries(suite.map((b) => [b.name, b.hz]));
  // one Heun step = two force evaluations of n^2 pairs
  const row = { n, d, wasmStepsPerSec: hz.wasm, jsStepsPerSec: hz.js, wasmMpairsPerSec: (2 * n * n * hz.wasm) / 1e6, jsMpairsPerSec: (2 * n * n * hz.js) / 1e6, ratio: hz.wasm / hz.js };
  rows.push(row);
  console.log(`n = ${String(n).padStart(5)}, d = ${String(d).padStart(2)}: wasm ${row.wasmMpairsPerSec.toFixed(0).padStart(5)} Mpairs/s (${row.wasmStepsPerSec.toFixed(1)} Heun steps/s), js ${row.jsMpairsPerSec.toFixed(0).padStart(4)} Mpairs/s; wasm/js = ${row.ratio.toFixed(2)}x`);
}
writeFileSync(new URL("./results.json", import.meta.url), JSON.stringify({ machine, date: new Date().toISOString(), threads: 1, rows }, null, 2) + "\n");
console.log("\nwrote bench/results.json");
