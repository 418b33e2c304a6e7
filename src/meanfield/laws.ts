// The laws a mean-field state holds: each label's law of theta (original frame) or psi (gauge
// frame) as uniform pieces between consecutive quantile points, their mixture over labels, and
// the collapse gaps of the mixture.
import type { PiecewiseUniformLaw } from "../diagnostics/circleLaw.js";
import type { MeanFieldProblem } from "./problem.js";
import type { QuantileLayout } from "./quantile.js";

/** "original": the angle theta of x; "gauge": psi, the angle of z = G_a x. */
export type MeanFieldFrame = "original" | "gauge";

/**
 * The law of labels `from` .. `to - 1` (each weighted by its label weight when `weighted`) as
 * uniform pieces: between consecutive points of each panel, the mass between them spread over
 * the arc between their angles. Returns null if some piece has negative length (the quantile lost
 * its order: a negative density), else the law.
 */
export function piecewiseLaw(problem: MeanFieldProblem, layout: QuantileLayout, psi: Float64Array, from: number, to: number, frame: MeanFieldFrame, weighted: boolean): PiecewiseUniformLaw | null {
  const q = layout.panelPoints, per = layout.perLabel, count = (to - from) * layout.panels * (q + 1);
  const start = new Float64Array(count), length = new Float64Array(count), mass = new Float64Array(count);
  let at = 0;
  for (let a = from; a < to; a++) {
    const lam = weighted ? problem.labelWeights[a] : 1;
    const sign = frame === "original" ? problem.gaugeSign[a] : 1, alpha = frame === "original" ? problem.gaugeAngle[a] : 0;
    for (let p = 0; p < layout.panels; p++) {
      const base = a * per + p * (q + 2);
      for (let j = 0; j <= q; j++) {
        const lo = psi[base + j], hi = psi[base + j + 1];
        const len = hi - lo;
        if (!(len >= 0)) return null;
        // theta = sign (psi - alpha): the piece [lo, hi] of psi is [sign (lo - alpha), ...] reversed for sign -1
        start[at] = sign > 0 ? lo - alpha : alpha - hi;
        length[at] = len;
        mass[at] = lam * (layout.mass[base + j + 1] - layout.mass[base + j]);
        at++;
      }
    }
  }
  return { start, length, mass };
}

/**
 * G = sum_a lambda_a int |x - m|^2 dmu_a(x), m the mean of the mixture: the collapse gap
 * 1 - |m|^2 of the law (G_x in the original frame, G_z in the gauge frame), computed as the
 * spread so that it stays accurate near collapse, by the quantile quadrature.
 */
export function collapseGapOf(problem: MeanFieldProblem, layout: QuantileLayout, psi: Float64Array, frame: MeanFieldFrame): number {
  const L = problem.labelCount, per = layout.perLabel, w = layout.weight;
  const angle = (a: number, i: number): number => (frame === "original" ? problem.gaugeSign[a] * (psi[i] - problem.gaugeAngle[a]) : psi[i]);
  let mx = 0, my = 0;
  for (let a = 0; a < L; a++) {
    const lam = problem.labelWeights[a];
    for (let i = a * per; i < (a + 1) * per; i++) if (w[i] > 0) { const t = angle(a, i); mx += lam * w[i] * Math.cos(t); my += lam * w[i] * Math.sin(t); }
  }
  let g = 0;
  for (let a = 0; a < L; a++) {
    const lam = problem.labelWeights[a];
    for (let i = a * per; i < (a + 1) * per; i++) if (w[i] > 0) { const t = angle(a, i); g += lam * w[i] * ((Math.cos(t) - mx) ** 2 + (Math.sin(t) - my) ** 2); }
  }
  return g;
}

/**
 * The mixture over a continuous label law, int mu_s ds, with mu_s for s between two label nodes
 * the law whose quantile is the linear interpolant in s of the nodes' quantiles (the nearest
 * node's beyond the first and last), sampled at `perNode` labels per node spacing. The plain node
 * mixture sum_a lambda_a mu_a has a W1 error of order 1/L wherever the conditional laws are
 * concentrated (each node is a near-atom); this one, of order 1/L^2 plus 1/(L perNode). A convex
 * combination of non-decreasing quantiles is non-decreasing, so the law stays a law. For finitely
 * many labels (or perNode = 0) it is the plain mixture. Returns null if two neighbouring labels
 * do not share their mass points or gauge sign (then there is nothing to interpolate).
 */
export function refinedMarginalLaw(problem: MeanFieldProblem, layout: QuantileLayout, psi: Float64Array, frame: MeanFieldFrame, perNode: number): PiecewiseUniformLaw | null {
  const L = problem.labelCount;
  if (!problem.continuum || perNode <= 0) return piecewiseLaw(problem, layout, psi, 0, L, frame, true);
  const per = layout.perLabel, qm = layout.panelPoints, s = problem.positions;
  const pieces = layout.panels * (qm + 1);
  const sign = frame === "original" ? problem.gaugeSign[0] : 1;
  // u_a = sign theta = psi - alpha_a for every label (increasing in m), each point unwrapped
  // towards the previous label's
  const u = new Float64Array(L * per);
  for (let a = 0; a < L; a++) {
    const alpha = frame === "original" ? problem.gaugeAngle[a] : 0;
    if (frame === "original" && problem.gaugeSign[a] !== sign) return null;
    for (let i = 0; i < per; i++) {
      if (layout.mass[a * per + i] !== layout.mass[i]) return null;
      let t = psi[a * per + i] - alpha;
      if (a > 0) t += 2 * Math.PI * Math.round((u[(a - 1) * per + i] - t) / (2 * Math.PI));
      u[a * per + i] = t;
    }
  }
  // sub-labels at the midpoints of perNode equal parts of [0, s_0], [s_a, s_{a+1}], [s_{L-1}, 1]
  const edges = [0, ...s, 1];
  const count = (edges.length - 1) * perNode;
  const start = new Float64Array(count * pieces), length = new Float64Array(start.length), mass = new Float64Array(start.length);
  const row = new Float64Array(per);
  let at = 0;
  for (let k = 0; k + 1 < edges.length; k++) {
    const lo = edges[k], hi = edges[k + 1], width = (hi - lo) / perNode;
    const left = Math.max(0, k - 1), right = Math.min(L - 1, k);
    for (let j = 0; j < perNode; j++) {
      const sj = lo + (j + 0.5) * width;
      const f = left === right ? 0 : (sj - s[left]) / (s[right] - s[left]);
      for (let i = 0; i < per; i++) row[i] = (1 - f) * u[left * per + i] + f * u[right * per + i];
      for (let m = 0; m < layout.panels; m++) {
        const base = m * (qm + 2);
        for (let g = 0; g <= qm; g++) {
          // a sum of non-negative terms: >= 0 in floating point too
          const len = (1 - f) * (u[left * per + base + g + 1] - u[left * per + base + g]) + f * (u[right * per + base + g + 1] - u[right * per + base + g]);
          start[at] = sign > 0 ? row[base + g] : -(row[base + g] + len);
          length[at] = len;
          mass[at] = width * (layout.mass[base + g + 1] - layout.mass[base + g]);
          at++;
        }
      }
    }
  }
  return { start, length, mass };
}
