// The mean-field velocity on the circle, in the gauge frame psi (docs/meanfield.md, "Interaction"):
//   v_a(psi) = sum_b lambda_b W[a,b] int kappa'(cos(psi' - psi)) sin(psi' - psi) dmu_b(psi')
//            = -2 sum_{k>=1} k g_k Im(e^{i k psi} S_a(k)),   S_a(k) = sum_b lambda_b W[a,b] rhohat_b(k),
// with rhohat_b(k) = int e^{-i k psi} dmu_b, the Fourier coefficients of label b's law (its
// quadrature over the quantile nodes), and kappa(cos u) = sum_k g_k e^{iku}. SA divides by
//   Z_a(psi) = h_0 S_a(0) + 2 sum_{k>=1} h_k Re(e^{i k psi} S_a(k)).
// The energy is E = (1/2) sum_a lambda_a sum_k g_k conj(rhohat_a(k)) S_a(k). One evaluation costs
// O(points * modes + L^2 * modes) (O(L * modes) for W = 1), never a sum over pairs of points.
import type { MeanFieldProblem } from "./problem.js";
import type { QuantileLayout } from "./quantile.js";

/** Evaluates velocities, energy and dissipation for states of one problem and layout, without allocating. */
export class MeanFieldVelocity {
  /** E at the last evaluated state */
  energy = 0;
  /** sum_a lambda_a int |v_a|^2 dmu_a at the last evaluated state: dE/dt for a gradient flow */
  dissipation = 0;
  private readonly rhoRe: Float64Array;
  private readonly rhoIm: Float64Array;
  private readonly sRe: Float64Array;
  private readonly sIm: Float64Array;

  constructor(readonly problem: MeanFieldProblem, readonly layout: QuantileLayout) {
    const L = problem.labelCount, K = problem.profile.modes;
    this.rhoRe = new Float64Array(L * (K + 1));
    this.rhoIm = new Float64Array(L * (K + 1));
    // W = 1: one S for every label
    const rows = problem.weights ? L : 1;
    this.sRe = new Float64Array(rows * (K + 1));
    this.sIm = new Float64Array(rows * (K + 1));
  }

  /** Velocities d psi / dt at every point of psi into out; sets energy and dissipation. */
  evaluate(psi: Float64Array, out: Float64Array): void {
    const p = this.problem, lay = this.layout;
    const L = p.labelCount, K = p.profile.modes, K1 = K + 1, per = lay.perLabel;
    const w = lay.weight, lambda = p.labelWeights, W = p.weights;
    const g = p.profile.potential, h = p.profile.weight;
    const { rhoRe, rhoIm, sRe, sIm } = this;
    // label moments rhohat_a(k) = sum_i w_i e^{-i k psi_i}
    rhoRe.fill(0);
    rhoIm.fill(0);
    for (let a = 0; a < L; a++) {
      const o = a * K1;
      for (let i = a * per, end = (a + 1) * per; i < end; i++) {
        const wi = w[i];
        if (wi === 0) continue;
        const c = Math.cos(psi[i]), s = -Math.sin(psi[i]);
        let zr = wi, zi = 0;
        rhoRe[o] += wi;
        for (let k = 1; k <= K; k++) {
          const t = zr * c - zi * s;
          zi = zr * s + zi * c;
          zr = t;
          rhoRe[o + k] += zr;
          rhoIm[o + k] += zi;
        }
      }
    }
    // S_a(k) = sum_b lambda_b W[a,b] rhohat_b(k)
    sRe.fill(0);
    sIm.fill(0);
    const rows = W ? L : 1;
    for (let a = 0; a < rows; a++) {
      for (let b = 0; b < L; b++) {
        const f = lambda[b] * (W ? W[a * L + b] : 1);
        if (f === 0) continue;
        for (let k = 0; k <= K; k++) { sRe[a * K1 + k] += f * rhoRe[b * K1 + k]; sIm[a * K1 + k] += f * rhoIm[b * K1 + k]; }
      }
    }
    // energy: (1/2) sum_a lambda_a [g_0 rho_a(0) S_a(0) + 2 sum_{k>=1} g_k Re(conj(rho_a(k)) S_a(k))]
    let energy = 0;
    for (let a = 0; a < L; a++) {
      const o = a * K1, so = W ? o : 0;
      let e = g[0] * rhoRe[o] * sRe[so];
      for (let k = 1; k <= K; k++) e += 2 * g[k] * (rhoRe[o + k] * sRe[so + k] + rhoIm[o + k] * sIm[so + k]);
      energy += 0.5 * lambda[a] * e;
    }
    // velocities at every point (tracers too), and the dissipation over the nodes
    const sa = p.normalize === "sa";
    let dissipation = 0;
    for (let a = 0; a < L; a++) {
      const so = W ? a * K1 : 0;
      let da = 0;
      for (let i = a * per, end = (a + 1) * per; i < end; i++) {
        const c = Math.cos(psi[i]), s = Math.sin(psi[i]);
        let zr = 1, zi = 0, vs = 0, zs = 0;
        for (let k = 1; k <= K; k++) {
          const t = zr * c - zi * s;
          zi = zr * s + zi * c;
          zr = t;
          const sr = sRe[so + k], si = sIm[so + k];
          // e^{i k psi} S_a(k): imaginary part for the velocity, real part for the SA normaliser
          vs += k * g[k] * (zr * si + zi * sr);
          if (sa) zs += h[k] * (zr * sr - zi * si);
        }
        let v = -2 * vs;
        if (sa) v /= h[0] * sRe[so] + 2 * zs;
        out[i] = v;
        da += w[i] * v * v;
      }
      dissipation += lambda[a] * da;
    }
    this.energy = energy;
    this.dissipation = dissipation;
  }
}
