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
//
// The clusters alone also run on several threads (docs/diagnostics.md "Threads and bits"):
//   diagLinkStart     one unit: the top of the tree (nodes of more than ceil(4 n / DG_TOP_LEAVES)
//                     rows split), and the traversal expanded down to pairs of its leaves (pairs
//                     farther than c dropped, pairs within c kept whole), listed;
//   diagLinkBuild     DG_LINK_UNITS units over the top leaves: each subtree a listed pair needs is
//                     split to its leaves, in nodes reserved for its rows, so no two threads ever
//                     split one node;
//   diagLinkPairs     DG_LINK_UNITS units over the listed pairs: the traversal of each, into one
//                     union-find shared by the threads (roots change by compare-and-swap only);
//   diagLinkCount     one unit: the roots.
// Every link a thread adds is a pair within c, and a skip needs only facts that hold of the links
// added so far by any thread (a flag says a node's rows are joined by such links; a root says two
// rows are). So the components, and their count, are those of the pair loop whatever the order in
// which the threads find the links.

import {
  DG_N, DG_D, DG_ROWS, DG_NODES, DG_PARENT, DG_CLUSTERS, DG_PAIRS, DG_NODECOUNT, DG_STACK, DG_LEAF, DG_LIMIT, DG_LINKS, DG_LEAFCOUNT,
  DG_PAIRCOUNT, DG_TOP_LEAVES, DG_TOP_NODES, DG_LINK_PAIRS, DG_LINK_UNITS,
} from "./diag-layout";
import {
  boxMax2, boxMin2, kdChildren, kdNodeCount, kdRoot, kdSplitAll, kdStartAt, kdWork, kdWorkReset, nodeAt, nodeBegin, nodeEnd, pairFirst, pairSecond, pushPair, roundingMargin, rowDist2,
} from "./kdtree";

/** Node flag: all the node's rows are in one component. */
const NODE_CONNECTED: i32 = 1;
/** Node flag (top leaves): a listed pair needs the subtree below split (diagLinkBuild). */
const NODE_BUILD: i32 = 2;

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

/**
 * Joins the components of p and q: the larger root goes under the smaller. Threads may join at
 * once: a root changes only by compare-and-swap from itself, and is retried when another thread
 * moved it first (path halving writes only to non-roots, and only ancestors, so it races safely).
 */
function union(parent: usize, p: i32, q: i32): void {
  for (;;) {
    let rp = find(parent, p), rq = find(parent, q);
    if (rp == rq) return;
    if (rp < rq) { const t = rp; rp = rq; rq = t; }
    if (ASC_FEATURE_THREADS) {
      if (atomic.cmpxchg<i32>(parentAt(parent, rp), rp, rq) == rp) return;
    } else {
      store<i32>(parentAt(parent, rp), rq);
      return;
    }
  }
}

/** Components of the union-find over rows [0, n): its roots. */
function roots(parent: usize, n: i32): i32 {
  let k = 0;
  for (let p = 0; p < n; p++) if (load<i32>(parentAt(parent, p)) == p) k++;
  return k;
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
 * diagLinkTree, into DG_CLUSTERS and DG_PAIRS, on one thread. scratch: this thread's DG_STACK
 * pairs of i32. Returns the work done (rows, pairs and node pairs visited).
 */
export function diagLinkage(dg: usize, limit: f64, countPairs: i32, scratch: usize): f64 {
  const n = load<i32>(dg + DG_N), parent = load<usize>(dg + DG_PARENT);
  for (let p = 0; p < n; p++) store<i32>(parentAt(parent, p), p);
  work = <f64>(2 * n);
  kdWorkReset();
  const pairs = traverse(dg, limit, countPairs != 0, scratch, 0, 0);
  work += kdWork();
  store<i32>(dg + DG_NODECOUNT, kdNodeCount());
  store<f64>(dg + DG_CLUSTERS, <f64>roots(parent, n));
  store<f64>(dg + DG_PAIRS, pairs);
  return work;
}

/** Rows above which a node belongs to the top of the tree. */
// @ts-ignore: decorator
@inline
function topRows(n: i32): i32 {
  // nodes of more rows than this are split at the top: their children hold more than a quarter,
  // so the top has fewer than DG_TOP_LEAVES leaves
  return max(DG_LEAF, <i32>((<i64>4 * <i64>n + <i64>DG_TOP_LEAVES - 1) / <i64>DG_TOP_LEAVES));
}

/**
 * One unit, after the rows (diagLinkRows, which also resets the union-find): starts the tree over
 * all n rows, splits its top and lists its leaves and the node pairs the traversal at DG_LIMIT
 * reaches at them, into the links region. Returns the work done.
 */
export function diagLinkStart(dg: usize, scratch: usize): f64 {
  const n = load<i32>(dg + DG_N), d = load<i32>(dg + DG_D), limit = load<f64>(dg + DG_LIMIT);
  const rows = load<usize>(dg + DG_ROWS), nodes = load<usize>(dg + DG_NODES);
  const leaves = load<usize>(dg + DG_LINKS), list = leaves + (<usize>DG_TOP_LEAVES << 2);
  const grow = 1 + roundingMargin(d), shrink = 1 - roundingMargin(d);
  const most = topRows(n);
  kdWorkReset();
  kdRoot(rows, d, 0, n, nodes);
  // the traversal's expansion without a union-find, splitting (here, on one thread) only nodes of
  // more than `most` rows, the top: pairs farther than c are dropped; a pair within c (joined
  // whole) or of two top leaves is listed, and the top leaves of a pair not joined whole are
  // listed for splitting
  let count = 0, leafCount = 0;
  const stack = scratch;
  let sp = pushPair(stack, 0, 0, 0);
  let w: f64 = 0;
  while (sp > 0) {
    sp--;
    const ia = pairFirst(stack, sp), ib = pairSecond(stack, sp);
    const A = nodeAt(nodes, ia, d), B = nodeAt(nodes, ib, d);
    const na = nodeEnd(A) - nodeBegin(A), nb = nodeEnd(B) - nodeBegin(B);
    w += 1;
    if (ia != ib && boxMin2(A, B, d) * shrink > limit) continue;
    const whole = boxMax2(A, B, d) * grow <= limit;
    const leafA = na <= most, leafB = nb <= most;
    if (whole || (leafA && leafB)) {
      if (count >= DG_LINK_PAIRS) unreachable();
      store<i32>(list + (<usize>count << 3), ia);
      store<i32>(list + (<usize>count << 3), ib, 4);
      count++;
      if (!whole) {
        leafCount = markLeaf(A, ia, leaves, leafCount);
        leafCount = markLeaf(B, ib, leaves, leafCount);
      }
      continue;
    }
    if (sp + 3 > DG_STACK) unreachable();
    if (ia == ib) {
      const l = kdChildren(rows, d, nodes, ia);
      sp = pushPair(stack, sp, l, l + 1);
      sp = pushPair(stack, sp, l + 1, l + 1);
      sp = pushPair(stack, sp, l, l);
      continue;
    }
    const splitA = leafB || (!leafA && na >= nb);
    const X = splitA ? ia : ib, Y = splitA ? ib : ia;
    const l = kdChildren(rows, d, nodes, X);
    sp = pushPair(stack, sp, l + 1, Y);
    sp = pushPair(stack, sp, l, Y);
  }
  if (kdNodeCount() > DG_TOP_NODES) unreachable();
  store<i32>(dg + DG_LEAFCOUNT, leafCount);
  store<i32>(dg + DG_PAIRCOUNT, count);
  store<i32>(dg + DG_NODECOUNT, kdNodeCount());
  return w + kdWork();
}

/** Lists top leaf k (node at `node`) for splitting, once; returns the leaves listed. */
function markLeaf(node: usize, k: i32, leaves: usize, count: i32): i32 {
  const flags = load<i32>(node, 12);
  if ((flags & NODE_BUILD) != 0) return count;
  if (count >= DG_TOP_LEAVES) unreachable();
  store<i32>(node, flags | NODE_BUILD, 12);
  store<i32>(leaves + (<usize>count << 2), k);
  return count + 1;
}

/** The first of the items of unit u of DG_LINK_UNITS over `total` items (unit u: [first(u), first(u + 1))). */
// @ts-ignore: decorator
@inline
function unitItems(u: i32, total: i32): i64 {
  return <i64>(<i64>u * <i64>total / <i64>DG_LINK_UNITS);
}

/**
 * Units [u0, u1) of DG_LINK_UNITS over the listed top leaves: splits each one's subtree to its
 * leaves, in the nodes reserved for its rows [b, e): from DG_TOP_NODES + floor(2 b / 3) on (it
 * takes fewer than 2 (e - b) / 3, so the ranges of two leaves never meet). Returns the work done.
 */
export function diagLinkBuild(dg: usize, u0: i32, u1: i32): f64 {
  const d = load<i32>(dg + DG_D), count = load<i32>(dg + DG_LEAFCOUNT);
  const rows = load<usize>(dg + DG_ROWS), nodes = load<usize>(dg + DG_NODES), leaves = load<usize>(dg + DG_LINKS);
  kdWorkReset();
  const i0 = <i32>unitItems(u0, count), i1 = <i32>unitItems(u1, count);
  for (let i = i0; i < i1; i++) {
    const k = load<i32>(leaves + (<usize>i << 2));
    const node = nodeAt(nodes, k, d);
    kdStartAt(DG_TOP_NODES + <i32>((<i64>2 * <i64>nodeBegin(node)) / 3));
    kdSplitAll(rows, d, nodes, k);
  }
  return kdWork();
}

/**
 * Units [u0, u1) of DG_LINK_UNITS over the listed node pairs: the traversal of each at DG_LIMIT,
 * clusters only, into the shared union-find. scratch: this thread's DG_STACK pairs of i32.
 * Returns the work done.
 */
export function diagLinkPairs(dg: usize, u0: i32, u1: i32, scratch: usize): f64 {
  const limit = load<f64>(dg + DG_LIMIT), count = load<i32>(dg + DG_PAIRCOUNT);
  const list = load<usize>(dg + DG_LINKS) + (<usize>DG_TOP_LEAVES << 2);
  work = 0;
  const i0 = <i32>unitItems(u0, count), i1 = <i32>unitItems(u1, count);
  for (let i = i0; i < i1; i++) {
    traverse(dg, limit, false, scratch, load<i32>(list + (<usize>i << 3)), load<i32>(list + (<usize>i << 3), 4));
  }
  return work;
}

/** One unit, after the pairs: the clusters (the union-find's roots) into DG_CLUSTERS. Returns the work done. */
export function diagLinkCount(dg: usize): f64 {
  const n = load<i32>(dg + DG_N);
  store<f64>(dg + DG_CLUSTERS, <f64>roots(load<usize>(dg + DG_PARENT), n));
  return <f64>n;
}

/**
 * The dual traversal from the node pair (ia0, ib0) (ia0 == ib0: the pairs inside one node) at
 * squared chord `limit`, into the union-find; returns the linked pairs counted (count: all of
 * them; else only those met, and node pairs known connected are skipped).
 */
function traverse(dg: usize, limit: f64, count: bool, stack: usize, ia0: i32, ib0: i32): f64 {
  const d = load<i32>(dg + DG_D);
  const rows = load<usize>(dg + DG_ROWS), nodes = load<usize>(dg + DG_NODES), parent = load<usize>(dg + DG_PARENT);
  const grow = 1 + roundingMargin(d), shrink = 1 - roundingMargin(d);
  let pairs: f64 = 0;
  let sp = pushPair(stack, 0, ia0, ib0);
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
  return pairs;
}
