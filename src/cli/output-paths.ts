// Every output of a command is checked before any work: its directory exists and takes a new
// file, it is not a directory, and it is neither an input nor another output of the same command.
// A failed check is a ConfigError naming the flag (exit 2), so nothing is computed only to be lost.
import { closeSync, mkdirSync, openSync, realpathSync, statSync, unlinkSync, type Stats } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { ConfigError } from "../errors.js";

/** A path given on the command line, with the flag (or argument) that gave it. */
export interface NamedPath {
  flag: string;
  path: string;
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

/** The path with symbolic links resolved as far as they exist (a new file's directory is resolved). */
function canonical(path: string): string {
  const abs = resolve(path);
  try {
    return realpathSync(abs);
  } catch {
    try {
      return join(realpathSync(dirname(abs)), basename(abs));
    } catch {
      return abs;
    }
  }
}

/** True when a and b name the same file: the same device and inode when both exist, else the same canonical path. */
export function sameFile(a: string, b: string): boolean {
  const sa = statOrNull(a), sb = statOrNull(b);
  if (sa && sb) return sa.dev === sb.dev && sa.ino === sb.ino;
  return canonical(a) === canonical(b);
}

/** Creates and removes an empty file in `dir`: the one sound test that a new file can be written there (whoever runs this). */
function probeWritable(flag: string, shown: string, dir: string): void {
  const probe = join(dir, `.mft-probe-${process.pid}-${Math.random().toString(36).slice(2)}`);
  try {
    closeSync(openSync(probe, "wx"));
    unlinkSync(probe);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "an error";
    throw new ConfigError(flag, shown, `a place where a new file can be written (${dir} refuses one: ${code})`);
  }
}

/**
 * Checks one output file before any work: its directory exists and takes a new file, the path is
 * not a directory, and it differs from every input and from every output already checked.
 * Devices such as /dev/null or /dev/stdout are accepted as they are (they are written in place).
 */
export function checkOutputFile(out: NamedPath, inputs: readonly NamedPath[] = [], others: readonly NamedPath[] = []): void {
  const { flag, path } = out;
  if (typeof path !== "string" || path === "") throw new ConfigError(flag, path, "a file path");
  const st = statOrNull(path);
  if (st?.isDirectory()) throw new ConfigError(flag, path, "a file path, not a directory");
  for (const input of inputs) {
    if (input.path !== "-" && sameFile(path, input.path)) {
      throw new ConfigError(flag, path, `a file other than the input ${input.flag} (${input.path}), which it would overwrite`);
    }
  }
  for (const other of others) {
    if (sameFile(path, other.path)) throw new ConfigError(flag, path, `a file other than ${other.flag} (${other.path}): two outputs cannot share one file`);
  }
  if (st && !st.isFile()) return;
  const dir = dirname(resolve(path));
  const dst = statOrNull(dir);
  if (!dst) throw new ConfigError(flag, path, `a path in an existing directory (${dir} does not exist)`);
  if (!dst.isDirectory()) throw new ConfigError(flag, path, `a path in a directory (${dir} is not one)`);
  probeWritable(flag, path, dir);
}

/**
 * Checks an output directory before any work and creates it (with its parents) when missing:
 * the path must not be a file, and the directory must take a new file. None of the inputs may be
 * the directory itself.
 */
export function prepareOutputDir(out: NamedPath, inputs: readonly NamedPath[] = []): void {
  const { flag, path } = out;
  if (typeof path !== "string" || path === "") throw new ConfigError(flag, path, "a directory path");
  for (const input of inputs) {
    if (sameFile(path, input.path)) throw new ConfigError(flag, path, `a directory other than the input ${input.flag}`);
  }
  const st = statOrNull(path);
  if (st && !st.isDirectory()) throw new ConfigError(flag, path, "a directory (this path is a file)");
  if (!st) makeDirectories(flag, path);
  probeWritable(flag, path, resolve(path));
}

/**
 * mkdir -p, one level at a time from the nearest existing ancestor (Node's recursive mkdir can
 * loop forever where the system answers ENOENT for a parent that exists, as under /proc).
 */
function makeDirectories(flag: string, path: string): void {
  const missing: string[] = [];
  let at = resolve(path);
  while (!statOrNull(at)) {
    missing.push(at);
    const up = dirname(at);
    if (up === at) break;
    at = up;
  }
  const base = statOrNull(at);
  if (base && !base.isDirectory()) throw new ConfigError(flag, path, `a directory that exists or can be made (${at} is a file)`);
  for (const dir of missing.reverse()) {
    try {
      mkdirSync(dir);
    } catch (e) {
      throw new ConfigError(flag, path, `a directory that exists or can be made (${dir}: ${(e as NodeJS.ErrnoException).code ?? "an error"})`);
    }
  }
}
