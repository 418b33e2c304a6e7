// Trajectories on the command line: the --trajectory options of `mft simulate`, and
// `mft animate <trajectory> --out anim.svg|anim.gif`.
import { renameSync, unlinkSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { parseSimulationConfig } from "../config.js";
import { ConfigError } from "../errors.js";
import type { Problem } from "../problem.js";
import { openTrajectoryFile, readTrajectoryFile, timesSidecarPath, trajectoryFormatOf, type TrajectoryFileSummary, type TrajectoryFileWriter } from "../trajectory/file.js";
import type { Trajectory, TrajectoryStride } from "../trajectory/trajectory.js";
import { requireNumber } from "../validate.js";
import { WriteError, writeFileAtomic } from "./atomic-write.js";
import type { CliIO } from "./main.js";
import { checkOutputFile, type NamedPath } from "./output-paths.js";
import { readJSONInput } from "./read-json.js";
import { RASTER_PEERS, requirePeers } from "../plot/peers.js";


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

/** The files --trajectory T writes: T itself, and for NPY its times sidecar. */
export function simulateTrajectoryOutputs(flags: Map<string, string>): NamedPath[] {
  const path = flags.get("trajectory");
  if (path === undefined) return [];
  const format = trajectoryFormatOf(path, "--trajectory");
  return format === "npy" ? [{ flag: "--trajectory", path }, { flag: "--trajectory (its times sidecar)", path: timesSidecarPath(path) }] : [{ flag: "--trajectory", path }];
}

/**
 * Opens the --trajectory file of `mft simulate` (or returns undefined without the flag). Frames are
 * every --trajectory-every K-th record (default 1) or at --trajectory-interval T. They stream to
 * temporary files beside the targets, renamed over them by close() (also after a failed run, which
 * keeps the frames recorded up to the failure); a write error removes them and is a WriteError.
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
  const tmp = join(dirname(path), `.${basename(path).replace(/\.(npy|f64)$/i, "")}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp.${format}`);
  const pairs: [string, string][] = format === "npy" ? [[tmp, path], [timesSidecarPath(tmp), timesSidecarPath(path)]] : [[tmp, path]];
  const discard = (): void => { for (const [t] of pairs) try { unlinkSync(t); } catch { /* not written */ } };
  let inner: TrajectoryFileWriter;
  try {
    inner = await openTrajectoryFile(tmp, problem, { format, stride });
  } catch (e) {
    discard();
    throw new WriteError(path, e);
  }
  let summary: TrajectoryFileSummary | null = null;
  return {
    onRecordState: (z, t, x) => {
      try {
        inner.onRecordState(z, t, x);
      } catch (e) {
        try { inner.close(); } catch { /* the write error below is the one to report */ }
        discard();
        summary = { frames: 0, bytes: 0, paths: [] };
        throw new WriteError(path, e);
      }
    },
    get frameCount() { return inner.frameCount; },
    close: () => {
      if (summary) return summary;
      try {
        const s = inner.close();
        for (const [t, target] of pairs) renameSync(t, target);
        summary = { ...s, paths: pairs.map(([, target]) => target) };
      } catch (e) {
        discard();
        summary = { frames: 0, bytes: 0, paths: [] };
        throw new WriteError(path, e);
      }
      return summary;
    },
  };
}

/** `mft animate <trajectory.npy|.f64> --out anim.svg|anim.gif [options]` */
export async function animateCommand(positional: string[], flags: Map<string, string>, io: CliIO): Promise<number> {
  if (positional.length !== 1) throw new ConfigError("animate <trajectory>", positional.join(" ") || undefined, "exactly one trajectory file (.npy or .f64, as written by mft simulate --trajectory)");
  const out = flags.get("out");
  if (out === undefined) throw new ConfigError("--out", undefined, "a file name ending in .svg (animated SVG) or .gif");
  const kind = /\.svg$/i.test(out) ? "svg" : /\.gif$/i.test(out) ? "gif" : null;
  if (kind === null) throw new ConfigError("--out", out, "a file name ending in .svg (animated SVG) or .gif");
  const inputs: NamedPath[] = [{ flag: "animate <trajectory>", path: positional[0] }, { flag: "animate <trajectory> (its times sidecar)", path: timesSidecarPath(positional[0]) }];
  if (flags.has("config")) inputs.push({ flag: "--config", path: flags.get("config")! });
  checkOutputFile({ flag: "--out", path: out }, inputs);
  const size = numberFlag(flags, "size", { integer: true, min: 120, max: 4096 });
  const fps = numberFlag(flags, "fps", { above: 0, max: kind === "gif" ? 50 : 100 });
  const trail = numberFlag(flags, "trail", { integer: true, min: 0 });
  const every = numberFlag(flags, "every", { integer: true, min: 1 }) ?? 1;
  const azimuth = numberFlag(flags, "azimuth", {});
  const elevation = numberFlag(flags, "elevation", { min: -90, max: 90 });
  if (kind === "gif") await requirePeers(RASTER_PEERS, "GIF animations");
  const axes = flags.has("axes") ? flags.get("axes")!.split(",").map((s, i) => requireNumber(`--axes[${i}]`, s.trim() === "" ? NaN : Number(s), { integer: true, min: 0 })) : undefined;
  let traj = await readTrajectoryFile(positional[0], "animate <trajectory>");
  const bad = traj.frames.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0 || !traj.times.every(Number.isFinite)) {
    throw new ConfigError("animate <trajectory>", positional[0], `a trajectory of finite numbers (${bad >= 0 ? `frame ${Math.floor(bad / (traj.n * traj.dim))} holds ${traj.frames[bad]}` : "its times are not all finite"})`);
  }
  if (every > 1) traj = subsample(traj, every);
  const shown = traj.dim === 2 ? 2 : 3;
  if (axes && (axes.length !== shown || axes.some((a) => a >= traj.dim) || new Set(axes).size !== shown)) {
    throw new ConfigError("--axes", flags.get("axes"), `${shown} distinct coordinate indices in [0, ${traj.dim - 1}], comma-separated`);
  }
  let groups: Int32Array | undefined;
  const configPath = flags.get("config");
  if (configPath !== undefined) {
    // colour by label: the run's configuration gives each particle's label
    const { problem } = parseSimulationConfig(readJSONInput(configPath, "--config", () => ""));
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
  writeFileAtomic(out, bytes);
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
