// Checkpoint files of `mft simulate`: the exact run state, written atomically (temporary file,
// then rename), so that a run killed at any moment resumes from its last checkpoint bitwise.
//
// Layout: "MFTCKPT1" | u32 LE header length | header JSON (UTF-8) | zero padding to 8 bytes |
// the engine snapshot as n*d little-endian float64.
import { createHash } from "node:crypto";
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { ConfigError } from "../errors.js";
import type { RunCheckpoint, RunRecords } from "../solve.js";

const MAGIC = "MFTCKPT1";

interface Header {
  version: 1;
  /** sha256 of the configuration's canonical JSON: a checkpoint resumes only its own run */
  config: string;
  engine: string;
  n: number;
  dim: number;
  steps: number;
  records: RunRecords;
}

/** sha256 of JSON.stringify(config): equal for equal configurations. */
export function configDigest(config: unknown): string {
  return createHash("sha256").update(JSON.stringify(config)).digest("hex");
}

export function writeCheckpoint(path: string, c: RunCheckpoint, meta: { config: string; engine: string; n: number; dim: number }): void {
  const header: Header = { version: 1, ...meta, steps: c.steps, records: c.records };
  const json = Buffer.from(JSON.stringify(header), "utf8");
  const headEnd = 12 + json.length, pad = (8 - (headEnd % 8)) % 8;
  const buf = Buffer.alloc(headEnd + pad + c.state.length * 8);
  buf.write(MAGIC, 0, "latin1");
  buf.writeUInt32LE(json.length, 8);
  json.copy(buf, 12);
  for (let q = 0; q < c.state.length; q++) buf.writeDoubleLE(c.state[q], headEnd + pad + q * 8);
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, buf);
  renameSync(tmp, path);
}

export function readCheckpoint(path: string, expect: { config: string; engine: string; n: number; dim: number }): RunCheckpoint {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    throw new ConfigError("--resume", path, `a readable checkpoint file (${(e as Error).message})`);
  }
  if (buf.length < 12 || buf.toString("latin1", 0, 8) !== MAGIC) throw new ConfigError("--resume", path, "a checkpoint written by mft simulate --checkpoint");
  const len = buf.readUInt32LE(8);
  let header: Header;
  try {
    header = JSON.parse(buf.toString("utf8", 12, 12 + len));
  } catch {
    throw new ConfigError("--resume", path, "an intact checkpoint (its header is not JSON)");
  }
  if (header.config !== expect.config) throw new ConfigError("--resume", path, "a checkpoint of this very configuration (its configuration digest differs)");
  if (header.engine !== expect.engine || header.n !== expect.n || header.dim !== expect.dim) {
    throw new ConfigError("--resume", path, `a checkpoint of engine ${expect.engine}, n = ${expect.n}, d = ${expect.dim} (it has ${header.engine}, n = ${header.n}, d = ${header.dim})`);
  }
  const start = 12 + len + ((8 - ((12 + len) % 8)) % 8);
  const count = header.n * header.dim;
  if (buf.length !== start + count * 8) throw new ConfigError("--resume", path, `an intact checkpoint of ${start + count * 8} bytes (it has ${buf.length})`);
  const state = new Float64Array(count);
  for (let q = 0; q < count; q++) state[q] = buf.readDoubleLE(start + q * 8);
  return { steps: header.steps, records: header.records, state };
}
