// The `mft` command line. Every command returns an exit code: 0 done, 2 bad input, 1 failure.
import { readFileSync, writeFileSync } from "node:fs";
import { parseSimulationConfig } from "../config.js";
import { ConfigError, SimulationError } from "../errors.js";
import { kernelNames, getKernel } from "../kernels/registry.js";
import { createEngine, run, solutionToJSON } from "../solve.js";
import { requireNumber } from "../validate.js";
import { configDigest, readCheckpoint, writeCheckpoint } from "./checkpoint.js";
import { checkCommand } from "./check.js";
import { runDemo } from "./demo.js";
import { progressBar } from "./progress.js";
import { mergeCommand, reproduceCommand } from "./reproduce.js";
import { meanfieldCommand } from "./meanfield.js";
import { ANIMATE_FLAGS, SIMULATE_TRAJECTORY_FLAGS, animateCommand, openSimulateTrajectory } from "./trajectory.js";

export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readStdin: () => string;
  /** standard error is a terminal (progress bars redraw in place) */
  isTTY?: boolean;
}

const USAGE = `mft: mean-field transformer dynamics (the USA-AV flow on the sphere)

usage:
  mft simulate <config.json | -> [--out result.json]   run one configuration; the result JSON goes
               [--checkpoint F [--checkpoint-every K]] to stdout unless --out is given; --checkpoint
               [--resume F]                            writes the exact state to F every K records
                                                       (default 10, atomically); --resume F continues
               [--trajectory T.npy|T.f64]              records the states x_i to T at every K-th
               [--trajectory-every K]                  record (default 1) or at each multiple of DT:
               [--trajectory-interval DT]              NumPy (times in T.times.npy) or the raw layout
  mft meanfield <config.json | -> [--out result.json]  the mean-field limit on the circle (dim 2): the
                                                       same configuration plus "grid": {"angles": M,
                                                       "labels": L}; docs/meanfield.md
  mft animate <T.npy|T.f64> --out A.svg|A.gif          animate a trajectory: animated SVG or GIF;
              [--fps F] [--size PX] [--trail K] [--every K] [--config cfg.json]
              [--azimuth DEG] [--elevation DEG] [--axes a,b,c] [--title TEXT]
                                                       --config colours particles by label, --every
                                                       keeps every K-th frame, --trail draws each
                                                       particle's last K frames
  mft check [--json] [--seed S] [--dim D] [--only a,b] [--engine wasm|js]
                                                       every theorem check of the paper: a table,
                                                       or a JSON array of reports; exit 1 on a failure
  mft reproduce fig2|fig3|metastability|meanfield|mean-field-limit|all|lost-in-the-middle [--quick] [--seeds N] [--sizes a,b,c]
                [--time T] [--threads K] [--out DIR] [--resume] [--shard i/N] [--png]
                [--shared-gauge-run]                   (fig2 only: one gauge-frame run per seed and
                                                       size serves all three models; opt-in)
                                                       the paper's experiments: JSON, CSV and SVG
                                                       files in DIR (default ./out); sweeps (fig2,
                                                       meanfield) journal each finished run
  mft reproduce phase-diagram [--model sa|usa] [--dim D] [--betas a,b,c] [--sizes n] (and the options
                above)                                 clustering over (beta, t) with the equiangular
                                                       model's boundary; not part of "all"
  mft merge fig2|meanfield|phase-diagram <journal...> [--out DIR]
                                                       combine --shard journals into the files one
                                                       process would write
  mft demo                                             baseline vs RoPE: collapse and its prevention
  mft kernels                                          the kernels a configuration can name
  mft help                                             this text

The configuration and result formats are in the README ("CLI contract").`;

/** Runs one command line (argv without node and script). */
export async function main(argv: string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "simulate":
        return await simulate(rest, io);
      case "meanfield": {
        const { positional, flags } = parseArgs(rest, ["out"]);
        return await meanfieldCommand(positional, flags, io);
      }
      case "check": {
        const { flags, bools } = parseArgs(rest, ["seed", "dim", "only", "engine"], ["json"]);
        return await checkCommand(flags, bools, io);
      }
      case "reproduce": {
        const { positional, flags, bools } = parseArgs(rest, ["seeds", "sizes", "time", "out", "threads", "shard", "model", "dim", "betas"], ["quick", "resume", "png", "shared-gauge-run"]);
        return await reproduceCommand(positional, flags, bools, io);
      }
      case "animate": {
        const { positional, flags } = parseArgs(rest, ANIMATE_FLAGS);
        return await animateCommand(positional, flags, io);
      }
      case "merge": {
        const { positional, flags } = parseArgs(rest, ["out"]);
        return await mergeCommand(positional, flags, io);
      }
      case "demo":
        await runDemo(io.stdout);
        return 0;
      case "kernels":
        for (const name of kernelNames()) io.stdout(`${name.padEnd(14)} ${getKernel(name).summary}\n`);
        return 0;
      case undefined:
      case "help":
      case "--help":
      case "-h":
        io.stdout(USAGE + "\n");
        return command === undefined ? 2 : 0;
      default:
        io.stderr(`mft: unknown command ${JSON.stringify(command)}; allowed: simulate, meanfield, check, reproduce, merge, animate, demo, kernels, help\n`);
        return 2;
    }
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr(`mft: invalid configuration: ${err.message}\n`);
      return 2;
    }
    if (err instanceof SimulationError) {
      io.stderr(`mft: simulation stopped: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

/** Splits argv into positionals, --flag value pairs (`known`) and --switches (`switches`). */
function parseArgs(args: string[], known: string[], switches: string[] = []): { positional: string[]; flags: Map<string, string>; bools: Set<string> } {
  const positional: string[] = [];
  const flags = new Map<string, string>();
  const bools = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith("--")) {
      const name = a.slice(2);
      if (switches.includes(name)) {
        bools.add(name);
        continue;
      }
      if (!known.includes(name)) throw new ConfigError(a, a, `one of ${[...known, ...switches].map((k) => "--" + k).join(", ")}`);
      const value = args[i + 1];
      if (value === undefined) throw new ConfigError(a, undefined, "a value after the flag");
      flags.set(name, value);
      i++;
    } else {
      positional.push(a);
    }
  }
  return { positional, flags, bools };
}

async function simulate(args: string[], io: CliIO): Promise<number> {
  const { positional, flags } = parseArgs(args, ["out", "checkpoint", "checkpoint-every", "resume", ...SIMULATE_TRAJECTORY_FLAGS]);
  if (positional.length !== 1) throw new ConfigError("simulate <config.json>", positional.join(" ") || undefined, "exactly one configuration file path, or - for standard input");
  const path = positional[0];
  let text: string;
  try {
    text = path === "-" ? io.readStdin() : readFileSync(path, "utf8");
  } catch (e) {
    throw new ConfigError("simulate <config.json>", path, `a readable file (${(e as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError("simulate <config.json>", path, `a JSON document (${(e as Error).message})`);
  }
  const { problem, solver, engine: kind, threads, precision, pairLoop } = parseSimulationConfig(json);
  const meta = { config: configDigest(json), engine: kind, n: problem.n, dim: problem.dim };
  const checkpointPath = flags.get("checkpoint");
  const every = flags.has("checkpoint-every") ? requireNumber("--checkpoint-every", Number(flags.get("checkpoint-every")), { integer: true, min: 1 }) : checkpointPath ? 10 : undefined;
  if (every !== undefined && !checkpointPath) throw new ConfigError("--checkpoint-every", every, "only together with --checkpoint FILE");
  const resume = flags.has("resume") ? readCheckpoint(flags.get("resume")!, meta) : undefined;
  const bar = progressBar("mft simulate", io);
  const records = Math.ceil(solver.steps / solver.stepsPerRecord);
  let done = resume ? resume.records.times.length - 1 : 0;
  const trajectory = await openSimulateTrajectory(flags, problem, resume !== undefined);
  const engine = await createEngine(problem, { engine: kind, threads, precision, pairLoop });
  let solution;
  try {
    solution = run(engine, solver, {
      onRecord: () => bar.update(done++, records),
      onRecordState: trajectory?.onRecordState,
      resume,
      checkpointEvery: every,
      onCheckpoint: checkpointPath ? (c) => writeCheckpoint(checkpointPath, c, meta) : undefined,
    });
  } finally {
    engine.dispose();
    // a run that failed keeps the frames recorded up to the failure
    trajectory?.close();
  }
  bar.finish();
  if (trajectory) {
    const t = trajectory.close();
    io.stderr(`mft: wrote ${t.frames} trajectory frames to ${t.paths.join(" and ")} (${t.bytes} bytes)\n`);
  }
  const result = JSON.stringify(solutionToJSON(solution));
  const out = flags.get("out");
  if (out) {
    writeFileSync(out, result + "\n");
    io.stderr(`mft: wrote ${out}\n`);
  } else {
    io.stdout(result + "\n");
  }
  return 0;
}
