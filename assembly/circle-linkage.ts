// Single-linkage clusters on the circle (d = 2) in O(n), certified: the same count as the pair loop
// (pairs with computed |x_i - x_j|^2 <= c^2, summed in k order) whenever the certificates below
// hold; where one does not, the caller falls back to the k-d tree (linkage.ts). docs/diagnostics.md
// ("Clusters on the circle") has the argument.
//
// Each point x_i (the original frame, as diagLinkRows computes it) gets a pseudo-angle, the diamond
// angle in [0, 4] (4 and 0 being the same direction): |y| / (|x| + |y|) turned by quadrant (the
// quadrant from the coordinates' sign bits), increasing with the angle phi at a rate in [1/2, 1]. [0, 4) is cut into B bins of equal width, B ~ 9 / c, so that every pair in
// one bin is linked (certificate 1: ((R - r)^2 + R^2 w^2) (1 + margin) <= c^2, w the bins' angular
// width and R, r the largest and smallest |x|). A bin keeps its least and largest key and their
// particles. Walking the non-empty bins around the circle, consecutive bins' facing points (the
// largest of one, the least of the next) are consecutive in angle order; their computed distance
// either links the two bins or is a cut. The clusters are the runs between cuts: the number of cuts,
// or 1 when there are fewer than two. A pair across a cut would be linked in the pair loop only if
// some cut were within
//   U = ((R - r)^2 + (R / r)^2 (c + 2 r delta)^2) (1 + margin)
// (delta: the angle order's rounding); certificate 2: every cut is above U.
//
// The bins are per thread (its scratch): a unit takes a range of particles and keeps, per bin, the
// least and largest key with the lowest particle index on ties; a one-thread combine merges the
// threads' bins the same way. Min and max are order-free, so the result does not depend on the
// split.

import {
  DG_N, DG_STRIDE, DG_STATE, DG_LABELS, DG_GAUGES, DG_CLUSTERS, DG_BINS, DG_LIMIT, DG_CERTIFIED, DG_MAX_BINS, DG_BIN_BYTES, DG_BIN_HEAD, DG_THREADS, DG_SCRATCHES, DG_SCRATCH,
} from "./diag-layout";
import { UNIT } from "./kdtree";

/** A bin's least key, largest key, and their particles (DG_BIN_BYTES in all; circle-diameter.ts too). */
export const BIN_MIN: usize = 0;
export const BIN_MAX: usize = 8;
export const BIN_ARGMIN: usize = 16;
export const BIN_ARGMAX: usize = 20;
/** The scratch head: the least and largest |x|^2 and a flag (a point with no angle: zero or not finite). */
const HEAD_RMIN2: usize = 0;
const HEAD_RMAX2: usize = 8;
const HEAD_BAD: usize = 16;

/** Bound on the rounding of the angle order, in radians (docs/diagnostics.md). */
const DELTA: f64 = 64 * UNIT;
/** Bins per unit of 1 / c: the bins' angular width is then at most 8 c / 9. */
const BINS_PER_INVERSE_CHORD: f64 = 9;

/** x_i in the original frame: the same operations, in the same order, as diagLinkRows. */
let px: f64 = 0;
let py: f64 = 0;

// @ts-ignore: decorator
@inline
function pointOf(state: usize, strideB: usize, gauges: usize, labels: usize, i: i32): void {
  const oi = <usize>i << 3;
  const z0 = load<f64>(state + oi), z1 = load<f64>(state + strideB + oi);
  if (gauges == 0) {
    px = z0;
    py = z1;
    return;
  }
  const g = gauges + <usize>(load<i32>(labels + (<usize>i << 2)) * 4) * 8;
  let s: f64 = 0;
  s += load<f64>(g) * z0;
  s += load<f64>(g, 16) * z1;
  let t: f64 = 0;
  t += load<f64>(g, 8) * z0;
  t += load<f64>(g, 24) * z1;
  px = s;
  py = t;
}

/** |x_p - x_q|^2 summed in k order, as the pair loop computes it. */
function pairDist2(state: usize, strideB: usize, gauges: usize, labels: usize, p: i32, q: i32): f64 {
  pointOf(state, strideB, gauges, labels, p);
  const ax = px, ay = py;
  pointOf(state, strideB, gauges, labels, q);
  const t0 = ax - px, t1 = ay - py;
  let s: f64 = 0;
  s += t0 * t0;
  s += t1 * t1;
  return s;
}

/**
 * The diamond angle of (x, y) given t = |y| / (|x| + |y|): quadrant by quadrant (I to IV: t, 2 - t,
 * 2 + t, 4 - t), so that it rises with the angle. The quadrant comes from the sign bits, in integer
 * arithmetic: the quadrants come at random, and branches on them would be mispredicted. The key
 * of -z is that of z plus 2 (mod 4), exactly.
 */
// @ts-ignore: decorator
@inline
export function diamondKey(x: f64, y: f64, t: f64): f64 {
  const sx = <i32>(reinterpret<u64>(x) >> 63), sy = <i32>(reinterpret<u64>(y) >> 63);
  const off = <f64>(2 * (sx | sy) + 2 * (sy & ~sx));
  return off + reinterpret<f64>(reinterpret<u64>(t) ^ (<u64>(sx ^ sy) << 63));
}

// @ts-ignore: decorator
@inline
function binAt(scratch: usize, b: i32): usize {
  return scratch + DG_BIN_HEAD + <usize>b * DG_BIN_BYTES;
}

function resetBins(scratch: usize, B: i32): void {
  store<f64>(scratch + HEAD_RMIN2, Infinity);
  store<f64>(scratch + HEAD_RMAX2, 0);
  store<i32>(scratch + HEAD_BAD, 0);
  for (let b = 0; b < B; b++) {
    const at = binAt(scratch, b);
    store<f64>(at + BIN_MIN, Infinity);
    store<f64>(at + BIN_MAX, -Infinity);
    store<i32>(at + BIN_ARGMIN, i32.MAX_VALUE);
    store<i32>(at + BIN_ARGMAX, i32.MAX_VALUE);
  }
}

/**
 * Starts the d = 2 linkage at the squared chord DG_LIMIT: the bin count (from the limit alone) into
 * the block, and empty bins in every thread's scratch. Returns the work (bins reset).
 */
export function diagCircleStart(dg: usize): f64 {
  const limit = load<f64>(dg + DG_LIMIT);
  const c = Math.sqrt(limit);
  const want = c > 0 ? Math.ceil(BINS_PER_INVERSE_CHORD / c) : <f64>DG_MAX_BINS;
  const B = <i32>min(<f64>DG_MAX_BINS, max(4.0, want));
  store<i32>(dg + DG_BINS, B);
  const threads = load<i32>(dg + DG_THREADS), scratch = load<usize>(dg + DG_SCRATCHES);
  for (let t = 0; t < threads; t++) resetBins(scratch + <usize>t * DG_SCRATCH, B);
  return <f64>(B * threads);
}

/** Particles [i0, i1) into the bins of this thread's scratch. Returns the particles visited. */
export function diagCircleBins(dg: usize, i0: i32, i1: i32, scratch: usize): f64 {
  const state = load<usize>(dg + DG_STATE), strideB = <usize>load<i32>(dg + DG_STRIDE) << 3;
  const gauges = load<usize>(dg + DG_GAUGES), labels = load<usize>(dg + DG_LABELS);
  const B = load<i32>(dg + DG_BINS);
  const scale = <f64>B * 0.25;
  // |x|^2 >= 0: its bits order like its values, and integer selects compile without branches
  let rMin2 = reinterpret<i64>(load<f64>(scratch + HEAD_RMIN2)), rMax2 = reinterpret<i64>(load<f64>(scratch + HEAD_RMAX2));
  let bad = load<i32>(scratch + HEAD_BAD);
  for (let i = i0; i < i1; i++) {
    pointOf(state, strideB, gauges, labels, i);
    const x = px, y = py;
    const ax = Math.abs(x), ay = Math.abs(y);
    const s = ax + ay;
    if (!(s > 0 && s < Infinity)) {
      bad = 1;
      continue;
    }
    const r2 = reinterpret<i64>(x * x + y * y);
    rMin2 = select<i64>(r2, rMin2, r2 < rMin2);
    rMax2 = select<i64>(r2, rMax2, r2 > rMax2);
    const key = diamondKey(x, y, ay / s);
    const b = min(B - 1, <i32>(key * scale));
    const at = binAt(scratch, b);
    const lo = load<f64>(at + BIN_MIN);
    if (key < lo || (key == lo && i < load<i32>(at + BIN_ARGMIN))) {
      store<f64>(at + BIN_MIN, key);
      store<i32>(at + BIN_ARGMIN, i);
    }
    const hi = load<f64>(at + BIN_MAX);
    if (key > hi || (key == hi && i < load<i32>(at + BIN_ARGMAX))) {
      store<f64>(at + BIN_MAX, key);
      store<i32>(at + BIN_ARGMAX, i);
    }
  }
  store<f64>(scratch + HEAD_RMIN2, reinterpret<f64>(rMin2));
  store<f64>(scratch + HEAD_RMAX2, reinterpret<f64>(rMax2));
  store<i32>(scratch + HEAD_BAD, bad);
  return <f64>(i1 - i0);
}

/**
 * After diagCircleBins on every particle: merges the threads' bins into thread 0's, walks them,
 * and writes the clusters to DG_CLUSTERS when both certificates hold. DG_CERTIFIED: 1 then, 0 when
 * the caller must count by the k-d tree instead. Returns the work (bins merged, pairs computed).
 */
export function diagCircleCombine(dg: usize): f64 {
  const threads = load<i32>(dg + DG_THREADS), scratch = load<usize>(dg + DG_SCRATCHES);
  const n = load<i32>(dg + DG_N);
  const state = load<usize>(dg + DG_STATE), strideB = <usize>load<i32>(dg + DG_STRIDE) << 3;
  const gauges = load<usize>(dg + DG_GAUGES), labels = load<usize>(dg + DG_LABELS);
  const B = load<i32>(dg + DG_BINS), limit = load<f64>(dg + DG_LIMIT);
  let rMin2 = load<f64>(scratch + HEAD_RMIN2), rMax2 = load<f64>(scratch + HEAD_RMAX2);
  let bad = load<i32>(scratch + HEAD_BAD);
  for (let t = 1; t < threads; t++) {
    const other = scratch + <usize>t * DG_SCRATCH;
    rMin2 = min(rMin2, load<f64>(other + HEAD_RMIN2));
    rMax2 = max(rMax2, load<f64>(other + HEAD_RMAX2));
    bad |= load<i32>(other + HEAD_BAD);
    for (let b = 0; b < B; b++) {
      const to = binAt(scratch, b), from = binAt(other, b);
      const lo = load<f64>(from + BIN_MIN), ilo = load<i32>(from + BIN_ARGMIN);
      const tlo = load<f64>(to + BIN_MIN);
      if (lo < tlo || (lo == tlo && ilo < load<i32>(to + BIN_ARGMIN))) {
        store<f64>(to + BIN_MIN, lo);
        store<i32>(to + BIN_ARGMIN, ilo);
      }
      const hi = load<f64>(from + BIN_MAX), ihi = load<i32>(from + BIN_ARGMAX);
      const thi = load<f64>(to + BIN_MAX);
      if (hi > thi || (hi == thi && ihi < load<i32>(to + BIN_ARGMAX))) {
        store<f64>(to + BIN_MAX, hi);
        store<i32>(to + BIN_ARGMAX, ihi);
      }
    }
  }
  let work = <f64>(B * threads);
  store<i32>(dg + DG_CERTIFIED, 0);
  if (n <= 1) {
    store<f64>(dg + DG_CLUSTERS, <f64>n);
    store<i32>(dg + DG_CERTIFIED, 1);
    return work;
  }
  if (bad != 0) return work;
  // the radii to their rounding (a few units), widened outwards
  const R = Math.sqrt(rMax2) * (1 + 8 * UNIT), r = Math.sqrt(rMin2) * (1 - 8 * UNIT);
  // certificate 1: a bin spans at most 8 / B in key, so 2 (8 / B) in angle, plus the keys' rounding
  const w = 8 / <f64>B + 2 * DELTA;
  const spread = R - r;
  const inBin = (spread * spread + R * R * w * w) * (1 + 128 * UNIT);
  let ok = inBin <= limit;
  // the walk: consecutive non-empty bins, around the circle
  let first = -1, prev = -1, cuts = 0;
  let minCut = Infinity;
  if (ok) {
    for (let b = 0; b < B; b++) {
      if (load<i32>(binAt(scratch, b) + BIN_ARGMIN) == i32.MAX_VALUE) continue;
      if (first < 0) first = b;
      else {
        const s = pairDist2(state, strideB, gauges, labels, load<i32>(binAt(scratch, prev) + BIN_ARGMAX), load<i32>(binAt(scratch, b) + BIN_ARGMIN));
        if (s > limit) { cuts++; minCut = min(minCut, s); }
        work += 1;
      }
      prev = b;
    }
    if (prev != first) {
      const s = pairDist2(state, strideB, gauges, labels, load<i32>(binAt(scratch, prev) + BIN_ARGMAX), load<i32>(binAt(scratch, first) + BIN_ARGMIN));
      if (s > limit) { cuts++; minCut = min(minCut, s); }
      work += 1;
    }
    if (cuts >= 2) {
      // certificate 2: a pair (i, j) across cuts linked in the pair loop has sin(theta_ij / 2) <= c' / (2 r)
      // (c' = c to rounding); the cut between them on the shorter arc is then within U
      const c = Math.sqrt(limit) * (1 + 64 * UNIT);
      const g = (R / r) * (c + 2 * r * DELTA);
      const U = (spread * spread + g * g) * (1 + 128 * UNIT);
      ok = minCut > U;
    }
  }
  if (!ok) return work;
  store<f64>(dg + DG_CLUSTERS, <f64>(cuts >= 2 ? cuts : 1));
  store<i32>(dg + DG_CERTIFIED, 1);
  return work;
}
