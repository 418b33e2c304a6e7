// Configurations for the diagnostics tests: states on the sphere with labels, drawn from one seed.
import { createRandom } from "../src/random.js";
import { sampleCap, sampleUniform } from "../src/sphere.js";
import { applyTranspose, randomOrthogonalMatrix } from "../src/linalg.js";

/** How the points of each label lie. */
export type Shape = "uniform" | "clusters" | "cap" | "collapsed" | "tiny";

/** A labelled state: x particle-major, labels, label count. */
export interface Configuration { x: Float64Array; labels: Int32Array; labelCount: number }

/**
 * n points in S^{d-1}, in `labelCount` labels assigned at random (so that member order differs
 * from index order), each label shaped alike:
 *   uniform:   uniform on the sphere;
 *   clusters:  three caps of radius 0.02 at random centres;
 *   cap:       one cap of radius 0.4 (a partly collapsed label: its diameter is spread over a rim);
 *   collapsed: one cap of radius 1e-9;
 *   tiny:      one cap of radius 1e-15 (the rounding of |x| = 1 is of the same order).
 */
export function configuration(shape: Shape, n: number, d: number, labelCount: number, seed: number): Configuration {
  const rng = createRandom(seed);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) labels[i] = i < labelCount ? i : Math.floor(rng.uniform() * labelCount);
  const centres: Float64Array[][] = [];
  for (let a = 0; a < labelCount; a++) {
    const cs: Float64Array[] = [];
    for (let c = 0; c < 3; c++) { const v = new Float64Array(d); sampleUniform(rng, d, v, 0); cs.push(v); }
    centres.push(cs);
  }
  const x = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const cs = centres[labels[i]];
    if (shape === "uniform") sampleUniform(rng, d, x, i * d);
    else if (shape === "clusters") sampleCap(rng, d, cs[Math.floor(rng.uniform() * 3)], 0.02, x, i * d);
    else sampleCap(rng, d, cs[0], shape === "cap" ? 0.4 : shape === "collapsed" ? 1e-9 : 1e-15, x, i * d);
  }
  return { x, labels, labelCount };
}

/** Random orthogonal gauges, one per label, row-major. */
export function randomGauges(d: number, labelCount: number, seed: number): Float64Array {
  const rng = createRandom(seed);
  const g = new Float64Array(labelCount * d * d);
  for (let a = 0; a < labelCount; a++) g.set(randomOrthogonalMatrix(d, rng).flat(), a * d * d);
  return g;
}

/** Points on the unit circle at the given angles, shuffled (index order is not angle order). */
export function circleAtAngles(angles: number[], seed: number): Float64Array {
  const rng = createRandom(seed);
  const a = angles.slice();
  for (let i = a.length - 1; i > 0; i--) { const j = Math.floor(rng.uniform() * (i + 1)); [a[i], a[j]] = [a[j], a[i]]; }
  const x = new Float64Array(2 * a.length);
  a.forEach((t, i) => { x[2 * i] = Math.cos(t); x[2 * i + 1] = Math.sin(t); });
  return x;
}

/** k clusters on the unit circle of m points each, of angular spread `spread`, at random centres. */
export function circleClusters(k: number, m: number, spread: number, seed: number): Float64Array {
  const rng = createRandom(seed);
  const centres = Array.from({ length: k }, () => 2 * Math.PI * rng.uniform());
  const angles: number[] = [];
  for (let c = 0; c < k; c++) for (let i = 0; i < m; i++) angles.push(centres[c] + spread * (rng.uniform() - 0.5));
  return circleAtAngles(angles, seed + 1);
}

/**
 * A gauged state on the circle: n points in 7 clusters as the core's state z, labels i mod L with
 * random rotations G_a, and the original-frame state x_i = G_{a_i}^T z_i.
 */
export function gaugedCircle(n: number, L: number) {
  const d = 2;
  const z = new Float64Array(circleClusters(7, n / 7 + 1, 0.02, 9).subarray(0, d * n));
  const labels = Int32Array.from({ length: n }, (_, i) => i % L);
  const gauges = randomGauges(d, L, 4);
  const x = new Float64Array(d * n);
  for (let i = 0; i < n; i++) applyTranspose(d, gauges, labels[i] * d * d, z, i * d, x, i * d);
  return { z, x, labels, gauges };
}
