// Many independent simulations (seed sweeps, figure reproductions): one JSON job per system,
// results as plain typed arrays in job order. With threads > 1 a pool of workers runs one job
// per worker at a time, each on one thread; every job's result is the same bits as in this thread.
import { parseSimulationConfig } from "./config.js";
import { ConfigError, SimulationError } from "./errors.js";
import { isObject, requireNumber, requireObject } from "./validate.js";
import { resolveThreads, sharedMemoryAvailable } from "./engines/wasm.js";
import { coreModulesForWorker } from "./engines/core-binary.js";
import { startWorker, workersAvailable, type PortableWorker } from "./engines/platform.js";
import { runJob, type BatchJob, type BatchOptions, type BatchResult } from "./batch/job.js";
import { BATCH_WORKER_SOURCE } from "./batch/worker-source.generated.js";

export { runJob, toBatchResult } from "./batch/job.js";
export type { BatchJob, BatchResult, BatchOptions, LinkageResult } from "./batch/job.js";

interface WorkerReply {
  index: number;
  result?: BatchResult;
  error?: { name: string; message: string; parameter?: string; received?: unknown; allowed?: string };
}

function rebuildError(e: NonNullable<WorkerReply["error"]>, index: number): Error {
  if (e.name === "ConfigError" && e.parameter !== undefined) return new ConfigError(e.parameter, e.received, e.allowed ?? "");
  if (e.name === "SimulationError") return new SimulationError(`job ${index}: ${e.message}`);
  return new Error(`job ${index}: ${e.message}`);
}

/**
 * Runs every job and returns the results in job order. Every configuration is validated before
 * any job starts (the first invalid one throws its ConfigError). With `threads` > 1 (default:
 * the available cores) the jobs run on a pool of min(threads, jobs) workers; a job that fails
 * stops the batch with its error.
 */
export async function runBatch(jobs: readonly BatchJob[], options: BatchOptions = {}): Promise<BatchResult[]> {
  if (!Array.isArray(jobs)) throw new ConfigError("jobs", jobs, "an array of jobs {config, derived?, linkage?}");
  requireObject("options", options);
  const threads = await resolveThreads(options.threads);
  jobs.forEach((job, k) => {
    if (!isObject(job)) throw new ConfigError(`jobs[${k}]`, job, "a job object {config, derived?, linkage?}");
    try {
      parseSimulationConfig(job.config);
    } catch (e) {
      // the config's own paths ("beta", "kernel.omega"), or "config" for the config itself
      if (e instanceof ConfigError) throw new ConfigError(`jobs[${k}].${e.parameter.startsWith("config") ? e.parameter : "config." + e.parameter}`, e.received, e.allowed);
      throw e;
    }
    const linkage = (job as unknown as BatchJob).linkage;
    if (linkage !== undefined) requireNumber(`jobs[${k}].linkage.angle`, linkage?.angle, { min: 0, max: Math.PI });
  });
  const size = Math.min(threads, jobs.length);
  if (size <= 1 || !workersAvailable()) return runHere(jobs, options);
  return runPool(jobs, size, options);
}

async function runHere(jobs: readonly BatchJob[], options: BatchOptions): Promise<BatchResult[]> {
  const results: BatchResult[] = [];
  for (let k = 0; k < jobs.length; k++) {
    const r = await runJob(jobs[k]);
    results.push(r);
    options.onResult?.(k, r);
  }
  return results;
}

/**
 * The pool behind runBatch: `size` workers, one job each at a time. A worker that fails or stops
 * (a crash, `terminate()`, an exit) rejects the promise with an error naming the job it was
 * running; the other workers are then stopped. `onDispatch` (for fault-injection tests) sees each
 * job as it is handed to a worker.
 */
export async function runPool(jobs: readonly BatchJob[], size: number, options: BatchOptions, onDispatch?: (index: number, worker: PortableWorker) => void): Promise<BatchResult[]> {
  const results = new Array<BatchResult>(jobs.length);
  const workers: PortableWorker[] = [];
  /** the job each worker is running, -1 when idle */
  const running = new Map<PortableWorker, number>();
  let next = 0;
  let finished = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      let failed = false;
      const fail = (e: Error): void => {
        if (!failed) { failed = true; reject(e); }
      };
      const feed = (w: PortableWorker): void => {
        if (failed || next >= jobs.length) return;
        const index = next++;
        running.set(w, index);
        w.postMessage({ index, job: { config: jobs[index].config, derived: jobs[index].derived, linkage: jobs[index].linkage, snapshots: jobs[index].snapshots } });
        onDispatch?.(index, w);
      };
      const start = async (): Promise<void> => {
        // compiled here once; every worker's first message (the worker bundle has no binary)
        const core = await coreModulesForWorker(sharedMemoryAvailable());
        for (let t = 0; t < size && !failed; t++) {
          const w = await startWorker(BATCH_WORKER_SOURCE);
          workers.push(w);
          if (failed) { void w.terminate(); return; }
          w.postMessage({ core });
          running.set(w, -1);
          w.listen(
            (data) => {
              const m = data as WorkerReply;
              running.set(w, -1);
              if (m.error || !m.result) { fail(rebuildError(m.error ?? { name: "Error", message: "no result" }, m.index)); return; }
              results[m.index] = m.result;
              finished++;
              try {
                options.onResult?.(m.index, m.result);
              } catch (e) {
                fail(e as Error);
                return;
              }
              if (finished === jobs.length) resolve();
              else feed(w);
            },
            (reason) => {
              if (finished >= jobs.length) return;
              const job = running.get(w) ?? -1;
              fail(new SimulationError(job >= 0 ? `job ${job}: its batch worker stopped before the job finished (${reason})` : `a batch worker stopped (${reason})`));
            },
          );
          feed(w);
        }
      };
      start().catch(fail);
    });
  } finally {
    for (const w of workers) void w.terminate();
  }
  return results;
}
