// A checkpoint handed to run() (RunOptions.resume) is checked against the run it is to continue:
// counters that fit the solver, records of the right shape, a state on the sphere. Whoever made
// it (a file, a caller), a checkpoint that does not fit is refused, never resumed.
import type { RunCheckpoint } from "./solve.js";
import { STEPS_MAX, type Solver } from "./solver.js";
import { firstOffSphere } from "./sphere.js";

const RECORD_KEYS = ["times", "energy", "collapseGap", "gaugeGap", "conditionalDiameter", "meanSquaredSpeed", "clusters"] as const;
/** Records that checkpoints written before certified diameter intervals lack (read as exact). */
const OPTIONAL_RECORD_KEYS = ["conditionalDiameterUpper"] as const;

/**
 * Why `c` cannot continue a run of `solver` for n particles in dimension d ("whose ..."), or null
 * when it can: the records hold 1 to solver.records + 1 finite entries each, with times rising from
 * 0; fixed steps: steps = (records - 1) x stepsPerRecord and the last time is steps x step;
 * adaptive: the clock is the last record time, the next step is in (0, maxStep], the counts are
 * integers up to STEPS_MAX; the state has n d finite entries in unit rows.
 */
export function checkpointMismatch(c: RunCheckpoint, solver: Solver, n: number, d: number): string | null {
  const isCount = (v: unknown, max: number): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= max;
  if (typeof c !== "object" || c === null) return "that is an object {steps, records, state}";
  const r = c.records as unknown as Record<string, unknown>;
  if (typeof r !== "object" || r === null || Array.isArray(r)) return "with its records (they are missing)";
  const present = Object.keys(r).filter((k) => !(OPTIONAL_RECORD_KEYS as readonly string[]).includes(k));
  if (present.sort().join() !== [...RECORD_KEYS].sort().join()) return `whose records are ${RECORD_KEYS.join(", ")} (and optionally ${OPTIONAL_RECORD_KEYS.join(", ")})`;
  const length = (r.times as unknown[] | undefined)?.length;
  if (!isCount(length, solver.records + 1) || length === 0) return `with 1 to ${solver.records + 1} records`;
  for (const k of [...RECORD_KEYS, ...OPTIONAL_RECORD_KEYS.filter((o) => o in r)]) {
    const a = r[k];
    if (!Array.isArray(a) || a.length !== length || !a.every((x) => typeof x === "number" && Number.isFinite(x))) return `whose records.${k} holds ${length} finite numbers`;
  }
  const lower = r.conditionalDiameter as number[], upper = r.conditionalDiameterUpper as number[] | undefined;
  if (upper && upper.some((u, k) => !(u >= lower[k]))) return "whose records.conditionalDiameterUpper is at least records.conditionalDiameter";
  const times = r.times as number[], last = times[length - 1];
  if (times[0] !== 0 || times.some((t, k) => k > 0 && !(t > times[k - 1])) || last > solver.time) return "whose record times rise from 0 to at most solver.time";
  if (!(r.clusters as number[]).every((x) => Number.isInteger(x) && x >= 1)) return "whose cluster counts are integers >= 1";
  if (solver.adaptive) {
    if (!isCount(c.steps, STEPS_MAX) || !isCount(c.rejected, STEPS_MAX)) return `whose step counts are integers in 0..${STEPS_MAX}`;
    if (c.time !== last) return "whose time is its last record time";
    if (!(typeof c.nextStep === "number" && c.nextStep > 0 && c.nextStep <= solver.adaptive.maxStep)) return `whose next step is in (0, ${solver.adaptive.maxStep}]`;
  } else {
    if (c.time !== undefined) return "of a fixed-step run (this one is of an adaptive run)";
    if (!isCount(c.steps, solver.steps) || c.steps !== (length - 1) * solver.stepsPerRecord) {
      return `whose step count is (records - 1) x ${solver.stepsPerRecord} = ${(length - 1) * solver.stepsPerRecord} (it says ${JSON.stringify(c.steps)})`;
    }
    if (last !== c.steps * solver.step) return "whose last record time is steps x solver.step";
  }
  const state = c.state as unknown;
  if (!(state instanceof Float64Array) || state.length !== n * d || !state.every(Number.isFinite)) return `whose state is n d = ${n * d} finite numbers`;
  const off = firstOffSphere(state, n, d, 1e-6);
  if (off >= 0) return `whose state is on the sphere (particle ${off} is not a unit vector)`;
  return null;
}
