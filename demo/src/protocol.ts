// Messages between the page (main thread: draws) and the simulation worker (steps the engine).
import type { Scenario } from "./scenario.js";

/** The engines the page offers: the wasm core, or WebGPU where the browser has an adapter. */
export type DemoEngine = "wasm" | "webgpu";

/** Page -> worker. */
export type Command =
  | { type: "configure"; scenario: Scenario; threads: number; engine: DemoEngine }
  | { type: "play" }
  | { type: "pause" }
  | { type: "reset" }
  /** engine steps per frame, or 0 for as many as fit in one frame's time */
  | { type: "speed"; stepsPerFrame: number };

/** One snapshot of the running system. */
export interface Frame {
  type: "frame";
  /** increases with every configure, so stale frames can be dropped */
  generation: number;
  step: number;
  time: number;
  energy: number;
  collapseGap: number;
  /** clusters at CLUSTER_ANGLE (library clusterCount) */
  clusters: number;
  /** the collapsed clusters (clusters.ts): unit centres, k*3, and their particle counts */
  clusterCentres: Float64Array;
  clusterMasses: Int32Array;
  stepsPerSecond: number;
  playing: boolean;
  /** x_i in the original frame, particle-major n*3 */
  positions: Float64Array;
}

/** Worker -> page. */
export type Report =
  | { type: "ready"; generation: number; n: number; labelCount: number; labels: Int32Array; frozen: Uint8Array | null;
      /** threads the engine actually uses (one below the library's THREAD_MIN_N particles) */
      threads: number; sharedMemory: boolean; energyMax: number | null;
      /** the engine that runs (wasm when WebGPU was asked for and is unavailable) */
      engine: DemoEngine;
      /** the WebGPU adapter's name, or null on wasm */
      adapter: string | null;
      /** true when the adapter is a GPU (not a software or fallback adapter such as SwiftShader) */
      gpu: boolean;
      /** why WebGPU was not used when it was asked for, or null */
      fallback: string | null }
  | Frame
  | { type: "error"; message: string };

/** Angular threshold of the cluster count (radians), the library's default clusterAngle. */
export const CLUSTER_ANGLE = 0.05;
