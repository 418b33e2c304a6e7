// Trajectories on the command line: the --trajectory options of `mft simulate`, and
// `mft animate <trajectory> --out anim.svg|anim.gif`.
import { readFileSync, writeFileSync } from "node:fs";
import { parseSimulationConfig } from "../config.js";
import { ConfigError } from "../errors.js";
import type { Problem } from "../problem.js";
import { openTrajectoryFile, readTrajectoryFile, trajectoryFormatOf, type TrajectoryFileWriter } from "../trajectory/file.js";
import type { Trajectory, TrajectoryStride } from "../trajectory/trajectory.js";
import { requireNumber } from "../validate.js";
import type { CliIO } from "./main.js";

/** The value flags of `mft simulate` that belong to trajectories. */
export const SIMULATE_TRAJECTORY_FLAGS = ["trajectory", "trajectory-every", "trajectory-interval"];
/** The value flags of `mft animate`. */
export const ANIMATE_FLAGS = ["out", "fps", "size", "trail", "every", "config", "azimuth", "elevation", "axes", "title"];

type NumberRule = Parameters<typeof requireNumber>[2];

/** A numeric flag, or a ConfigError that names the flag and quotes the text given. */
function numberFlag(flags: Map<string, string>, name: string, rule: NumberRule): number | undefined {
  const raw = flags.get(name);
  if (raw === undefined) return undefined;
  try {
    return requireNumber(`--${name}`, raw.trim() === "" ? NaN : Number(raw), rule);
  } catch (e) {
    if (e instanceof ConfigError) throw new ConfigError(e.parameter, raw, e.allowed);
    throw e;
  }
}

/**
 * Opens the --trajectory file of `mft simulate` (or returns undefined without the flag). Frames are
 * every --trajectory-every K-th record (default 1) or at --trajectory-interval T.
 */
export async function openSimulateTrajectory(flags: Map<string, string>, problem: Problem, resuming: boolean): Promise<TrajectoryFileWriter | undefined> {
  const path = flags.get("trajectory");
  const every = numberFlag(flags, "trajectory-every", { integer: true, min: 1 });
  const interval = numberFlag(flags, "trajectory-interval", { above: 0 });
  if (path === undefined) {
    if (every !== undefined) throw new ConfigError("--trajectory-every", every, "only together with --trajectory FILE");
    if (interval !== undefined) throw new ConfigError("--trajectory-interval", interval, "only together with --trajectory FILE");
    return undefined;
  }
  if (every !== undefined && interval !== undefined) throw new ConfigError("--trajectory-interval", interval, "not together with --trajectory-every (one stride)");
  if (resuming) throw new ConfigError("--trajectory", path, "not together with --resume (the frames before the checkpoint are not in it); run without --resume to record a trajectory");
  const format = trajectoryFormatOf(path, "--trajectory");
  const stride: TrajectoryStride = interval !== undefined ? { interval } : { every: every ?? 1 };
  return openTrajectoryFile(path, problem, { format, stride });
}

/** `mft animate <trajectory.npy|.f64> --out anim.svg|anim.gif [options]` */
export async function animateCommand(positional: string[], flags: Map<string, string>, io: CliIO): Promise<number> {
  if (positional.length !== 1) throw new ConfigError("animate <trajectory>", positional.join(" ") || undefined, "exactly one trajectory file (.npy or .f64, as written by mft simulate --trajectory)");
  const out = flags.get("out");
  if (out === undefined) throw new ConfigError("--out", undefined, "a file name ending in .svg (animated SVG) or .gif");
  const kind = /\.svg$/i.test(out) ? "svg" : /\.gif$/i.test(out) ? "gif" : null;
  if (kind === null) throw new ConfigError("--out", out, "a file name ending in .svg (animated SVG) or .gif");
  const size = numberFlag(flags, "size", { integer: true, min: 120, max: 4096 });
  const fps = numberFlag(flags, "fps", { above: 0, max: kind === "gif" ? 50 : 100 });
  const trail = numberFlag(flags, "trail", { integer: true, min: 0 });
  const every = numberFlag(flags, "every", { integer: true, min: 1 }) ?? 1;
  const azimuth = numberFlag(flags, "azimuth", {});
  const elevation = numberFlag(flags, "elevation", { min: -90, max: 90 });
  const axes = flags.has("axes") ? flags.get("axes")!.split(",").map((s, i) => requireNumber(`--axes[${i}]`, s.trim() === "" ? NaN : Number(s), { integer: true, min: 0 })) : undefined;
  let traj = await readTrajectoryFile(positional[0], "animate <trajectory>");
  if (every > 1) traj = subsample(traj, every);
  const shown = traj.dim === 2 ? 2 : 3;
  if (axes && (axes.length !== shown || axes.some((a) => a >= traj.dim) || new Set(axes).size !== shown)) {
    throw new ConfigError("--axes", flags.get("axes"), `${shown} distinct coordinate indices in [0, ${traj.dim - 1}], comma-separated`);
  }
  let groups: Int32Array | undefined;
  const configPath = flags.get("config");
  if (configPath !== undefined) {
    // colour by label: the run's configuration gives each particle's label
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(configPath, "utf8"));
    } catch (e) {
      throw new ConfigError("--config", configPath, `a readable JSON configuration (${(e as Error).message})`);
    }
    const { problem } = parseSimulationConfig(json);
    if (problem.n !== traj.n || problem.dim !== traj.dim) throw new ConfigError("--config", configPath, `the configuration of this trajectory (n = ${traj.n}, dim = ${traj.dim}; the file gives n = ${problem.n}, dim = ${problem.dim})`);
    groups = problem.labels;
  }
  const view = azimuth !== undefined || elevation !== undefined ? { azimuth: azimuth ?? 35, elevation: elevation ?? 25 } : undefined;
  const options = { size, fps, trail, view, axes, groups, title: flags.get("title") };
  const start = Date.now();
  let bytes: Uint8Array | string;
  if (kind === "svg") {
    const { trajectorySVG } = await import("../plot/animate.js");
    bytes = trajectorySVG(traj, options);
  } else {
    const { trajectoryGIF } = await import("../plot/gif.js");
    bytes = await trajectoryGIF(traj, options);
  }
  writeFileSync(out, bytes);
  io.stderr(`mft: wrote ${out} (${traj.times.length} frames, ${bytes.length} bytes, ${((Date.now() - start) / 1000).toFixed(2)} s)\n`);
  return 0;
}

/** Every k-th frame of a trajectory (the first always). */
function subsample(traj: Trajectory, k: number): Trajectory {
  const F = Math.ceil(traj.times.length / k), size = traj.n * traj.dim;
  const frames = new Float64Array(F * size), times = new Float64Array(F);
  for (let f = 0; f < F; f++) {
    frames.set(traj.frames.subarray(f * k * size, (f * k + 1) * size), f * size);
    times[f] = traj.times[f * k];
  }
  return { n: traj.n, dim: traj.dim, times, frames };
}
