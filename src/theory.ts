// Predicted maximisers (docs/model.md "Known maxima"), for checks and overlays.
import { applyTranspose } from "./linalg.js";
import type { Problem } from "./problem.js";

/**
 * x_i = G_{a_i}^T v for every particle: the conditional Dirac mass at v in the gauge frame,
 * the maximiser of E for W >= 0 (Theorem 1: the RoPE orbit; Theorem 2: a phase-field curve;
 * Theorem 4: the prompt law T#pi with T(p) = G_p^T v).
 */
export function gaugeOrbit(problem: Problem, v: ArrayLike<number>): Float64Array {
  const { n, dim: d, gauges, labels } = problem;
  const x = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    if (gauges) applyTranspose(d, gauges, labels[i] * d * d, v, 0, x, i * d);
    else for (let k = 0; k < d; k++) x[i * d + k] = v[k];
  }
  return x;
}

/** x_i = G_{a_i}^T z_i for a gauge-frame state z (particle-major n*d), into out. */
export function toOriginalFrame(problem: Problem, z: ArrayLike<number>, out: Float64Array = new Float64Array(problem.n * problem.dim)): Float64Array {
  const { n, dim: d, gauges, labels } = problem;
  for (let i = 0; i < n; i++) {
    if (gauges) applyTranspose(d, gauges, labels[i] * d * d, z, i * d, out, i * d);
    else for (let k = 0; k < d; k++) out[i * d + k] = z[i * d + k];
  }
  return out;
}

/**
 * The Toeplitz maximiser for a dominant frequency k >= 1 (Proposition 10): the great circle
 * x(s) = cos(2 pi k s) e_1 + sin(2 pi k s) e_2 at each particle's position.
 */
export function greatCircle(problem: Problem, k: number): Float64Array {
  const { n, dim: d, labels, positions } = problem;
  const x = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const s = positions[labels[i]];
    x[i * d] = Math.cos(2 * Math.PI * k * s);
    x[i * d + 1] = Math.sin(2 * Math.PI * k * s);
  }
  return x;
}
