// Small dense helpers on flat row-major arrays. Matrices are d x d, row-major:
// m[r * d + c] is entry (r, c).
import type { Random } from "./random.js";

/** Identity d x d. */
export function identity(d: number): Float64Array {
  const m = new Float64Array(d * d);
  for (let k = 0; k < d; k++) m[k * d + k] = 1;
  return m;
}

/**
 * Rotation by theta in the plane (p, q) (docs/model.md convention): e_p -> cos e_p + sin e_q,
 * e_q -> -sin e_p + cos e_q, every other axis fixed. Written into out (d x d).
 */
export function planeRotation(d: number, p: number, q: number, theta: number, out = identity(d)): Float64Array {
  out.fill(0);
  for (let k = 0; k < d; k++) out[k * d + k] = 1;
  const c = Math.cos(theta), s = Math.sin(theta);
  out[p * d + p] = c; out[q * d + p] = s;
  out[p * d + q] = -s; out[q * d + q] = c;
  return out;
}

/** out = a b (d x d). out must not alias a or b. */
export function matMul(d: number, a: Float64Array, b: Float64Array, out = new Float64Array(d * d)): Float64Array {
  for (let r = 0; r < d; r++) {
    for (let c = 0; c < d; c++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += a[r * d + k] * b[k * d + c];
      out[r * d + c] = s;
    }
  }
  return out;
}

/** A^T B for d x d row-major matrices. */
export function transposeTimes(d: number, a: Float64Array, b: Float64Array): Float64Array {
  const m = new Float64Array(d * d);
  for (let r = 0; r < d; r++) {
    for (let c = 0; c < d; c++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += a[k * d + r] * b[k * d + c];
      m[r * d + c] = s;
    }
  }
  return m;
}

/** out = G x for a d x d matrix G stored at g[gOff..], vector x at x[xOff..]. */
export function applyMatrix(d: number, g: Float64Array, gOff: number, x: ArrayLike<number>, xOff: number, out: Float64Array, outOff: number): void {
  for (let r = 0; r < d; r++) {
    let s = 0;
    for (let c = 0; c < d; c++) s += g[gOff + r * d + c] * x[xOff + c];
    out[outOff + r] = s;
  }
}

/** out = G^T x. */
export function applyTranspose(d: number, g: Float64Array, gOff: number, x: ArrayLike<number>, xOff: number, out: Float64Array, outOff: number): void {
  for (let c = 0; c < d; c++) {
    let s = 0;
    for (let r = 0; r < d; r++) s += g[gOff + r * d + c] * x[xOff + r];
    out[outOff + c] = s;
  }
}

/** out = G^T G for G at g[gOff..] (d x d). */
function gram(d: number, g: Float64Array, gOff: number, out: Float64Array): Float64Array {
  for (let r = 0; r < d; r++) {
    for (let c = 0; c < d; c++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += g[gOff + k * d + r] * g[gOff + k * d + c];
      out[r * d + c] = s;
    }
  }
  return out;
}

/** max |(M - I)_{rc}| for a d x d matrix M. */
function identityDefect(d: number, m: Float64Array): number {
  let worst = 0;
  for (let r = 0; r < d; r++) {
    for (let c = 0; c < d; c++) worst = Math.max(worst, Math.abs(m[r * d + c] - (r === c ? 1 : 0)));
  }
  return worst;
}

/** max |(G^T G - I)_{rc}|: 0 for an orthogonal matrix. */
export function orthogonalityDefect(d: number, g: Float64Array, gOff = 0): number {
  return identityDefect(d, gram(d, g, gOff, new Float64Array(d * d)));
}

/** Euclidean inner product of two length-d slices. */
export function dot(d: number, a: ArrayLike<number>, aOff: number, b: ArrayLike<number>, bOff: number): number {
  let s = 0;
  for (let k = 0; k < d; k++) s += a[aOff + k] * b[bOff + k];
  return s;
}

/**
 * Replaces G (at g[gOff..]) by its polar factor, the nearest orthogonal matrix, with the
 * Newton-Schulz iteration G <- G (3I - G^T G) / 2 (quadratic convergence from a defect < 1).
 * Gauges are accepted within a small defect and made orthogonal to round-off this way, so that
 * the original and gauge frames are exactly equivalent (|G^T z| = |z|).
 */
export function orthogonalizeInPlace(d: number, g: Float64Array, gOff = 0): void {
  const m = g.slice(gOff, gOff + d * d);
  const gtg = new Float64Array(d * d), next = new Float64Array(d * d);
  for (let iter = 0; iter < 8; iter++) {
    gram(d, m, 0, gtg);
    if (identityDefect(d, gtg) <= 2e-16 * d) break;
    // gtg <- (3I - G^T G) / 2, then G <- G gtg
    for (let q = 0; q < d * d; q++) gtg[q] *= -0.5;
    for (let k = 0; k < d; k++) gtg[k * d + k] += 1.5;
    matMul(d, m, gtg, next);
    m.set(next);
  }
  g.set(m, gOff);
}

/**
 * Eigenvalues of a symmetric d x d matrix (row-major), ascending, by cyclic Jacobi rotations
 * (Golub and Van Loan, Algorithm 8.5.3); converges quadratically, accurate to round-off in the
 * matrix norm. The input is not modified.
 */
export function symmetricEigenvalues(d: number, a: Float64Array): Float64Array {
  const m = a.slice(0, d * d);
  for (let sweep = 0; sweep < 64; sweep++) {
    let off = 0, total = 0;
    for (let p = 0; p < d; p++) {
      for (let q = 0; q < d; q++) {
        total += m[p * d + q] * m[p * d + q];
        if (p !== q) off += m[p * d + q] * m[p * d + q];
      }
    }
    if (off <= 1e-32 * total || off === 0) break;
    for (let p = 0; p < d - 1; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = m[p * d + q];
        if (apq === 0) continue;
        // the rotation (c, s) that zeroes m[p][q]: tan(2 theta) = 2 a_pq / (a_qq - a_pp)
        const tau = (m[q * d + q] - m[p * d + p]) / (2 * apq);
        const t = Math.sign(tau || 1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        const c = 1 / Math.sqrt(1 + t * t), s = t * c;
        for (let k = 0; k < d; k++) {
          const mkp = m[k * d + p], mkq = m[k * d + q];
          m[k * d + p] = c * mkp - s * mkq;
          m[k * d + q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < d; k++) {
          const mpk = m[p * d + k], mqk = m[q * d + k];
          m[p * d + k] = c * mpk - s * mqk;
          m[q * d + k] = s * mpk + c * mqk;
        }
      }
    }
  }
  const ev = new Float64Array(d);
  for (let k = 0; k < d; k++) ev[k] = m[k * d + k];
  return ev.sort();
}

/** A random orthogonal d x d matrix (Gram-Schmidt on Gaussian columns), as nested rows. */
export function randomOrthogonalMatrix(d: number, rng: Random): number[][] {
  const cols: number[][] = [];
  while (cols.length < d) {
    const v = Array.from({ length: d }, () => rng.normal());
    for (const c of cols) {
      const p = c.reduce((s, ck, k) => s + ck * v[k], 0);
      for (let k = 0; k < d; k++) v[k] -= p * c[k];
    }
    const r = Math.hypot(...v);
    if (r > 1e-6) cols.push(v.map((x) => x / r));
  }
  return Array.from({ length: d }, (_, r) => cols.map((c) => c[r]));
}
