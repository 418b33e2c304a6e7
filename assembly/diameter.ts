// The conditional diameter (Appendix B.2, Theorem 3): D = max over labels a of
// D_a = max_{a_i = a_j = a} |z_i - z_j|, on the rows of diagRows (z relative to a point of the label).
// Per label, by size and dimension:
//   m <= DG_SMALL:    all pairs, exact;
//   otherwise, first: a lower bound from farthest-point sweeps, the sphere bound D_a <= 2 max |z_i|
//                     and the ball bound D_a <= 2 max |y_i - c| (c: the midpoint of the sweeps'
//                     pair), O(m d); exact where they meet to rounding, an interval where they close
//                     to (1 + tol);
//   then, at d = 2:   for m >= 2 DG_MAX_BINS, angle bins (circle-diameter.ts, O(m + B)); where they
//                     do not close, angles sorted by radix (O(m)), certified (below); exact when
//                     the certificate closes to 1e-12;
//   otherwise:        branch and bound over a k-d tree of the label (kdtree.ts): node pairs whose
//                     box bound is at most the best distance found are dropped, leaf pairs are scanned,
//                     and node pairs whose bound is within (1 + tol) of it are dropped with their
//                     bound kept as the upper end. The result is [lower, upper] with
//                     upper <= (1 + tol) lower, and upper = lower (exact) when nothing was dropped
//                     on the tolerance. Worst case O(m^2 d) (every leaf pair), the pair loop's order.
// docs/diagnostics.md has the argument. Labels are independent: a label's result depends on its
// rows alone, whichever thread takes it.

import {
  DG_D, DG_STRIDE, DG_L, DG_STATE, DG_MEMBERS, DG_STARTS, DG_LABELDIAM, DG_ROWS, DG_KEYS,
  DG_PERM, DG_NODES, DG_TOL, DG_DIAMLO, DG_DIAMUP, DG_LEAF, DG_SMALL, DG_STACK, DG_MAX_BINS,
} from "./diag-layout";
import { binsLower2, binsUpper2, binsWork, circleBinsDiameter } from "./circle-diameter";
import {
  UNIT, boxMax2, kdChildren, kdRoot, kdWork, kdWorkReset, nodeAt, nodeBegin, nodeEnd, pairFirst, pairSecond, pushPair, roundingMargin, rowAt, rowDist2,
} from "./kdtree";

/**
 * Relative width under which an interval counts as exact: the rounding of |z|, of the angles and of
 * the bounds' margins (the tests ask for 1e-12 relative).
 */
const CIRCLE_EXACT: f64 = 1e-12;
/** (1 + CIRCLE_EXACT)^2, for squared distances. */
const EXACT2: f64 = (1 + CIRCLE_EXACT) * (1 + CIRCLE_EXACT);

let work: f64 = 0;
let lower2: f64 = 0;
let upper2: f64 = 0;

/** Index of the first node of label a's tree: room for 2 m / 3 + 1 nodes per label (kdtree.ts). */
// @ts-ignore: decorator
@inline
function nodeBase(starts: usize, a: i32): i32 {
  return <i32>(<i64>load<i32>(starts + (<usize>a << 2)) * 2 / 3) + a;
}

function allPairs(rows: usize, d: i32, m: i32): f64 {
  let best: f64 = 0;
  for (let p = 0; p < m; p++) for (let q = p + 1; q < m; q++) best = max(best, rowDist2(rows, p, q, d));
  work += <f64>m * <f64>(m - 1) * 0.5;
  return best;
}

/** The rows of the farthest pair the sweeps found. */
let pairP: i32 = 0;
let pairQ: i32 = 0;

/** The row farthest from row p (the first on ties); lower2 and the pair updated when it beats them. */
function farthest(rows: usize, d: i32, m: i32, p: i32): i32 {
  let best: f64 = -1, arg = p;
  for (let q = 0; q < m; q++) {
    const s = rowDist2(rows, p, q, d);
    if (s > best) { best = s; arg = q; }
  }
  work += <f64>m;
  if (best > lower2) {
    lower2 = best;
    pairP = p;
    pairQ = arg;
  }
  return arg;
}

/**
 * (2 max_i |y_i - c|)^2 for c the midpoint of the sweeps' pair, with the rounding margin: every
 * pair is within 2 R of each other (|y_i - y_j| <= |y_i - c| + |c - y_j|). Close to the diameter
 * for round labels (a cap, a collapsed blob), whose farthest pair straddles the centre.
 */
function ballBound2(rows: usize, d: i32, m: i32): f64 {
  const a = rowAt(rows, pairP, d), b = rowAt(rows, pairQ, d);
  let best: f64 = 0;
  for (let p = 0; p < m; p++) {
    const r = rowAt(rows, p, d);
    let s: f64 = 0;
    for (let k = 0; k < d; k++) {
      const o = <usize>k << 3;
      const t = load<f64>(r + o) - 0.5 * (load<f64>(a + o) + load<f64>(b + o));
      s += t * t;
    }
    best = max(best, s);
  }
  work += <f64>m;
  // the centre's own rounding does not matter (any point is a centre); the distances' does
  return 4 * best * (1 + roundingMargin(d));
}

/** max_i |z_i|^2 over the members [s, e), from the state. */
function maxNorm2(dg: usize, s: i32, e: i32): f64 {
  const d = load<i32>(dg + DG_D);
  const state = load<usize>(dg + DG_STATE), strideB = <usize>load<i32>(dg + DG_STRIDE) << 3;
  const members = load<usize>(dg + DG_MEMBERS);
  let best: f64 = 0;
  for (let p = s; p < e; p++) {
    const oi = <usize>load<i32>(members + (<usize>p << 2)) << 3;
    let r: f64 = 0;
    for (let k = 0; k < d; k++) {
      const v = load<f64>(state + <usize>k * strideB + oi);
      r += v * v;
    }
    best = max(best, r);
  }
  work += <f64>(e - s);
  return best;
}

/**
 * d = 2, a label of m points r + y_p on a circle: angles theta_p of z_p relative to r, sorted; for
 * each p the points next to theta_p + pi (circularly) are the farthest candidates. lower2 is the
 * largest candidate distance; the certificate
 *   D^2 <= (R - r)^2 + 4 R^2 sin^2(dtheta / 2)
 * (R, r the largest and smallest |z|, dtheta the largest circular angle between two points) bounds
 * every pair from above. Returns true when it is within CIRCLE_EXACT of lower2 (then exact).
 */
function circle(dg: usize, s: i32, m: i32, rows: usize, spare: usize, counts: usize): bool {
  const state = load<usize>(dg + DG_STATE), strideB = <usize>load<i32>(dg + DG_STRIDE) << 3;
  const members = load<usize>(dg + DG_MEMBERS);
  const keys = load<usize>(dg + DG_KEYS) + (<usize>s << 3), perm = load<usize>(dg + DG_PERM) + (<usize>s << 2);
  const oref = <usize>load<i32>(members + (<usize>s << 2)) << 3;
  const rx = load<f64>(state + oref), ry = load<f64>(state + strideB + oref);
  let rMin = Infinity, rMax: f64 = 0;
  for (let p = 0; p < m; p++) {
    const y = rowAt(rows, p, 2);
    const y0 = load<f64>(y), y1 = load<f64>(y, 8);
    // sin and cos of the angle from r to z = r + y, times |r||z|: r x y keeps full precision when y is tiny
    const sn = rx * y1 - ry * y0;
    const zx = rx + y0, zy = ry + y1;
    const cs = rx * zx + ry * zy;
    store<f64>(keys + (<usize>p << 3), Math.atan2(sn, cs));
    store<i32>(perm + (<usize>p << 2), p);
    const oi = <usize>load<i32>(members + (<usize>(s + p) << 2)) << 3;
    const ax = load<f64>(state + oi), ay = load<f64>(state + strideB + oi);
    const rr = Math.sqrt(ax * ax + ay * ay);
    rMin = min(rMin, rr);
    rMax = max(rMax, rr);
  }
  radixSort(keys, perm, m, spare, spare + (<usize>m << 3), counts);
  work += <f64>m * (RADIX_PASSES + 2);
  // the rows in angle order (the sort's spare arrays are free again): the scan below then reads them in order
  const sorted = spare;
  for (let i = 0; i < m; i++) memory.copy(sorted + (<usize>i << 4), rows + (<usize>load<i32>(perm + (<usize>i << 2)) << 4), 16);
  const TWO_PI = 2 * Math.PI;
  let j = 0;
  let sep: f64 = 0;
  for (let i = 0; i < m; i++) {
    const ti = load<f64>(keys + (<usize>i << 3));
    const target = ti + Math.PI;
    while (j < 2 * m && extended(keys, m, j) < target) j++;
    for (let c = j - 1; c <= j; c++) {
      if (c <= i || c >= i + m || c >= 2 * m) continue;
      const q = c < m ? c : c - m;
      // the circular angle, without adding 2 pi to a key (which would round away a tiny angle)
      const gap = Math.abs(load<f64>(keys + (<usize>q << 3)) - ti);
      sep = max(sep, gap <= Math.PI ? gap : TWO_PI - gap);
      lower2 = max(lower2, rowDist2(sorted, i, q, 2));
    }
  }
  // rounding of the angles (a few units in the last place of each) and of the bound itself
  const angle = min(Math.PI, sep * (1 + 64 * UNIT) + 1e-300);
  const sh = Math.sin(angle * 0.5);
  // the radii themselves are computed to a few units of rounding: widen their spread by that
  const spread = rMax - rMin + 8 * UNIT * rMax;
  const bound = (spread * spread + 4 * rMax * rMax * sh * sh) * (1 + 64 * UNIT);
  upper2 = max(lower2, bound);
  return upper2 <= lower2 * EXACT2;
}

// @ts-ignore: decorator
@inline
function extended(keys: usize, m: i32, j: i32): f64 {
  return j < m ? load<f64>(keys + (<usize>j << 3)) : load<f64>(keys + (<usize>(j - m) << 3)) + 2 * Math.PI;
}

/** Bits of one digit of the radix sort, its passes over the 64-bit keys, and its counters. */
const RADIX_BITS: i32 = 11;
const RADIX_PASSES: i32 = 6;
const RADIX_SIZE: i32 = 1 << RADIX_BITS;
/** Bytes of the radix sort's counters (in the thread's scratch). */
export const RADIX_COUNT_BYTES: usize = <usize>RADIX_SIZE << 2;

/** f64 bits mapped so that unsigned integer order is the float order (negatives flipped). */
// @ts-ignore: decorator
@inline
function orderedBits(x: f64): u64 {
  const b = reinterpret<u64>(x);
  return (b >> 63) != 0 ? ~b : b | (<u64>1 << 63);
}

/** The inverse of orderedBits. */
// @ts-ignore: decorator
@inline
function fromOrderedBits(b: u64): f64 {
  return reinterpret<f64>((b >> 63) != 0 ? b & ~(<u64>1 << 63) : ~b);
}

/**
 * Sorts keys[0, m) ascending, permuting perm alike: a least-significant-digit radix sort of the
 * keys' ordered bits (stable, so equal keys keep their order; O(m) per pass), through the spare
 * arrays keys2 (f64[m]) and perm2 (i32[m]). counts: RADIX_SIZE i32. The keys are mapped to their
 * ordered bits once, before the passes, and back once after; a pass whose digit is the same for
 * every key is skipped.
 */
function radixSort(keys: usize, perm: usize, m: i32, keys2: usize, perm2: usize, counts: usize): void {
  for (let i = 0; i < m; i++) {
    const at = keys + (<usize>i << 3);
    store<u64>(at, orderedBits(load<f64>(at)));
  }
  let k0 = keys, p0 = perm, k1 = keys2, p1 = perm2;
  for (let pass = 0; pass < RADIX_PASSES; pass++) {
    const shift = <u64>(pass * RADIX_BITS);
    memory.fill(counts, 0, RADIX_COUNT_BYTES);
    for (let i = 0; i < m; i++) {
      const c = counts + (<usize>((load<u64>(k0 + (<usize>i << 3)) >> shift) & <u64>(RADIX_SIZE - 1)) << 2);
      store<i32>(c, load<i32>(c) + 1);
    }
    // exclusive prefix sums; one full bucket means every key has this digit: nothing to move
    let sum = 0, full = false;
    for (let b = 0; b < RADIX_SIZE; b++) {
      const c = counts + (<usize>b << 2), k = load<i32>(c);
      if (k == m) full = true;
      store<i32>(c, sum);
      sum += k;
    }
    if (full) continue;
    for (let i = 0; i < m; i++) {
      const key = load<u64>(k0 + (<usize>i << 3));
      const c = counts + (<usize>((key >> shift) & <u64>(RADIX_SIZE - 1)) << 2);
      const at = load<i32>(c);
      store<i32>(c, at + 1);
      store<u64>(k1 + (<usize>at << 3), key);
      store<i32>(p1 + (<usize>at << 2), load<i32>(p0 + (<usize>i << 2)));
    }
    const tk = k0; k0 = k1; k1 = tk;
    const tp = p0; p0 = p1; p1 = tp;
  }
  for (let i = 0; i < m; i++) store<f64>(keys + (<usize>i << 3), fromOrderedBits(load<u64>(k0 + (<usize>i << 3))));
  if (p0 != perm) memory.copy(perm, p0, <usize>m << 2);
}

/** Scans a leaf pair (A = B: its pairs p < q) into lower2. */
function scanLeaves(rows: usize, d: i32, A: usize, B: usize): void {
  const b0 = nodeBegin(A), e0 = nodeEnd(A), b1 = nodeBegin(B), e1 = nodeEnd(B);
  let best = lower2;
  if (A == B) {
    for (let p = b0; p < e0; p++) for (let q = p + 1; q < e0; q++) best = max(best, rowDist2(rows, p, q, d));
    work += <f64>(e0 - b0) * <f64>(e0 - b0 - 1) * 0.5;
  } else {
    for (let p = b0; p < e0; p++) for (let q = b1; q < e1; q++) best = max(best, rowDist2(rows, p, q, d));
    work += <f64>(e0 - b0) * <f64>(e1 - b1);
  }
  lower2 = best;
}

/**
 * Branch and bound over node pairs of the tree at `nodes` (lower2 holds the best so far), which it
 * splits on demand. Pairs dropped on the tolerance leave their bound in upper2. stack: DG_STACK
 * pairs of i32.
 */
function branchAndBound(rows: usize, d: i32, nodes: usize, stack: usize, tol2: f64): void {
  const grow = 1 + roundingMargin(d);
  let sp = pushPair(stack, 0, 0, 0);
  while (sp > 0) {
    sp--;
    const ia = pairFirst(stack, sp), ib = pairSecond(stack, sp);
    const A = nodeAt(nodes, ia, d), B = nodeAt(nodes, ib, d);
    work += 1;
    const bound = boxMax2(A, B, d) * grow;
    if (bound <= lower2) continue;
    if (bound <= lower2 * tol2) {
      upper2 = max(upper2, bound);
      continue;
    }
    const na = nodeEnd(A) - nodeBegin(A), nb = nodeEnd(B) - nodeBegin(B);
    if (na <= DG_LEAF && nb <= DG_LEAF) {
      scanLeaves(rows, d, A, B);
      continue;
    }
    if (sp + 3 > DG_STACK) unreachable();
    if (ia == ib) {
      // the two halves against each other first: the diameter of a node usually spans its halves
      const l = kdChildren(rows, d, nodes, ia);
      sp = pushPair(stack, sp, l + 1, l + 1);
      sp = pushPair(stack, sp, l, l);
      sp = pushPair(stack, sp, l, l + 1);
      continue;
    }
    // split the node that is not a leaf (the larger when neither is), the more promising child last
    const splitA = nb <= DG_LEAF || (na > DG_LEAF && na >= nb);
    const X = splitA ? ia : ib, Y = splitA ? ib : ia;
    const c1 = kdChildren(rows, d, nodes, X), c2 = c1 + 1;
    const y = nodeAt(nodes, Y, d);
    const b1 = boxMax2(nodeAt(nodes, c1, d), y, d), b2 = boxMax2(nodeAt(nodes, c2, d), y, d);
    if (b1 >= b2) {
      sp = pushPair(stack, sp, c2, Y);
      sp = pushPair(stack, sp, c1, Y);
    } else {
      sp = pushPair(stack, sp, c1, Y);
      sp = pushPair(stack, sp, c2, Y);
    }
  }
}


/** Label a's diameter bounds into lower2, upper2 (squared). */
function labelDiameter(dg: usize, a: i32, stack: usize): void {
  const d = load<i32>(dg + DG_D), starts = load<usize>(dg + DG_STARTS);
  const s = load<i32>(starts + (<usize>a << 2)), e = load<i32>(starts + (<usize>(a + 1) << 2));
  const m = e - s;
  const rows = rowAt(load<usize>(dg + DG_ROWS), s, d);
  lower2 = 0;
  upper2 = 0;
  if (m <= 1) return;
  if (m <= DG_SMALL) {
    lower2 = upper2 = allPairs(rows, d, m);
    return;
  }
  const tol = load<f64>(dg + DG_TOL);
  const tol2 = (1 + tol) * (1 + tol);
  // |z_i - z_j| <= |z_i| + |z_j|: on the sphere, D_a <= 2 (the margin covers the rounding of the norm)
  const sphere = 4 * maxNorm2(dg, s, e) * (1 + roundingMargin(d));
  // farthest-point sweeps from the label's first point (row 0 is the point itself, y = 0), until
  // they stop improving or reach the sphere bound (a spread label: then no more is needed)
  pairP = pairQ = 0;
  let p = farthest(rows, d, m, 0);
  for (let sweep = 0; sweep < 4 && sphere > lower2 * tol2; sweep++) {
    const before = lower2;
    p = farthest(rows, d, m, p);
    if (lower2 <= before) break;
  }
  const ball = sphere <= lower2 * tol2 ? sphere : min(sphere, ballBound2(rows, d, m));
  // within rounding of the lower end (an arc shorter than a half circle closes the ball bound): exact
  if (ball <= lower2 * EXACT2) {
    upper2 = lower2;
    return;
  }
  if (ball <= lower2 * tol2) {
    upper2 = max(lower2, ball);
    return;
  }
  if (d == 2) {
    // the label's own tree nodes (at least 32 m bytes at d = 2) are free until branch and bound: the
    // sort's spare arrays (12 m bytes); the stack (DG_STACK * 8 bytes) holds its counters
    const spare = nodeAt(load<usize>(dg + DG_NODES), nodeBase(starts, a), d);
    if (m >= 2 * DG_MAX_BINS) {
      // a large label: angle bins first, O(m + B) (its nodes, at least 32 m bytes, hold CIRCLE_BINS_BYTES)
      circleBinsDiameter(dg, s, m, rows, spare);
      work += binsWork;
      lower2 = max(lower2, binsLower2);
      if (binsUpper2 <= lower2 * EXACT2) {
        upper2 = lower2;
        return;
      }
      if (binsUpper2 <= lower2 * tol2) {
        upper2 = max(lower2, min(ball, binsUpper2));
        return;
      }
    }
    if (circle(dg, s, m, rows, spare, stack)) {
      upper2 = lower2;
      return;
    }
    upper2 = 0;
  }
  const nodes = nodeAt(load<usize>(dg + DG_NODES), nodeBase(starts, a), d);
  kdWorkReset();
  kdRoot(rows, d, 0, m, nodes);
  branchAndBound(rows, d, nodes, stack, tol2);
  work += kdWork();
  upper2 = min(max(lower2, upper2), max(lower2, ball));
}

/**
 * Diameters of labels [a0, a1) into labelDiam (lower, upper per label). scratch: this thread's
 * DG_STACK pairs of i32. Returns the work done (points, pairs and node pairs visited).
 */
export function diagDiameters(dg: usize, a0: i32, a1: i32, scratch: usize): f64 {
  work = 0;
  const out = load<usize>(dg + DG_LABELDIAM);
  for (let a = a0; a < a1; a++) {
    labelDiameter(dg, a, scratch);
    store<f64>(out + (<usize>a << 4), Math.sqrt(lower2));
    store<f64>(out + (<usize>a << 4), lower2 == upper2 ? Math.sqrt(lower2) : Math.sqrt(upper2), 8);
  }
  return work;
}

/** After diagDiameters on every label: the largest lower and upper bound (upper = lower: exact). */
export function diagDiameterCombine(dg: usize): void {
  const L = load<i32>(dg + DG_L), at = load<usize>(dg + DG_LABELDIAM);
  let lo: f64 = 0, up: f64 = 0;
  for (let a = 0; a < L; a++) {
    lo = max(lo, load<f64>(at + (<usize>a << 4)));
    up = max(up, load<f64>(at + (<usize>a << 4), 8));
  }
  store<f64>(dg + DG_DIAMLO, lo);
  store<f64>(dg + DG_DIAMUP, up);
}
