// Single-linkage clusters at an angular threshold, by union-find: particles i and j are linked when
// their angle is <= `angle`; the clusters are the connected components of that graph. Unlike
// leader clustering (collapse.ts) the result does not depend on the particle order, and unlike the
// rank of the thresholded Gram matrix it is an exact integer count for any configuration (the rank
// equals the component count only when every component is a clique), needs no n x n matrix and no
// numerical rank tolerance. O(n^2 d) time, O(n) memory. States are particle-major n*d.
import { ConfigError } from "../errors.js";
import { requireNumber } from "../validate.js";

/** What `linkageStatistics` measures at one state. */
export interface LinkageStatistics {
  /** number of single-linkage clusters (connected components) */
  clusters: number;
  /** fraction of the pairs i < j within the angle: the probability that two particles are clustered */
  pairFraction: number;
}

/** The root of i, with path halving. */
function find(parent: Int32Array, i: number): number {
  while (parent[i] !== i) {
    parent[i] = parent[parent[i]];
    i = parent[i];
  }
  return i;
}

/**
 * Single-linkage cluster count and fraction of linked pairs at an angular threshold (radians, in
 * [0, pi]). Pairs are compared by chord length, |x_i - x_j| <= 2 sin(angle/2), which is exact for
 * tiny angles where <x_i, x_j> >= cos(angle) would round to 1. `parent` (length >= n) may be passed
 * to avoid the one allocation.
 */
export function linkageStatistics(x: ArrayLike<number>, n: number, d: number, angle: number, parent: Int32Array = new Int32Array(n)): LinkageStatistics {
  requireNumber("angle", angle, { min: 0, max: Math.PI });
  if (!(x && x.length >= n * d)) throw new ConfigError("x", x?.length, `a state of n*d = ${n * d} coordinates`);
  if (parent.length < n) throw new ConfigError("parent", parent.length, `an Int32Array of length >= n = ${n}`);
  const chord = 2 * Math.sin(angle / 2);
  const limit = chord * chord;
  for (let i = 0; i < n; i++) parent[i] = i;
  let clusters = n, linked = 0;
  for (let i = 0; i < n; i++) {
    const oi = i * d;
    for (let j = i + 1; j < n; j++) {
      const oj = j * d;
      let s = 0;
      for (let k = 0; k < d; k++) { const t = x[oi + k] - x[oj + k]; s += t * t; }
      if (s > limit) continue;
      linked++;
      const ri = find(parent, i), rj = find(parent, j);
      if (ri !== rj) {
        // the larger index hangs under the smaller: deterministic, and trees stay shallow with halving
        if (ri < rj) parent[rj] = ri; else parent[ri] = rj;
        clusters--;
      }
    }
  }
  const pairs = (n * (n - 1)) / 2;
  return { clusters, pairFraction: pairs > 0 ? linked / pairs : 1 };
}

/** Number of single-linkage clusters at an angular threshold (union-find; see linkageStatistics). */
export function clusterCountUnionFind(x: ArrayLike<number>, n: number, d: number, angle: number): number {
  return linkageStatistics(x, n, d, angle).clusters;
}
