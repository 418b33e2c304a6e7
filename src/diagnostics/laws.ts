// Shapes and laws of particle clouds, for comparing a simulated output law with the theory's
// prediction (docs/model.md "Known maxima", "Exact realisation"). States are particle-major n*d.
import { ConfigError } from "../errors.js";
import { circleW1, empiricalCircleLaw } from "./circleLaw.js";
import { conditionalDiameter, groupByLabel, leaderClusters } from "./collapse.js";
import { symmetricEigenvalues } from "../linalg.js";
import type { Problem } from "../problem.js";
import type { Random } from "../random.js";
import { maxRowDistance, sampleUniform } from "../sphere.js";
import { gaugeOrbit } from "../theory.js";

/** The normalised mean (1/n) sum z_i: the limit point v of a cloud collapsed in the gauge frame. */
export function limitPoint(z: Float64Array, n: number, d: number): Float64Array {
  const v = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) v[k] += z[i * d + k];
  const r = Math.hypot(...v);
  if (!(r > 0)) throw new ConfigError("z", "a cloud with zero mean", "a cloud with a non-zero mean (collapsed near one point)");
  for (let k = 0; k < d; k++) v[k] /= r;
  return v;
}

/** max_i |x_i - G_{a_i}^T v|: 0 exactly on the predicted maximiser x(a) = G_a^T v (Theorems 1, 2, 4). */
export function orbitResidual(problem: Problem, x: Float64Array, v: ArrayLike<number>): number {
  return maxRowDistance(x, problem.dim, gaugeOrbit(problem, v));
}

/**
 * Distance of a cloud from the nearest 2-plane through the origin: sqrt of the sum of the d - 2
 * smallest eigenvalues of the second moment (1/n) sum x_i x_i^T (the mean squared distance to the
 * best plane). 0 exactly when every point lies on one great circle (Proposition 10).
 */
export function planeFitResidual(x: Float64Array, n: number, d: number): number {
  const m = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < d; r++) for (let c = 0; c < d; c++) m[r * d + c] += x[i * d + r] * x[i * d + c];
  }
  for (let q = 0; q < d * d; q++) m[q] /= n;
  const ev = symmetricEigenvalues(d, m);
  let s = 0;
  for (let k = 0; k < d - 2; k++) s += Math.max(0, ev[k]);
  return Math.sqrt(s);
}

/**
 * Spread of the component orthogonal to the plane (p, q): max_i |P x_i - mean_j P x_j| with P the
 * projection on the complement of the plane. 0 exactly on a latitude circle of that plane's
 * rotations (Corollary 1, Example 5), and on any rotation orbit in it.
 */
export function heightSpread(x: Float64Array, n: number, d: number, plane: readonly [number, number]): number {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) if (k !== plane[0] && k !== plane[1]) mean[k] += x[i * d + k] / n;
  let worst = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < d; k++) if (k !== plane[0] && k !== plane[1]) s += (x[i * d + k] - mean[k]) ** 2;
    worst = Math.max(worst, Math.sqrt(s));
  }
  return worst;
}

/** Angles atan2(x_q, x_p) of each particle in the plane (p, q), in (-pi, pi]. */
export function planeAngles(x: Float64Array, n: number, d: number, plane: readonly [number, number]): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.atan2(x[i * d + plane[1]], x[i * d + plane[0]]);
  return out;
}

/**
 * Circular Wasserstein-1 distance between the empirical laws of two angle samples (radians, any
 * representatives), each point weighted 1/size: W1 = min_c \int_0^{2 pi} |F(t) - G(t) - c| dt
 * (Rabin, Delon and Gousseau, 2011); circleW1 of the two samples' atoms.
 */
export function circularW1(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length === 0 || b.length === 0) throw new ConfigError("angles", "an empty sample", "two non-empty samples");
  return circleW1(empiricalCircleLaw(a), empiricalCircleLaw(b));
}

/** Wasserstein-1 between two empirical laws on the line (each point weighted 1/size). */
export function lineW1(a: Float64Array, b: Float64Array): number {
  const sa = a.slice().sort(), sb = b.slice().sort();
  // integrate |F_a - F_b| over the merged breakpoints
  let i = 0, j = 0, fa = 0, fb = 0, prev = Math.min(sa[0], sb[0]), w = 0;
  while (i < sa.length || j < sb.length) {
    const t = j >= sb.length || (i < sa.length && sa[i] <= sb[j]) ? sa[i] : sb[j];
    w += Math.abs(fa - fb) * (t - prev);
    prev = t;
    if (i < sa.length && sa[i] === t) { fa += 1 / sa.length; i++; } else { fb += 1 / sb.length; j++; }
  }
  return w;
}

/**
 * Sliced Wasserstein-1 between two clouds in R^d: the mean over `directions` uniform random
 * unit vectors u of W1 between the laws of <u, x_i> and <u, y_j> (Bonneel et al., 2015). A
 * metric on laws; the Monte-Carlo error over directions is O(directions^-1/2).
 */
export function slicedW1(x: Float64Array, y: Float64Array, d: number, rng: Random, directions = 64): number {
  const nx = x.length / d, ny = y.length / d;
  const u = new Float64Array(d), px = new Float64Array(nx), py = new Float64Array(ny);
  let total = 0;
  for (let r = 0; r < directions; r++) {
    sampleUniform(rng, d, u, 0);
    for (let i = 0; i < nx; i++) { let s = 0; for (let k = 0; k < d; k++) s += u[k] * x[i * d + k]; px[i] = s; }
    for (let j = 0; j < ny; j++) { let s = 0; for (let k = 0; k < d; k++) s += u[k] * y[j * d + k]; py[j] = s; }
    total += lineW1(px, py);
  }
  return total / directions;
}

/**
 * Cluster centres at an angular threshold (the leader rule of clusterCount): the normalised mean
 * of each cluster, its size and its diameter.
 */
export function clusterCentres(x: Float64Array, n: number, d: number, angle: number): { centres: Float64Array[]; sizes: number[]; diameters: number[] } {
  const { cluster, leaders } = leaderClusters(x, n, d, angle);
  const groups = groupByLabel(cluster, leaders.length);
  const centres: Float64Array[] = [], sizes: number[] = [], diameters: number[] = [];
  for (let c = 0; c < leaders.length; c++) {
    const sum = new Float64Array(d);
    for (let p = groups.start[c]; p < groups.start[c + 1]; p++) for (let k = 0; k < d; k++) sum[k] += x[groups.members[p] * d + k];
    const r = Math.hypot(...sum);
    centres.push(sum.map((v) => v / r));
    sizes.push(groups.start[c + 1] - groups.start[c]);
    diameters.push(conditionalDiameter(x, d, { start: Int32Array.of(groups.start[c], groups.start[c + 1]), members: groups.members }));
  }
  return { centres, sizes, diameters };
}
