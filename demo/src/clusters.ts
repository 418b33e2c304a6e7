// Collapsed clusters: groups of particles so tight that their dots draw as one, which the page
// shows as a marker sized by the cluster's mass.
import { leaderClusters } from "meanfield-transformer";

/**
 * A cluster is collapsed when every member lies within this angle (radians) of its leader: far
 * below a particle's dot (about 0.03 rad at the page's zoom). Of n independent uniform points
 * about 1.25e-7 n^2 pairs come this close (n = 4096: 2), so a marker means collapse, not chance.
 */
export const COLLAPSED_ANGLE = 1e-3;

/** The cluster count, and the centres (k*3) and particle counts of the collapsed clusters of two or more. */
export interface ClusterSummary {
  count: number;
  centres: Float64Array;
  masses: Int32Array;
}

/**
 * Leader clustering of x (n points of S^2, particle-major) at `angle` (the library's
 * leaderClusters, as its clusterCount), and among those clusters the collapsed ones: at least
 * two members, all within COLLAPSED_ANGLE of the leader. A centre is the members' normalised mean.
 */
export function summariseClusters(x: Float64Array, n: number, angle: number): ClusterSummary {
  const { cluster, leaders } = leaderClusters(x, n, 3, angle);
  const k = leaders.length;
  const size = new Int32Array(k), tight = new Uint8Array(k).fill(1), sum = new Float64Array(3 * k);
  const cosMax = Math.cos(COLLAPSED_ANGLE);
  for (let i = 0; i < n; i++) {
    const c = cluster[i], l = leaders[c];
    size[c]++;
    sum[3 * c] += x[3 * i];
    sum[3 * c + 1] += x[3 * i + 1];
    sum[3 * c + 2] += x[3 * i + 2];
    if (x[3 * i] * x[3 * l] + x[3 * i + 1] * x[3 * l + 1] + x[3 * i + 2] * x[3 * l + 2] < cosMax) tight[c] = 0;
  }
  const keep: number[] = [];
  for (let c = 0; c < k; c++) if (size[c] >= 2 && tight[c]) keep.push(c);
  const centres = new Float64Array(3 * keep.length), masses = new Int32Array(keep.length);
  keep.forEach((c, q) => {
    const r = Math.hypot(sum[3 * c], sum[3 * c + 1], sum[3 * c + 2]);
    for (let a = 0; a < 3; a++) centres[3 * q + a] = sum[3 * c + a] / r;
    masses[q] = size[c];
  });
  return { count: k, centres, masses };
}
