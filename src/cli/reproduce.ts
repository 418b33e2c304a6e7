// `mft reproduce fig2|fig3|metastability|meanfield|all`: the paper's experiments, written to --out.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "../errors.js";
import { fig2CSV, runFig2, type Fig2Result } from "../experiments/fig2.js";
import { runFig3, type Fig3Panel } from "../experiments/fig3.js";
import { runMeanField, type MeanFieldResult } from "../experiments/meanField.js";
import { runMetastability, type MetastabilityResult } from "../experiments/metastability.js";
import { requireNumber } from "../validate.js";
import { fig2SVG, fig3SVG, meanFieldSVG, metastabilitySVG } from "./figures.js";
import type { CliIO } from "./main.js";
import { formatSeconds, progressBar } from "./progress.js";

export const EXPERIMENTS = ["fig2", "fig3", "metastability", "meanfield"] as const;
type Experiment = (typeof EXPERIMENTS)[number];

interface Common { seeds?: number; sizes?: number[]; time?: number; out: string; quick: boolean; threads?: number }

export async function reproduceCommand(positional: string[], flags: Map<string, string>, bools: Set<string>, io: CliIO): Promise<number> {
  const what = positional[0];
  const allowed = [...EXPERIMENTS, "all"];
  if (positional.length !== 1 || !allowed.includes(what)) throw new ConfigError("reproduce <experiment>", positional.join(" ") || undefined, `one of ${allowed.join(", ")}`);
  const c: Common = { out: flags.get("out") ?? "out", quick: bools.has("quick") };
  if (flags.has("seeds")) c.seeds = requireNumber("--seeds", Number(flags.get("seeds")), { integer: true, min: 1, max: 100000 });
  if (flags.has("time")) c.time = requireNumber("--time", Number(flags.get("time")), { above: 0 });
  if (flags.has("threads")) c.threads = requireNumber("--threads", Number(flags.get("threads")), { integer: true, min: 1, max: 256 });
  if (flags.has("sizes")) {
    c.sizes = flags.get("sizes")!.split(",").map((s, i) => requireNumber(`--sizes[${i}]`, Number(s), { integer: true, min: 1, max: 1 << 20 }));
  }
  mkdirSync(c.out, { recursive: true });
  const list: Experiment[] = what === "all" ? [...EXPERIMENTS] : [what as Experiment];
  const written: string[] = [];
  const start = Date.now();
  for (const e of list) written.push(...(await RUN[e](c, io)));
  io.stderr(`mft: wrote ${written.length} files in ${formatSeconds((Date.now() - start) / 1000)}:\n${written.map((f) => "  " + f).join("\n")}\n`);
  return 0;
}

const RUN: Record<Experiment, (c: Common, io: CliIO) => Promise<string[]>> = { fig2, fig3, metastability, meanfield };

function write(c: Common, name: string, text: string): string {
  const path = join(c.out, name);
  writeFileSync(path, text);
  return path;
}

/** JSON with typed arrays as plain arrays. */
function toJSON(v: unknown): string {
  return JSON.stringify(v, (_, x) => (ArrayBuffer.isView(x) ? Array.from(x as unknown as ArrayLike<number>) : x), 1);
}

async function fig2(c: Common, io: CliIO): Promise<string[]> {
  const bar = progressBar("fig2", io);
  const quick = c.quick ? { seeds: 5, sizes: [64, 128, 256] } : {};
  const r: Fig2Result = await runFig2({ ...quick, ...(c.seeds ? { seeds: c.seeds } : {}), ...(c.sizes ? { sizes: c.sizes } : {}), ...(c.time ? { time: c.time } : {}), threads: c.threads, onProgress: (d, t) => bar.update(d, t) });
  bar.finish();
  for (const s of r.series) {
    const gx = Math.max(...s.final.collapseGap), gz = Math.max(...s.final.gaugeGap);
    const mean = s.final.collapseGap.reduce((a, b) => a + b, 0) / s.final.collapseGap.length;
    const pred = s.predictedCollapseGap ? `, max |G_x(T) - (1 - v3^2)| = ${Math.max(...s.predictedCollapseGap.map((p, q) => Math.abs(p - s.final.collapseGap[q]))).toExponential(1)}` : "";
    io.stdout(`fig2 ${s.model.padEnd(8)} n = ${String(s.n).padEnd(5)} mean G_x(T) = ${mean.toFixed(4)}, max G_x(T) = ${gx.toExponential(1)}, max G_z(T) = ${gz.toExponential(1)}${pred}\n`);
  }
  return [write(c, "fig2.json", toJSON(r)), write(c, "fig2.csv", fig2CSV(r)), write(c, "fig2.svg", await fig2SVG(r))];
}

async function fig3(c: Common, io: CliIO): Promise<string[]> {
  const bar = progressBar("fig3", io);
  const panels: Fig3Panel[] = await runFig3({ ...(c.quick ? { n: 120 } : {}), ...(c.sizes ? { n: c.sizes[0] } : {}), ...(c.time ? { time: c.time } : {}), onProgress: (d, t) => bar.update(d, t) });
  bar.finish();
  for (const p of panels) io.stdout(`fig3 ${p.scenario.padEnd(12)} ${p.prediction}: ${Object.entries(p.measures).map(([k, v]) => `${k} = ${Number.isInteger(v) ? v : v.toExponential(2)}`).join(", ")}\n`);
  return [write(c, "fig3.json", toJSON(panels)), write(c, "fig3.svg", fig3SVG(panels))];
}

async function metastability(c: Common, io: CliIO): Promise<string[]> {
  const bar = progressBar("metastability", io);
  const opts = c.quick ? { betas: [8, 10, 12], horizon: 500 } : {};
  const r: MetastabilityResult = await runMetastability({ ...opts, ...(c.time ? { horizon: c.time } : {}), onProgress: (run, tau, h) => bar.update(run * h + tau, (opts.betas?.length ?? 4) * h) });
  bar.finish();
  for (const run of r.runs) io.stdout(`metastability beta = ${String(run.beta).padEnd(3)} contraction rate = ${run.contractionRate?.toFixed(3) ?? "n/a"} per unit tau, first merger at tau = ${run.firstMerger ?? "> horizon"}\n`);
  io.stdout(`metastability slope of log(first merger) vs beta = ${r.mergerSlope?.toFixed(3) ?? "n/a"} (reduced-flow prediction 1 - cos gap = ${r.predictedSlope.toFixed(3)})\n`);
  return [write(c, "metastability.json", toJSON(r)), write(c, "metastability.svg", await metastabilitySVG(r))];
}

async function meanfield(c: Common, io: CliIO): Promise<string[]> {
  const bar = progressBar("meanfield", io);
  const quick = c.quick ? { sizes: [32, 64, 128, 256], seeds: 8, time: 3 } : {};
  const r: MeanFieldResult = await runMeanField({ ...quick, ...(c.sizes ? { sizes: c.sizes } : {}), ...(c.seeds ? { seeds: c.seeds } : {}), ...(c.time ? { time: c.time } : {}), threads: c.threads, onProgress: (d, t) => bar.update(d, t) });
  bar.finish();
  io.stdout(`meanfield fitted exponent of std(G_x(t)) ~ n^r: ${r.rate.map((x) => `t = ${x.t}: r = ${x.exponent.toFixed(2)}`).join(", ")} (Proposition 4 / CLT: -0.5)\n`);
  return [write(c, "meanfield.json", toJSON(r)), write(c, "meanfield.svg", await meanFieldSVG(r))];
}
