// `mft meanfield <config.json | -> [--out result.json]`: the mean-field limit of a simulate
// configuration on the circle (docs/meanfield.md), its result JSON on stdout or in a file.
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { ConfigError } from "../errors.js";
import { defineMeanFieldProblem, type MeanFieldConfig } from "../meanfield/problem.js";
import { meanFieldSolutionToJSON, resolveMeanFieldSolver, solveMeanField, type MeanFieldSolveOptions } from "../meanfield/solve.js";
import { requireObject } from "../validate.js";
import type { CliIO } from "./main.js";
import { progressBar } from "./progress.js";

/** Runs `mft meanfield` with its positional arguments and flags; returns the exit code. */
export async function meanfieldCommand(positional: string[], flags: Map<string, string>, io: CliIO): Promise<number> {
  if (positional.length !== 1) throw new ConfigError("meanfield <config.json>", positional.join(" ") || undefined, "exactly one configuration file path, or - for standard input");
  const path = positional[0];
  let text: string;
  try {
    text = path === "-" ? io.readStdin() : readFileSync(path, "utf8");
  } catch (e) {
    throw new ConfigError("meanfield <config.json>", path, `a readable file (${(e as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError("meanfield <config.json>", path, `a JSON document (${(e as Error).message})`);
  }
  const problem = defineMeanFieldProblem(json as MeanFieldConfig);
  const solver = requireObject("solver", (json as MeanFieldConfig).solver ?? {}) as MeanFieldSolveOptions;
  const { solver: resolved } = resolveMeanFieldSolver(solver);
  const bar = progressBar("mft meanfield", io);
  let records = 0;
  const solution = solveMeanField(problem, { ...solver, onRecord: () => bar.update(records++, resolved.records) });
  bar.finish();
  const result = JSON.stringify(meanFieldSolutionToJSON(solution));
  const out = flags.get("out");
  if (out) {
    // a temporary file renamed into place: the result is never left half-written
    const tmp = `${out}.${process.pid}.tmp`;
    writeFileSync(tmp, result + "\n");
    renameSync(tmp, out);
    io.stderr(`mft: wrote ${out}\n`);
  } else {
    io.stdout(result + "\n");
  }
  return 0;
}
