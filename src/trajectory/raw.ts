// The raw trajectory layout ".f64": a 64-byte header, the frames, then the times, all
// little-endian. Times come last so that a file can be streamed frame by frame and the
// header (frame count) rewritten at the end. Pure: no Node API.
//
//   offset  0   8 bytes  magic "MFTTRAJ\0"
//           8   uint32   version = 1
//          12   uint32   header bytes = 64 (offset of the frames)
//          16   uint32   F, frames
//          20   uint32   n, particles
//          24   uint32   d, dimension
//          28  36 bytes  zero (reserved)
//          64   F×n×d float64: frames, C order (frame, particle, coordinate), original frame x_i
//   64 + 8Fnd   F float64: the record time of each frame
import { ConfigError } from "../errors.js";
import { float64LE } from "./npy.js";
import { checkTrajectory, type Trajectory } from "./trajectory.js";

/** Size of the raw layout's header: the frames start here. */
export const F64_HEADER_BYTES = 64;
/** The raw layout's version (header offset 8). */
export const F64_VERSION = 1;
const MAGIC = "MFTTRAJ\0";

/** The 64-byte header of the raw layout. */
export function f64Header(frames: number, n: number, d: number): Uint8Array {
  const out = new Uint8Array(F64_HEADER_BYTES);
  for (let k = 0; k < 8; k++) out[k] = MAGIC.charCodeAt(k);
  const v = new DataView(out.buffer);
  for (const [name, value] of [["frames", frames], ["n", n], ["dim", d]] as const) {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new ConfigError(name, value, "an integer in [0, 2^32 - 1]");
  }
  v.setUint32(8, F64_VERSION, true);
  v.setUint32(12, F64_HEADER_BYTES, true);
  v.setUint32(16, frames, true);
  v.setUint32(20, n, true);
  v.setUint32(24, d, true);
  return out;
}

/** A whole raw-layout file for the trajectory. */
export function encodeTrajectoryF64(traj: Trajectory): Uint8Array {
  const F = checkTrajectory(traj);
  const out = new Uint8Array(F64_HEADER_BYTES + 8 * (traj.frames.length + F));
  out.set(f64Header(F, traj.n, traj.dim), 0);
  float64LE(traj.frames, out, F64_HEADER_BYTES);
  float64LE(traj.times, out, F64_HEADER_BYTES + 8 * traj.frames.length);
  return out;
}

/** True when the bytes start with the raw layout's magic. */
export function isTrajectoryF64(bytes: Uint8Array): boolean {
  if (bytes.length < 8) return false;
  for (let k = 0; k < 8; k++) if (bytes[k] !== MAGIC.charCodeAt(k)) return false;
  return true;
}

/** Reads a raw-layout file (version 1). */
export function decodeTrajectoryF64(bytes: Uint8Array): Trajectory {
  if (bytes.length < F64_HEADER_BYTES || !isTrajectoryF64(bytes)) throw new ConfigError("f64 trajectory", `${bytes.length} bytes`, `a file starting with the magic "MFTTRAJ\\0" and a ${F64_HEADER_BYTES}-byte header`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = v.getUint32(8, true);
  if (version !== F64_VERSION) throw new ConfigError("f64 trajectory version", version, String(F64_VERSION));
  const start = v.getUint32(12, true), F = v.getUint32(16, true), n = v.getUint32(20, true), d = v.getUint32(24, true);
  const size = F * n * d;
  if (bytes.length !== start + 8 * (size + F)) throw new ConfigError("f64 trajectory", `${bytes.length} bytes`, `${start + 8 * (size + F)} bytes for ${F} frames of ${n} × ${d}`);
  const frames = new Float64Array(size), times = new Float64Array(F);
  for (let k = 0; k < size; k++) frames[k] = v.getFloat64(start + 8 * k, true);
  for (let f = 0; f < F; f++) times[f] = v.getFloat64(start + 8 * (size + f), true);
  return { n, dim: d, times, frames };
}
