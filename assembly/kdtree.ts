// A k-d tree over particle-major rows (row p at rows + p d f64), built in place and on demand: a
// node of more than DG_LEAF rows is split, when a traversal first asks for its children, at its
// median along the widest side of its bounding box, so the rows are permuted and every node owns a
// contiguous range. The two children of a node are allocated together (right = left + 1), so
// node pairs a traversal never opens cost nothing below them.
//
//   node + 0   begin   i32   first row
//   node + 4   end     i32   one past the last row
//   node + 8   left    i32   index of the left child once split (the right one follows), else 0
//   node + 12  flags   i32   linkage.ts: NODE_CONNECTED; children inherit them
//   node + 16  lo      f64[d], then hi f64[d]: the bounding box
//
// Children hold at least a quarter of their parent's rows, so leaves hold at least 3 rows (unless
// the whole tree is one leaf) and a tree over m > DG_LEAF rows has fewer than 2 m / 3 nodes. Everything is deterministic: the same rows and the same
// sequence of requests give the same tree, bit for bit.

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
function selectKth(rows: usize, d: i32, b: i32, e: i32, kth: i32, axis: i32): void {
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

/** Nodes allocated so far in the current tree (per instance: one per thread). */
let nextNode: i32 = 0;

function initNode(node: usize, b: i32, e: i32, flags: i32): void {
  store<i32>(node, b);
  store<i32>(node, e, 4);
  store<i32>(node, 0, 8);
  store<i32>(node, flags, 12);
}

/** Starts a tree over rows [b, e) (e > b) at nodes: the root, node 0, with its box. */
export function kdRoot(rows: usize, d: i32, b: i32, e: i32, nodes: usize): void {
  const node = nodeAt(nodes, 0, d);
  initNode(node, b, e, 0);
  boxOf(rows, d, b, e, node);
  nextNode = 1;
}

/**
 * Allocates the next nodes from index `next` on (a range reserved for one subtree, so threads
 * splitting disjoint subtrees never share a node).
 */
export function kdStartAt(next: i32): void {
  nextNode = next;
}

/** Nodes of the current tree so far. */
export function kdNodeCount(): i32 {
  return nextNode;
}

/** An empty box (lo = +inf, hi = -inf) at node. */
function emptyBox(node: usize, d: i32): void {
  const lo = node + DG_NODE_HEAD, hi = lo + (<usize>d << 3);
  for (let k = 0; k < d; k++) {
    store<f64>(lo + (<usize>k << 3), Infinity);
    store<f64>(hi + (<usize>k << 3), -Infinity);
  }
}

// @ts-ignore: decorator
@inline
function grow(node: usize, row: usize, d: i32): void {
  const lo = node + DG_NODE_HEAD, hi = lo + (<usize>d << 3);
  for (let k = 0; k < d; k++) {
    const o = <usize>k << 3;
    const v = load<f64>(row + o);
    if (v < load<f64>(lo + o)) store<f64>(lo + o, v);
    if (v > load<f64>(hi + o)) store<f64>(hi + o, v);
  }
}

/**
 * Partitions rows [b, e) into coordinate `axis` < cut, then >= cut, growing the boxes of L and R
 * with the rows that settle on each side (every row once); returns the first row of the right part.
 */
function partition(rows: usize, d: i32, b: i32, e: i32, axis: i32, cut: f64, L: usize, R: usize): i32 {
  if (d == 3) return partition3(rows, b, e, axis, cut, L, R);
  let i = b, j = e - 1;
  for (;;) {
    while (i <= j && at(rows, d, i, axis) < cut) { grow(L, rowAt(rows, i, d), d); i++; }
    while (i <= j && at(rows, d, j, axis) >= cut) { grow(R, rowAt(rows, j, d), d); j--; }
    if (i >= j) break;
    swapRows(rows, d, i, j);
    grow(L, rowAt(rows, i, d), d);
    grow(R, rowAt(rows, j, d), d);
    i++;
    j--;
  }
  buildWork += <f64>(e - b);
  return i;
}

/**
 * partition at d = 3, the boxes kept in locals: the same rows on the same sides in the same
 * order, and the same boxes for finite rows (min and max do not depend on the order), as the
 * general loop.
 */
function partition3(rows: usize, b: i32, e: i32, axis: i32, cut: f64, L: usize, R: usize): i32 {
  let lx = Infinity, ly = Infinity, lz = Infinity, ux = -Infinity, uy = -Infinity, uz = -Infinity;
  let rx = Infinity, ry = Infinity, rz = Infinity, vx = -Infinity, vy = -Infinity, vz = -Infinity;
  const o = <usize>axis << 3;
  let i = b, j = e - 1;
  for (;;) {
    while (i <= j) {
      const a = rows + <usize>i * 24;
      if (!(load<f64>(a + o) < cut)) break;
      const x = load<f64>(a), y = load<f64>(a, 8), z = load<f64>(a, 16);
      lx = min(lx, x); ly = min(ly, y); lz = min(lz, z); ux = max(ux, x); uy = max(uy, y); uz = max(uz, z);
      i++;
    }
    while (i <= j) {
      const a = rows + <usize>j * 24;
      if (!(load<f64>(a + o) >= cut)) break;
      const x = load<f64>(a), y = load<f64>(a, 8), z = load<f64>(a, 16);
      rx = min(rx, x); ry = min(ry, y); rz = min(rz, z); vx = max(vx, x); vy = max(vy, y); vz = max(vz, z);
      j--;
    }
    if (i >= j) break;
    const a = rows + <usize>i * 24, c = rows + <usize>j * 24;
    const x0 = load<f64>(a), y0 = load<f64>(a, 8), z0 = load<f64>(a, 16);
    const x1 = load<f64>(c), y1 = load<f64>(c, 8), z1 = load<f64>(c, 16);
    store<f64>(a, x1); store<f64>(a, y1, 8); store<f64>(a, z1, 16);
    store<f64>(c, x0); store<f64>(c, y0, 8); store<f64>(c, z0, 16);
    lx = min(lx, x1); ly = min(ly, y1); lz = min(lz, z1); ux = max(ux, x1); uy = max(uy, y1); uz = max(uz, z1);
    rx = min(rx, x0); ry = min(ry, y0); rz = min(rz, z0); vx = max(vx, x0); vy = max(vy, y0); vz = max(vz, z0);
    i++;
    j--;
  }
  const bl = L + DG_NODE_HEAD, br = R + DG_NODE_HEAD;
  store<f64>(bl, lx); store<f64>(bl, ly, 8); store<f64>(bl, lz, 16); store<f64>(bl, ux, 24); store<f64>(bl, uy, 32); store<f64>(bl, uz, 40);
  store<f64>(br, rx); store<f64>(br, ry, 8); store<f64>(br, rz, 16); store<f64>(br, vx, 24); store<f64>(br, vy, 32); store<f64>(br, vz, 40);
  buildWork += <f64>(e - b);
  return i;
}

/**
 * The left child of node k (the right one is at the returned index + 1), splitting the node first
 * if no traversal has yet; 0 for a leaf (at most DG_LEAF rows). The split is at the middle of the
 * box's widest side (one pass, which also gives the children's boxes), or at the median along it
 * when the middle leaves fewer than a quarter of the rows on one side: children hold at least a
 * quarter of their parent, so leaves hold at least 3 rows (a tree over m > DG_LEAF rows has fewer
 * than 2 m / 3 nodes) and the depth is below log_{4/3}(m).
 */
export function kdChildren(rows: usize, d: i32, nodes: usize, k: i32): i32 {
  const node = nodeAt(nodes, k, d);
  const left = load<i32>(node, 8);
  if (left != 0) return left;
  const b = nodeBegin(node), e = nodeEnd(node);
  if (e - b <= DG_LEAF) return 0;
  const lo = node + DG_NODE_HEAD, hi = lo + (<usize>d << 3);
  let axis = 0, widest: f64 = -1;
  for (let q = 0; q < d; q++) {
    const w = load<f64>(hi + (<usize>q << 3)) - load<f64>(lo + (<usize>q << 3));
    if (w > widest) { widest = w; axis = q; }
  }
  const l = nextNode;
  nextNode += 2;
  // a child inherits its parent's flags (a property of all the parent's rows holds for its own)
  const flags = load<i32>(node, 12);
  const L = nodeAt(nodes, l, d), R = nodeAt(nodes, l + 1, d);
  emptyBox(L, d);
  emptyBox(R, d);
  const cut = 0.5 * (load<f64>(lo + (<usize>axis << 3)) + load<f64>(hi + (<usize>axis << 3)));
  let mid = partition(rows, d, b, e, axis, cut, L, R);
  const quarter = (e - b + 3) >> 2;
  if (mid - b < quarter || e - mid < quarter) {
    mid = b + ((e - b) >> 1);
    selectKth(rows, d, b, e, mid, axis);
    boxOf(rows, d, b, mid, L);
    boxOf(rows, d, mid, e, R);
  }
  initNode(L, b, mid, flags);
  initNode(R, mid, e, flags);
  store<i32>(node, l, 8);
  return l;
}

/** Splits node k and every node below it down to the leaves; a tree over m > DG_LEAF rows takes fewer than 2 m / 3 nodes. */
export function kdSplitAll(rows: usize, d: i32, nodes: usize, k: i32): void {
  const l = kdChildren(rows, d, nodes, k);
  if (l == 0) return;
  kdSplitAll(rows, d, nodes, l);
  kdSplitAll(rows, d, nodes, l + 1);
}

/** Rows visited by the tree (boxes and partitions) since the last kdWorkReset (per instance). */
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

// Traversals keep node pairs on a stack of i32 pairs (one thread's scratch, DG_STACK entries).

/** Pushes the node pair (a, b) at depth sp of a traversal stack; returns sp + 1. */
// @ts-ignore: decorator
@inline
export function pushPair(stack: usize, sp: i32, a: i32, b: i32): i32 {
  store<i32>(stack + (<usize>sp << 3), a);
  store<i32>(stack + (<usize>sp << 3), b, 4);
  return sp + 1;
}

/** The first node of the pair at depth sp. */
// @ts-ignore: decorator
@inline
export function pairFirst(stack: usize, sp: i32): i32 {
  return load<i32>(stack + (<usize>sp << 3));
}

/** The second node of the pair at depth sp. */
// @ts-ignore: decorator
@inline
export function pairSecond(stack: usize, sp: i32): i32 {
  return load<i32>(stack + (<usize>sp << 3), 4);
}
