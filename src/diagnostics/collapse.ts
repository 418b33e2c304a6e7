// Collapse diagnostics (docs/model.md "Diagnostics", Appendix B.2). States are particle-major n*d.
import { angleBetween } from "../sphere.js";

/**
 * G = 1 - |m|^2 with m = (1/n) sum_i x_i: half the mean squared pairwise distance, 0 iff all
 * points coincide. On the sphere it equals the spread (1/n) sum_i |x_i - m|^2, which is how it is
 * computed: non-negative and accurate to relative round-off near collapse, where 1 - |m|^2 is not.
 */
export function collapseGap(x: Float64Array, n: number, d: number): number {
  let g = 0;
  for (let k = 0; k < d; k++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += x[i * d + k];
    m /= n;
    let s = 0;
    for (let i = 0; i < n; i++) { const t = x[i * d + k] - m; s += t * t; }
    g += s / n;
  }
  return g;
}

/** Particles grouped by label: members[start[a] .. start[a+1]) are the particles of label a. */
export interface LabelGroups { start: Int32Array; members: Int32Array }

/** Groups particle indices by label (a counting sort): the members of label a are members[start[a] .. start[a+1]). */
export function groupByLabel(labels: Int32Array, labelCount: number): LabelGroups {
  const start = new Int32Array(labelCount + 1);
  for (const a of labels) start[a + 1]++;
  for (let a = 0; a < labelCount; a++) start[a + 1] += start[a];
  const fill = start.slice(0, labelCount);
  const members = new Int32Array(labels.length);
  labels.forEach((a, i) => { members[fill[a]++] = i; });
  return { start, members };
}

/** max over labels a of max_{a_i = a_j = a} |x_i - x_j| (Theorem 3 says it tends to 0). O(sum_a m_a^2). */
export function conditionalDiameter(x: Float64Array, d: number, groups: LabelGroups): number {
  const { start, members } = groups;
  let worst = 0;
  for (let a = 0; a + 1 < start.length; a++) {
    for (let p = start[a]; p < start[a + 1]; p++) {
      const i = members[p] * d;
      for (let q = p + 1; q < start[a + 1]; q++) {
        const j = members[q] * d;
        let s = 0;
        for (let k = 0; k < d; k++) { const t = x[i + k] - x[j + k]; s += t * t; }
        if (s > worst) worst = s;
      }
    }
  }
  return Math.sqrt(worst);
}

/**
 * Leader clustering at an angular threshold: each particle joins the first leader within `angle`
 * radians, or becomes a leader. Returns each particle's cluster index and the leaders. For
 * clusters of angular diameter below `angle` that are more than 2 `angle` apart this finds the
 * clusters exactly. O(n k).
 */
export function leaderClusters(x: Float64Array, n: number, d: number, angle: number): { cluster: Int32Array; leaders: number[] } {
  const leaders: number[] = [];
  const cluster = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let found = -1;
    for (let c = 0; c < leaders.length && found < 0; c++) {
      if (angleBetween(d, x, i * d, x, leaders[c] * d) <= angle) found = c;
    }
    if (found < 0) { leaders.push(i); found = leaders.length - 1; }
    cluster[i] = found;
  }
  return { cluster, leaders };
}

/** Number of clusters at an angular threshold (leaderClusters). */
export function clusterCount(x: Float64Array, n: number, d: number, angle: number): number {
  return leaderClusters(x, n, d, angle).leaders.length;
}
