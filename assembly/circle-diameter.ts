// The diameter of one large label on the circle (d = 2) in O(m + B) by angle bins, certified
// (diameter.ts calls it before the sorted angles; docs/diagnostics.md "The conditional diameter").
//
// Each point z_p of the label gets the diamond angle of circle-linkage.ts; [0, 4] is cut into
// B = DG_MAX_BINS bins, each keeping its points of least and largest key. The antipode of a key k
// is k + 2 (mod 4) exactly, so the antipode of bin b is bin b + B/2. A bin's points lie on the arc
// from the true angle of its least point to that of its largest, widened by the order's rounding
// delta. For a pair of bins, every pair of their points is within
//   (R - r)^2 + 4 R^2 sin^2(Theta / 2)
// (R, r the largest and smallest |z|, Theta the largest circular angle between the two arcs: pi
// where one meets the other's antipode, else between end points). Over the bins facing bin b,
// Theta is largest at the non-empty bins nearest b's antipode on either side, so the upper end is
// the largest bound over b and those two; the lower end is the largest distance between the four
// end points of each such pair (computed as the rows' distances, as every other path does). Where
// the largest Theta falls between end points (no antipodal overlap), those end points realise it:
// on the circle the two ends then agree to rounding.

import { DG_STATE, DG_STRIDE, DG_MEMBERS, DG_MAX_BINS, DG_BIN_BYTES } from "./diag-layout";
import { UNIT, rowDist2 } from "./kdtree";
import { BIN_MIN, BIN_MAX, BIN_ARGMIN, BIN_ARGMAX, diamondKey } from "./circle-linkage";

/** Bound on the rounding of the angle order and of atan2, in radians. */
const DELTA: f64 = 128 * UNIT;
const TWO_PI: f64 = 2 * Math.PI;

const EMPTY: i32 = i32.MAX_VALUE;

/** The squared lower and upper ends found by the last circleBinsDiameter, and the work it did. */
export let binsLower2: f64 = 0;
export let binsUpper2: f64 = 0;
export let binsWork: f64 = 0;

// @ts-ignore: decorator
@inline
function binAt(bins: usize, b: i32): usize {
  return bins + <usize>b * DG_BIN_BYTES;
}

/** The circular distance between two angles, in [0, pi]. */
// @ts-ignore: decorator
@inline
function circular(a: f64, b: f64): f64 {
  let t = Math.abs(a - b);
  t = t - TWO_PI * Math.floor(t / TWO_PI);
  return t <= Math.PI ? t : TWO_PI - t;
}

/** The forward angle from a to b, in [0, 2 pi). */
// @ts-ignore: decorator
@inline
function forward(a: f64, b: f64): f64 {
  const t = b - a;
  return t - TWO_PI * Math.floor(t / TWO_PI);
}

/** Bytes of scratch circleBinsDiameter needs (bins, then the nearest non-empty bins both ways). */
export const CIRCLE_BINS_BYTES: usize = <usize>DG_MAX_BINS * (DG_BIN_BYTES + 8) + 16 * <usize>DG_MAX_BINS;

/** Angle arcs of the bins (f64 lo, hi per bin), after the bins in the scratch. */
let arcs: usize = 0;

/**
 * Label of m points at member positions [s, s + m), rows y_p (particle-major, d = 2) relative to
 * its first point: binsLower2 and binsUpper2 (squared). spare: CIRCLE_BINS_BYTES of scratch.
 */
export function circleBinsDiameter(dg: usize, s: i32, m: i32, rows: usize, spare: usize): void {
  const state = load<usize>(dg + DG_STATE), strideB = <usize>load<i32>(dg + DG_STRIDE) << 3;
  const members = load<usize>(dg + DG_MEMBERS);
  const B = DG_MAX_BINS, half = B >> 1;
  const scale = <f64>B * 0.25;
  const bins = spare;
  const next = bins + <usize>B * DG_BIN_BYTES, prev = next + (<usize>B << 2);
  arcs = prev + (<usize>B << 2);
  for (let b = 0; b < B; b++) {
    const at = binAt(bins, b);
    store<f64>(at + BIN_MIN, Infinity);
    store<f64>(at + BIN_MAX, -Infinity);
    store<i32>(at + BIN_ARGMIN, EMPTY);
    store<i32>(at + BIN_ARGMAX, EMPTY);
  }
  let rMin2: i64 = reinterpret<i64>(Infinity), rMax2: i64 = 0;
  binsLower2 = 0;
  binsUpper2 = Infinity;
  binsWork = <f64>(m + 4 * B);
  for (let p = 0; p < m; p++) {
    const oi = <usize>load<i32>(members + (<usize>(s + p) << 2)) << 3;
    const x = load<f64>(state + oi), y = load<f64>(state + strideB + oi);
    const ax = Math.abs(x), ay = Math.abs(y);
    const sum = ax + ay;
    // a point with no angle: no certificate here
    if (!(sum > 0 && sum < Infinity)) return;
    const r2 = reinterpret<i64>(x * x + y * y);
    rMin2 = select<i64>(r2, rMin2, r2 < rMin2);
    rMax2 = select<i64>(r2, rMax2, r2 > rMax2);
    const key = diamondKey(x, y, ay / sum);
    const b = min(B - 1, <i32>(key * scale));
    const at = binAt(bins, b);
    if (key < load<f64>(at + BIN_MIN)) {
      store<f64>(at + BIN_MIN, key);
      store<i32>(at + BIN_ARGMIN, p);
    }
    if (key > load<f64>(at + BIN_MAX)) {
      store<f64>(at + BIN_MAX, key);
      store<i32>(at + BIN_ARGMAX, p);
    }
  }
  // each non-empty bin's arc: the true angles of its end points, widened by the order's rounding
  let any = -1;
  for (let b = 0; b < B; b++) {
    const at = binAt(bins, b);
    const lo = load<i32>(at + BIN_ARGMIN);
    if (lo == EMPTY) continue;
    any = b;
    const hi = load<i32>(at + BIN_ARGMAX);
    const ol = <usize>load<i32>(members + (<usize>(s + lo) << 2)) << 3, oh = <usize>load<i32>(members + (<usize>(s + hi) << 2)) << 3;
    const a0 = Math.atan2(load<f64>(state + strideB + ol), load<f64>(state + ol)) - DELTA;
    const a1 = Math.atan2(load<f64>(state + strideB + oh), load<f64>(state + oh)) + DELTA;
    store<f64>(arcs + (<usize>b << 4), a0);
    // the arc's width, forward from a0 (a bin spans at most 2 (4 / B) in angle: far below pi)
    store<f64>(arcs + (<usize>b << 4), forward(a0, a1), 8);
  }
  if (any < 0) return;
  // the nearest non-empty bin at or after each bin, and at or before it, around the circle
  let last = any;
  for (let k = 2 * B - 1; k >= 0; k--) {
    const b = k % B;
    if (load<i32>(binAt(bins, b) + BIN_ARGMIN) != EMPTY) last = b;
    if (k < B) store<i32>(next + (<usize>b << 2), last);
  }
  last = any;
  for (let k = 0; k < 2 * B; k++) {
    const b = k % B;
    if (load<i32>(binAt(bins, b) + BIN_ARGMIN) != EMPTY) last = b;
    if (k >= B) store<i32>(prev + (<usize>b << 2), last);
  }
  const R = Math.sqrt(reinterpret<f64>(rMax2)) * (1 + 8 * UNIT), r = Math.sqrt(reinterpret<f64>(rMin2)) * (1 - 8 * UNIT);
  const spread = R - r;
  let theta: f64 = 0, lower2: f64 = 0;
  for (let b = 0; b < B; b++) {
    if (load<i32>(binAt(bins, b) + BIN_ARGMIN) == EMPTY) continue;
    const a = (b + half) % B;
    const f = load<i32>(next + (<usize>a << 2)), g = load<i32>(prev + (<usize>((a + B - 1) % B) << 2));
    theta = max(theta, arcAngle(b, f));
    theta = max(theta, arcAngle(b, g));
    lower2 = max(lower2, endPoints(bins, rows, b, f));
    lower2 = max(lower2, endPoints(bins, rows, b, g));
  }
  const sh = Math.sin(min(Math.PI, theta) * 0.5);
  // the rows' own rounding (each y_p = z_p - z_r to a unit of 2R), then the bound's
  const chord = Math.sqrt(spread * spread + 4 * R * R * sh * sh) * (1 + 64 * UNIT) + 16 * UNIT * R;
  binsLower2 = lower2;
  binsUpper2 = max(lower2, chord * chord * (1 + 16 * UNIT));
}

/** The largest circular angle between a point of bin b's arc and one of bin c's. */
function arcAngle(b: i32, c: i32): f64 {
  const b0 = load<f64>(arcs + (<usize>b << 4)), bw = load<f64>(arcs + (<usize>b << 4), 8);
  const c0 = load<f64>(arcs + (<usize>c << 4)), cw = load<f64>(arcs + (<usize>c << 4), 8);
  // the antipodal arc of b meets c's arc: pi; else pi less the gap between them
  const a0 = b0 + Math.PI;
  if (forward(a0, c0) <= bw || forward(c0, a0) <= cw) return Math.PI;
  const gap = min(circular(a0 + bw, c0), circular(c0 + cw, a0));
  return Math.PI - gap;
}

/** The largest distance (squared, computed on the rows) between the end points of bins b and c. */
function endPoints(bins: usize, rows: usize, b: i32, c: i32): f64 {
  const p0 = load<i32>(binAt(bins, b) + BIN_ARGMIN), p1 = load<i32>(binAt(bins, b) + BIN_ARGMAX);
  const q0 = load<i32>(binAt(bins, c) + BIN_ARGMIN), q1 = load<i32>(binAt(bins, c) + BIN_ARGMAX);
  return max(max(rowDist2(rows, p0, q0, 2), rowDist2(rows, p0, q1, 2)), max(rowDist2(rows, p1, q0, 2), rowDist2(rows, p1, q1, 2)));
}
