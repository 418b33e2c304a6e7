// The WebGPU engine on a GPU, in Node through the optional `webgpu` package (Dawn):
// pairs/s of the USA kernel at d = 3 for n = 4096 ... 1,048,576, a workgroup/rows tuning sweep,
// a Heun step and an attention head at d = 64, and the error against the wasm f64 engine
// (bench/webgpu-cases.mjs). Refuses a software adapter (SwiftShader, lavapipe): those figures are
// not a GPU's.   Usage: npm run build && node bench/webgpu.mjs [--quick] [--out results.json]
import { writeFileSync } from "node:fs";
import { cpus } from "node:os";
import * as lib from "../dist/index.js";
import { runWebGpuBench } from "./webgpu-cases.mjs";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const outAt = args.indexOf("--out");
const out = outAt >= 0 ? args[outAt + 1] : null;

try {
  const results = await runWebGpuBench(lib, { quick, log: (line) => console.log(line) });
  const report = { date: new Date().toISOString(), node: process.version, cpu: cpus()[0]?.model ?? "unknown", quick, ...results };
  if (out) {
    writeFileSync(out, JSON.stringify(report, null, 2) + "\n");
    console.log(`wrote ${out}`);
  }
} catch (e) {
  console.error(`bench/webgpu.mjs: ${e instanceof Error ? e.message : e}`);
  process.exitCode = 1;
}
