// Points on the unit sphere S^{d-1}: normalisation and seeded samplers.
// Vectors live in flat arrays, particle i at [i*d, (i+1)*d).
import type { Random } from "./random.js";

/** Scales x[off..off+d) to unit length; returns the original norm. */
export function normalizeInPlace(d: number, x: Float64Array, off: number): number {
  let s = 0;
  for (let k = 0; k < d; k++) s += x[off + k] * x[off + k];
  const r = Math.sqrt(s);
  for (let k = 0; k < d; k++) x[off + k] /= r;
  return r;
}

/** A uniform point on S^{d-1} (a normalised Gaussian vector) into out[off..]. */
export function sampleUniform(rng: Random, d: number, out: Float64Array, off: number): void {
  let r = 0;
  do {
    for (let k = 0; k < d; k++) out[off + k] = rng.normal();
    r = normalizeInPlace(d, out, off);
  } while (!(r > 1e-12));
}

/**
 * A uniform point of the spherical cap {x : angle(x, c) <= radius} into out[off..].
 * The polar angle has density proportional to sin(theta)^(d-2) on [0, radius]: drawn from
 * theta = radius U^(1/(d-1)) (density proportional to theta^(d-2)) and accepted with
 * probability (sin(theta)/theta)^(d-2) <= 1; the direction is uniform in the tangent space at c.
 */
export function sampleCap(rng: Random, d: number, center: Float64Array, radius: number, out: Float64Array, off: number): void {
  let theta: number;
  for (;;) {
    theta = radius * Math.pow(rng.uniform(), 1 / (d - 1));
    const ratio = theta === 0 ? 1 : Math.sin(theta) / theta;
    if (d === 2 || rng.uniform() <= Math.pow(ratio, d - 2)) break;
  }
  const t = new Float64Array(d);
  let nt = 0;
  do {
    for (let k = 0; k < d; k++) t[k] = rng.normal();
    let c = 0;
    for (let k = 0; k < d; k++) c += t[k] * center[k];
    for (let k = 0; k < d; k++) t[k] -= c * center[k];
    nt = normalizeInPlace(d, t, 0);
  } while (!(nt > 1e-12));
  const cs = Math.cos(theta), sn = Math.sin(theta);
  for (let k = 0; k < d; k++) out[off + k] = cs * center[k] + sn * t[k];
  normalizeInPlace(d, out, off);
}

/** Angle between two unit vectors, accurate for small angles too (2 asin(|x-y|/2)). */
export function angleBetween(d: number, x: ArrayLike<number>, xOff: number, y: ArrayLike<number>, yOff: number): number {
  let s = 0;
  for (let k = 0; k < d; k++) {
    const t = x[xOff + k] - y[yOff + k];
    s += t * t;
  }
  return 2 * Math.asin(Math.min(1, Math.sqrt(s) / 2));
}

/** The first particle whose norm is not finite or differs from 1 by more than tol, or -1. */
export function firstOffSphere(x: ArrayLike<number>, n: number, d: number, tol: number): number {
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += x[i * d + k] * x[i * d + k];
    if (!(Math.abs(Math.sqrt(s) - 1) <= tol)) return i;
  }
  return -1;
}

/** |x_i|. */
export function normAt(x: ArrayLike<number>, i: number, d: number): number {
  let s = 0;
  for (let k = 0; k < d; k++) s += x[i * d + k] * x[i * d + k];
  return Math.sqrt(s);
}

/** max_i |x_i - y_i| over rows of length d (y absent: max_i |x_i|); NaN if any entry is NaN. */
export function maxRowDistance(x: ArrayLike<number>, d: number, y?: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < x.length; i += d) {
    let s = 0;
    for (let k = 0; k < d; k++) s += (x[i + k] - (y ? y[i + k] : 0)) ** 2;
    if (!(s <= worst)) worst = s;
  }
  return Math.sqrt(worst);
}
