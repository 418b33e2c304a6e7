// The mean-field solver: the quantile points of every label moved along the characteristics
// d psi / dt = v_a(psi) by RK4 (or Heun, Euler), with records, invariant checks and the early stop.
import { cellDensity, type PiecewiseUniformLaw } from "../diagnostics/circleLaw.js";
import { ConfigError, SimulationError } from "../errors.js";
import { ENERGY_DROP_TOLERANCE, shouldStop, suggestStep } from "../solve.js";
import { defineSolver, type Solver, type SolverConfig } from "../solver.js";
import { requireObject, requireOneOf } from "../validate.js";
import { MeanFieldVelocity } from "./field.js";
import { collapseGapOf, piecewiseLaw, refinedMarginalLaw, type MeanFieldFrame } from "./laws.js";
import { defineMeanFieldProblem, type MeanFieldConfig, type MeanFieldProblem } from "./problem.js";
import type { QuantileLayout } from "./quantile.js";

/** Time integrators of the characteristics: RK4 (order 4, default), Heun (2) or Euler (1). */
export type MeanFieldMethod = "rk4" | "heun" | "euler";

/** Largest accepted |mass - 1| of a label's law on the output grid. */
export const MASS_TOLERANCE = 1e-13;

/** Solver options: those of the particles' `solver` (no adaptive steps), method "rk4" by default, and a record callback. */
export interface MeanFieldSolveOptions extends Omit<SolverConfig, "method" | "adaptive"> {
  method?: MeanFieldMethod;
  /** called at every record with its time and the state there (valid during the call only) */
  onRecord?: (t: number, state: MeanFieldState) => void;
}

/** The state at a record: the quantile points of every label and the laws they define. */
export interface MeanFieldState {
  readonly problem: MeanFieldProblem;
  readonly layout: QuantileLayout;
  /** psi at every point, label-major (see QuantileLayout) */
  readonly psi: Float64Array;
  /** the law of label a (not weighted by its label weight), as uniform pieces */
  labelLaw(a: number, frame?: MeanFieldFrame): PiecewiseUniformLaw;
  /**
   * the mixture over labels, sum_a lambda_a mu_a; for a continuous label law with `perNode` > 0,
   * int mu_s ds with mu_s interpolated between label nodes, at that many labels per node spacing
   * (refinedMarginalLaw)
   */
  marginalLaw(frame?: MeanFieldFrame, perNode?: number): PiecewiseUniformLaw;
}

/** The worst values of the invariants over every record. */
export interface MeanFieldInvariants {
  /** max over records and labels of |mass of the label's density on the grid - 1| (<= MASS_TOLERANCE) */
  mass: number;
  /** min over records, labels and cells of the density (>= 0) */
  minDensity: number;
  /** gradient flows: the largest decrease of E between consecutive records (<= 0 when E never fell); null otherwise */
  energyDrop: number | null;
  /**
   * gradient flows: max over records of |E(t) - E(0) - int_0^t D ds|, D = int |X|^2 dmu integrated
   * by the time stepper's own weights; it falls as h^order (dE/dt = D holds exactly for the
   * quadrature); null otherwise
   */
  energyIdentity: number | null;
}

/** The output density: theta given each label on the grid of cell centres. */
export interface MeanFieldDensity {
  /** cell centres -pi + (c + 1/2) 2 pi / M */
  angles: Float64Array;
  /** s_a of each label */
  labels: Float64Array;
  /** one row of M densities per label, each integrating to 1 */
  density: Float64Array[];
}

/** What solveMeanField returns: the diagnostics at every record and the final densities. */
export interface MeanFieldSolution {
  readonly problem: MeanFieldProblem;
  readonly method: MeanFieldMethod;
  readonly step: number;
  readonly times: Float64Array;
  /** E at each record */
  readonly energy: Float64Array;
  readonly energyMax: number | null;
  /** (E* - E) / |E*| at each record, or null without E* */
  readonly energyGap: Float64Array | null;
  /** G_x = 1 - |int x dmu|^2 */
  readonly collapseGap: Float64Array;
  /** G_z, the same in the gauge frame */
  readonly gaugeGap: Float64Array;
  /** int |X|^2 dmu, the energy's growth rate for a gradient flow */
  readonly meanSquaredSpeed: Float64Array;
  /**
   * the density of theta (all labels together) at each record, M cells; for a continuous label
   * law interpolated between label nodes (refinedMarginalLaw, about 4 M labels) where neighbouring labels share their mass points
   */
  readonly marginalDensity: Float64Array[];
  readonly final: MeanFieldDensity;
  /** the state at the last record */
  readonly finalState: MeanFieldState;
  readonly invariants: MeanFieldInvariants;
  readonly steps: number;
  readonly stoppedEarly: boolean;
}

/**
 * Validates solver options: the particles' rules for step, time, record and stop (via
 * defineSolver), method "rk4" (default), "heun" or "euler", and no adaptive steps.
 */
export function resolveMeanFieldSolver(options: MeanFieldSolveOptions): { method: MeanFieldMethod; solver: Solver } {
  const o = requireObject("solver", options) as MeanFieldSolveOptions & { adaptive?: unknown };
  const { method, onRecord: _onRecord, ...rest } = o;
  if (o.adaptive !== undefined) throw new ConfigError("solver.adaptive", o.adaptive, "absent (the mean-field solver takes fixed steps)");
  return {
    method: method === undefined ? "rk4" : requireOneOf("solver.method", method, ["rk4", "heun", "euler"] as const),
    solver: defineSolver({ ...(rest as SolverConfig), method: undefined }),
  };
}

/** The state view of a psi array. */
function stateOf(problem: MeanFieldProblem, layout: QuantileLayout, psi: Float64Array): MeanFieldState {
  const law = (from: number, to: number, frame: MeanFieldFrame, weighted: boolean): PiecewiseUniformLaw => {
    const l = piecewiseLaw(problem, layout, psi, from, to, frame, weighted);
    if (!l) throw new SimulationError("a label's quantile lost its order (a negative density)");
    return l;
  };
  return {
    problem, layout, psi,
    labelLaw: (a, frame = "original") => law(a, a + 1, frame, false),
    marginalLaw: (frame = "original", perNode = 0) => {
      const l = refinedMarginalLaw(problem, layout, psi, frame, perNode);
      if (!l) throw new SimulationError("the labels' quantiles cannot be interpolated (neighbouring labels differ in their mass points or gauge sign): use perNode = 0");
      return l;
    },
  };
}

/**
 * Solves the continuity equation d mu / dt + div(mu X[mu]) = 0 on the circle for a mean-field
 * problem (or a configuration, validated first): every label's quantile points move along the
 * characteristics. Records G_x, G_z, E and int |X|^2 dmu at t = 0 and every `record`; checks at
 * every record that each label's density is >= 0 with mass 1 (to MASS_TOLERANCE) and, for
 * gradient flows, that E did not fall (a SimulationError otherwise). Defaults as for particles:
 * step 0.01, time 30, record 0.5; method "rk4".
 */
export function solveMeanField(problem: MeanFieldProblem | MeanFieldConfig, options: MeanFieldSolveOptions = {}): MeanFieldSolution {
  const p = isProblem(problem) ? problem : defineMeanFieldProblem(problem);
  const { method, solver } = resolveMeanFieldSolver(options);
  const onRecord = options.onRecord;
  const layout = p.layout;
  const field = new MeanFieldVelocity(p, layout);
  const N = layout.psi.length, L = p.labelCount, M = p.grid.angles, cell = (2 * Math.PI) / M;
  const psi = Float64Array.from(layout.psi);
  const k1 = new Float64Array(N), k2 = new Float64Array(N), k3 = new Float64Array(N), k4 = new Float64Array(N), tmp = new Float64Array(N);
  const state = stateOf(p, layout, psi);

  // the energy's natural size (as for particles): the drop tolerance is relative to it near E = 0
  let wMax = 1;
  if (p.weights) { wMax = 0; for (const w of p.weights) wMax = Math.max(wMax, Math.abs(w)); }
  const kappa1 = p.content === "exp" ? (p.timeScale === "fast" ? 1 : Math.exp(p.beta)) / p.beta : 1;
  const energyScale = 0.5 * wMax * kappa1;

  const times: number[] = [], energy: number[] = [], gx: number[] = [], gz: number[] = [], speed: number[] = [];
  const marginal: Float64Array[] = [];
  const inv: MeanFieldInvariants = { mass: 0, minDensity: Infinity, energyDrop: p.gradientFlow ? -Infinity : null, energyIdentity: p.gradientFlow ? 0 : null };
  let integral = 0, e0 = 0;
  const rows: Float64Array[] = Array.from({ length: L }, () => new Float64Array(M));
  // a continuous label law: the marginal density interpolated at about 4 M labels in all
  const marginalPerNode = Math.ceil((4 * M) / L);

  const record = (t: number): void => {
    field.evaluate(psi, k1);
    const e = field.energy;
    if (!Number.isFinite(e)) throw new SimulationError(`the energy is ${e} at t = ${t.toPrecision(6)} (solver.step = ${solver.step}); try a smaller solver.step`);
    const total = new Float64Array(M);
    const refined = p.continuum ? refinedMarginalLaw(p, layout, psi, "original", marginalPerNode) : null;
    if (refined) cellDensity(refined, M, total);
    for (let a = 0; a < L; a++) {
      const law = piecewiseLaw(p, layout, psi, a, a + 1, "original", false);
      if (!law) throw new SimulationError(`the quantile of label ${a} lost its order at t = ${t.toPrecision(6)} (a negative density): solver.step = ${solver.step} is too large; try solver.step = ${suggestStep(solver.step)} or smaller`);
      const row = cellDensity(law, M, rows[a]);
      let mass = 0, min = Infinity;
      for (let c = 0; c < M; c++) { mass += row[c] * cell; min = Math.min(min, row[c]); if (!refined) total[c] += p.labelWeights[a] * row[c]; }
      inv.mass = Math.max(inv.mass, Math.abs(mass - 1));
      inv.minDensity = Math.min(inv.minDensity, min);
      if (!(Math.abs(mass - 1) <= MASS_TOLERANCE) || !(min >= 0)) {
        throw new SimulationError(`label ${a} at t = ${t.toPrecision(6)} has mass ${mass} (|mass - 1| must be <= ${MASS_TOLERANCE}) and least density ${min} (must be >= 0)`);
      }
    }
    if (times.length === 0) e0 = e;
    else if (p.gradientFlow) {
      const drop = energy[energy.length - 1] - e;
      inv.energyDrop = Math.max(inv.energyDrop!, drop);
      inv.energyIdentity = Math.max(inv.energyIdentity!, Math.abs(e - e0 - integral));
      if (drop > ENERGY_DROP_TOLERANCE * Math.max(Math.abs(e), energyScale)) {
        throw new SimulationError(`the energy fell from ${energy[energy.length - 1]} to ${e} before t = ${t.toPrecision(6)}, which the flow forbids (dE/dt >= 0): solver.step = ${solver.step} is too large; try solver.step = ${suggestStep(solver.step)} or smaller`);
      }
    }
    times.push(t);
    energy.push(e);
    speed.push(field.dissipation);
    gx.push(collapseGapOf(p, layout, psi, "original"));
    gz.push(collapseGapOf(p, layout, psi, "gauge"));
    marginal.push(total);
    onRecord?.(t, state);
  };

  // one step of h from psi (k1 = v(psi) already evaluated), accumulating int D dt with the same weights
  const h = solver.step;
  const step = (): void => {
    field.evaluate(psi, k1);
    const d1 = field.dissipation;
    if (method === "euler") {
      for (let i = 0; i < N; i++) psi[i] += h * k1[i];
      integral += h * d1;
      return;
    }
    if (method === "heun") {
      for (let i = 0; i < N; i++) tmp[i] = psi[i] + h * k1[i];
      field.evaluate(tmp, k2);
      for (let i = 0; i < N; i++) psi[i] += (h / 2) * (k1[i] + k2[i]);
      integral += (h / 2) * (d1 + field.dissipation);
      return;
    }
    for (let i = 0; i < N; i++) tmp[i] = psi[i] + (h / 2) * k1[i];
    field.evaluate(tmp, k2);
    const d2 = field.dissipation;
    for (let i = 0; i < N; i++) tmp[i] = psi[i] + (h / 2) * k2[i];
    field.evaluate(tmp, k3);
    const d3 = field.dissipation;
    for (let i = 0; i < N; i++) tmp[i] = psi[i] + h * k3[i];
    field.evaluate(tmp, k4);
    for (let i = 0; i < N; i++) psi[i] += (h / 6) * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
    integral += (h / 6) * (d1 + 2 * d2 + 2 * d3 + field.dissipation);
  };

  record(0);
  let done = 0, stoppedEarly = false;
  while (done < solver.steps) {
    const count = Math.min(solver.stepsPerRecord, solver.steps - done);
    for (let s = 0; s < count; s++) step();
    done += count;
    record(done * h);
    if (solver.stop && shouldStop(energy, solver.stop.records, solver.stop.tol)) {
      stoppedEarly = done < solver.steps;
      break;
    }
  }
  if (inv.energyDrop === -Infinity) inv.energyDrop = 0;
  const eArr = Float64Array.from(energy);
  const Es = p.energyMax;
  const angles = Float64Array.from({ length: M }, (_, c) => -Math.PI + (c + 0.5) * cell);
  return {
    problem: p,
    method,
    step: h,
    times: Float64Array.from(times),
    energy: eArr,
    energyMax: Es,
    energyGap: Es === null ? null : eArr.map((e) => (Es - e) / Math.abs(Es)),
    collapseGap: Float64Array.from(gx),
    gaugeGap: Float64Array.from(gz),
    meanSquaredSpeed: Float64Array.from(speed),
    marginalDensity: marginal,
    final: { angles, labels: Float64Array.from(p.positions), density: rows },
    finalState: state,
    invariants: inv,
    steps: done,
    stoppedEarly,
  };
}

function isProblem(v: unknown): v is MeanFieldProblem {
  return typeof v === "object" && v !== null && "profile" in v && "layout" in v && Object.isFrozen(v);
}

/** The JSON form of a mean-field solution (the `mft meanfield` result). */
export function meanFieldSolutionToJSON(s: MeanFieldSolution): Record<string, unknown> {
  const p = s.problem;
  return {
    times: Array.from(s.times),
    energy: Array.from(s.energy),
    collapseGap: Array.from(s.collapseGap),
    gaugeGap: Array.from(s.gaugeGap),
    meanSquaredSpeed: Array.from(s.meanSquaredSpeed),
    energyMax: s.energyMax,
    energyGap: s.energyGap ? Array.from(s.energyGap) : null,
    final: { angles: Array.from(s.final.angles), labels: Array.from(s.final.labels), density: s.final.density.map((r) => Array.from(r)) },
    labelWeights: Array.from(p.labelWeights),
    invariants: s.invariants,
    grid: { ...p.grid, modes: p.profile.modes },
    dim: 2,
    beta: p.beta,
    timeScale: p.timeScale,
    energyUnit: p.timeScale === "fast" && p.content === "exp" ? "E*exp(-beta)" : "E",
    kernel: p.kernelName,
    method: s.method,
    step: s.step,
    steps: s.steps,
    time: s.times[s.times.length - 1],
    stoppedEarly: s.stoppedEarly,
  };
}
