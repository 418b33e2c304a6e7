// Single-linkage statistics at a chord threshold c (pairs with |x_i - x_j|^2 <= c^2 are linked; the
// clusters are the connected components): a dual-tree traversal of the k-d tree over the rows of
// diagLinkRows (kdtree.ts), with union-find over row positions.
//   a node pair whose boxes are farther apart than c:   nothing is linked;
//   a node pair whose boxes are all within c:           every cross pair is linked (|A| |B| pairs);
//   a node whose box diameter is within c:              all its pairs are linked;
//   otherwise:                                          split, and scan leaf pairs.
// Box bounds carry a rounding margin (kdtree.ts roundingMargin), so a pair is counted in bulk only
// when its computed distance, sum_k (x_ik - x_jk)^2 in k order, would pass the test too: the counts
// equal those of the pair loop exactly. Without the pair count, node pairs already known to lie in
// one component are skipped (the NODE_CONNECTED flag: every row of the node is in one component,
// set by a bulk join, or by a check once a node's own pairs are done) and a pair of connected
// leaves stops at its first link.

import { DG_N, DG_D, DG_ROWS, DG_NODES, DG_PARENT, DG_CLUSTERS, DG_PAIRS, DG_NODECOUNT, DG_STACK, DG_LEAF } from "./diag-layout";
import {
  boxMax2, boxMin2, kdChildren, kdNodeCount, kdRoot, kdWork, kdWorkReset, nodeAt, nodeBegin, nodeEnd, pairFirst, pairSecond, pushPair, roundingMargin, rowDist2,
} from "./kdtree";

/** Node flag: all the node's rows are in one component. */
const NODE_CONNECTED: i32 = 1;

let merges: i32 = 0;
let work: f64 = 0;

// @ts-ignore: decorator
@inline
function parentAt(parent: usize, p: i32): usize {
  return parent + (<usize>p << 2);
}

/** The root of p, with path halving. */
function find(parent: usize, p: i32): i32 {
  let q = p;
  let up = load<i32>(parentAt(parent, q));
  while (up != q) {
    const upup = load<i32>(parentAt(parent, up));
    store<i32>(parentAt(parent, q), upup);
    q = upup;
    up = load<i32>(parentAt(parent, q));
  }
  return q;
}

/** Joins the components of p and q: the larger root goes under the smaller. */
function union(parent: usize, p: i32, q: i32): void {
  const rp = find(parent, p), rq = find(parent, q);
  if (rp == rq) return;
  if (rp < rq) store<i32>(parentAt(parent, rq), rp);
  else store<i32>(parentAt(parent, rp), rq);
  merges++;
}

// @ts-ignore: decorator
@inline
function connected(node: usize): bool {
  return (load<i32>(node, 12) & NODE_CONNECTED) != 0;
}

/** Puts every row of node k in the component of row r, and flags the node and the nodes below it. */
function joinNode(parent: usize, nodes: usize, d: i32, k: i32, r: i32): void {
  const node = nodeAt(nodes, k, d);
  if (connected(node)) {
    union(parent, nodeBegin(node), r);
    return;
  }
  const e = nodeEnd(node);
  for (let p = nodeBegin(node); p < e; p++) union(parent, p, r);
  work += <f64>(e - nodeBegin(node));
  flagSubtree(nodes, d, k);
}

/**
 * Nodes up to this many thresholds across are checked for connectivity once their own pairs are
 * done (larger ones seldom are, and the check costs a find per row).
 */
const CHECK_SPAN: f64 = 4;

/** Flags node k (and the nodes below it) when all its rows are in one component; O(rows). */
function flagIfConnected(parent: usize, nodes: usize, d: i32, k: i32): void {
  const node = nodeAt(nodes, k, d);
  if (connected(node)) return;
  const b = nodeBegin(node), e = nodeEnd(node);
  const root = find(parent, b);
  work += <f64>(e - b);
  for (let p = b + 1; p < e; p++) if (find(parent, p) != root) return;
  flagSubtree(nodes, d, k);
}

/** Sets NODE_CONNECTED on node k and every node already split below it (nodes split later inherit it). */
function flagSubtree(nodes: usize, d: i32, k: i32): void {
  const node = nodeAt(nodes, k, d);
  if (connected(node)) return;
  store<i32>(node, load<i32>(node, 12) | NODE_CONNECTED, 12);
  const l = load<i32>(node, 8);
  if (l != 0) {
    flagSubtree(nodes, d, l);
    flagSubtree(nodes, d, l + 1);
  }
}

/** Starts the k-d tree over all n rows (its root; the traversal splits nodes on demand); returns the rows visited. */
export function diagLinkTree(dg: usize): f64 {
  const n = load<i32>(dg + DG_N), d = load<i32>(dg + DG_D);
  kdWorkReset();
  kdRoot(load<usize>(dg + DG_ROWS), d, 0, n, load<usize>(dg + DG_NODES));
  return kdWork();
}

/**
 * Clusters and (when countPairs != 0) linked pairs at squared chord `limit`, over the tree of
 * diagLinkTree, into DG_CLUSTERS and DG_PAIRS. scratch: this thread's DG_STACK pairs of i32.
 * Returns the work done (rows, pairs and node pairs visited).
 */
export function diagLinkage(dg: usize, limit: f64, countPairs: i32, scratch: usize): f64 {
  const n = load<i32>(dg + DG_N), d = load<i32>(dg + DG_D);
  const rows = load<usize>(dg + DG_ROWS), nodes = load<usize>(dg + DG_NODES), parent = load<usize>(dg + DG_PARENT);
  const count = countPairs != 0;
  const grow = 1 + roundingMargin(d), shrink = 1 - roundingMargin(d);
  for (let p = 0; p < n; p++) store<i32>(parentAt(parent, p), p);
  merges = 0;
  work = <f64>n;
  kdWorkReset();
  let pairs: f64 = 0;
  const stack = scratch;
  let sp = pushPair(stack, 0, 0, 0);
  while (sp > 0) {
    sp--;
    const ia = pairFirst(stack, sp), ib = pairSecond(stack, sp);
    const A = nodeAt(nodes, ia, d);
    if (ib < 0) {
      // every pair inside node ia has been seen: flag it when its rows ended in one component
      flagIfConnected(parent, nodes, d, ia);
      continue;
    }
    const B = nodeAt(nodes, ib, d);
    const na = nodeEnd(A) - nodeBegin(A), nb = nodeEnd(B) - nodeBegin(B);
    work += 1;
    if (ia == ib) {
      if (!count && connected(A)) continue;
      if (boxMax2(A, A, d) * grow <= limit) {
        pairs += <f64>na * <f64>(na - 1) * 0.5;
        joinNode(parent, nodes, d, ia, nodeBegin(A));
        continue;
      }
      if (na <= DG_LEAF) {
        const b = nodeBegin(A), e = nodeEnd(A);
        for (let p = b; p < e; p++) {
          for (let q = p + 1; q < e; q++) {
            if (rowDist2(rows, p, q, d) <= limit) {
              pairs += 1;
              union(parent, p, q);
            }
          }
        }
        work += <f64>na * <f64>(na - 1) * 0.5;
        if (!count) flagIfConnected(parent, nodes, d, ia);
        continue;
      }
      if (sp + 4 > DG_STACK) unreachable();
      // each half alone first: a half found connected lets its cross pairs be skipped; then the
      // node itself is checked, when it is small enough to be connected through its own pairs
      if (!count && boxMax2(A, A, d) <= CHECK_SPAN * CHECK_SPAN * limit) sp = pushPair(stack, sp, ia, -1);
      const l = kdChildren(rows, d, nodes, ia);
      sp = pushPair(stack, sp, l, l + 1);
      sp = pushPair(stack, sp, l + 1, l + 1);
      sp = pushPair(stack, sp, l, l);
      continue;
    }
    if (boxMin2(A, B, d) * shrink > limit) continue;
    if (!count && connected(A) && connected(B) && find(parent, nodeBegin(A)) == find(parent, nodeBegin(B))) continue;
    if (boxMax2(A, B, d) * grow <= limit) {
      // every cross pair is linked: each row of A joins B's first row and each row of B joins A's
      pairs += <f64>na * <f64>nb;
      joinNode(parent, nodes, d, ia, nodeBegin(B));
      joinNode(parent, nodes, d, ib, nodeBegin(A));
      continue;
    }
    if (na <= DG_LEAF && nb <= DG_LEAF) {
      // without the count, one linking pair joins two connected leaves for good
      const once = !count && connected(A) && connected(B);
      const b0 = nodeBegin(A), e0 = nodeEnd(A), b1 = nodeBegin(B), e1 = nodeEnd(B);
      let scanned = 0;
      for (let p = b0; p < e0; p++) {
        scanned += e1 - b1;
        let linked = false;
        for (let q = b1; q < e1; q++) {
          if (rowDist2(rows, p, q, d) <= limit) {
            pairs += 1;
            union(parent, p, q);
            if (once) { linked = true; break; }
          }
        }
        if (linked) break;
      }
      work += <f64>scanned;
      continue;
    }
    if (sp + 2 > DG_STACK) unreachable();
    const splitA = nb <= DG_LEAF || (na > DG_LEAF && na >= nb);
    const X = splitA ? ia : ib, Y = splitA ? ib : ia;
    const l = kdChildren(rows, d, nodes, X);
    sp = pushPair(stack, sp, l + 1, Y);
    sp = pushPair(stack, sp, l, Y);
  }
  work += kdWork();
  store<i32>(dg + DG_NODECOUNT, kdNodeCount());
  store<f64>(dg + DG_CLUSTERS, <f64>(n - merges));
  store<f64>(dg + DG_PAIRS, pairs);
  return work;
}

