// Files written whole or not at all: the bytes go to a temporary file beside the target, which is
// flushed and then renamed over it. A failure (a full disk, a file-size limit, a lost permission)
// leaves the old file as it was and removes the temporary file; it is reported as one line.
import { closeSync, fsyncSync, openSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/** A write that failed: which file, and the system's reason (ENOSPC, EACCES, EFBIG, ...). */
export class WriteError extends Error {
  readonly path: string;
  readonly code: string | undefined;
  constructor(path: string, cause: unknown) {
    const e = cause as NodeJS.ErrnoException;
    super(`could not write ${path}: ${e?.code ? `${e.code} (${describeCode(e.code)})` : String(e?.message ?? cause)}; the file was left as it was`);
    this.name = "WriteError";
    this.path = path;
    this.code = e?.code;
  }
}

function describeCode(code: string): string {
  const known: Record<string, string> = {
    ENOSPC: "no space left on the device", EDQUOT: "disk quota exceeded", EFBIG: "file too large for this process or file system",
    EACCES: "permission denied", EPERM: "operation not permitted", EROFS: "read-only file system", ENOENT: "no such directory",
    ENOTDIR: "a path component is not a directory", EISDIR: "the path is a directory", EIO: "input/output error",
  };
  return known[code] ?? "a system error";
}

/** Bytes to write: one string or buffer, or a sequence of chunks (streamed, never joined). */
export type WriteData = string | Uint8Array | Iterable<string | Uint8Array>;

function chunksOf(data: WriteData): Iterable<string | Uint8Array> {
  return typeof data === "string" || data instanceof Uint8Array ? [data] : data;
}

function writeAll(fd: number, data: WriteData): number {
  let bytes = 0;
  for (const chunk of chunksOf(data)) {
    const buf = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
    for (let off = 0; off < buf.length;) off += writeSync(fd, buf, off, buf.length - off);
    bytes += buf.length;
  }
  return bytes;
}

/**
 * Writes `data` to `path` atomically and returns the bytes written. A special file such as
 * /dev/null or /dev/stdout is written in place (it cannot be replaced). Throws a WriteError.
 */
export function writeFileAtomic(path: string, data: WriteData): number {
  let st = null;
  try {
    st = statSync(path);
  } catch {
    // a new file
  }
  // a device, pipe or socket (/dev/null, /dev/stdout) cannot be replaced: it is written in place
  if (st && !st.isFile()) return writeInPlace(path, data);
  let target = path;
  if (st) {
    try {
      target = realpathSync(path);
    } catch {
      // written beside the name as given
    }
  }
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`);
  let fd = -1;
  try {
    fd = openSync(tmp, "wx");
    const bytes = writeAll(fd, data);
    fsyncSync(fd);
    closeSync(fd);
    fd = -1;
    renameSync(tmp, target);
    return bytes;
  } catch (e) {
    if (fd >= 0) try { closeSync(fd); } catch { /* already reported below */ }
    try { unlinkSync(tmp); } catch { /* never created */ }
    throw e instanceof WriteError ? e : new WriteError(path, e);
  }
}

function writeInPlace(path: string, data: WriteData): number {
  let fd = -1;
  try {
    fd = openSync(path, "w");
    const bytes = writeAll(fd, data);
    closeSync(fd);
    return bytes;
  } catch (e) {
    if (fd >= 0) try { closeSync(fd); } catch { /* reported below */ }
    throw new WriteError(path, e);
  }
}
