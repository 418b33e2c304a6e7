// A trajectory as NPY (frames and times as two arrays) and reading either layout back by its magic.
import { ConfigError } from "../errors.js";
import { decodeNpy, encodeNpy } from "./npy.js";
import { decodeTrajectoryF64, encodeTrajectoryF64, isTrajectoryF64 } from "./raw.js";
import { checkTrajectory, type Trajectory } from "./trajectory.js";

/** The layouts a trajectory is written in: NPY (frames + a times sidecar) or the raw ".f64" layout. */
export type TrajectoryFormat = "npy" | "f64";

/** NPY files of a trajectory: `frames` of shape (F, n, d) and `times` of shape (F,). */
export function encodeTrajectoryNpy(traj: Trajectory): { frames: Uint8Array; times: Uint8Array } {
  const F = checkTrajectory(traj);
  return { frames: encodeNpy(traj.frames, [F, traj.n, traj.dim]), times: encodeNpy(traj.times, [F]) };
}

/** The bytes of a trajectory in one layout (NPY: the frames file; its times go in a sidecar, see encodeTrajectoryNpy). */
export function encodeTrajectory(traj: Trajectory, format: TrajectoryFormat): Uint8Array {
  return format === "f64" ? encodeTrajectoryF64(traj) : encodeTrajectoryNpy(traj).frames;
}

/**
 * Reads a trajectory from the raw layout, or from an NPY array of shape (F, n, d) with an optional
 * NPY times array of shape (F,); without times, frame f gets time f.
 */
export function decodeTrajectory(bytes: Uint8Array, timesBytes?: Uint8Array): Trajectory {
  if (isTrajectoryF64(bytes)) return decodeTrajectoryF64(bytes);
  const { shape, values } = decodeNpy(bytes);
  if (shape.length !== 3 || shape[1] < 1 || shape[2] < 1) throw new ConfigError("npy shape", `(${shape.join(", ")})`, "(frames, n, d) with n, d >= 1");
  const [F, n, dim] = shape;
  let times: Float64Array;
  if (timesBytes) {
    const t = decodeNpy(timesBytes);
    if (t.shape.length !== 1 || t.shape[0] !== F) throw new ConfigError("times npy shape", `(${t.shape.join(", ")})`, `(${F},), one time per frame`);
    times = t.values;
  } else {
    times = Float64Array.from({ length: F }, (_, f) => f);
  }
  return { n, dim, times, frames: values };
}
