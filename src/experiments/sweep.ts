// A sweep: many independent runs (seeds, sizes, models), each a JSON job with a stable key, and
// the aggregation of their results into an experiment's data. Runs may come from this process,
// from a journal of finished runs (resume), or from several processes (shards, then merge).
import { runBatch, type BatchJob, type BatchResult } from "../batch.js";

export interface Sweep<R> {
  /** experiment name, e.g. "fig2" */
  name: string;
  /** the resolved options (JSON): two sweeps with equal options have equal jobs */
  options: Record<string, unknown>;
  /** one stable key per job, e.g. "rope/n=64/seed=3" */
  keys: string[];
  jobs: BatchJob[];
  /** the experiment's data from every job's result, in job order */
  aggregate(results: BatchResult[]): R;
  /** optional: the part of a result that `aggregate` reads, kept in journals instead of the whole result */
  compact?(result: BatchResult): BatchResult;
}

export interface SweepRunOptions {
  threads?: number;
  onProgress?: (done: number, total: number) => void;
}

/** Runs every job of the sweep (on the batch pool) and aggregates. */
export async function runSweep<R>(sweep: Sweep<R>, options: SweepRunOptions = {}): Promise<R> {
  let done = 0;
  const results = await runBatch(sweep.jobs, { threads: options.threads, onResult: () => options.onProgress?.(++done, sweep.jobs.length) });
  return sweep.aggregate(results);
}

/** The jobs of shard `index` of `count`: every job whose position q satisfies q mod count = index. */
export function shardIndices(total: number, index: number, count: number): number[] {
  const out: number[] = [];
  for (let q = index; q < total; q += count) out.push(q);
  return out;
}
