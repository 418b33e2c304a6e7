// The pure-JS reference engine. It integrates in the ORIGINAL frame with the kernel's own
// gradient, written as the maths reads (docs/model.md "Dynamics", Definition 2):
//   dx_i/dt = P_{x_i}(F_i),
//   F_i = (1/n) sum_j W[a_i,a_j] kappa'(<G_{a_i} x_i, G_{a_j} x_j>) G_{a_i}^T G_{a_j} x_j,
//   P_x(v) = v - <v,x> x.
// The only factoring is linearity: G_{a_j} x_j is computed once per evaluation, and G_{a_i}^T is
// applied once to the sum over j. No state ever lives in the gauge frame. It is the honest
// baseline for benchmarks and an independent check of the wasm core.
import type { Problem } from "../problem.js";
import { applyMatrix, applyTranspose, dot } from "../linalg.js";
import { requireProblem } from "../problem.js";
import { checkLive, checkOutArray, checkSnapshot, checkStateInput, checkStepArguments, type Engine, type Evaluation, type HeunStep, type Method } from "./engine.js";
import { maxRowDistance } from "../sphere.js";
import { kappaProfile, type KappaProfile } from "../kernels/kappa.js";
import { ERROR_AGAINST, STEP_STAGES, type StateName, type VelocityName } from "./schedule.js";

/** The pure-JS reference engine: the flow in the original frame, written as the maths reads; the independent check of the fast engines. */
export class ReferenceEngine implements Engine {
  readonly kind = "js" as const;
  readonly problem: Problem;
  private readonly x: Float64Array;
  private readonly xt: Float64Array;
  private readonly k1: Float64Array;
  private readonly k2: Float64Array;
  /** G_{a_j} x_j for the state being evaluated */
  private readonly gx: Float64Array;
  private readonly acc: Float64Array;
  private readonly f: Float64Array;
  /** attention kernels: Q_h x_j, K_h x_j, V_h x_j of every head, particle-major, for the state being evaluated */
  private readonly qkv: { q: Float64Array; k: Float64Array; v: Float64Array }[];
  private disposed = false;
  /** kappa and kappa' of the problem's content */
  private readonly kappa: KappaProfile;
  /** the step's states and velocities by their names in engines/schedule.ts */
  private readonly states: Record<StateName, Float64Array>;
  private readonly velocities: Record<VelocityName, Float64Array>;

  constructor(problem: Problem) {
    this.problem = requireProblem("problem", problem);
    const nd = problem.n * problem.dim;
    this.x = Float64Array.from(problem.initial);
    this.xt = new Float64Array(nd);
    this.k1 = new Float64Array(nd);
    this.k2 = new Float64Array(nd);
    this.gx = new Float64Array(nd);
    this.acc = new Float64Array(problem.dim);
    this.f = new Float64Array(problem.dim);
    this.qkv = (problem.attention ?? []).map(() => ({ q: new Float64Array(nd), k: new Float64Array(nd), v: new Float64Array(nd) }));
    this.kappa = kappaProfile(problem.content, problem.beta, problem.timeScale);
    this.states = { x: this.x, xt: this.xt };
    this.velocities = { k1: this.k1, k2: this.k2 };
  }

  setState(x: Float64Array): void {
    checkLive(this.disposed, "setState");
    checkStateInput(x, this.problem.n, this.problem.dim);
    this.x.set(x);
  }

  getState(out?: Float64Array): Float64Array {
    checkLive(this.disposed, "getState");
    checkOutArray("getState(out)", out, this.x.length);
    out ??= new Float64Array(this.x.length);
    out.set(this.x);
    return out;
  }

  snapshot(): Float64Array {
    checkLive(this.disposed, "snapshot");
    return this.x.slice();
  }

  restore(state: Float64Array): void {
    checkLive(this.disposed, "restore");
    checkSnapshot(state, this.problem.n, this.problem.dim);
    this.x.set(state);
  }

  getGaugeState(out?: Float64Array): Float64Array {
    checkLive(this.disposed, "getGaugeState");
    checkOutArray("getGaugeState(out)", out, this.x.length);
    out ??= new Float64Array(this.x.length);
    const { n, dim: d, gauges, labels } = this.problem;
    if (!gauges) { out.set(this.x); return out; }
    for (let i = 0; i < n; i++) applyMatrix(d, gauges, labels[i] * d * d, this.x, i * d, out, i * d);
    return out;
  }

  private weight(a: number, b: number): number {
    const { weights, labelCount } = this.problem;
    return weights ? weights[a * labelCount + b] : 1;
  }

  /**
   * Attention heads (docs/kernels.md "Attention, masks and heads"), as the formula reads:
   *   F_i = sum_h (1/Z_i^h) sum_j w_ij exp(beta_h <Q_h x_i, K_h x_j>) V_h x_j,
   *   w_ij = 1, or exp(-lambda_h (i - j)/n) for j <= i and 0 for j > i (causal), Z = n or the sum;
   *   E = sum_h 1/(2 n^2 beta_h) sum_ij w_ij exp(beta_h <Q_h x_i, K_h x_j>).
   */
  private attentionVelocity(x: Float64Array, v: Float64Array): number {
    const { n, dim: d, frozen } = this.problem;
    const heads = this.problem.attention!;
    const f = this.f, acc = this.acc;
    heads.forEach((h, q) => {
      const t = this.qkv[q];
      for (let j = 0; j < n; j++) {
        applyMatrix(d, h.query, 0, x, j * d, t.q, j * d);
        applyMatrix(d, h.key, 0, x, j * d, t.k, j * d);
        applyMatrix(d, h.value, 0, x, j * d, t.v, j * d);
      }
    });
    let energySum = 0;
    for (let i = 0; i < n; i++) {
      f.fill(0);
      for (let q = 0; q < heads.length; q++) {
        const h = heads[q], qa = this.qkv[q].q, ka = this.qkv[q].k, va = this.qkv[q].v;
        const jEnd = h.mask === "causal" ? i + 1 : n;
        acc.fill(0);
        let z = 0;
        for (let j = 0; j < jEnd; j++) {
          const w = h.alibi > 0 ? Math.exp(-h.alibi * (i - j) / n) : 1;
          const e = w * Math.exp(h.beta * dot(d, qa, i * d, ka, j * d));
          for (let k = 0; k < d; k++) acc[k] += e * va[j * d + k];
          z += e;
        }
        energySum += z / h.beta;
        const c = h.normalize === "sa" ? 1 / z : 1 / n;
        for (let k = 0; k < d; k++) f[k] += c * acc[k];
      }
      projectInto(d, i, f, x, v, frozen !== null && frozen[i] !== 0);
    }
    return energySum / (2 * n * n);
  }

  /** v = V(x): the projected velocity of every particle; returns E(x). */
  private velocity(x: Float64Array, v: Float64Array): number {
    if (this.problem.attention) return this.attentionVelocity(x, v);
    const { n, dim: d, gauges, labels, frozen, normalize } = this.problem;
    const gx = this.gx, acc = this.acc, f = this.f;
    for (let j = 0; j < n; j++) {
      if (gauges) applyMatrix(d, gauges, labels[j] * d * d, x, j * d, gx, j * d);
      else for (let k = 0; k < d; k++) gx[j * d + k] = x[j * d + k];
    }
    let energySum = 0;
    for (let i = 0; i < n; i++) {
      acc.fill(0);
      let norm = 0;
      for (let j = 0; j < n; j++) {
        const u = dot(d, gx, i * d, gx, j * d);
        const w = this.weight(labels[i], labels[j]);
        const kp = this.kappa.prime(u);
        const c = w * kp;
        for (let k = 0; k < d; k++) acc[k] += c * gx[j * d + k];
        norm += c;
        energySum += w * this.kappa.fromPrime(u, kp);
      }
      // F_i = G_{a_i}^T acc / n   (SA: / sum_j W kappa' instead of n)
      if (gauges) applyTranspose(d, gauges, labels[i] * d * d, acc, 0, f, 0);
      else f.set(acc);
      const scale = normalize === "sa" ? 1 / norm : 1 / n;
      for (let k = 0; k < d; k++) f[k] *= scale;
      projectInto(d, i, f, x, v, frozen !== null && frozen[i] !== 0);
    }
    return energySum / (2 * n * n);
  }

  /** out_i = normalize(x_i + (h/2)(a_i + b_i)); with b = a that is normalize(x_i + h a_i). Frozen particles keep x_i. */
  private advance(x: Float64Array, a: Float64Array, b: Float64Array, h: number, out: Float64Array): void {
    const { n, dim: d, frozen } = this.problem;
    for (let i = 0; i < n; i++) {
      if (frozen && frozen[i]) {
        for (let k = 0; k < d; k++) out[i * d + k] = x[i * d + k];
        continue;
      }
      let s = 0;
      for (let k = 0; k < d; k++) {
        const o = i * d + k;
        const y = x[o] + (h / 2) * (a[o] + b[o]);
        out[o] = y;
        s += y * y;
      }
      const inv = 1 / Math.sqrt(s);
      for (let k = 0; k < d; k++) out[i * d + k] *= inv;
    }
  }

  step(method: Method, h: number, count = 1): number {
    checkLive(this.disposed, "step");
    checkStepArguments(method, h, count);
    let e = NaN;
    for (let s = 0; s < count; s++) e = this.stages(method, h);
    return e;
  }

  heunStep(h: number): HeunStep {
    checkLive(this.disposed, "heunStep");
    checkStepArguments("heun", h, 1);
    const energy = this.stages("heun", h);
    return { energy, error: maxRowDistance(this.x, this.problem.dim, this.states[ERROR_AGAINST]) };
  }

  /** One step: the method's stages in order (engines/schedule.ts); returns E before the step. */
  private stages(method: Method, h: number): number {
    const x = this.states, v = this.velocities;
    let energy = NaN, first = true;
    for (const s of STEP_STAGES[method]) {
      if (s.kind === "velocity") {
        const e = this.velocity(x[s.at], v[s.into]);
        if (first) energy = e;
        first = false;
      } else {
        this.advance(x[s.from], v[s.a], v[s.b], h, x[s.into]);
      }
    }
    return energy;
  }

  evaluate(velocityOut?: Float64Array): Evaluation {
    checkLive(this.disposed, "evaluate");
    checkOutArray("evaluate(velocityOut)", velocityOut, this.x.length);
    const energy = this.velocity(this.x, this.k1);
    let s = 0;
    for (let q = 0; q < this.k1.length; q++) s += this.k1[q] * this.k1[q];
    if (velocityOut) velocityOut.set(this.k1);
    return { energy, meanSquaredSpeed: s / this.problem.n };
  }

  /** Marks the engine disposed: every later call throws. */
  dispose(): void {
    this.disposed = true;
  }
}

/** v_i = P_{x_i} f = f - <f, x_i> x_i (0 for a frozen particle). */
function projectInto(d: number, i: number, f: Float64Array, x: Float64Array, v: Float64Array, frozen: boolean): void {
  if (frozen) {
    for (let k = 0; k < d; k++) v[i * d + k] = 0;
    return;
  }
  const fx = dot(d, f, 0, x, i * d);
  for (let k = 0; k < d; k++) v[i * d + k] = f[k] - fx * x[i * d + k];
}
