// `mft reproduce fig2|fig3|metastability|meanfield|mean-field-limit|all|lost-in-the-middle`: the paper's experiments
// ("all"), and beyond the paper the lost-in-the-middle profile, written to --out.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "../errors.js";
import { didYouMean } from "../suggest.js";
import { runBatch, type BatchResult } from "../batch.js";
import { fig2Checks, fig2CSV, fig2Sweep, type Fig2Options, type Fig2Result } from "../experiments/fig2.js";
import { shardIndices, type Sweep } from "../experiments/sweep.js";
import { openJournal, readJournal } from "./journal.js";
import { writeFileAtomic } from "./atomic-write.js";
import { prepareOutputDir } from "./output-paths.js";
import { fig3Checks, runFig3, type Fig3Panel } from "../experiments/fig3.js";
import { meanFieldChecks, meanFieldSweep, type MeanFieldOptions, type MeanFieldResult } from "../experiments/meanField.js";
import { metastabilityChecks, runMetastability, type MetastabilityResult } from "../experiments/metastability.js";
import { lostInTheMiddleChecks, lostInTheMiddleCSV, runLostInTheMiddle, uShape } from "../experiments/lostInTheMiddle.js";
import { requireNumber, requireOneOf } from "../validate.js";
import { phaseDiagramCSV, phaseDiagramSweep, type PhaseDiagramOptions, type PhaseDiagramResult } from "../experiments/phaseDiagram.js";
import { meanFieldLimitCommand } from "./meanFieldLimitReport.js";
import { fig2SVG, fig3SVG, lostInTheMiddleSVG, meanFieldSVG, metastabilitySVG, phaseDiagramSVG } from "./figures.js";
import type { CliIO } from "./main.js";
import { formatSeconds, progressBar } from "./progress.js";
import { formatValue, Verdicts } from "./verdict.js";
import { CHART_PEERS, RASTER_PEERS, requirePeers } from "../plot/peers.js";

export const EXPERIMENTS = ["fig2", "fig3", "metastability", "meanfield", "mean-field-limit"] as const;
/** Experiments beyond the paper, which `all` leaves out (run them by name). */
export const EXTRA_EXPERIMENTS = ["lost-in-the-middle", "phase-diagram"] as const;
type Experiment = (typeof EXPERIMENTS)[number] | (typeof EXTRA_EXPERIMENTS)[number];

interface Common { model?: "sa" | "usa"; dim?: number; betas?: number[]; sharedGaugeRun?: boolean; png?: boolean; seeds?: number; sizes?: number[]; time?: number; out: string; quick: boolean; threads?: number; resume: boolean; shard: { index: number; count: number } | null;
  /** the predictions checked so far, for the closing line */
  verdicts: Verdicts }
/** What an experiment's writer needs: the output folder and the record of checked predictions. */
type Output = Pick<Common, "out" | "verdicts">;

export async function reproduceCommand(positional: string[], flags: Map<string, string>, bools: Set<string>, io: CliIO): Promise<number> {
  const what = positional[0];
  const allowed = [...EXPERIMENTS, ...EXTRA_EXPERIMENTS, "all"];
  if (positional.length !== 1 || !allowed.includes(what)) throw new ConfigError("reproduce <experiment>", positional.join(" ") || undefined, `one of ${allowed.join(", ")}${didYouMean(what, allowed)}`);
  const c: Common = { out: flags.get("out") ?? "out", verdicts: new Verdicts(), quick: bools.has("quick"), resume: bools.has("resume"), shard: null, png: bools.has("png"), sharedGaugeRun: bools.has("shared-gauge-run") };
  if (flags.has("shard")) c.shard = readShard(flags.get("shard")!);
  if (flags.has("seeds")) c.seeds = requireNumber("--seeds", Number(flags.get("seeds")), { integer: true, min: 1, max: 100000 });
  if (flags.has("time")) c.time = requireNumber("--time", Number(flags.get("time")), { above: 0 });
  if (flags.has("threads")) c.threads = requireNumber("--threads", Number(flags.get("threads")), { integer: true, min: 1, max: 256 });
  if (flags.has("sizes")) {
    c.sizes = flags.get("sizes")!.split(",").map((s, i) => requireNumber(`--sizes[${i}]`, Number(s), { integer: true, min: 1, max: 1 << 20 }));
  }
  if (flags.has("model")) c.model = requireOneOf("--model", flags.get("model"), ["sa", "usa"] as const);
  if (flags.has("dim")) c.dim = requireNumber("--dim", Number(flags.get("dim")), { integer: true, min: 2, max: 1024 });
  if (flags.has("betas")) c.betas = flags.get("betas")!.split(",").map((s, i) => requireNumber(`--betas[${i}]`, Number(s), { above: 0, max: 700 }));
  for (const f of ["model", "dim", "betas"]) if (flags.has(f) && what !== "phase-diagram") throw new ConfigError(`--${f}`, flags.get(f), "phase-diagram only");
  // the figures' optional packages, checked before any run (a shard draws nothing; fig3 draws no chart)
  await requirePeers([...(c.shard || what === "fig3" ? [] : CHART_PEERS), ...(c.png && !c.shard ? RASTER_PEERS : [])], "the figures of mft reproduce");
  prepareOutputDir({ flag: "--out", path: c.out });
  const list: Experiment[] = what === "all" ? [...EXPERIMENTS] : [what as Experiment];
  if (c.shard && list.some((e) => !(e in SWEEPS))) throw new ConfigError("--shard", flags.get("shard"), `sweeps only: ${Object.keys(SWEEPS).join(", ")}`);
  const written: string[] = [];
  const start = Date.now();
  const run: Record<Experiment, (c: Common, io: CliIO) => Promise<string[]>> = { fig2, fig3, metastability, meanfield, "mean-field-limit": meanFieldLimitCommand, "lost-in-the-middle": lostInTheMiddle, "phase-diagram": phaseDiagram };
  for (const e of list) written.push(...(await run[e](c, io)));
  if (c.png) {
    // a PNG beside every SVG, rendered by resvg
    const { svgToPNG } = await import("../plot/png.js");
    for (const f of written.filter((w) => w.endsWith(".svg"))) {
      const png = f.replace(/\.svg$/, ".png");
      writeFileAtomic(png, await svgToPNG(readFileSync(f, "utf8"), { width: 1400 }));
      written.push(png);
    }
  }
  const summary = c.verdicts.summary();
  if (summary) io.stdout(`reproduce: ${summary}\n`);
  io.stderr(`mft: wrote ${written.length} files in ${formatSeconds((Date.now() - start) / 1000)}:\n${written.map((f) => "  " + f).join("\n")}\n`);
  return 0;
}


function write(c: Output, name: string, text: string): string {
  const path = join(c.out, name);
  writeFileAtomic(path, text);
  return path;
}

/** JSON with typed arrays as plain arrays. */
function toJSON(v: unknown): string {
  return JSON.stringify(v, (_, x) => (ArrayBuffer.isView(x) ? Array.from(x as unknown as ArrayLike<number>) : x), 1);
}

/** "i/N" with 0 <= i < N. */
function readShard(v: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(v);
  const index = m ? Number(m[1]) : NaN, count = m ? Number(m[2]) : NaN;
  if (!m || !(count >= 1) || !(index < count)) throw new ConfigError("--shard", v, "i/N with integers 0 <= i < N, e.g. 0/4");
  return { index, count };
}

/** The sweeps: their jobs, and how to write their outputs once every run is in. */
const SWEEPS = {
  fig2: {
    sweep: (c: Common) => fig2Sweep({ ...(c.sharedGaugeRun ? { sharedGaugeRun: true } : {}), ...(c.quick ? { seeds: 5, sizes: [64, 128, 256] } : {}), ...(c.seeds ? { seeds: c.seeds } : {}), ...(c.sizes ? { sizes: c.sizes } : {}), ...(c.time ? { time: c.time } : {}) }) as Sweep<unknown>,
    fromOptions: (o: Record<string, unknown>) => fig2Sweep(o as Fig2Options) as Sweep<unknown>,
    write: (c: Output, r: unknown, io: CliIO) => writeFig2(c, r as Fig2Result, io),
  },
  meanfield: {
    sweep: (c: Common) => meanFieldSweep({ ...(c.quick ? { sizes: [32, 64, 128, 256], seeds: 8, time: 3 } : {}), ...(c.sizes ? { sizes: c.sizes } : {}), ...(c.seeds ? { seeds: c.seeds } : {}), ...(c.time ? { time: c.time } : {}) }) as Sweep<unknown>,
    fromOptions: (o: Record<string, unknown>) => meanFieldSweep(o as MeanFieldOptions) as Sweep<unknown>,
    write: (c: Output, r: unknown, io: CliIO) => writeMeanField(c, r as MeanFieldResult, io),
  },
  "phase-diagram": {
    sweep: (c: Common) => phaseDiagramSweep(phaseDiagramOptions(c)) as Sweep<unknown>,
    fromOptions: (o: Record<string, unknown>) => phaseDiagramSweep(o as PhaseDiagramOptions) as Sweep<unknown>,
    write: (c: Output, r: unknown, io: CliIO) => writePhaseDiagram(c, r as PhaseDiagramResult, io),
  },
};
type SweepName = keyof typeof SWEEPS;

/** The phase diagram's options from the flags; --quick: n = d = 16, 18 betas, 4 seeds, grid step 0.5. */
function phaseDiagramOptions(c: Common): PhaseDiagramOptions {
  if (c.sizes && c.sizes.length !== 1) throw new ConfigError("--sizes", c.sizes.join(","), "one system size n for phase-diagram");
  const quick: PhaseDiagramOptions = c.quick ? { n: 16, dim: 16, seeds: 4, betas: Array.from({ length: c.model === "usa" ? 10 : 18 }, (_, q) => 0.5 * (q + 1)), record: c.model === "usa" ? 0.25 : 0.5 } : {};
  return { ...quick, ...(c.model ? { model: c.model } : {}), ...(c.dim ? { dim: c.dim } : {}), ...(c.betas ? { betas: c.betas } : {}), ...(c.sizes ? { n: c.sizes[0] } : {}), ...(c.seeds ? { seeds: c.seeds } : {}), ...(c.time ? { time: c.time } : {}) };
}

/**
 * Runs a sweep's missing runs (all, or this shard's), appending each finished run to the journal
 * <out>/<name>.runs.jsonl (or <name>.shard-i-of-N.jsonl); without a shard, aggregates and writes.
 */
async function sweepCommand(name: SweepName, c: Common, io: CliIO): Promise<string[]> {
  const sweep = SWEEPS[name].sweep(c);
  const journalPath = join(c.out, c.shard ? `${name}.shard-${c.shard.index}-of-${c.shard.count}.jsonl` : `${name}.runs.jsonl`);
  const journal = openJournal(journalPath, { journal: "mft-sweep", experiment: name, options: sweep.options, shard: c.shard }, c.resume, io.stderr);
  const mine = c.shard ? shardIndices(sweep.jobs.length, c.shard.index, c.shard.count) : sweep.keys.map((_, q) => q);
  const todo = mine.filter((q) => !journal.done.has(sweep.keys[q]));
  if (c.resume) io.stderr(`${name}: ${mine.length - todo.length} of ${mine.length} runs already in ${journalPath}\n`);
  const bar = progressBar(name, io);
  let finished = mine.length - todo.length;
  bar.update(finished, mine.length);
  await runBatch(todo.map((q) => sweep.jobs[q]), {
    threads: c.threads,
    onResult: (k, full) => {
      const r = sweep.compact ? sweep.compact(full) : full;
      journal.append(sweep.keys[todo[k]], r);
      journal.done.set(sweep.keys[todo[k]], r);
      bar.update(++finished, mine.length);
    },
  });
  bar.finish();
  if (c.shard) {
    io.stdout(`${name}: shard ${c.shard.index}/${c.shard.count} done (${mine.length} runs); combine the shards with: mft merge ${name} <journals...> --out DIR\n`);
    return [journalPath];
  }
  return [journalPath, ...(await SWEEPS[name].write(c, sweep.aggregate(sweep.keys.map((k) => journal.done.get(k)!)), io))];
}

/** `mft merge <experiment> <journal...> --out DIR`: the shards' runs, written as one process would. */
export async function mergeCommand(positional: string[], flags: Map<string, string>, io: CliIO): Promise<number> {
  const [name, ...paths] = positional;
  if (!(name in SWEEPS)) throw new ConfigError("merge <experiment>", name, `one of ${Object.keys(SWEEPS).join(", ")}${didYouMean(name, Object.keys(SWEEPS))}`);
  if (paths.length === 0) throw new ConfigError("merge <journal...>", undefined, "one or more journals written by mft reproduce (--shard)");
  const journals = paths.map((p) => ({ path: p, ...readJournal(p) }));
  for (const j of journals) {
    const d = j.damaged[0];
    if (d) throw new ConfigError("merge <journal...>", `${j.path}:${d.line}`, `journal lines that match their sha256 digests (this one is set aside: ${d.reason}); rerun that shard with --resume, which redoes its run`);
  }
  const first = journals[0].header;
  for (const j of journals) {
    if (j.header.experiment !== name || JSON.stringify(j.header.options) !== JSON.stringify(first.options)) {
      throw new ConfigError("merge <journal...>", j.path, `journals of ${name} with the same options as ${journals[0].path}`);
    }
  }
  const sweep = SWEEPS[name as SweepName].fromOptions(first.options);
  if (JSON.stringify(sweep.options) !== JSON.stringify(first.options)) throw new ConfigError("merge <journal...>", journals[0].path, "a journal whose options this version of mft reproduces");
  const done = new Map<string, BatchResult>();
  for (const j of journals) for (const [k, r] of j.done) done.set(k, r);
  const missing = sweep.keys.filter((k) => !done.has(k));
  if (missing.length > 0) throw new ConfigError("merge <journal...>", `${done.size} of ${sweep.keys.length} runs`, `journals covering every run (missing ${missing.slice(0, 3).join(", ")}${missing.length > 3 ? ", ..." : ""})`);
  const out = flags.get("out") ?? "out";
  await requirePeers(CHART_PEERS, "the figures of mft merge");
  prepareOutputDir({ flag: "--out", path: out }, paths.map((p) => ({ flag: "merge <journal...>", path: p })));
  const verdicts = new Verdicts();
  const files = await SWEEPS[name as SweepName].write({ out, verdicts }, sweep.aggregate(sweep.keys.map((k) => done.get(k)!)), io);
  const summary = verdicts.summary();
  if (summary) io.stdout(`merge: ${summary}\n`);
  io.stderr(`mft: merged ${journals.length} journals (${done.size} runs); wrote:\n${files.map((f) => "  " + f).join("\n")}\n`);
  return 0;
}

const fig2 = (c: Common, io: CliIO) => sweepCommand("fig2", c, io);
const meanfield = (c: Common, io: CliIO) => sweepCommand("meanfield", c, io);
const phaseDiagram = (c: Common, io: CliIO) => sweepCommand("phase-diagram", c, io);

async function writeFig2(c: Output, r: Fig2Result, io: CliIO): Promise<string[]> {
  for (const s of r.series) {
    const mean = s.final.collapseGap.reduce((a, b) => a + b, 0) / s.final.collapseGap.length;
    io.stdout(`fig2 ${s.model.padEnd(8)} n = ${String(s.n).padEnd(5)} mean G_x(T) = ${mean.toFixed(4)}; ${c.verdicts.add(fig2Checks(s))}\n`);
  }
  return [write(c, "fig2.json", toJSON(r)), write(c, "fig2.csv", fig2CSV(r)), write(c, "fig2.svg", await fig2SVG(r))];
}

async function fig3(c: Common, io: CliIO): Promise<string[]> {
  const bar = progressBar("fig3", io);
  const panels: Fig3Panel[] = await runFig3({ ...(c.quick ? { n: 120 } : {}), ...(c.sizes ? { n: c.sizes[0] } : {}), ...(c.time ? { time: c.time } : {}), onProgress: (d, t) => bar.update(d, t) });
  bar.finish();
  for (const p of panels) {
    const checks = fig3Checks(p);
    const rest = Object.entries(p.measures).filter(([k]) => !checks.some((x) => x.quantity === k)).map(([k, v]) => `${k} = ${formatValue(v)}`);
    io.stdout(`fig3 ${p.scenario.padEnd(12)} ${p.prediction}: ${c.verdicts.add(checks)}; ${rest.join(", ")}\n`);
  }
  return [write(c, "fig3.json", toJSON(panels)), write(c, "fig3.svg", fig3SVG(panels))];
}

async function metastability(c: Common, io: CliIO): Promise<string[]> {
  const bar = progressBar("metastability", io);
  const opts = c.quick ? { betas: [8, 10, 12], horizon: 500 } : {};
  const r: MetastabilityResult = await runMetastability({ ...opts, ...(c.time ? { horizon: c.time } : {}), onProgress: (run, tau, h) => bar.update(run * h + tau, (opts.betas?.length ?? 4) * h) });
  bar.finish();
  for (const run of r.runs) io.stdout(`metastability beta = ${String(run.beta).padEnd(3)} contraction rate = ${run.contractionRate?.toFixed(3) ?? "n/a"} per unit tau, first merger at tau = ${run.firstMerger ?? "> horizon"}\n`);
  io.stdout(`metastability slope of log(first merger) vs beta = ${r.mergerSlope?.toFixed(3) ?? "n/a"} (reduced-flow prediction 1 - cos gap = ${r.predictedSlope.toFixed(3)}); ${c.verdicts.add(metastabilityChecks(r))}\n`);
  return [write(c, "metastability.json", toJSON(r)), write(c, "metastability.svg", await metastabilitySVG(r))];
}

async function lostInTheMiddle(c: Common, io: CliIO): Promise<string[]> {
  const bar = progressBar("lost-in-the-middle", io);
  const r = await runLostInTheMiddle({
    seeds: c.seeds ?? (c.quick ? 384 : 1024),
    ...(c.sizes ? { n: c.sizes[0] } : {}),
    ...(c.time ? { times: [c.time] } : {}),
    onProgress: (d, t) => bar.update(d, t),
  });
  bar.finish();
  for (const p of r.profiles) {
    const u = uShape(p);
    const checks = lostInTheMiddleChecks(r.options, p);
    io.stdout(`lost-in-the-middle t = ${p.t}: first bin ${u.first.toFixed(3)}, valley ${u.valley.toFixed(3)} at s = ${u.valleyPosition.toFixed(2)}, last bin ${u.last.toFixed(3)}; min(ends) - valley = ${u.margin.toFixed(3)} ± ${u.se.toFixed(3)}; ${checks.length ? c.verdicts.add(checks) : "no prediction for this setup and time"}\n`);
  }
  return [write(c, "lost-in-the-middle.json", toJSON(r)), write(c, "lost-in-the-middle.csv", lostInTheMiddleCSV(r)), write(c, "lost-in-the-middle.svg", await lostInTheMiddleSVG(r))];
}

async function writeMeanField(c: Output, r: MeanFieldResult, io: CliIO): Promise<string[]> {
  const checks = meanFieldChecks(r);
  io.stdout(`meanfield fitted exponent r of std(G_x(t)) ~ n^r (Proposition 4 / CLT: -0.5): ${r.rate.map((x, q) => `t = ${x.t}: r = ${x.exponent.toFixed(2)}, ${c.verdicts.add([checks[q]])}`).join("; ")}\n`);
  return [write(c, "meanfield.json", toJSON(r)), write(c, "meanfield.svg", await meanFieldSVG(r))];
}

async function writePhaseDiagram(c: Output, r: PhaseDiagramResult, io: CliIO): Promise<string[]> {
  const o = r.options;
  // per beta: the first grid time where at least half the pairs are clustered, beside the equiangular model's time
  const half = r.betas.map((_, q) => { const c = r.pairFraction[q].findIndex((v) => v >= 0.5); return c < 0 ? null : r.times[c]; });
  const threshold = Math.cos(o.angle);
  io.stdout(`phase-diagram ${o.model}, n = ${o.n}, d = ${o.dim}, ${o.seeds} seeds, pairs clustered when <x_i,x_j> >= ${threshold.toPrecision(4)}\n`);
  const every = Math.max(1, Math.round(r.betas.length / 6));
  r.betas.forEach((beta, q) => {
    if (q % every !== 0 && q !== r.betas.length - 1) return;
    const tb = r.boundary.time[r.boundary.beta.findIndex((b) => b >= beta - 1e-12)];
    io.stdout(`phase-diagram beta = ${String(beta).padEnd(5)} half the pairs clustered at t ${half[q] === null ? `> ${o.time}` : `= ${half[q]!.toFixed(2)}`}; the equiangular model (rho0 = ${o.rho0}) reaches the threshold at t = ${tb.toFixed(2)}\n`);
  });
  return [write(c, "phase-diagram.json", toJSON(r)), write(c, "phase-diagram.csv", phaseDiagramCSV(r)), ...(await phaseDiagramSVG(r)).map(([name, svg]) => write(c, name, svg))];
}
