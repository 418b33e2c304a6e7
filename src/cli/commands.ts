// Every `mft` command in one table: its operands, flags, help text, examples and what it runs.
// Adding a command is adding one entry here; src/cli/main.ts turns the table into the parser.
import { kernelNames, getKernel } from "../kernels/registry.js";
import { simulationConfigSchema } from "../schema/config.js";
import { theoremChecks } from "../theorems/index.js";
import { checkCommand } from "./check.js";
import { meanfieldCommand } from "./meanfield.js";
import { runDemo } from "./demo.js";
import type { CliIO } from "./main.js";
import { EXPERIMENTS, EXTRA_EXPERIMENTS, mergeCommand, reproduceCommand } from "./reproduce.js";
import { simulateCommand } from "./simulate.js";
import { animateCommand } from "./trajectory.js";

/** What a command receives: its operands, its value flags by long name ("out") and its switches. */
export interface CommandInput {
  positional: string[];
  flags: Map<string, string>;
  bools: Set<string>;
}

/** One `mft` command. */
export interface CommandDefinition {
  /** the name, as typed */
  name: string;
  /** one line for `mft --help` */
  summary: string;
  /** a paragraph for `mft <name> --help` (default: the summary) */
  description?: string;
  /** operands in order: ["<config>", "what it is"]; "<x>" required, "[x]" optional, "<x...>" one or more */
  operands?: [string, string][];
  /** flags: ["--out <file>", "what it does"] takes a value, ["--quick", "..."] is a switch */
  flags?: [string, string][];
  /** example command lines, each with a comment after "#" */
  examples: string[];
  /** runs the command; returns the exit code (0 done, 2 bad input, 1 failed run) or throws */
  run(input: CommandInput, io: CliIO): Promise<number> | number;
}

const reproduceFlags: [string, string][] = [
  ["--quick", "reduced settings (seconds to a minute each)"],
  ["--seeds <N>", "seeds per setting"],
  ["--sizes <a,b,c>", "particle counts n"],
  ["--time <T>", "terminal time"],
  ["--threads <K>", "worker threads (default: the available cores)"],
  ["--out <dir>", "output folder (default ./out)"],
  ["--resume", "skip the runs already in the folder's journal"],
  ["--shard <i/N>", "run only jobs i, i+N, ... (combine with mft merge)"],
  ["--png", "a PNG beside every SVG"],
  ["--shared-gauge-run", "fig2: one gauge-frame run per seed and size serves all three models"],
  ["--model <sa|usa>", "phase-diagram: the normalisation (default sa)"],
  ["--dim <D>", "phase-diagram: the dimension"],
  ["--betas <a,b,c>", "phase-diagram: the values of beta"],
];

/** The commands, in the order `mft --help` lists them. */
export const COMMANDS: CommandDefinition[] = [
  {
    name: "simulate",
    summary: "run one configuration; the result JSON goes to stdout or --out",
    description: "Runs one configuration (docs/cli.md) and writes the result JSON to stdout, or atomically to --out. Every output is checked before any work.",
    operands: [["<config>", "a configuration file (JSON), or - for standard input"]],
    flags: [
      ["--out <file>", "write the result JSON here instead of stdout"],
      ["--final <file.npy>", "write the final state as NPY (float64, n x d) and put {\"npy\": file} in the result's final"],
      ["--checkpoint <file>", "write the exact state here every --checkpoint-every records"],
      ["--checkpoint-every <K>", "records between checkpoints (default 10)"],
      ["--resume <file>", "continue from a checkpoint: the result is byte-identical to an uninterrupted run"],
      ["--trajectory <file.npy|file.f64>", "record the states x_i (NumPy, times in file.times.npy; or the raw layout)"],
      ["--trajectory-every <K>", "keep every K-th record (default 1)"],
      ["--trajectory-interval <DT>", "keep the first record at or after each multiple of DT"],
    ],
    examples: [
      "mft simulate docs/trajectory-rope.json --out result.json  # RoPE, 64 particles on S^2",
      "echo '{\"dim\": 3, \"n\": 64}' | mft simulate -             # the baseline, result on stdout",
      "mft simulate cfg.json --checkpoint state.bin               # killed? continue with --resume state.bin",
      "mft simulate big.json --out r.json --final final.npy       # a large run: the final state as NPY",
    ],
    run: ({ positional, flags }, io) => simulateCommand(positional, flags, io),
  },
  {
    name: "meanfield",
    summary: "the mean-field limit (dim 2) of a configuration: the continuity equation on the circle",
    description: "Solves the mean-field limit of a simulate configuration on the circle (dim must be 2; n is ignored), with \"grid\": {\"angles\": M, \"labels\": L}, and writes the result JSON (times, energy, gaps, the density per label) to stdout, or atomically to --out (docs/meanfield.md).",
    operands: [["<config>", "a configuration file (JSON), or - for standard input"]],
    flags: [["--out <file>", "write the result JSON here instead of stdout"]],
    examples: [
      "mft meanfield cfg.json --out limit.json",
      "echo '{\"dim\": 2, \"kernel\": {\"name\": \"rope\", \"omega\": 3.14159}, \"labels\": {\"law\": \"uniform\"}, \"n\": 1}' | mft meanfield -",
    ],
    run: ({ positional, flags }, io) => meanfieldCommand(positional, flags, io),
  },
  {
    name: "check",
    summary: "every theorem check of the paper: a table, or --json; exit 1 on a failure",
    operands: [],
    flags: [
      ["--json", "print a JSON array of reports instead of the table"],
      ["--seed <S>", "seed of the random starts (default 1)"],
      ["--dim <D>", "dimension, 3 to 64 (default 3)"],
      ["--only <a,b>", `these checks only: ${theoremChecks.map((c) => c.name).join(", ")}`],
      ["--engine <wasm|js>", "the engine (default wasm)"],
    ],
    examples: ["mft check                      # every check at seed 1, d = 3", "mft check --only theorem1,corollary2 --json"],
    run: ({ flags, bools }, io) => checkCommand(flags, bools, io),
  },
  {
    name: "reproduce",
    summary: "the paper's experiments: JSON, CSV and SVG files in --out",
    description: `Runs an experiment and writes its files to --out (docs/paper.md). "all" runs ${EXPERIMENTS.join(", ")}; ${EXTRA_EXPERIMENTS.join(" and ")} run by name. Sweeps journal each finished run, so --resume continues a killed sweep.`,
    operands: [["<experiment>", `one of ${[...EXPERIMENTS, ...EXTRA_EXPERIMENTS, "all"].join(", ")}`]],
    flags: reproduceFlags,
    examples: ["mft reproduce all --quick          # every figure, reduced settings (npm start)", "mft reproduce fig2 --out fig2-run   # the full Figure 2 (minutes)"],
    run: ({ positional, flags, bools }, io) => reproduceCommand(positional, flags, bools, io),
  },
  {
    name: "merge",
    summary: "combine the journals of --shard runs into the files one process writes",
    operands: [["<experiment>", "fig2, meanfield or phase-diagram"], ["<journals...>", "the shards' journals (DIR/<experiment>.shard-i-of-N.jsonl)"]],
    flags: [["--out <dir>", "output folder (default ./out)"]],
    examples: ["mft merge fig2 a/fig2.shard-0-of-2.jsonl b/fig2.shard-1-of-2.jsonl --out merged"],
    run: ({ positional, flags }, io) => mergeCommand(positional, flags, io),
  },
  {
    name: "animate",
    summary: "animate a recorded trajectory as an animated SVG or a GIF",
    operands: [["<trajectory>", "a trajectory written by mft simulate --trajectory (.npy or .f64)"]],
    flags: [
      ["--out <file.svg|file.gif>", "the animation (required)"],
      ["--config <cfg.json>", "the run's configuration: colour particles by label"],
      ["--fps <F>", "frames per second (at most 50 for a GIF)"],
      ["--size <px>", "width and height in pixels"],
      ["--trail <K>", "draw each particle's last K frames"],
      ["--every <K>", "keep every K-th frame"],
      ["--azimuth <deg>", "view azimuth (default 35)"],
      ["--elevation <deg>", "view elevation (default 25)"],
      ["--axes <a,b,c>", "the coordinates shown when d > 3"],
      ["--title <text>", "a title above the sphere"],
    ],
    examples: ["mft simulate docs/trajectory-rope.json --trajectory rope.npy && mft animate rope.npy --out rope.svg --config docs/trajectory-rope.json"],
    run: ({ positional, flags }, io) => animateCommand(positional, flags, io),
  },
  {
    name: "schema",
    summary: "print the JSON Schema of a simulate configuration",
    description: "Prints the JSON Schema (draft-07) of an mft simulate configuration, the same as meanfield-transformer/schema.json. It describes the fields and their shapes; mft simulate also checks ranges and cross-field rules.",
    examples: ["mft schema > schema.json"],
    run: (_, io) => {
      io.stdout(JSON.stringify(simulationConfigSchema(), null, 2) + "\n");
      return 0;
    },
  },
  {
    name: "kernels",
    summary: "list the kernels a configuration can name",
    examples: ["mft kernels"],
    run: (_, io) => {
      for (const name of kernelNames()) io.stdout(`${name.padEnd(14)} ${getKernel(name).summary}\n`);
      return 0;
    },
  },
  {
    name: "demo",
    summary: "baseline vs RoPE: collapse and its prevention, as a table (a few seconds)",
    examples: ["mft demo"],
    run: async (_, io) => {
      await runDemo(io.stdout);
      return 0;
    },
  },
];
