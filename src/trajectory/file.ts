// Trajectory files in Node: a writer that streams each kept frame to disk as it is recorded
// (memory: one frame of scratch and 8 bytes per frame for the times), and whole-file write/read.
// Node's fs is loaded on first use, so this module is safe to bundle for browsers (which use
// recordTrajectory and the byte encoders instead).
import type * as NodeFs from "node:fs";
import { nodeBuiltin } from "../engines/platform.js";
import { ConfigError } from "../errors.js";
import { requireNumber } from "../validate.js";
import { decodeTrajectory, encodeTrajectoryNpy, type TrajectoryFormat } from "./codec.js";
import { encodeNpy, float64LE, npyHeader, NPY_HEADER_BYTES } from "./npy.js";
import { encodeTrajectoryF64, f64Header, F64_HEADER_BYTES } from "./raw.js";
import { strideFilter, type Trajectory, type TrajectoryStride } from "./trajectory.js";

/** The layout a path asks for by its extension: ".npy" or ".f64"; anything else is a ConfigError naming `option`. */
export function trajectoryFormatOf(path: string, option = "trajectory"): TrajectoryFormat {
  if (typeof path === "string" && path.toLowerCase().endsWith(".npy")) return "npy";
  if (typeof path === "string" && path.toLowerCase().endsWith(".f64")) return "f64";
  throw new ConfigError(option, path, 'a file name ending in ".npy" (NumPy, times in a sidecar) or ".f64" (the raw layout)');
}

/** Where the times of an NPY trajectory go: "run.npy" -> "run.times.npy". */
export function timesSidecarPath(path: string): string {
  return path.replace(/\.npy$/i, "") + ".times.npy";
}

/** What a closed trajectory file holds. */
export interface TrajectoryFileSummary {
  frames: number;
  /** bytes written, all files */
  bytes: number;
  /** the frames file, then the times sidecar (NPY only) */
  paths: string[];
}

/** A trajectory streamed to disk: give `onRecordState` to `run`/`solve`, then `close()` (also after a failed run). */
export interface TrajectoryFileWriter {
  readonly onRecordState: (z: Float64Array, t: number, x: Float64Array) => void;
  readonly frameCount: number;
  /** writes the times and the final header; further calls return the same summary */
  close(): TrajectoryFileSummary;
}

/** Options of openTrajectoryFile: the layout (default: from the extension) and the stride. */
export interface TrajectoryFileOptions {
  format?: TrajectoryFormat;
  stride?: TrajectoryStride;
}

async function fs(): Promise<typeof NodeFs> {
  return nodeBuiltin<typeof NodeFs>("node:fs");
}

/**
 * Opens `path` for a trajectory of n particles in dimension dim and returns its writer. Each kept
 * record's x is written at once; the header (with the frame count) and the times are completed by
 * close(). NPY: `path` holds (F, n, d) and timesSidecarPath(path) holds (F,). Raw: see raw.ts.
 */
export async function openTrajectoryFile(path: string, shape: { n: number; dim: number }, options: TrajectoryFileOptions = {}): Promise<TrajectoryFileWriter> {
  const format = options.format ?? trajectoryFormatOf(path);
  if (format !== "npy" && format !== "f64") throw new ConfigError("format", format, '"npy" or "f64"');
  const n = requireNumber("n", shape?.n, { integer: true, min: 1 });
  const d = requireNumber("dim", shape?.dim, { integer: true, min: 1 });
  const keep = strideFilter(options.stride);
  const f = await fs();
  const header = (frames: number) => (format === "npy" ? npyHeader([frames, n, d]) : f64Header(frames, n, d));
  const headerBytes = format === "npy" ? NPY_HEADER_BYTES : F64_HEADER_BYTES;
  const fd = f.openSync(path, "w");
  f.writeSync(fd, header(0));
  const scratch = new Uint8Array(n * d * 8);
  let times = new Float64Array(64);
  let count = 0;
  let summary: TrajectoryFileSummary | null = null;
  return {
    onRecordState: (_z, t, x) => {
      if (summary) throw new ConfigError("trajectory writer", "closed", "an open writer (onRecordState after close)");
      if (!keep(t)) return;
      if (x.length !== n * d) throw new ConfigError("onRecordState x", `${x.length} values`, `${n * d} values (n × dim)`);
      f.writeSync(fd, float64LE(x, scratch));
      if (count === times.length) {
        const tt = new Float64Array(times.length * 2);
        tt.set(times);
        times = tt;
      }
      times[count++] = t;
    },
    get frameCount() { return count; },
    close: () => {
      if (summary) return summary;
      const t = times.subarray(0, count);
      let bytes = headerBytes + count * n * d * 8;
      const paths = [path];
      try {
        if (format === "f64") {
          f.writeSync(fd, float64LE(t));
          bytes += 8 * count;
        }
        f.writeSync(fd, header(count), 0, headerBytes, 0);
      } finally {
        f.closeSync(fd);
      }
      if (format === "npy") {
        const side = encodeNpy(t, [count]);
        f.writeFileSync(timesSidecarPath(path), side);
        bytes += side.length;
        paths.push(timesSidecarPath(path));
      }
      summary = { frames: count, bytes, paths };
      return summary;
    },
  };
}

/** Writes a whole trajectory (NPY: also the times sidecar); the layout defaults to the extension's. */
export async function writeTrajectoryFile(path: string, traj: Trajectory, format: TrajectoryFormat = trajectoryFormatOf(path)): Promise<TrajectoryFileSummary> {
  const f = await fs();
  if (format === "f64") {
    const bytes = encodeTrajectoryF64(traj);
    f.writeFileSync(path, bytes);
    return { frames: traj.times.length, bytes: bytes.length, paths: [path] };
  }
  const { frames, times } = encodeTrajectoryNpy(traj);
  f.writeFileSync(path, frames);
  f.writeFileSync(timesSidecarPath(path), times);
  return { frames: traj.times.length, bytes: frames.length + times.length, paths: [path, timesSidecarPath(path)] };
}

/**
 * Reads a trajectory file of either layout (told by its magic bytes). For NPY, the times come
 * from timesSidecarPath(path) when that file exists; otherwise frame f gets time f.
 */
export async function readTrajectoryFile(path: string, option = "trajectory"): Promise<Trajectory> {
  const f = await fs();
  let bytes: Uint8Array;
  try {
    bytes = f.readFileSync(path);
  } catch (e) {
    throw new ConfigError(option, path, `a readable file (${(e as Error).message})`);
  }
  const side = timesSidecarPath(path);
  const hasSide = /\.npy$/i.test(path) && f.existsSync(side);
  return decodeTrajectory(bytes, hasSide ? f.readFileSync(side) : undefined);
}
