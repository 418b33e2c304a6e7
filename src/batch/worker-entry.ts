// The batch worker: runs one job per message on one thread and sends back its result.
// Bundled on its own without the core's binary (scripts/build-worker.mjs) and started from inline
// source; its first message is the compiled core. onHostMessage and postToHost come from the
// prelude of src/engines/platform.ts startWorker.
import { ConfigError } from "../errors.js";
import { adoptCoreModules, type CoreModules } from "../engines/core-binary.js";
import { resultBuffers, runJob, type BatchJob } from "./job.js";

declare const onHostMessage: (f: (m: { core: CoreModules } | { index: number; job: BatchJob }) => void) => void;
declare const postToHost: (m: unknown, transfer?: ArrayBuffer[]) => void;

onHostMessage((m) => {
  if ("core" in m) {
    adoptCoreModules(m.core);
    return;
  }
  runJob(m.job, 1).then(
    (result) => postToHost({ index: m.index, result }, resultBuffers(result)),
    (e: unknown) => {
      const err = e as Error;
      postToHost({
        index: m.index,
        error: {
          name: err?.name ?? "Error",
          message: String(err?.message ?? e),
          ...(e instanceof ConfigError ? { parameter: e.parameter, received: e.received, allowed: e.allowed } : {}),
        },
      });
    },
  );
});
