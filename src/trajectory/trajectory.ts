// A recorded trajectory (frames of the original-frame state x at chosen records) and the
// in-memory recorder that fills one from the run loop's onRecordState.
import { ConfigError } from "../errors.js";
import { requireNumber } from "../validate.js";

/**
 * Frames of a run: `frames[(f*n + i)*d + k]` is coordinate k of particle i at `times[f]`, in the
 * original frame x_i (as `Solution.final`), frames × n × d in C order.
 */
export interface Trajectory {
  readonly n: number;
  readonly dim: number;
  readonly times: Float64Array;
  readonly frames: Float64Array;
}

/**
 * Which records become frames: every `every`-th record (the first record, t = 0, always), or the
 * first record at or after each multiple of `interval` (in the solver's time unit). Default: every record.
 */
export interface TrajectoryStride {
  every?: number;
  interval?: number;
}

/** The keep/skip rule of a stride, validated: called once per record, in order. */
export function strideFilter(stride: TrajectoryStride = {}, path = "stride"): (t: number) => boolean {
  if (typeof stride !== "object" || stride === null) throw new ConfigError(path, stride, "an object { every } or { interval }");
  for (const key of Object.keys(stride)) if (key !== "every" && key !== "interval") throw new ConfigError(`${path}.${key}`, (stride as Record<string, unknown>)[key], "no such field (every, interval)");
  if (stride.every !== undefined && stride.interval !== undefined) throw new ConfigError(path, "both every and interval", "one of every (records) or interval (time)");
  if (stride.interval !== undefined) {
    const dt = requireNumber(`${path}.interval`, stride.interval, { above: 0 });
    // a record counts as "at" a multiple when within 1e-9 of the interval (records land on multiples of solver.record)
    const eps = 1e-9 * dt;
    let next = -Infinity;
    return (t) => {
      if (t < next - eps) return false;
      next = (Math.floor((t + eps) / dt) + 1) * dt;
      return true;
    };
  }
  const every = stride.every === undefined ? 1 : requireNumber(`${path}.every`, stride.every, { integer: true, min: 1 });
  let seen = 0;
  return () => seen++ % every === 0;
}

/** Frames kept in memory; `onRecordState` goes to `run`/`solve` (RunOptions.onRecordState). */
export interface TrajectoryRecorder {
  readonly onRecordState: (z: Float64Array, t: number, x: Float64Array) => void;
  /** frames kept so far */
  readonly frameCount: number;
  /** the frames kept so far (copies trimmed to frameCount) */
  trajectory(): Trajectory;
}

/**
 * A recorder that keeps the chosen frames in a Float64Array grown by doubling (so memory is at
 * most twice frames × n × d × 8 bytes). Works anywhere, browsers included.
 */
export function recordTrajectory(shape: { n: number; dim: number }, stride: TrajectoryStride = {}): TrajectoryRecorder {
  const n = requireNumber("n", shape?.n, { integer: true, min: 1 });
  const d = requireNumber("dim", shape?.dim, { integer: true, min: 1 });
  const keep = strideFilter(stride);
  const size = n * d;
  let frames = new Float64Array(size * 4);
  let times = new Float64Array(4);
  let count = 0;
  return {
    onRecordState: (_z, t, x) => {
      if (!keep(t)) return;
      if (x.length !== size) throw new ConfigError("onRecordState x", `${x.length} values`, `${size} values (n × dim)`);
      if (count === times.length) {
        const f = new Float64Array(frames.length * 2);
        f.set(frames);
        frames = f;
        const tt = new Float64Array(times.length * 2);
        tt.set(times);
        times = tt;
      }
      frames.set(x, count * size);
      times[count++] = t;
    },
    get frameCount() { return count; },
    trajectory: () => ({ n, dim: d, times: times.slice(0, count), frames: frames.slice(0, count * size) }),
  };
}

/** Checks that a value is a Trajectory with consistent lengths and finite values; returns the frame count. */
export function checkTrajectory(traj: Trajectory, path = "trajectory"): number {
  if (typeof traj !== "object" || traj === null) throw new ConfigError(path, traj, "an object { n, dim, times, frames }");
  requireNumber(`${path}.n`, traj.n, { integer: true, min: 1 });
  requireNumber(`${path}.dim`, traj.dim, { integer: true, min: 1 });
  if (!(traj.times instanceof Float64Array)) throw new ConfigError(`${path}.times`, traj.times, "a Float64Array");
  if (!(traj.frames instanceof Float64Array)) throw new ConfigError(`${path}.frames`, traj.frames, "a Float64Array");
  const F = traj.times.length;
  if (traj.frames.length !== F * traj.n * traj.dim) {
    throw new ConfigError(`${path}.frames`, `length ${traj.frames.length}`, `times.length × n × dim = ${F} × ${traj.n} × ${traj.dim}`);
  }
  return F;
}
