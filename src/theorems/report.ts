// A theorem check's report: the claim, what the theory predicts, what was measured, and the
// tolerances that decide pass or fail.
import type { EngineKind } from "../engines/engine.js";

/** Options every check accepts. */
export interface CheckOptions {
  /** seed of every random draw (random starts, gauges, targets); default 1 */
  seed?: number;
  /** dimension d of the sphere S^{d-1}; default 3 */
  dim?: number;
  /** engine for the runs; default "wasm" */
  engine?: EngineKind;
}

/** One measured quantity against its bound. */
export interface Criterion {
  /** what is measured, e.g. "|E - E*| / E* at the maximiser" */
  quantity: string;
  value: number;
  /** "<=" : value must not exceed bound; ">=" : value must reach bound */
  relation: "<=" | ">=";
  bound: number;
  pass: boolean;
}

/** The result of one check (the JSON of `mft check --json` is an array of these). */
export interface CheckReport {
  /** short stable id, e.g. "theorem1" */
  name: string;
  /** the paper's statement it checks, e.g. "Theorem 1 (RoPE anti-collapse)" */
  claim: string;
  /** the theory's prediction, in words and formulas */
  prediction: string;
  /** the measured values, one line */
  measurement: string;
  /** the bounds, one line */
  tolerance: string;
  pass: boolean;
  criteria: Criterion[];
  seed: number;
  dim: number;
}

/** A check of one claim. */
export interface TheoremCheck {
  name: string;
  claim: string;
  /** the smallest dimension the check applies to */
  minDim?: number;
  run(options?: CheckOptions): Promise<CheckReport>;
}

/** Collects criteria and assembles the report. */
export class Criteria {
  readonly list: Criterion[] = [];
  /** value <= bound (NaN fails) */
  atMost(quantity: string, value: number, bound: number): this {
    this.list.push({ quantity, value, relation: "<=", bound, pass: value <= bound });
    return this;
  }
  /** value >= bound (NaN fails) */
  atLeast(quantity: string, value: number, bound: number): this {
    this.list.push({ quantity, value, relation: ">=", bound, pass: value >= bound });
    return this;
  }
  report(head: { name: string; claim: string; prediction: string }, seed: number, dim: number): CheckReport {
    const fmt = (v: number): string => (Number.isInteger(v) && Math.abs(v) < 1e6 ? String(v) : v.toExponential(2));
    return {
      ...head,
      measurement: this.list.map((c) => `${c.quantity} = ${fmt(c.value)}`).join("; "),
      tolerance: this.list.map((c) => `${c.quantity} ${c.relation} ${fmt(c.bound)}`).join("; "),
      pass: this.list.every((c) => c.pass),
      criteria: this.list,
      seed,
      dim,
    };
  }
}
