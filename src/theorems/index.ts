// Every claim of the paper as a check (docs/paper.md "Theorem checks"), in the paper's order.
import { ConfigError } from "../errors.js";
import { theorem3, proposition8 } from "./conditionalDirac.js";
import { proposition11 } from "./distanceBias.js";
import { theorem5 } from "./metastability.js";
import { theorem2Construction, theorem2Realisation, theorem2Uniqueness } from "./phaseField.js";
import { corollary2, theorem4Construction, theorem4Full, theorem4Realisation } from "./prompt.js";
import type { CheckOptions, CheckReport, TheoremCheck } from "./report.js";
import { corollary1, example5, theorem1 } from "./rope.js";
import { example6, proposition10 } from "./toeplitz.js";

/** Every theorem check of the paper, one per claim, in the order `mft check` runs them. */
export const theoremChecks: readonly TheoremCheck[] = [
  theorem1, corollary1, theorem2Construction, theorem2Realisation, theorem2Uniqueness, theorem3,
  theorem4Construction, theorem4Realisation, theorem4Full, corollary2, proposition8, proposition10,
  proposition11, example5, example6, theorem5,
];

/** Runs the named checks (all by default) in order; onDone sees each report as it finishes. */
export async function runChecks(options: CheckOptions & { only?: string[]; onDone?: (r: CheckReport, index: number, total: number) => void } = {}): Promise<CheckReport[]> {
  const { only, onDone, ...opts } = options;
  const list = only ? only.map((name) => {
    const c = theoremChecks.find((x) => x.name === name);
    if (!c) throw new ConfigError("check", name, `one of ${theoremChecks.map((x) => x.name).join(", ")}`);
    return c;
  }) : theoremChecks;
  const out: CheckReport[] = [];
  for (const c of list) {
    const r = await c.run(opts);
    out.push(r);
    onDone?.(r, out.length, list.length);
  }
  return out;
}

export type { CheckOptions, CheckReport, TheoremCheck, Criterion } from "./report.js";
