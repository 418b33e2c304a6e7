// Laws on the circle made of uniform pieces (atoms are pieces of length 0): the mean-field
// solver's output, and the empirical law of particle angles. Exact cell masses and exact
// Wasserstein-1 distances between such laws.
import { ConfigError } from "../errors.js";

const TWO_PI = 2 * Math.PI;

/**
 * A law on the circle: piece p spreads mass[p] evenly over the arc from start[p] to
 * start[p] + length[p] (radians, counterclockwise; length 0 is an atom, at most 2 pi).
 */
export interface PiecewiseUniformLaw {
  readonly start: Float64Array;
  readonly length: Float64Array;
  readonly mass: Float64Array;
}

/** The empirical law of angles (radians, any representatives): an atom of mass 1/n at each. */
export function empiricalCircleLaw(angles: ArrayLike<number>): PiecewiseUniformLaw {
  const n = angles.length;
  if (n === 0) throw new ConfigError("angles", "an empty sample", "a non-empty sample");
  return { start: Float64Array.from(angles), length: new Float64Array(n), mass: new Float64Array(n).fill(1 / n) };
}

function wrap(t: number): number {
  const r = t % TWO_PI;
  return r < 0 ? r + TWO_PI : r;
}

/**
 * The density on M equal cells of [-pi, pi) (cell c is [-pi + c h, -pi + (c+1) h), h = 2 pi / M):
 * each cell's mass divided by h, written into out. Each piece's mass is split exactly among the
 * cells it covers (the last share is the remainder), so the cell masses sum to the total mass up
 * to one rounding per piece, and the density is >= 0 whenever every mass is.
 */
export function cellDensity(law: PiecewiseUniformLaw, M: number, out: Float64Array = new Float64Array(M)): Float64Array {
  out.fill(0);
  const h = TWO_PI / M;
  const { start, length, mass } = law;
  for (let p = 0; p < mass.length; p++) {
    const m = mass[p];
    if (m === 0) continue;
    // position in cell units from -pi, in [0, M)
    let a = wrap(start[p] + Math.PI) / h;
    if (a >= M) a -= M;
    const len = length[p] / h;
    let c = Math.floor(a);
    if (len === 0) { out[c] += m; continue; }
    let left = m, at = a, rest = len;
    for (;;) {
      const room = c + 1 - at;
      if (rest <= room) { out[c] += left; break; }
      const share = (m * room) / len;
      out[c] += share;
      left -= share;
      rest -= room;
      at = c + 1;
      c++;
      if (c === M) { c = 0; at = 0; }
    }
  }
  for (let c = 0; c < M; c++) out[c] /= h;
  return out;
}

/**
 * A law's cumulative mass F(t) from angle 0, prepared for W1: F(0+) = `start`, slope `startSlope`
 * just after 0, then at each event angle (increasing, in [0, 2 pi)) a jump and a slope change.
 */
export interface CircleCdf {
  readonly at: Float64Array;
  readonly jump: Float64Array;
  readonly slope: Float64Array;
  readonly start: number;
  readonly startSlope: number;
}

/**
 * Pieces shorter than this (radians) enter W1 as atoms at their midpoint, and consecutive atoms
 * closer than this as one: that moves mass by at most this (W1 changes by at most this times the
 * mass moved), keeps slopes mass / length, which would cancel in floating point over the sweep,
 * out of the sum, and makes a collapsed law's many pieces a few events.
 */
export const ATOM_LENGTH = 1e-8;

/** The cumulative mass of a law, sorted once (O(P log P)); reuse it for many W1 distances. */
export function circleCdf(law: PiecewiseUniformLaw): CircleCdf {
  const { start, length, mass } = law;
  const P = mass.length;
  let equalAtoms = P > 0;
  for (let p = 0; p < P && equalAtoms; p++) equalAtoms = length[p] === 0 && mass[p] === mass[0];
  if (equalAtoms) {
    // a sample: a native numeric sort of the angles
    const at = Float64Array.from(start, wrap).sort();
    return { at, jump: new Float64Array(P).fill(mass[0]), slope: new Float64Array(P), start: 0, startSlope: 0 };
  }
  const at: number[] = [], jump: number[] = [], slope: number[] = [];
  let f0 = 0, s0 = 0;
  for (let p = 0; p < P; p++) {
    const m = mass[p], len = length[p];
    if (m === 0) continue;
    if (len < ATOM_LENGTH) {
      const t = wrap(start[p] + len / 2), k = at.length - 1;
      // consecutive atoms closer than ATOM_LENGTH (a collapsed law's pieces) become one event
      if (k >= 0 && slope[k] === 0 && Math.abs(at[k] - t) < ATOM_LENGTH) jump[k] += m;
      else { at.push(t); jump.push(m); slope.push(0); }
      continue;
    }
    const t0 = wrap(start[p]);
    const rate = m / len, t1 = t0 + len;
    at.push(t0); jump.push(0); slope.push(rate);
    if (t1 < TWO_PI) {
      at.push(t1); jump.push(0); slope.push(-rate);
    } else {
      // the piece wraps past 2 pi: its part beyond is in F from angle 0 on
      f0 += rate * (t1 - TWO_PI);
      s0 += rate;
      at.push(t1 - TWO_PI); jump.push(0); slope.push(-rate);
    }
  }
  const order = Uint32Array.from(at.keys()).sort((p, q) => at[p] - at[q]);
  return {
    at: Float64Array.from(order, (k) => at[k]),
    jump: Float64Array.from(order, (k) => jump[k]),
    slope: Float64Array.from(order, (k) => slope[k]),
    start: f0,
    startSlope: s0,
  };
}

/**
 * Wasserstein-1 distance on the circle (arc length) between two laws of equal total mass:
 * W1 = min_c int_0^{2 pi} |F(t) - G(t) - c| dt, F and G the cumulative masses from angle 0
 * (Rabin, Delon and Gousseau, 2011). F - G is piecewise linear with jumps at the atoms, so the
 * integral is exact per piece, and the optimal c (a median of F - G over the circle) is found by
 * bisection on the convex objective's slope, to round-off. Laws may be given prepared
 * (circleCdf) to compare one law with many.
 */
export function circleW1(a: PiecewiseUniformLaw | CircleCdf, b: PiecewiseUniformLaw | CircleCdf): number {
  const A = "at" in a ? a : circleCdf(a), B = "at" in b ? b : circleCdf(b);
  const na = A.at.length, nb = B.at.length;
  // segments of F - G between consecutive events: value y0 at the left end, slope, length
  const y0 = new Float64Array(na + nb + 1), sl = new Float64Array(na + nb + 1), len = new Float64Array(na + nb + 1);
  let value = A.start - B.start, rate = A.startSlope - B.startSlope, prev = 0, segs = 0, i = 0, j = 0;
  for (;;) {
    const ta = i < na ? A.at[i] : Infinity, tb = j < nb ? B.at[j] : Infinity;
    const t = Math.min(ta, tb, TWO_PI);
    if (t > prev) { y0[segs] = value; sl[segs] = rate; len[segs] = t - prev; segs++; value += rate * (t - prev); prev = t; }
    if (t === TWO_PI) break;
    if (ta <= tb) { value += A.jump[i]; rate += A.slope[i]; i++; }
    else { value -= B.jump[j]; rate -= B.slope[j]; j++; }
  }
  let lo = Infinity, hi = -Infinity;
  for (let k = 0; k < segs; k++) { const y1 = y0[k] + sl[k] * len[k]; lo = Math.min(lo, y0[k], y1); hi = Math.max(hi, y0[k], y1); }
  // the objective's slope at c is |{F - G < c}| - |{F - G > c}|, at most 2 pi in size: bisect for
  // |{F - G < c}| = pi until c is known to 1e-15 (W1 then to about 1e-14)
  for (let iter = 0; iter < 100 && hi - lo > 1e-15; iter++) {
    const c = 0.5 * (lo + hi);
    let below = 0;
    for (let k = 0; k < segs; k++) {
      const u0 = y0[k] - c, u1 = y0[k] + sl[k] * len[k] - c;
      if (u0 < 0 && u1 < 0) below += len[k];
      else if (u0 < 0 || u1 < 0) below += (len[k] * -Math.min(u0, u1)) / Math.abs(u1 - u0);
    }
    if (below < Math.PI) lo = c; else hi = c;
  }
  const c = 0.5 * (lo + hi);
  let w = 0;
  for (let k = 0; k < segs; k++) {
    const u0 = y0[k] - c, u1 = y0[k] + sl[k] * len[k] - c;
    if (u0 * u1 >= 0) w += (len[k] * (Math.abs(u0) + Math.abs(u1))) / 2;
    else w += (len[k] * (u0 * u0 + u1 * u1)) / (2 * (Math.abs(u0) + Math.abs(u1)));
  }
  return w;
}
