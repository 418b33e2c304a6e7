// The output is checked as well as the state: every number a run records or returns is finite,
// so that no Infinity or NaN reaches a result (JSON would show it as null).
import { SimulationError } from "./errors.js";
import type { Problem } from "./problem.js";
import { STEPS_MAX } from "./solver.js";

/** Refuses a record whose mean squared speed is not a finite double, saying why it overflowed. */
export function checkRecordValues(meanSquaredSpeed: number, t: number, problem: Problem): void {
  if (Number.isFinite(meanSquaredSpeed)) return;
  const natural = problem.timeScale === "natural" && problem.content === "exp" && !problem.attention;
  const why = natural && problem.beta > 300
    ? `: on the natural time scale speeds reach e^beta = ${Math.exp(problem.beta).toPrecision(3)} at beta = ${problem.beta}, and their squares overflow; use "timeScale": "fast" (time in units of e^-beta) or a smaller beta`
    : "; try a smaller solver.step";
  throw new SimulationError(`the mean squared speed is ${meanSquaredSpeed} at t = ${t.toPrecision(6)}${why}`);
}

/** Refuses to go on once a run has taken STEPS_MAX steps (adaptive runs, whose count is not known in advance). */
export function checkStepCount(steps: number, t: number): void {
  if (steps < STEPS_MAX) return;
  throw new SimulationError(`the run took ${steps} steps (accepted and rejected) by t = ${t.toPrecision(6)}, the most one run may take; loosen solver.adaptive tolerances or raise minStep`);
}

/**
 * Walks a result (plain objects, arrays and typed arrays) and throws a SimulationError naming the
 * first number that is not finite, e.g. `meanSquaredSpeed[0]`. Returns the result unchanged.
 */
export function checkFiniteResult<T>(result: T, path = "result"): T {
  const bad = firstNonFinite(result, path, 0);
  if (bad) throw new SimulationError(`the result's ${bad.path} is ${bad.value}, not a finite number; the run is refused rather than reported`);
  return result;
}

function firstNonFinite(v: unknown, path: string, depth: number): { path: string; value: number } | null {
  if (typeof v === "number") return Number.isFinite(v) ? null : { path, value: v };
  if (typeof v !== "object" || v === null || depth > 16) return null;
  if (ArrayBuffer.isView(v)) {
    const a = v as unknown as ArrayLike<number>;
    for (let k = 0; k < a.length; k++) if (!Number.isFinite(a[k])) return { path: `${path}[${k}]`, value: a[k] };
    return null;
  }
  if (Array.isArray(v)) {
    for (let k = 0; k < v.length; k++) {
      const b = firstNonFinite(v[k], `${path}[${k}]`, depth + 1);
      if (b) return b;
    }
    return null;
  }
  for (const [key, x] of Object.entries(v)) {
    if (key === "problem" || key === "solver") continue;
    const b = firstNonFinite(x, path === "result" ? key : `${path}.${key}`, depth + 1);
    if (b) return b;
  }
  return null;
}
