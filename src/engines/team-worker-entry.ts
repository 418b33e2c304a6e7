// The team worker's script: bundled on its own (scripts/build-worker.mjs) and started from inline
// source; onHostMessage and postToHost come from the prelude of platform.ts startWorker.
import { runTeamWorker, type TeamWorkerInit } from "./team-worker.js";

declare const onHostMessage: (f: (m: TeamWorkerInit) => void) => void;
declare const postToHost: (m: unknown) => void;

onHostMessage((m) => runTeamWorker(m, postToHost));
