// The Lagrangian state of the mean-field solver: for each label, the quantile function
// m -> psi(m) of its gauge-frame angle law, held at points of the mass coordinate m in [0, 1]:
// q Gauss-Legendre nodes per panel (weights: the panel's share of mass) and two tracers of
// weight 0 at the panel's ends. Panels never straddle a kink or a jump of the initial quantile,
// so the quadrature keeps its order 2q (docs/meanfield.md, "Scheme").
import { ConfigError } from "../errors.js";
import type { Arc } from "./problem.js";
import { allocatePanels, gaussLegendre } from "./quadrature.js";

const TWO_PI = 2 * Math.PI;

/** One linear piece of a quantile: m from m0 to m1 maps to psi from psi0 to psi1 (psi0 = psi1: an atom). */
interface QuantilePiece { m0: number; m1: number; psi0: number; psi1: number }

/** The points of every label, label-major: label a owns points [a * perLabel, (a + 1) * perLabel). */
export interface QuantileLayout {
  /** points per label: panels * (q + 2) */
  readonly perLabel: number;
  readonly panels: number;
  readonly panelPoints: number;
  /** mass coordinate of each point */
  readonly mass: Float64Array;
  /** quadrature weight of each point (0 at the tracers); each label's weights sum to 1 */
  readonly weight: Float64Array;
  /** initial psi of each point (non-decreasing within each label, lifted: span <= 2 pi) */
  readonly psi: Float64Array;
}

/**
 * The quantile function of a mixture of uniform arcs on the circle, as linear pieces in m,
 * lifted to a non-decreasing psi(m) of span <= 2 pi. The cut (m = 0) is at the end of the
 * longest empty gap, if there is one (the support then starts at m = 0 and ends at m = 1), else
 * at an arc edge, else (the uniform law) at center - pi.
 */
export function quantilePieces(arcs: readonly Arc[]): QuantilePiece[] {
  const edges: number[] = [];
  const wrap = (t: number): number => ((t % TWO_PI) + TWO_PI) % TWO_PI;
  for (const a of arcs) {
    if (a.halfWidth >= Math.PI) continue;
    edges.push(wrap(a.center - a.halfWidth), wrap(a.center + a.halfWidth));
  }
  if (edges.length === 0) {
    // only whole-circle arcs: the uniform law
    const start = arcs[0].center - Math.PI;
    return [{ m0: 0, m1: 1, psi0: start, psi1: start + TWO_PI }];
  }
  const points = [...new Set(edges)].sort((x, y) => x - y);
  const k = points.length;
  // density on each gap (points[j], points[j+1]) and atoms at the points
  const density = new Float64Array(k), atom = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const lo = points[j], len = (j + 1 < k ? points[j + 1] : points[0] + TWO_PI) - lo;
    const mid = lo + len / 2;
    for (const a of arcs) {
      if (a.halfWidth === 0) { if (wrap(a.center) === lo) atom[j] += a.mass; continue; }
      if (a.halfWidth >= Math.PI) { density[j] += a.mass / TWO_PI; continue; }
      // covered when the gap's midpoint is within halfWidth of the centre
      const off = Math.abs(wrap(mid - a.center + Math.PI) - Math.PI);
      if (off < a.halfWidth) density[j] += a.mass / (2 * a.halfWidth);
    }
  }
  const gapLength = (j: number): number => (j + 1 < k ? points[j + 1] : points[0] + TWO_PI) - points[j];
  // start at the point after the longest empty gap, else at the first point
  let first = 0, longest = -1;
  for (let j = 0; j < k; j++) if (density[j] === 0 && gapLength(j) > longest) { longest = gapLength(j); first = (j + 1) % k; }
  const pieces: QuantilePiece[] = [];
  let m = 0, psi = points[first];
  for (let step = 0; step < k; step++) {
    const j = (first + step) % k;
    if (atom[j] > 0) { pieces.push({ m0: m, m1: m + atom[j], psi0: psi, psi1: psi }); m += atom[j]; }
    const len = gapLength(j);
    if (density[j] > 0) { pieces.push({ m0: m, m1: m + density[j] * len, psi0: psi, psi1: psi + len }); m += density[j] * len; }
    psi += len;
  }
  // the masses sum to 1 up to round-off: the last piece ends exactly at m = 1
  pieces[pieces.length - 1].m1 = 1;
  return pieces;
}

/**
 * The initial points of every label: `angles` nodes per label in panels of `panelPoints`
 * Gauss-Legendre nodes, each panel inside one piece of the label's quantile (atoms get one panel;
 * the rest are shared by mass, largest remainder first).
 */
export function quantileLayout(initial: readonly (readonly Arc[])[], angles: number, panelPoints: number): QuantileLayout {
  const q = panelPoints, panels = angles / q, per = panels * (q + 2), L = initial.length;
  const gl = gaussLegendre(q);
  const mass = new Float64Array(L * per), weight = new Float64Array(L * per), psi = new Float64Array(L * per);
  for (let a = 0; a < L; a++) {
    const pieces = quantilePieces(initial[a]);
    if (pieces.length > panels) {
      throw new ConfigError("grid.angles", angles, `at least ${pieces.length * q} (the initial law of label ${a} has ${pieces.length} pieces between kinks, each needing a panel of grid.panelPoints = ${q} nodes)`);
    }
    const isAtom = pieces.map((p) => p.psi1 === p.psi0);
    const spread = pieces.filter((_, i) => !isAtom[i]).length;
    let count: Int32Array;
    if (spread === 0) {
      count = allocatePanels(pieces.map((p) => p.m1 - p.m0), panels);
    } else {
      const atoms = pieces.length - spread;
      const shares = allocatePanels(pieces.map((p, i) => (isAtom[i] ? 0 : p.m1 - p.m0)), panels - atoms);
      count = Int32Array.from(pieces, (_, i) => (isAtom[i] ? 1 : shares[i]));
    }
    let at = a * per;
    pieces.forEach((p, i) => {
      const width = (p.m1 - p.m0) / count[i];
      const slope = p.psi1 === p.psi0 ? 0 : (p.psi1 - p.psi0) / (p.m1 - p.m0);
      for (let j = 0; j < count[i]; j++) {
        const lo = p.m0 + j * width, hi = j + 1 === count[i] ? p.m1 : p.m0 + (j + 1) * width;
        const put = (mm: number, w: number): void => { mass[at] = mm; weight[at] = w; psi[at] = p.psi0 + slope * (mm - p.m0); at++; };
        put(lo, 0);
        for (let g = 0; g < q; g++) put(lo + gl.nodes[g] * (hi - lo), gl.weights[g] * (hi - lo));
        put(hi, 0);
      }
    });
  }
  return { perLabel: per, panels, panelPoints: q, mass, weight, psi };
}
