// The linked-pair count on the circle (d = 2) in O(n), certified: the number of pairs i < j with
// computed |x_i - x_j|^2 <= c^2 (summed in k order, as the pair loop does), exactly, whenever the
// certificates below hold; where one does not, DG_CERTIFIED is 0 and the caller counts by the k-d
// tree instead (linkage.ts). docs/diagnostics.md ("Linked pairs on the circle") has the argument.
//
// The points (diagLinkRows' rows) are sorted by their diamond key quantised to 32 bits, q = floor(k
// 2^30) (a least-significant-digit radix sort; equal keys keep index order). In that order, a point
// out of place is at most QDELTA (radians) out. Each position p owns a window: the following
// positions (around the circle) whose key gap is at most KW, where KW covers the largest angle a
// linked pair can have; every linked pair lies in exactly one window. Within p's window:
//   [p + 1, e)   linked, counted by index arithmetic: e advances while the computed distance to e is
//                within tIn, below which every pair among positions [p, e] is linked;
//   [e, f)       the band, each pair checked with the pair loop's arithmetic;
//   [f, ...)     not linked: the computed distance to f is above tOut, beyond which no later point
//                of the window is linked to p.
// e and f only move forward (the window of p + 1 holds the linked run of p but p), so the count is
// O(n) plus the band. A band of more than BAND_PER_POINT n pairs (points at the threshold), a point
// at the origin or not finite, an angle above MAX_ANGLE or below the order's resolution: not
// certified.

import { DG_N, DG_ROWS, DG_KEYS, DG_NODES, DG_LIMIT, DG_PAIRS, DG_CERTIFIED } from "./diag-layout";
import { UNIT } from "./kdtree";
import { diamondKey } from "./circle-linkage";

/** 2^30: keys in [0, 4] to 32-bit integers. */
const KEY_SCALE: f64 = 1073741824;
/** Largest quantised key (a key of exactly 4, the direction of 0, is put one quantum below it). */
const KEY_TOP: f64 = 4294967295;
/**
 * Bound on how far, in angle, the quantised order can put two points out of place: two quanta of key
 * (floor, and the top clamp), doubled (the key rises at a rate of at least 1/2), plus the keys'
 * rounding (circle-linkage.ts DELTA).
 */
const QDELTA: f64 = 4 / KEY_SCALE + 64 * UNIT;
/** Largest angle of a linked pair for which the windows stay under half the circle. */
const MAX_ANGLE: f64 = 1.5;
/** Band pairs allowed per point before the tree counts instead. */
const BAND_PER_POINT: i64 = 16;

/** Radix digits over the quantised key (bits 32 to 63 of the packed entries): 11, 11 and 10 bits. */
const RADIX_BITS: i32 = 11;
const RADIX_SIZE: i32 = 1 << RADIX_BITS;
/** Bytes of the sort's counters (three digit histograms), in the caller's scratch. */
export const PAIRS_COUNT_BYTES: usize = <usize>(3 * RADIX_SIZE) << 2;

let work: f64 = 0;

// @ts-ignore: decorator
@inline
function dist2(sorted: usize, p: i32, q: i32): f64 {
  const a = sorted + (<usize>p << 4), b = sorted + (<usize>q << 4);
  const t0 = load<f64>(a) - load<f64>(b), t1 = load<f64>(a, 8) - load<f64>(b, 8);
  let s: f64 = 0;
  s += t0 * t0;
  s += t1 * t1;
  return s;
}

// @ts-ignore: decorator
@inline
function keyAt(packed: usize, q: i32): i64 {
  return <i64>(load<u64>(packed + (<usize>q << 3)) >> 32);
}

/**
 * Sorts the n packed entries (quantised key << 32 | index) at a by key, stably, through b; counts
 * holds the three digit histograms. Returns where the sorted entries are (a or b).
 */
function radixSort(a: usize, b: usize, n: i32, counts: usize): usize {
  let src = a, dst = b;
  for (let pass = 0; pass < 3; pass++) {
    const c = counts + (<usize>(pass * RADIX_SIZE) << 2);
    const shift = <u64>(32 + pass * RADIX_BITS);
    // exclusive prefix sums; one full bucket means every key has this digit: nothing to move
    let sum = 0, full = false;
    for (let d = 0; d < RADIX_SIZE; d++) {
      const at = c + (<usize>d << 2), k = load<i32>(at);
      if (k == n) full = true;
      store<i32>(at, sum);
      sum += k;
    }
    if (full) continue;
    for (let i = 0; i < n; i++) {
      const v = load<u64>(src + (<usize>i << 3));
      const at = c + (<usize>((v >> shift) & <u64>(RADIX_SIZE - 1)) << 2);
      const to = load<i32>(at);
      store<i32>(at, to + 1);
      store<u64>(dst + (<usize>to << 3), v);
    }
    work += <f64>n;
    const t = src; src = dst; dst = t;
  }
  return src;
}

/**
 * After diagLinkRows on every particle, and the squared chord in DG_LIMIT: the linked pairs into
 * DG_PAIRS, with DG_CERTIFIED 1; or DG_CERTIFIED 0 when the tree must count. Uses the keys region,
 * the tree's node region (24 n bytes) and PAIRS_COUNT_BYTES of `scratch`. One thread. Returns the
 * work (points sorted and pairs computed).
 */
export function diagCirclePairs(dg: usize, scratch: usize): f64 {
  const n = load<i32>(dg + DG_N), limit = load<f64>(dg + DG_LIMIT);
  const rows = load<usize>(dg + DG_ROWS);
  const a = load<usize>(dg + DG_KEYS), b = load<usize>(dg + DG_NODES);
  const sorted = b + (<usize>n << 3);
  store<i32>(dg + DG_CERTIFIED, 0);
  work = <f64>n;
  if (n < 2) {
    store<f64>(dg + DG_PAIRS, 0);
    store<i32>(dg + DG_CERTIFIED, 1);
    return work;
  }
  // keys, radii and the digit histograms
  memory.fill(scratch, 0, PAIRS_COUNT_BYTES);
  const c0 = scratch, c1 = scratch + (<usize>RADIX_SIZE << 2), c2 = scratch + (<usize>RADIX_SIZE << 3);
  let rMin2: f64 = Infinity, rMax2: f64 = 0;
  for (let i = 0; i < n; i++) {
    const x = load<f64>(rows + (<usize>i << 4)), y = load<f64>(rows + (<usize>i << 4), 8);
    const ax = Math.abs(x), ay = Math.abs(y);
    const s = ax + ay;
    if (!(s > 0 && s < Infinity)) return work;
    const r2 = x * x + y * y;
    rMin2 = min(rMin2, r2);
    rMax2 = max(rMax2, r2);
    const q = <u64>min(diamondKey(x, y, ay / s) * KEY_SCALE, KEY_TOP);
    store<u64>(a + (<usize>i << 3), (q << 32) | <u64><u32>i);
    const h0 = c0 + (<usize>(q & <u64>(RADIX_SIZE - 1)) << 2);
    store<i32>(h0, load<i32>(h0) + 1);
    const h1 = c1 + (<usize>((q >> <u64>RADIX_BITS) & <u64>(RADIX_SIZE - 1)) << 2);
    store<i32>(h1, load<i32>(h1) + 1);
    const h2 = c2 + (<usize>(q >> <u64>(2 * RADIX_BITS)) << 2);
    store<i32>(h2, load<i32>(h2) + 1);
  }
  // the radii to their rounding, widened outwards; underflow or overflow: no certificate
  if (!(rMin2 > 0 && rMax2 < Infinity)) return work;
  const R = Math.sqrt(rMax2) * (1 + 8 * UNIT), r = Math.sqrt(rMin2) * (1 - 8 * UNIT);
  const spread = R - r, spread2 = spread * spread * (1 + 4 * UNIT);
  const c = Math.sqrt(limit) * (1 + 8 * UNIT);
  const step = 2 * QDELTA;
  // a linked pair has 4 r^2 sin^2(theta / 2) <= |x_i - x_j|^2 <= c^2 (to rounding): theta <= thetaMax
  const sinHalf = c / (2 * r);
  if (!(sinHalf <= Math.sin(MAX_ANGLE * 0.5)) || !(c > 8 * step)) return work;
  const thetaMax = 2 * Math.asin(sinHalf) * (1 + 16 * UNIT);
  // its key gap is at most thetaMax (the key rises at most as fast as the angle) plus three quanta
  const KW = <i64>(thetaMax * KEY_SCALE) + 4;
  // tIn: a pair within it spans an arc (widened by step) of which every pair is linked:
  //   (R - r)^2 + R^2 (sqrt(tIn) / r + step)^2 <= c^2 (to rounding)
  let tIn: f64 = -1;
  const inner = limit * (1 - 8 * UNIT) - spread2;
  if (inner > 0) {
    const top = Math.sqrt(inner) / R;
    const g = (top - step) * r;
    if (top - step > 0.5 * top) tIn = g * g * (1 - 64 * UNIT);
  }
  // tOut: no point after one beyond it in the window is linked:
  //   r (sqrt(tOut - (R - r)^2) / R - step) > c (to rounding)
  const h = (R / r) * (c + step * r);
  const tOut = (spread2 + h * h) * (1 + 64 * UNIT);
  if (!(tOut < Infinity)) return work;

  const packed = radixSort(a, b, n, scratch);
  for (let q = 0; q < n; q++) {
    const i = <usize>(load<u64>(packed + (<usize>q << 3)) & 0xffffffff);
    memory.copy(sorted + (<usize>q << 4), rows + (i << 4), 16);
  }
  work += <f64>n;
  // the windows: positions p + 1 .. p + n - 1 around the circle, a wrapped one's key raised by 2^32
  const WRAP: i64 = <i64>1 << 32;
  const budget = BAND_PER_POINT * <i64>n + 65536;
  let e = 1, f = 1;
  let linked: i64 = 0, band: i64 = 0;
  for (let p = 0; p < n; p++) {
    const kp = keyAt(packed, p);
    const end = p + n;
    if (e <= p) e = p + 1;
    while (e < end) {
      const j = e < n ? e : e - n;
      if (keyAt(packed, j) + (e < n ? 0 : WRAP) - kp > KW) break;
      if (!(dist2(sorted, p, j) <= tIn)) break;
      e++;
    }
    linked += <i64>(e - p - 1);
    if (f < e) f = e;
    // the band carried from p - 1, then extended until a point is beyond tOut
    for (let m = e; m < f; m++) {
      if (dist2(sorted, p, m < n ? m : m - n) <= limit) linked++;
    }
    while (f < end) {
      const j = f < n ? f : f - n;
      if (keyAt(packed, j) + (f < n ? 0 : WRAP) - kp > KW) break;
      const s = dist2(sorted, p, j);
      if (s > tOut) break;
      if (s <= limit) linked++;
      f++;
    }
    band += <i64>(f - e);
    if (band > budget) return work + <f64>band;
  }
  work += <f64>(2 * n) + <f64>band;
  store<f64>(dg + DG_PAIRS, <f64>linked);
  store<i32>(dg + DG_CERTIFIED, 1);
  return work;
}
