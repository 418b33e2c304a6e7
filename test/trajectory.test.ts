// Trajectories out: the recorder at a stride, the NPY and raw layouts (read back by independent
// parsers in trajectory-files.ts), the streaming file writer, and the states they hold.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defineProblem } from "../src/problem.js";
import { defineSolver } from "../src/solver.js";
import { createEngine, run, solve, type Solution } from "../src/solve.js";
import { ConfigError } from "../src/errors.js";
import {
  decodeTrajectory, encodeTrajectoryF64, encodeTrajectoryNpy, openTrajectoryFile, readTrajectoryFile,
  recordTrajectory, timesSidecarPath, writeTrajectoryFile, type TrajectoryStride,
} from "../src/trajectory/index.js";
import { parseF64, parseNpy } from "./trajectory-files.js";

const dir = mkdtempSync(join(tmpdir(), "mft-traj-"));

const problem = defineProblem({
  dim: 3, beta: 1,
  kernel: { name: "rope", omega: 2 * Math.PI, plane: [0, 1] },
  labels: { count: 6, perLabel: 3 },
  init: { seed: 11, law: "uniform" },
});
// 13 records: t = 0, 0.1, ..., 1.2
const solver = defineSolver({ method: "heun", step: 0.01, time: 1.2, record: 0.1 });

/** Runs the problem with the sinks on onRecordState and returns every record's x and z (copies). */
async function runWith(engineKind: "wasm" | "js", ...sinks: ((z: Float64Array, t: number, x: Float64Array) => void)[]): Promise<{ xs: Float64Array[]; zs: Float64Array[]; ts: number[]; sol: Solution }> {
  const xs: Float64Array[] = [], zs: Float64Array[] = [], ts: number[] = [];
  const engine = await createEngine(problem, { engine: engineKind });
  try {
    const sol = await run(engine, solver, {
      onRecordState: (z, t, x) => {
        xs.push(x.slice()); zs.push(z.slice()); ts.push(t);
        for (const s of sinks) s(z, t, x);
      },
    });
    return { xs, zs, ts, sol };
  } finally {
    engine.dispose();
  }
}

const flat = (frames: Float64Array[]) => {
  const out = new Float64Array(frames.reduce((a, f) => a + f.length, 0));
  frames.forEach((f, k) => out.set(f, k * f.length));
  return out;
};

describe("recording at a stride", () => {
  it("every K-th record: the original-frame states given to onRecordState, bitwise, with their times", async () => {
    const rec = recordTrajectory(problem, { every: 4 });
    const { xs, zs, ts, sol } = await runWith("wasm", rec.onRecordState);
    expect(xs).toHaveLength(13);
    const traj = rec.trajectory();
    expect(rec.frameCount).toBe(4);
    expect(Array.from(traj.times)).toEqual([ts[0], ts[4], ts[8], ts[12]]);
    expect(traj.frames).toEqual(flat([xs[0], xs[4], xs[8], xs[12]]));
    // the original frame x (Solution.final), not the gauge frame z, which differs under RoPE
    expect(traj.frames.subarray(3 * 18 * 3)).toEqual(sol.final);
    expect(Math.max(...zs[12].map((v, k) => Math.abs(v - xs[12][k])))).toBeGreaterThan(0.1);
  });

  it("an interval keeps the first record at or after each of its multiples", async () => {
    const rec = recordTrajectory(problem, { interval: 0.25 });
    const { xs } = await runWith("js", rec.onRecordState);
    const traj = rec.trajectory();
    // multiples 0, 0.25, 0.5, 0.75, 1.0 of the interval, on records every 0.1
    const expected = [0, 0.3, 0.5, 0.8, 1.0];
    expect(traj.times).toHaveLength(expected.length);
    expected.forEach((t, k) => expect(traj.times[k]).toBeCloseTo(t, 12));
    expect(traj.frames).toEqual(flat([0, 3, 5, 8, 10].map((r) => xs[r])));
  });

  it("grows past its initial capacity and keeps every frame (solve passes onRecordState)", async () => {
    const rec = recordTrajectory(problem);
    const sol = await solve(problem, { method: "heun", step: 0.01, time: 1.2, record: 0.1, engine: "js", onRecordState: rec.onRecordState });
    expect(rec.trajectory().times).toEqual(sol.times);
    expect(rec.trajectory().frames.subarray(12 * 54)).toEqual(sol.final);
  });

  it("refuses a bad stride with the field, the value and what is allowed", () => {
    const bad: [TrajectoryStride, string][] = [
      [{ every: 0 }, "stride.every"], [{ every: 1.5 }, "stride.every"], [{ interval: 0 }, "stride.interval"],
      [{ interval: -1 }, "stride.interval"], [{ every: 2, interval: 1 }, "stride"], [{ evry: 2 } as TrajectoryStride, "stride.evry"],
    ];
    for (const [stride, field] of bad) {
      let err: unknown;
      try { recordTrajectory(problem, stride); } catch (e) { err = e; }
      expect(err, JSON.stringify(stride)).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).parameter).toBe(field);
    }
  });
});

describe("NPY v1.0", () => {
  it("encodes (frames, n, d) <f8 in C order, which an independent reader parses to the recorded states", async () => {
    const rec = recordTrajectory(problem, { every: 3 });
    const { xs, ts } = await runWith("wasm", rec.onRecordState);
    const { frames, times } = encodeTrajectoryNpy(rec.trajectory());
    const f = parseNpy(frames);
    expect([f.major, f.minor]).toEqual([1, 0]);
    expect(f.header).toEqual({ descr: "<f8", fortran_order: false, shape: [5, 18, 3] });
    expect(f.dataOffset % 64).toBe(0);
    expect(f.headerText.endsWith("\n")).toBe(true);
    expect(f.values).toEqual(flat([0, 3, 6, 9, 12].map((r) => xs[r])));
    const t = parseNpy(times);
    expect(t.header).toEqual({ descr: "<f8", fortran_order: false, shape: [5] });
    expect(Array.from(t.values)).toEqual([0, 3, 6, 9, 12].map((r) => ts[r]));
    // and the library reads its own files back
    expect(decodeTrajectory(frames, times)).toEqual(rec.trajectory());
  });

  it("the streaming file writer writes the same bytes as the pure encoder, and the times sidecar", async () => {
    const path = join(dir, "run.npy");
    const writer = await openTrajectoryFile(path, problem, { stride: { every: 5 } });
    const rec = recordTrajectory(problem, { every: 5 });
    await runWith("wasm", writer.onRecordState, rec.onRecordState);
    const summary = writer.close();
    expect(summary.frames).toBe(3);
    expect(summary.paths).toEqual([path, join(dir, "run.times.npy")]);
    expect(timesSidecarPath(path)).toBe(join(dir, "run.times.npy"));
    const enc = encodeTrajectoryNpy(rec.trajectory());
    expect(new Uint8Array(readFileSync(path))).toEqual(enc.frames);
    expect(new Uint8Array(readFileSync(summary.paths[1]))).toEqual(enc.times);
    expect(summary.bytes).toBe(enc.frames.length + enc.times.length);
    expect(await readTrajectoryFile(path)).toEqual(rec.trajectory());
  });
});

describe("raw .f64 layout", () => {
  it("header fields, frames then times, as docs/outputs.md spells them out", async () => {
    const rec = recordTrajectory(problem, { every: 6 });
    const { xs, ts } = await runWith("js", rec.onRecordState);
    const bytes = encodeTrajectoryF64(rec.trajectory());
    const r = parseF64(bytes);
    expect({ magic: r.magic, version: r.version, headerBytes: r.headerBytes, frames: r.frames, n: r.n, d: r.d }).toEqual({ magic: "MFTTRAJ\0", version: 1, headerBytes: 64, frames: 3, n: 18, d: 3 });
    expect(r.reserved.every((b) => b === 0)).toBe(true);
    expect(r.x).toEqual(flat([xs[0], xs[6], xs[12]]));
    expect(Array.from(r.times)).toEqual([ts[0], ts[6], ts[12]]);
    expect(decodeTrajectory(bytes)).toEqual(rec.trajectory());
  });

  it("streamed to a file equals the pure encoder's bytes; a file written whole reads back", async () => {
    const path = join(dir, "run.f64");
    const writer = await openTrajectoryFile(path, problem, { stride: { interval: 0.4 } });
    const rec = recordTrajectory(problem, { interval: 0.4 });
    await runWith("wasm", writer.onRecordState, rec.onRecordState);
    expect(writer.close().frames).toBe(4);
    expect(new Uint8Array(readFileSync(path))).toEqual(encodeTrajectoryF64(rec.trajectory()));
    const again = join(dir, "again.f64");
    await writeTrajectoryFile(again, rec.trajectory());
    expect(await readTrajectoryFile(again)).toEqual(rec.trajectory());
  });

  it("refuses a truncated file, a wrong extension and a file that is neither layout", async () => {
    const bytes = encodeTrajectoryF64({ n: 1, dim: 2, times: new Float64Array([0]), frames: new Float64Array([1, 0]) });
    expect(() => decodeTrajectory(bytes.subarray(0, bytes.length - 8))).toThrow(ConfigError);
    await expect(openTrajectoryFile(join(dir, "x.txt"), problem)).rejects.toThrow(/trajectory: got ".*x\.txt"; allowed: a file name ending in ".npy"/);
    expect(() => decodeTrajectory(new TextEncoder().encode("hello world, not a trajectory"))).toThrow(/npy: got .*allowed: an NPY file/);
  });
});
