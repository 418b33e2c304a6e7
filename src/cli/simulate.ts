// `mft simulate`: one configuration run to its result JSON, with checkpoints, resume and a
// recorded trajectory on request.
import { parseSimulationConfig } from "../config.js";
import { ConfigError } from "../errors.js";
import { createEngine, run, solutionToJSON } from "../solve.js";
import { requireNumber } from "../validate.js";
import { writeFileAtomic } from "./atomic-write.js";
import { configDigest, readCheckpoint, writeCheckpoint } from "./checkpoint.js";
import type { CliIO } from "./main.js";
import { checkOutputFile, type NamedPath } from "./output-paths.js";
import { progressBar } from "./progress.js";
import { readJSONInput } from "./read-json.js";
import { writeResultJSON } from "./write-result.js";
import { encodeNpy } from "../trajectory/npy.js";
import { openSimulateTrajectory, simulateTrajectoryOutputs } from "./trajectory.js";

/**
 * `mft simulate <config.json | -> [--out F] [--final F.npy] [--checkpoint F [--checkpoint-every K]] [--resume F]
 * [--trajectory T [--trajectory-every K | --trajectory-interval DT]]`: one run, its result JSON to
 * stdout or --out. Every output is checked before any work; warnings go to stderr.
 */
export async function simulateCommand(positional: string[], flags: Map<string, string>, io: CliIO): Promise<number> {
  if (positional.length !== 1) throw new ConfigError("simulate <config.json>", positional.join(" ") || undefined, "exactly one configuration file path, or - for standard input");
  const path = positional[0];
  // every output is checked before any work: none may be an input or another output
  const inputs: NamedPath[] = [{ flag: "simulate <config.json>", path }];
  const checkpointPath = flags.get("checkpoint");
  const resumePath = flags.get("resume");
  const finalPath = flags.get("final");
  if (finalPath !== undefined && !finalPath.endsWith(".npy")) throw new ConfigError("--final", finalPath, "a file name ending in .npy (the final state is written as NPY, float64, n x d)");
  const outputs: NamedPath[] = [];
  for (const o of [
    ...(flags.has("out") ? [{ flag: "--out", path: flags.get("out")! }] : []),
    ...(finalPath !== undefined ? [{ flag: "--final", path: finalPath }] : []),
    ...(checkpointPath !== undefined ? [{ flag: "--checkpoint", path: checkpointPath }] : []),
    ...simulateTrajectoryOutputs(flags),
  ]) {
    // --checkpoint may be the --resume file: the run continues and keeps checkpointing there
    const readFrom = o.flag === "--checkpoint" || resumePath === undefined ? inputs : [...inputs, { flag: "--resume", path: resumePath }];
    checkOutputFile(o, readFrom, outputs);
    outputs.push(o);
  }
  const json = readJSONInput(path, "simulate <config.json>", io.readStdin);
  const { problem, solver, engine: kind, threads, precision, pairLoop } = parseSimulationConfig(json);
  for (const w of problem.warnings) io.stderr(`mft: warning: ${w}\n`);
  const meta = { config: configDigest(json), engine: kind, n: problem.n, dim: problem.dim };
  const every = flags.has("checkpoint-every") ? requireNumber("--checkpoint-every", Number(flags.get("checkpoint-every")), { integer: true, min: 1 }) : checkpointPath ? 10 : undefined;
  if (every !== undefined && !checkpointPath) throw new ConfigError("--checkpoint-every", every, "only together with --checkpoint FILE");
  const resume = resumePath !== undefined ? readCheckpoint(resumePath, meta, solver) : undefined;
  const bar = progressBar("mft simulate", io);
  // one update per record: t = 0, then solver.records more (fixed or adaptive steps alike)
  const records = solver.records;
  let done = resume ? resume.records.times.length - 1 : 0;
  const trajectory = await openSimulateTrajectory(flags, problem, resume !== undefined);
  let solution;
  try {
    const engine = await createEngine(problem, { engine: kind, threads, precision, pairLoop });
    try {
      solution = await run(engine, solver, {
        onRecord: () => bar.update(done++, records),
        onRecordState: trajectory?.onRecordState,
        resume,
        checkpointEvery: every,
        onCheckpoint: checkpointPath ? (c) => writeCheckpoint(checkpointPath, c, meta) : undefined,
      });
    } finally {
      engine.dispose();
    }
  } finally {
    // a run that failed keeps the frames recorded up to the failure
    trajectory?.close();
  }
  bar.finish();
  if (trajectory) {
    const t = trajectory.close();
    io.stderr(`mft: wrote ${t.frames} trajectory frames to ${t.paths.join(" and ")} (${t.bytes} bytes)\n`);
  }
  if (finalPath !== undefined) {
    // the final state as NPY (n x d float64), written whole or not at all; the JSON names the file
    const { n, dim: d } = problem;
    const bytes = writeFileAtomic(finalPath, encodeNpy(solution.final, [n, d]));
    io.stderr(`mft: wrote the final state to ${finalPath} (${bytes} bytes)\n`);
  }
  writeResultJSON(solutionToJSON(solution, finalPath !== undefined ? { final: { npy: finalPath } } : {}), flags.get("out"), io);
  return 0;
}
