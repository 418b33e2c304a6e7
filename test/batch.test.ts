// runBatch: a pool of workers (one job each at a time) gives the same bits, in job order, as the
// jobs run one after another in this thread.
import { describe, expect, it } from "vitest";
import { runBatch, runJob, runPool, type BatchJob, type BatchResult } from "../src/batch.js";
import { ConfigError, SimulationError } from "../src/errors.js";
import type { KernelSpec } from "../src/kernels/specs.js";

const KERNELS: KernelSpec[] = [{ name: "usa" }, { name: "rope", omega: 6.283185307179586, plane: [0, 1] }, { name: "sa" }];

function jobsFor(seeds: number[], n: number): BatchJob[] {
  return KERNELS.flatMap((kernel) => seeds.map((seed) => ({
    config: { dim: 3, beta: 1, kernel, labels: { count: n / 4, perLabel: 4 }, init: { seed, law: "uniform" as const }, solver: { time: 0.5, record: 0.1, stop: { window: 0.2, tol: 1e-3 } } },
  })));
}

function sameBits(a: BatchResult, b: BatchResult): boolean {
  const keys = ["times", "energy", "energyGap", "collapseGap", "gaugeGap", "conditionalDiameter", "meanSquaredSpeed", "clusters", "final", "finalGauge"] as const;
  for (const k of keys) {
    const x = a[k], y = b[k];
    if (x === null || y === null) { if (x !== y) return false; continue; }
    if (x.length !== y.length || !x.every((v, i) => Object.is(v, y[i]))) return false;
  }
  return a.steps === b.steps && a.stoppedEarly === b.stoppedEarly && Object.is(a.energyMax, b.energyMax);
}

describe("runBatch", () => {
  it("a pool of 2 and 3 workers returns, in job order, the bits of the sequential runner", async () => {
    const jobs = jobsFor([1, 2, 3], 64);
    const here = await runBatch(jobs, { threads: 1 });
    expect(here).toHaveLength(jobs.length);
    for (const threads of [2, 3]) {
      const seen: number[] = [];
      const pooled = await runBatch(jobs, { threads, onResult: (k) => seen.push(k) });
      expect(pooled).toHaveLength(jobs.length);
      expect([...seen].sort((a, b) => a - b)).toEqual(jobs.map((_, k) => k));
      pooled.forEach((r, k) => expect(sameBits(r, here[k]), `job ${k}, ${threads} workers`).toBe(true));
    }
    // job order: each result is its own job's (different seeds give different finals)
    const single = await runJob(jobs[4]);
    expect(sameBits(single, here[4])).toBe(true);
    expect(sameBits(here[4], here[3])).toBe(false);
  });

  it("the early stop and the step count travel back from the workers", async () => {
    const jobs = jobsFor([5], 64);
    const [r] = await runBatch([{ config: { ...jobs[0].config, solver: { time: 30, record: 0.5, stop: { window: 2, tol: 1e-2 } } } }, jobs[1]], { threads: 2 });
    expect(r.stoppedEarly).toBe(true);
    expect(r.steps).toBeLessThan(3000);
    expect(r.times[r.times.length - 1]).toBeCloseTo(r.steps * 0.01, 12);
  });

  it("validates every job before running any, naming the job", async () => {
    const jobs = jobsFor([1], 64);
    const bad = [jobs[0], { config: { ...jobs[1].config, beta: -1 } }];
    await expect(runBatch(bad, { threads: 2 })).rejects.toThrow(ConfigError);
    await expect(runBatch(bad, { threads: 2 })).rejects.toThrow(/^jobs\[1\]\.config\.beta: got -1/);
    await expect(runBatch(jobs, { threads: 0 })).rejects.toThrow(/^threads: got 0/);
  });

  it("a worker terminated in the middle of a job rejects the batch naming the job (no hang)", async () => {
    // job 1 alone would take a minute (n = 1024, 3000 Heun steps, no early stop)
    const [quick] = jobsFor([1], 64);
    const slow = { config: { ...quick.config, labels: { count: 256, perLabel: 4 }, solver: { time: 30, record: 1 } } };
    const finished: number[] = [];
    const run = runPool([quick, slow, quick], 2, { onResult: (k) => finished.push(k) }, (index, worker) => {
      if (index === 1) setTimeout(() => void worker.terminate(), 300);
    });
    await expect(run).rejects.toThrow(SimulationError);
    await expect(run).rejects.toThrow(/^job 1: its batch worker stopped before the job finished \(the worker exited/);
    expect(finished).not.toContain(1);
  });

  it("an empty batch returns no results", async () => {
    expect(await runBatch([], { threads: 2 })).toEqual([]);
  });
});
