// The equiangular reduction of the USA and SA flows (W = 1, G = I, kappa = exp(beta u)/beta).
//
// Derivation (docs/model.md "Dynamics"). Suppose <x_i, x_j> = rho for every i != j and let S = sum_j x_j,
// so <S, x_i> = 1 + (n-1) rho for every i. With kappa'(u) = exp(beta u),
//   sum_j kappa'(<x_i,x_j>) x_j = e^beta x_i + e^{beta rho} (S - x_i),
// and P_{x_i}(x_i) = 0, P_{x_i}(S) = S - (1 + (n-1) rho) x_i. Hence
//   USA: dx_i/dt = (1/n) e^{beta rho} P_{x_i}(S)
//   SA:  dx_i/dt = e^{beta rho} P_{x_i}(S) / Z,  Z = e^beta + (n-1) e^{beta rho}   (the softmax sum)
// and <P_{x_i}(S), x_j> = (1 + (n-1) rho) - (1 + (n-1) rho) rho = (1 + (n-1) rho)(1 - rho), so
// d<x_i,x_j>/dt = <dx_i/dt, x_j> + <x_i, dx_j/dt> is the same for every pair:
//   USA: drho/dt = (2/n) e^{beta rho} (1 + (n-1) rho)(1 - rho)
//   SA:  drho/dt = 2 e^{beta rho} (1 + (n-1) rho)(1 - rho) / (e^beta + (n-1) e^{beta rho})
// Every dx_i/dt is a combination of the x_j with coefficients that are functions of the Gram
// matrix, so the Gram matrix obeys a closed ODE; the equiangular Gram matrices
// (1 - rho) I + rho 1 1^T are mapped to the same family, hence invariant (by uniqueness).
// On the "fast" time scale tau = e^beta t the USA rate is multiplied by e^{-beta}; the SA rate does
// not change (the normalisation cancels the factor). Both rates vanish at rho = 1 (collapse, stable)
// and at rho = -1/(n-1) (the regular simplex, unstable), and are positive in between, so rho(t)
// increases monotonically to 1 from any rho0 in (-1/(n-1), 1). At beta = 0 both read
// drho/dt = (2/n)(1 + (n-1) rho)(1 - rho), whose solution is (1 + (n-1) rho)/(1 - rho) = C e^{2t}.
import { ConfigError } from "./errors.js";
import { requireNumber, requireOneOf } from "./validate.js";

/** The reduced model: particle count, beta, normalisation and time scale of the flow it reduces. */
export interface EquiangularModel {
  /** number of particles, >= 2 */
  n: number;
  /** beta >= 0 (0 is allowed here: the linear-in-time limit with a closed form) */
  beta: number;
  /** "usa" (1/n, default) or "sa" (softmax sum) */
  normalize?: "usa" | "sa";
  /** "natural" (default) or "fast" (tau = e^beta t; changes USA only), as the problem's timeScale */
  timeScale?: "natural" | "fast";
}

interface Resolved { n: number; beta: number; sa: boolean; fast: boolean }

function resolve(m: EquiangularModel): Resolved {
  if (typeof m !== "object" || m === null) throw new ConfigError("model", m, "an object { n, beta, normalize?, timeScale? }");
  const n = requireNumber("model.n", m.n, { integer: true, min: 2, max: 1 << 30 });
  const sa = (m.normalize === undefined ? "usa" : requireOneOf("model.normalize", m.normalize, ["usa", "sa"] as const)) === "sa";
  const fast = (m.timeScale === undefined ? "natural" : requireOneOf("model.timeScale", m.timeScale, ["natural", "fast"] as const)) === "fast";
  // natural-scale USA carries e^beta: beyond 700 it overflows a double (as in defineProblem)
  const beta = requireNumber("model.beta", m.beta, { min: 0, max: sa || fast ? 1e5 : 700 });
  return { n, beta, sa, fast };
}

/** The smallest equiangular inner product for n unit vectors: -1/(n-1) (the regular simplex). */
export function equiangularMin(n: number): number {
  return -1 / (n - 1);
}

function rate(r: Resolved, rho: number): number {
  const { n, beta } = r;
  const g = (1 + (n - 1) * rho) * (1 - rho);
  const e = Math.exp(beta * (rho - 1)); // the shifted exponent e^{beta(rho - 1)} <= 1
  if (r.sa) return (2 * e * g) / (1 + (n - 1) * e);
  return (2 / n) * (r.fast ? e : Math.exp(beta * rho)) * g;
}

/** drho/dt of the reduced model at rho (formulas in this file's header). */
export function equiangularRate(model: EquiangularModel, rho: number): number {
  return rate(resolve(model), requireNumber("rho", rho));
}

function checkRho0(n: number, rho0: number): number {
  return requireNumber("rho0", rho0, { min: equiangularMin(n), max: 1 });
}

/** Options of the scalar solver. */
export interface EquiangularSolveOptions {
  /** local error tolerance per RK4 step (absolute, on rho); default 1e-13 */
  tol?: number;
}

/**
 * rho(t) at every time of `times` (non-decreasing, >= 0), from rho(0) = rho0: classical RK4 with
 * step-doubling error control (each step is taken whole and as two halves; the difference / 15
 * estimates the local error, which is kept <= tol, and the extrapolated value is kept). Steps land
 * exactly on every requested time. Against the closed form at beta = 0 and the quadrature of
 * `equiangularHittingTime`, the error is below 1e-11 (test/equiangular.test.ts).
 */
export function solveEquiangular(model: EquiangularModel, rho0: number, times: ArrayLike<number>, options: EquiangularSolveOptions = {}): Float64Array {
  const r = resolve(model);
  let rho = checkRho0(r.n, rho0);
  const tol = options.tol === undefined ? 1e-13 : requireNumber("tol", options.tol, { above: 0, max: 1e-3 });
  if (!times || typeof times.length !== "number" || times.length === 0) throw new ConfigError("times", times, "a non-empty array of times >= 0, non-decreasing");
  const out = new Float64Array(times.length);
  const f = (y: number): number => rate(r, y);
  const rk4 = (y: number, h: number): number => {
    const k1 = f(y), k2 = f(y + 0.5 * h * k1), k3 = f(y + 0.5 * h * k2), k4 = f(y + h * k3);
    return y + (h / 6) * (k1 + 2 * k2 + 2 * k3 + k4);
  };
  let t = 0;
  // first step: the time to move rho by 1e-3 at the initial rate (at most 1); then step doubling
  let h = Math.min(1, 1e-3 / Math.max(Math.abs(f(rho)), 1e-300));
  for (let q = 0; q < times.length; q++) {
    const target = requireNumber(`times[${q}]`, times[q], { min: q === 0 ? 0 : (times[q - 1] as number) });
    while (t < target) {
      const last = t + h >= target;
      const step = last ? target - t : h;
      const whole = rk4(rho, step);
      const halves = rk4(rk4(rho, step / 2), step / 2);
      const err = Math.abs(halves - whole) / 15;
      if (err <= tol || step < 1e-300) {
        rho = Math.min(1, halves + (halves - whole) / 15);
        t = last ? target : t + step;
      }
      const grow = err === 0 ? 4 : Math.min(4, Math.max(0.2, 0.9 * Math.pow(tol / err, 0.2)));
      h = step * grow;
    }
    out[q] = rho;
  }
  return out;
}

/**
 * The time at which rho(t), started at rho0, first reaches `threshold`: 0 if rho0 >= threshold,
 * Infinity if never (threshold 1 from below 1, or rho0 = -1/(n-1), a fixed point). rho is
 * increasing, so t* = integral from rho0 to threshold of d rho / rate(rho), computed by adaptive
 * Simpson quadrature to a relative 1e-12 after the substitution rho = 1 - (1 - rho0) e^{-s}, which
 * makes the integrand bounded up to threshold -> 1.
 */
export function equiangularHittingTime(model: EquiangularModel, rho0: number, threshold: number): number {
  const r = resolve(model);
  const a = checkRho0(r.n, rho0);
  const b = requireNumber("threshold", threshold, { min: equiangularMin(r.n), max: 1 });
  if (a >= b) return 0;
  if (b === 1 || a === equiangularMin(r.n)) return Infinity;
  // rho = 1 - (1 - a) e^{-s}: d rho = (1 - rho) ds, so dt = (1 - rho) ds / rate(rho)
  const g = (s: number): number => { const rho = 1 - (1 - a) * Math.exp(-s); return (1 - rho) / rate(r, rho); };
  const sEnd = Math.log((1 - a) / (1 - b));
  return adaptiveSimpson(g, 0, sEnd, 1e-12);
}

/** Adaptive Simpson quadrature of f on [a, b] to a relative tolerance. */
function adaptiveSimpson(f: (x: number) => number, a: number, b: number, rtol: number): number {
  const a0 = a, b0 = b;
  const fa = f(a), fb = f(b), m = 0.5 * (a + b), fm = f(m);
  const whole = ((b - a) / 6) * (fa + 4 * fm + fb);
  const scale = Math.abs(whole);
  const rec = (a: number, b: number, fa: number, fm: number, fb: number, s: number, depth: number): number => {
    const m = 0.5 * (a + b), lm = 0.5 * (a + m), rm = 0.5 * (m + b);
    const flm = f(lm), frm = f(rm);
    const left = ((m - a) / 6) * (fa + 4 * flm + fm), right = ((b - m) / 6) * (fm + 4 * frm + fb);
    const diff = left + right - s;
    if (depth >= 50 || Math.abs(diff) <= 15 * rtol * scale * ((b - a) / (b0 - a0))) return left + right + diff / 15;
    return rec(a, m, fa, flm, fm, left, depth + 1) + rec(m, b, fm, frm, fb, right, depth + 1);
  };
  return rec(a, b, fa, fm, fb, whole, 0);
}

/**
 * n unit vectors in R^d with <x_i, x_j> = rho0 for every i != j, particle-major (n*d):
 * x_i = a e_i + b (1, ..., 1, 0, ...), the ones on the first n axes, with a = sqrt(1 - rho0) and
 * b = (sqrt(1 + (n-1) rho0) - a)/n. Their Gram matrix (1 - rho0) I + rho0 1 1^T has rank n unless
 * rho0 is 1 or -1/(n-1), so d >= n is required (and used); rho0 in [-1/(n-1), 1].
 */
export function equiangularConfiguration(n: number, d: number, rho0: number): Float64Array {
  requireNumber("n", n, { integer: true, min: 2, max: 1 << 20 });
  requireNumber("d", d, { integer: true, min: n, max: 1 << 20 });
  checkRho0(n, rho0);
  const a = Math.sqrt(1 - rho0);
  const b = (Math.sqrt(Math.max(0, 1 + (n - 1) * rho0)) - a) / n;
  const x = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) x[i * d + k] = b;
    x[i * d + i] += a;
  }
  return x;
}

/** The mean and the spread (max - min) of <x_i, x_j> over the pairs i < j of a state (n*d). */
export function pairwiseInnerProducts(x: ArrayLike<number>, n: number, d: number): { mean: number; spread: number } {
  let sum = 0, lo = Infinity, hi = -Infinity;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += x[i * d + k] * x[j * d + k];
      sum += s;
      if (s < lo) lo = s;
      if (s > hi) hi = s;
    }
  }
  return { mean: sum / ((n * (n - 1)) / 2), spread: hi - lo };
}
