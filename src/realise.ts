// Exact realisation of target laws (docs/model.md "Exact realisation"; Theorem 2 (ii), Theorem 4 (ii)-(iii)):
// build the auxiliary variables whose long-time law is a law the user chooses.
import { ConfigError } from "./errors.js";
import { identity } from "./linalg.js";
import type { KernelSpec } from "./problem.js";

/** |t - <t,v> v| below this: t = +-v (identity, or a half-turn in a chosen plane). */
const SAME_POINT = 1e-12;

/**
 * An orthogonal G with G^T v = t, for unit v and t in R^d: the rotation by the angle between
 * them in the plane span(v, t), identity on its complement (docs/model.md: "the rotation in the plane
 * of v and T(p) that sends v to T(p)"). For t = -v the plane is span(v, e), e the axis least
 * aligned with v. Written into out (d*d, row-major) at offset off.
 */
export function gaugeSending(d: number, v: ArrayLike<number>, t: ArrayLike<number>, out: Float64Array = new Float64Array(d * d), off = 0): Float64Array {
  // G^T v = t  <=>  G = R^T where R v = t, R = I + sin(a)(w u^T - u w^T) + (cos(a) - 1)(u u^T + w w^T),
  // u = v, w = the unit component of t orthogonal to v, cos(a) = <v, t>.
  let c = 0;
  for (let k = 0; k < d; k++) c += v[k] * t[k];
  const w = new Float64Array(d);
  for (let k = 0; k < d; k++) w[k] = t[k] - c * v[k];
  let wn = Math.hypot(...w);
  // sin a = |t - <t,v> v| (accurate near a = 0 and a = pi, unlike sqrt(1 - c^2))
  const sinA = wn < SAME_POINT ? 0 : wn;
  out.set(identity(d), off);
  if (wn < SAME_POINT) {
    if (c > 0) return out;
    // antipodal: any plane through v; rotate by pi in span(v, e)
    let axis = 0;
    for (let k = 1; k < d; k++) if (Math.abs(v[k]) < Math.abs(v[axis])) axis = k;
    for (let k = 0; k < d; k++) w[k] = (k === axis ? 1 : 0) - v[axis] * v[k];
    wn = Math.hypot(...w);
  }
  // a second Gram-Schmidt pass keeps w orthogonal to v to round-off when t is near +-v
  let vw = 0;
  for (let k = 0; k < d; k++) vw += v[k] * w[k];
  for (let k = 0; k < d; k++) w[k] -= vw * v[k];
  wn = Math.hypot(...w);
  for (let k = 0; k < d; k++) w[k] /= wn;
  const s = sinA;
  const cosA = sinA === 0 ? Math.sign(c) : c;
  // R[r][q] = delta + s (w_r v_q - v_r w_q) + (cos - 1)(v_r v_q + w_r w_q); G = R^T.
  for (let r = 0; r < d; r++) {
    for (let q = 0; q < d; q++) {
      out[off + q * d + r] += s * (w[r] * v[q] - v[r] * w[q]) + (cosA - 1) * (v[r] * v[q] + w[r] * w[q]);
    }
  }
  return out;
}

/**
 * Prompt gauges realising a target map (Theorem 4 (ii)-(iii)): G_p with G_p^T v = T(p) for each
 * prompt p, so that when the gauge-frame cloud settles at v the output law is T#pi exactly.
 * targets: L unit vectors (L*d, particle-major); v: the gauge-frame point (unit). Returns the
 * gauges as nested arrays, ready for {"name": "prompt", "gauges": ...}.
 */
export function promptGaugesFor(d: number, targets: ArrayLike<number>, v: ArrayLike<number>): number[][][] {
  checkUnitRows("targets", targets, d);
  checkUnitRows("v", v, d, 1);
  const L = targets.length / d;
  const g = new Float64Array(d * d);
  const out: number[][][] = [];
  for (let p = 0; p < L; p++) {
    const t = Array.prototype.slice.call(targets, p * d, (p + 1) * d) as number[];
    gaugeSending(d, v, t, g, 0);
    const m: number[][] = [];
    for (let r = 0; r < d; r++) m.push(Array.from(g.subarray(r * d, (r + 1) * d)));
    out.push(m);
  }
  return out;
}

/**
 * A phase-field kernel whose long-time law on the rotation orbit is the law of the given angles
 * (Theorem 2 (ii)): phase g = the quantile function of the negated samples, so that the output
 * angle phi_v - g(s), s ~ U[0,1), has the samples' law shifted by the angle phi_v of the
 * gauge-frame limit point in the plane. The law is realised exactly up to that rotation, which
 * the flow chooses (or an anchor fixes).
 */
export function phaseFieldFor(angles: readonly number[], plane: [number, number] = [0, 1]): KernelSpec {
  if (!Array.isArray(angles) || angles.length === 0) throw new ConfigError("angles", angles, "a non-empty array of finite angles (radians)");
  angles.forEach((a, i) => {
    if (typeof a !== "number" || !Number.isFinite(a)) throw new ConfigError(`angles[${i}]`, a, "a finite angle (radians)");
  });
  return { name: "phaseField", plane, phase: { quantile: angles.map((a) => -a) } };
}

function checkUnitRows(name: string, x: ArrayLike<number>, d: number, rows?: number): void {
  if (x.length === 0 || x.length % d !== 0 || (rows !== undefined && x.length !== rows * d)) {
    throw new ConfigError(name, `an array of length ${x.length}`, rows === undefined ? `a non-empty array of unit vectors of dimension ${d} (length a multiple of ${d})` : `a unit vector of dimension ${d}`);
  }
  for (let i = 0; i < x.length / d; i++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += x[i * d + k] * x[i * d + k];
    if (!(Math.abs(Math.sqrt(s) - 1) <= 1e-9)) {
      throw new ConfigError(rows === undefined ? `${name}[${i}]` : name, Array.prototype.slice.call(x, i * d, (i + 1) * d), "a finite unit vector (|x| = 1 within 1e-9)");
    }
  }
}
