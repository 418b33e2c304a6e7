// A k-d tree over particle-major rows (row p at rows + p d f64), built in place: a node of more
// than DG_LEAF rows is split at its median along the widest side of its bounding box, so the
// rows are permuted and every node owns a contiguous range. Nodes are laid out depth first: the
// left child follows its parent, the parent stores the right child.
//
//   node + 0   begin   i32   first row
//   node + 4   end     i32   one past the last row
//   node + 8   right   i32   index of the right child, 0 for a leaf
//   node + 12  flags   i32   linkage.ts: NODE_CONNECTED
//   node + 16  lo      f64[d], then hi f64[d]: the bounding box
//
// Leaves hold at least DG_LEAF / 2 rows (unless the whole tree is one leaf), so a tree over m > DG_LEAF
// rows has fewer than 4 m / DG_LEAF nodes. Everything is deterministic: the same rows give the
// same tree, bit for bit.

import { DG_LEAF, DG_NODE_HEAD } from "./diag-layout";

/** Unit roundoff 2^-53. */
export const UNIT: f64 = 1.1102230246251565e-16;

/** Rows visited while building (the work count of kdBuild). */
let buildWork: f64 = 0;

// @ts-ignore: decorator
@inline
export function nodeBytes(d: i32): usize {
  return DG_NODE_HEAD + (<usize>d << 4);
}

// @ts-ignore: decorator
@inline
export function nodeAt(nodes: usize, k: i32, d: i32): usize {
  return nodes + <usize>k * nodeBytes(d);
}

// @ts-ignore: decorator
@inline
export function nodeBegin(node: usize): i32 { return load<i32>(node); }
// @ts-ignore: decorator
@inline
export function nodeEnd(node: usize): i32 { return load<i32>(node, 4); }
// @ts-ignore: decorator
@inline
export function nodeRight(node: usize): i32 { return load<i32>(node, 8); }

// @ts-ignore: decorator
@inline
export function rowAt(rows: usize, p: i32, d: i32): usize {
  return rows + (<usize>(p * d) << 3);
}

/** |row p - row q|^2, summed over k in order (the reference's formula). */
// @ts-ignore: decorator
@inline
export function rowDist2(rows: usize, p: i32, q: i32, d: i32): f64 {
  const a = rowAt(rows, p, d), b = rowAt(rows, q, d);
  let s: f64 = 0;
  for (let k = 0; k < d; k++) {
    const t = load<f64>(a + (<usize>k << 3)) - load<f64>(b + (<usize>k << 3));
    s += t * t;
  }
  return s;
}

function swapRows(rows: usize, d: i32, p: i32, q: i32): void {
  const a = rowAt(rows, p, d), b = rowAt(rows, q, d);
  for (let k = 0; k < d; k++) {
    const o = <usize>k << 3;
    const t = load<f64>(a + o);
    store<f64>(a + o, load<f64>(b + o));
    store<f64>(b + o, t);
  }
}

// @ts-ignore: decorator
@inline
function at(rows: usize, d: i32, p: i32, axis: i32): f64 {
  return load<f64>(rowAt(rows, p, d) + (<usize>axis << 3));
}

/**
 * Permutes rows [b, e) so that row kth holds the kth smallest coordinate `axis` and no row before
 * (after) it holds a larger (smaller) one: quickselect, Hoare partition, median-of-three pivot.
 */
function select(rows: usize, d: i32, b: i32, e: i32, kth: i32, axis: i32): void {
  let lo = b, hi = e - 1;
  while (lo < hi) {
    buildWork += <f64>(hi - lo + 1);
    const mid = lo + ((hi - lo) >> 1);
    const x = at(rows, d, lo, axis), y = at(rows, d, mid, axis), z = at(rows, d, hi, axis);
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : (x < z ? x : y < z ? z : y);
    let i = lo, j = hi;
    while (i <= j) {
      while (at(rows, d, i, axis) < pivot) i++;
      while (at(rows, d, j, axis) > pivot) j--;
      if (i <= j) {
        swapRows(rows, d, i, j);
        i++;
        j--;
      }
    }
    // [lo, j] <= pivot <= [i, hi], and any row strictly between j and i equals the pivot
    if (kth <= j) hi = j;
    else if (kth >= i) lo = i;
    else return;
  }
}

function boxOf(rows: usize, d: i32, b: i32, e: i32, node: usize): void {
  const lo = node + DG_NODE_HEAD, hi = lo + (<usize>d << 3);
  const first = rowAt(rows, b, d);
  for (let k = 0; k < d; k++) {
    const v = load<f64>(first + (<usize>k << 3));
    store<f64>(lo + (<usize>k << 3), v);
    store<f64>(hi + (<usize>k << 3), v);
  }
  for (let p = b + 1; p < e; p++) {
    const r = rowAt(rows, p, d);
    for (let k = 0; k < d; k++) {
      const o = <usize>k << 3;
      const v = load<f64>(r + o);
      if (v < load<f64>(lo + o)) store<f64>(lo + o, v);
      if (v > load<f64>(hi + o)) store<f64>(hi + o, v);
    }
  }
  buildWork += <f64>(e - b);
}

function build(rows: usize, d: i32, b: i32, e: i32, nodes: usize, k: i32): i32 {
  const node = nodeAt(nodes, k, d);
  store<i32>(node, b);
  store<i32>(node, e, 4);
  store<i32>(node, 0, 8);
  store<i32>(node, 0, 12);
  boxOf(rows, d, b, e, node);
  if (e - b <= DG_LEAF) return k + 1;
  const lo = node + DG_NODE_HEAD, hi = lo + (<usize>d << 3);
  let axis = 0, widest: f64 = -1;
  for (let q = 0; q < d; q++) {
    const w = load<f64>(hi + (<usize>q << 3)) - load<f64>(lo + (<usize>q << 3));
    if (w > widest) { widest = w; axis = q; }
  }
  const mid = b + ((e - b) >> 1);
  select(rows, d, b, e, mid, axis);
  const right = build(rows, d, b, mid, nodes, k + 1);
  store<i32>(node, right, 8);
  return build(rows, d, mid, e, nodes, right);
}

/**
 * Builds the tree over rows [b, e) (e > b) into nodes from index 0 on; returns the node count.
 * The rows visited (boxes and partitions) are added to `work` and can be read with kdWork().
 */
export function kdBuild(rows: usize, d: i32, b: i32, e: i32, nodes: usize): i32 {
  return build(rows, d, b, e, nodes, 0);
}

/** Rows visited by kdBuild since the last kdWorkReset (per instance: one per thread). */
export function kdWork(): f64 {
  return buildWork;
}

/** Resets kdWork. */
export function kdWorkReset(): void {
  buildWork = 0;
}

/** Upper bound on |u - v|^2, u in box A, v in box B, before rounding: sum_k max(hiA - loB, hiB - loA)^2. */
export function boxMax2(A: usize, B: usize, d: i32): f64 {
  const loA = A + DG_NODE_HEAD, hiA = loA + (<usize>d << 3);
  const loB = B + DG_NODE_HEAD, hiB = loB + (<usize>d << 3);
  let s: f64 = 0;
  for (let k = 0; k < d; k++) {
    const o = <usize>k << 3;
    const t = max(load<f64>(hiA + o) - load<f64>(loB + o), load<f64>(hiB + o) - load<f64>(loA + o));
    s += t * t;
  }
  return s;
}

/** Lower bound on |u - v|^2, u in box A, v in box B, before rounding: the gaps between the boxes. */
export function boxMin2(A: usize, B: usize, d: i32): f64 {
  const loA = A + DG_NODE_HEAD, hiA = loA + (<usize>d << 3);
  const loB = B + DG_NODE_HEAD, hiB = loB + (<usize>d << 3);
  let s: f64 = 0;
  for (let k = 0; k < d; k++) {
    const o = <usize>k << 3;
    const t = max(0.0, max(load<f64>(loB + o) - load<f64>(hiA + o), load<f64>(loA + o) - load<f64>(hiB + o)));
    s += t * t;
  }
  return s;
}

/**
 * Relative margin that makes a box bound safe against rounding: a squared distance computed as
 * sum_k (u_k - v_k)^2 and a box bound computed the same way each carry a relative error below
 * (d + 3) u, so a bound times (1 + margin) (or times (1 - margin)) bounds every computed pair
 * distance in the boxes from above (or below).
 */
// @ts-ignore: decorator
@inline
export function roundingMargin(d: i32): f64 {
  return <f64>(4 * d + 16) * UNIT;
}
