// Journals of finished sweep runs (JSON Lines): a header line, then one line per finished run,
// appended as each run completes, so that a killed sweep loses only the runs in flight.
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import type { BatchResult } from "../batch.js";
import { ConfigError } from "../errors.js";

export interface JournalHeader {
  journal: "mft-sweep";
  version: 1;
  experiment: string;
  /** the sweep's resolved options; runs are only combined with runs of equal options */
  options: Record<string, unknown>;
  /** this process's share of the jobs, or null for all of them */
  shard: { index: number; count: number } | null;
}

const TYPED = ["times", "energy", "energyGap", "collapseGap", "gaugeGap", "conditionalDiameter", "meanSquaredSpeed", "final", "finalGauge"] as const;

/** A result as JSON (typed arrays as arrays; doubles round-trip exactly through JSON). */
export function resultToJSON(r: BatchResult): Record<string, unknown> {
  const o: Record<string, unknown> = { ...r };
  for (const k of TYPED) o[k] = r[k] === null ? null : Array.from(r[k] as Float64Array);
  o.clusters = Array.from(r.clusters);
  if (r.derived) o.derived = r.derived.map((m) => ({ name: m.name, collapseGap: Array.from(m.collapseGap), final: Array.from(m.final) }));
  if (r.linkage) o.linkage = { angle: r.linkage.angle, clusters: Array.from(r.linkage.clusters), pairFraction: Array.from(r.linkage.pairFraction) };
  if (r.snapshots) o.snapshots = r.snapshots.map((x) => Array.from(x));
  return o;
}

export function resultFromJSON(o: Record<string, unknown>): BatchResult {
  const r = { ...o } as Record<string, unknown>;
  for (const k of TYPED) r[k] = o[k] === null ? null : Float64Array.from(o[k] as number[]);
  r.clusters = Int32Array.from(o.clusters as number[]);
  if (o.derived) r.derived = (o.derived as { name: string; collapseGap: number[]; final: number[] }[]).map((m) => ({ name: m.name, collapseGap: Float64Array.from(m.collapseGap), final: Float64Array.from(m.final) }));
  if (o.linkage) {
    const l = o.linkage as { angle: number; clusters: number[]; pairFraction: number[] };
    r.linkage = { angle: l.angle, clusters: Int32Array.from(l.clusters), pairFraction: Float64Array.from(l.pairFraction) };
  }
  if (o.snapshots) r.snapshots = (o.snapshots as number[][]).map((x) => Float64Array.from(x));
  return r as unknown as BatchResult;
}

export interface Journal {
  header: JournalHeader;
  /** finished runs by key */
  done: Map<string, BatchResult>;
}

/** Reads a journal; a last line cut short by a kill is ignored (its run is simply redone). */
export function readJournal(path: string): Journal {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new ConfigError("journal", path, `a readable sweep journal (${(e as Error).message})`);
  }
  const lines = text.split("\n");
  let header: JournalHeader;
  try {
    header = JSON.parse(lines[0]);
  } catch {
    throw new ConfigError("journal", path, "a sweep journal written by mft reproduce (its first line is a JSON header)");
  }
  if (header?.journal !== "mft-sweep" || header.version !== 1) throw new ConfigError("journal", path, "a sweep journal written by mft reproduce (version 1)");
  const done = new Map<string, BatchResult>();
  for (let q = 1; q < lines.length; q++) {
    if (lines[q].trim() === "") continue;
    let entry: { key: string; result: Record<string, unknown> };
    try {
      entry = JSON.parse(lines[q]);
    } catch {
      if (q === lines.length - 1 || lines.slice(q + 1).every((l) => l.trim() === "")) break;
      throw new ConfigError("journal", `${path}:${q + 1}`, "one JSON object per line (only the last line may be cut short)");
    }
    done.set(entry.key, resultFromJSON(entry.result));
  }
  return { header, done };
}

/** Opens a journal for appending: resumes an existing one with the same header, or starts afresh. */
export function openJournal(path: string, header: JournalHeader, resume: boolean): { done: Map<string, BatchResult>; append: (key: string, r: BatchResult) => void } {
  let done = new Map<string, BatchResult>();
  if (resume && existsSync(path)) {
    const j = readJournal(path);
    if (j.header.experiment !== header.experiment || JSON.stringify(j.header.options) !== JSON.stringify(header.options) || JSON.stringify(j.header.shard) !== JSON.stringify(header.shard)) {
      throw new ConfigError("--resume", path, `a journal of the same experiment, options and shard (it has ${JSON.stringify({ experiment: j.header.experiment, options: j.header.options, shard: j.header.shard })})`);
    }
    done = j.done;
    // a cut-short last line would glue onto the next append: rewrite the journal cleanly
    writeFileSync(path, [JSON.stringify(header), ...[...done].map(([key, r]) => JSON.stringify({ key, result: resultToJSON(r) }))].join("\n") + "\n");
  } else {
    writeFileSync(path, JSON.stringify(header) + "\n");
  }
  return { done, append: (key, r) => appendFileSync(path, JSON.stringify({ key, result: resultToJSON(r) }) + "\n") };
}
