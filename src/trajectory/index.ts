// Trajectories out: recording at a stride, NPY and raw ".f64" layouts, Node files.
export { recordTrajectory, strideFilter, checkTrajectory } from "./trajectory.js";
export type { Trajectory, TrajectoryStride, TrajectoryRecorder } from "./trajectory.js";
export { encodeNpy, decodeNpy, npyHeader, NPY_HEADER_BYTES } from "./npy.js";
export { encodeTrajectoryF64, decodeTrajectoryF64, f64Header, isTrajectoryF64, F64_HEADER_BYTES, F64_VERSION } from "./raw.js";
export { encodeTrajectory, encodeTrajectoryNpy, decodeTrajectory } from "./codec.js";
export type { TrajectoryFormat } from "./codec.js";
export { openTrajectoryFile, writeTrajectoryFile, readTrajectoryFile, trajectoryFormatOf, timesSidecarPath } from "./file.js";
export type { TrajectoryFileWriter, TrajectoryFileOptions, TrajectoryFileSummary } from "./file.js";
