// Journals of finished sweep runs (JSON Lines): a header line, then one line per finished run,
// appended as each run completes, so that a killed sweep loses only the runs in flight. Every
// line carries a sha256 digest of its canonical JSON: a line that does not match it (edited,
// damaged, or a run whose result is not a result) is set aside, and its run is redone on
// --resume; `mft merge` refuses a journal holding one.
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import type { BatchResult } from "../batch.js";
import { ConfigError } from "../errors.js";
import { checkFiniteResult } from "../result-check.js";
import { writeFileAtomic } from "./atomic-write.js";
import { canonicalJSON, sha256Hex } from "./digest.js";

/** The first line of a journal: which sweep, with which options, and which share of its jobs. */
export interface JournalHeader {
  journal: "mft-sweep";
  version: 2;
  experiment: string;
  /** the sweep's resolved options; runs are only combined with runs of equal options */
  options: Record<string, unknown>;
  /** this process's share of the jobs, or null for all of them */
  shard: { index: number; count: number } | null;
}

const VERSION = 2;
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

const isNumbers = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === "number" && Number.isFinite(x));
const isCounts = (v: unknown): v is number[] => isNumbers(v) && v.every((x) => Number.isInteger(x) && x >= 0);

/** Why a journaled result is not a result, or null when it has the shape resultToJSON writes. */
function resultShapeError(o: unknown): string | null {
  if (typeof o !== "object" || o === null || Array.isArray(o)) return "its result is not an object";
  const r = o as Record<string, unknown>;
  for (const k of TYPED) {
    if (k === "energyGap" && r[k] === null) continue;
    if (!isNumbers(r[k])) return `its result's ${k} is not an array of finite numbers`;
  }
  if (!isCounts(r.clusters)) return "its result's clusters are not counts";
  if (!(r.energyMax === null || (typeof r.energyMax === "number" && Number.isFinite(r.energyMax)))) return "its result's energyMax is not a number or null";
  if (!(typeof r.steps === "number" && Number.isInteger(r.steps) && r.steps >= 0)) return "its result's steps is not a count";
  if (typeof r.stoppedEarly !== "boolean") return "its result's stoppedEarly is not true or false";
  if (r.derived !== undefined && !(Array.isArray(r.derived) && r.derived.every((m) => typeof m?.name === "string" && isNumbers(m.collapseGap) && isNumbers(m.final)))) return "its result's derived models are malformed";
  if (r.linkage !== undefined) {
    const l = r.linkage as Record<string, unknown> | null;
    if (!(l && typeof l.angle === "number" && isCounts(l.clusters) && isNumbers(l.pairFraction))) return "its result's linkage is malformed";
  }
  return null;
}

/** A journaled result back as typed arrays (its shape checked first: see resultShapeError). */
export function resultFromJSON(o: Record<string, unknown>): BatchResult {
  const bad = resultShapeError(o);
  if (bad) throw new ConfigError("journal result", o, bad.replace(/^its /, "a sweep result; "));
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

/** The text of one journal line: the entry and the sha256 of its canonical JSON. */
function line(entry: Record<string, unknown>): string {
  return JSON.stringify({ ...entry, digest: sha256Hex(canonicalJSON(entry)) });
}

/** A parsed line whose digest matches, without the digest; null when it does not match. */
function verified(parsed: unknown): Record<string, unknown> | null {
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return null;
  const { digest, ...entry } = parsed as Record<string, unknown>;
  return typeof digest === "string" && digest === sha256Hex(canonicalJSON(entry)) ? entry : null;
}

/** A journal line set aside: its 1-based line number and why. */
export interface DamagedLine { line: number; reason: string }

/** A journal as read back: its header, its finished runs, and the lines set aside. */
export interface Journal {
  header: JournalHeader;
  /** finished runs by key */
  done: Map<string, BatchResult>;
  /** lines that did not match their digest or were not results (their runs count as not done) */
  damaged: DamagedLine[];
}

/**
 * Reads a journal. A last line cut short by a kill is ignored; any other line that is not JSON,
 * does not match its digest or does not hold a result is listed in `damaged` (its run not done).
 * A header that is not a version 2 header with a matching digest is a ConfigError.
 */
export function readJournal(path: string): Journal {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new ConfigError("journal", path, `a readable sweep journal (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const lines = text.split("\n");
  let parsed: unknown;
  try {
    parsed = JSON.parse(lines[0]);
  } catch {
    throw new ConfigError("journal", path, "a sweep journal written by mft reproduce (its first line is a JSON header)");
  }
  const raw = parsed as Record<string, unknown> | null;
  if (raw?.journal !== "mft-sweep") throw new ConfigError("journal", path, "a sweep journal written by mft reproduce");
  if (raw.version !== VERSION) throw new ConfigError("journal", path, `a sweep journal of version ${VERSION} (this one is version ${JSON.stringify(raw.version)}, from an earlier mft: start the sweep again without --resume)`);
  const header = verified(raw) as JournalHeader | null;
  if (!header) throw new ConfigError("journal", path, "a sweep journal whose header matches its sha256 digest (the header was changed)");
  const done = new Map<string, BatchResult>();
  const damaged: DamagedLine[] = [];
  const lastText = lines.map((l) => l.trim() !== "").lastIndexOf(true);
  for (let q = 1; q < lines.length; q++) {
    if (lines[q].trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(lines[q]);
    } catch {
      // a kill mid-append tears the last line only: its run is simply redone
      if (q === lastText && !text.endsWith("\n")) break;
      damaged.push({ line: q + 1, reason: "it is not JSON" });
      continue;
    }
    const entry = verified(value);
    if (!entry) { damaged.push({ line: q + 1, reason: "it does not match its sha256 digest" }); continue; }
    const shape = typeof entry.key !== "string" ? "its key is not a string" : resultShapeError(entry.result);
    if (shape) { damaged.push({ line: q + 1, reason: shape }); continue; }
    done.set(entry.key as string, resultFromJSON(entry.result as Record<string, unknown>));
  }
  return { header: header as JournalHeader, done, damaged };
}

/** The same run configuration: equal experiment, options and shard. */
function sameSweep(a: JournalHeader, b: JournalHeader): boolean {
  return a.experiment === b.experiment && canonicalJSON(a.options) === canonicalJSON(b.options) && canonicalJSON(a.shard) === canonicalJSON(b.shard);
}

/**
 * Opens a journal for appending: resumes an existing one with the same header (its damaged lines
 * are reported through `note` and their runs redone), or starts afresh. The journal is rewritten
 * atomically with the runs kept; each finished run is then appended as one line.
 */
export function openJournal(path: string, header: Omit<JournalHeader, "version"> & { version?: number }, resume: boolean, note: (text: string) => void = () => {}): { done: Map<string, BatchResult>; append: (key: string, r: BatchResult) => void } {
  const full: JournalHeader = { journal: "mft-sweep", version: VERSION, experiment: header.experiment, options: header.options, shard: header.shard };
  let done = new Map<string, BatchResult>();
  if (resume && existsSync(path)) {
    const j = readJournal(path);
    if (!sameSweep(j.header, full)) {
      throw new ConfigError("--resume", path, `a journal of the same experiment, options and shard (it has ${JSON.stringify({ experiment: j.header.experiment, options: j.header.options, shard: j.header.shard })})`);
    }
    for (const d of j.damaged) note(`mft: ${path}:${d.line} is set aside (${d.reason}); its run is redone\n`);
    done = j.done;
  }
  // a cut-short last line would glue onto the next append: start from a clean journal
  writeFileAtomic(path, [full, ...[...done].map(([key, r]) => ({ key, result: resultToJSON(r) }))].map((e) => line(e as unknown as Record<string, unknown>) + "\n"));
  return {
    done,
    append: (key, r) => appendFileSync(path, line({ key, result: checkFiniteResult(resultToJSON(r), `run ${key}`) }) + "\n"),
  };
}
