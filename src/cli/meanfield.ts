// `mft meanfield <config.json | -> [--out result.json]`: the mean-field limit of a simulate
// configuration on the circle (docs/meanfield.md), its result JSON on stdout or in a file.
import { ConfigError } from "../errors.js";
import { defineMeanFieldProblem, type MeanFieldConfig } from "../meanfield/problem.js";
import { meanFieldSolutionToJSON, resolveMeanFieldSolver, solveMeanField, type MeanFieldSolveOptions } from "../meanfield/solve.js";
import { requireObject } from "../validate.js";
import type { CliIO } from "./main.js";
import { checkOutputFile } from "./output-paths.js";
import { progressBar } from "./progress.js";
import { readJSONInput } from "./read-json.js";
import { writeResultJSON } from "./write-result.js";

/** Runs `mft meanfield` with its positional arguments and flags; returns the exit code. */
export async function meanfieldCommand(positional: string[], flags: Map<string, string>, io: CliIO): Promise<number> {
  if (positional.length !== 1) throw new ConfigError("meanfield <config.json>", positional.join(" ") || undefined, "exactly one configuration file path, or - for standard input");
  const path = positional[0];
  const out = flags.get("out");
  // the output is checked before any work: not the input, a writable place
  if (out !== undefined) checkOutputFile({ flag: "--out", path: out }, [{ flag: "meanfield <config.json>", path }], []);
  const json = readJSONInput(path, "meanfield <config.json>", io.readStdin);
  const problem = defineMeanFieldProblem(json as MeanFieldConfig);
  const solver = requireObject("solver", (json as MeanFieldConfig).solver ?? {}) as MeanFieldSolveOptions;
  const { solver: resolved } = resolveMeanFieldSolver(solver);
  const bar = progressBar("mft meanfield", io);
  let records = 0;
  const solution = solveMeanField(problem, { ...solver, onRecord: () => bar.update(records++, resolved.records) });
  bar.finish();
  writeResultJSON(meanFieldSolutionToJSON(solution), out, io);
  return 0;
}
