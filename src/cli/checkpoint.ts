// Checkpoint files of `mft simulate`: the exact run state, written atomically (temporary file,
// then rename), so that a run killed at any moment resumes from its last checkpoint bitwise.
// A checkpoint carries a format version and a sha256 digest of its whole content, so a flipped
// bit, an edited counter or a file cut short is refused, never resumed.
//
// Layout (format 2): "MFTCKPT2" | u32 LE header length | header JSON (UTF-8) | zero padding to
// 8 bytes | the engine snapshot as n*d little-endian float64 | sha256 of all the bytes before it.
import { readFileSync } from "node:fs";
import { ConfigError } from "../errors.js";
import type { RunCheckpoint, RunRecords } from "../solve.js";
import { checkpointMismatch } from "../resume-check.js";
import type { Solver } from "../solver.js";
import { writeFileAtomic } from "./atomic-write.js";
import { sha256Hex } from "./digest.js";

export { configDigest } from "./digest.js";

const MAGIC = "MFTCKPT2";
const FORMAT = 2;
const DIGEST_BYTES = 32;
/** A header longer than this is not one of ours (records of RECORDS_MAX entries fit easily). */
const HEADER_MAX = 1 << 30;

/** What a checkpoint must match to resume: the configuration's digest, the engine and the system's size. */
export interface CheckpointMeta { config: string; engine: string; n: number; dim: number }

interface Header extends CheckpointMeta {
  version: typeof FORMAT;
  steps: number;
  time?: number;
  nextStep?: number;
  rejected?: number;
  records: RunRecords;
}

/** The checkpoint's bytes (see the layout above). */
export function encodeCheckpoint(c: RunCheckpoint, meta: CheckpointMeta): Buffer {
  const header: Header = { version: FORMAT, ...meta, steps: c.steps, records: c.records };
  if (c.time !== undefined) { header.time = c.time; header.nextStep = c.nextStep; header.rejected = c.rejected; }
  const json = Buffer.from(JSON.stringify(header), "utf8");
  const headEnd = 12 + json.length, pad = (8 - (headEnd % 8)) % 8;
  const body = headEnd + pad + c.state.length * 8;
  const buf = Buffer.alloc(body + DIGEST_BYTES);
  buf.write(MAGIC, 0, "latin1");
  buf.writeUInt32LE(json.length, 8);
  json.copy(buf, 12);
  for (let q = 0; q < c.state.length; q++) buf.writeDoubleLE(c.state[q], headEnd + pad + q * 8);
  Buffer.from(sha256Hex(buf.subarray(0, body)), "hex").copy(buf, body);
  return buf;
}

/** Writes a checkpoint atomically (a WriteError leaves the previous checkpoint intact). */
export function writeCheckpoint(path: string, c: RunCheckpoint, meta: CheckpointMeta): void {
  writeFileAtomic(path, encodeCheckpoint(c, meta));
}

/**
 * Reads a checkpoint for a run of `solver` and `expect`; every way it can be wrong (unreadable,
 * another format, a digest that does not match, another configuration, counters or records that
 * do not fit the run, a state off the sphere) is a ConfigError naming --resume.
 */
export function readCheckpoint(path: string, expect: CheckpointMeta, solver: Solver): RunCheckpoint {
  const refuse = (what: string): never => { throw new ConfigError("--resume", path, what); };
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    return refuse(`a readable checkpoint file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const magic = buf.length >= 8 ? buf.toString("latin1", 0, 8) : "";
  if (magic === "MFTCKPT1") refuse(`a checkpoint of format ${FORMAT} (this one is format 1, written by an earlier mft without a digest; start the run again without --resume)`);
  if (magic !== MAGIC) refuse("a checkpoint written by mft simulate --checkpoint");
  if (buf.length < 12 + DIGEST_BYTES) refuse(`an intact checkpoint (it is cut short at ${buf.length} bytes)`);
  const body = buf.length - DIGEST_BYTES;
  if (sha256Hex(buf.subarray(0, body)) !== buf.subarray(body).toString("hex")) {
    refuse("an intact checkpoint: its sha256 digest does not match its content (the file was changed or cut short)");
  }
  const len = buf.readUInt32LE(8);
  if (len > HEADER_MAX || 12 + len > body) refuse(`an intact checkpoint (its header length ${len} runs past the file)`);
  let header: Header;
  try {
    header = JSON.parse(buf.toString("utf8", 12, 12 + len));
  } catch {
    return refuse("an intact checkpoint (its header is not JSON)");
  }
  if (typeof header !== "object" || header === null || header.version !== FORMAT) refuse(`a checkpoint of format ${FORMAT}`);
  if (header.config !== expect.config) refuse("a checkpoint of this very configuration (its configuration digest differs)");
  if (header.engine !== expect.engine || header.n !== expect.n || header.dim !== expect.dim) {
    refuse(`a checkpoint of engine ${expect.engine}, n = ${expect.n}, d = ${expect.dim} (it has ${header.engine}, n = ${header.n}, d = ${header.dim})`);
  }
  const start = 12 + len + ((8 - ((12 + len) % 8)) % 8);
  const count = expect.n * expect.dim;
  if (body !== start + count * 8) refuse(`an intact checkpoint of ${start + count * 8 + DIGEST_BYTES} bytes (it has ${buf.length})`);
  const state = new Float64Array(count);
  for (let q = 0; q < count; q++) state[q] = buf.readDoubleLE(start + q * 8);
  const { steps, time, nextStep, rejected, records } = header;
  const checkpoint: RunCheckpoint = time === undefined ? { steps, records, state } : { steps, time, nextStep, rejected, records, state };
  const why = checkpointMismatch(checkpoint, solver, expect.n, expect.dim);
  if (why) refuse(`a checkpoint ${why}`);
  return checkpoint;
}
