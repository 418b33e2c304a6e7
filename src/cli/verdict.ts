// PASS or FAIL beside each prediction an experiment's summary line checks.
import type { Criterion } from "../theorems/report.js";

/** A number as the summary lines print it: integers as they are, others to three significant digits. */
export function formatValue(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e6) return String(v);
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 1e-3 && Math.abs(v) < 1e4 ? String(Number(v.toPrecision(3))) : v.toExponential(1).replace(".0e", "e");
}

/** "quantity = value PASS (<= bound)", or FAIL with the bound it missed. */
export function verdict(c: Criterion): string {
  return `${c.quantity} = ${formatValue(c.value)} ${c.pass ? "PASS" : "FAIL"} (${c.relation} ${formatValue(c.bound)})`;
}

/** The checks of a whole `mft reproduce` run, for its closing line. */
export class Verdicts {
  readonly all: Criterion[] = [];
  /** verdicts of checks printed in their own words (pass or fail only) */
  private readonly others: boolean[] = [];

  /** Records the checks and returns their verdicts joined by ", ". */
  add(checks: Criterion[]): string {
    this.all.push(...checks);
    return checks.map(verdict).join(", ");
  }

  /** Counts checks whose lines an experiment prints itself (each with its PASS or FAIL). */
  tally(checks: readonly { pass: boolean }[]): void {
    for (const c of checks) this.others.push(c.pass);
  }

  /** "N predictions checked: P PASS, F FAIL" (empty when none was checked). */
  summary(): string {
    const passes = [...this.all.map((c) => c.pass), ...this.others];
    const pass = passes.filter(Boolean).length;
    return passes.length === 0 ? "" : `${passes.length} predictions checked: ${pass} PASS, ${passes.length - pass} FAIL`;
  }
}
