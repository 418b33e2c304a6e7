// Fourier coefficients of the content kernel on the circle. With u the angle between two points,
// kappa(cos u) = sum_k g_k e^{iku} and kappa'(cos u) = sum_k h_k e^{iku}; for kappa(t) = e^{beta t}/beta
// the generating function e^{beta cos u} = I_0(beta) + 2 sum_{k>=1} I_k(beta) cos(k u) gives
// h_k = I_k(beta) and g_k = I_k(beta) / beta (docs/meanfield.md, "Interaction").
import type { Content } from "../kernels/types.js";

/**
 * e^{-beta} I_k(beta) for k = 0..K (the exponentially scaled modified Bessel functions), by
 * Miller's backward recurrence I_{k-1} = (2k / beta) I_k + I_{k+1}, started far above K and
 * normalised by the identity I_0 + 2 sum_{k>=1} I_k = e^beta. Relative accuracy near 1e-15
 * wherever the value is above 1e-300 (test/meanfield.test.ts checks it against quadrature).
 */
export function scaledBesselI(beta: number, K: number): Float64Array {
  if (!(beta > 0) || !Number.isFinite(beta)) throw new RangeError(`beta must be a finite number > 0 (got ${beta})`);
  // start well beyond both K and the range 10 sqrt(beta) + 30 where the values are significant
  const top = Math.ceil(2 * Math.max(K, 10 * Math.sqrt(beta) + 30)) + 20;
  const v = new Float64Array(top + 2);
  v[top + 1] = 0;
  v[top] = 1e-280;
  for (let k = top; k >= 1; k--) {
    v[k - 1] = ((2 * k) / beta) * v[k] + v[k + 1];
    if (v[k - 1] > 1e250) for (let j = k - 1; j <= top; j++) v[j] *= 1e-250;
  }
  let sum = 0;
  for (let k = top; k >= 1; k--) sum += v[k];
  sum = v[0] + 2 * sum;
  const out = new Float64Array(K + 1);
  for (let k = 0; k <= K; k++) out[k] = k <= top ? v[k] / sum : 0;
  return out;
}

/** The truncated Fourier series of the content kernel on the circle (see the file header). */
export interface KernelProfile {
  /** highest frequency kept */
  readonly modes: number;
  /** g_k, k = 0..modes: kappa(cos u) = g_0 + 2 sum_k g_k cos(k u) */
  readonly potential: Float64Array;
  /** h_k, k = 0..modes: kappa'(cos u) = h_0 + 2 sum_k h_k cos(k u) (the SA normaliser) */
  readonly weight: Float64Array;
}

/** Relative size below which the series is cut: the dropped tail is under 2^-60 of the leading term. */
const TAIL = 2 ** -60;

/**
 * The series of kappa(cos u) and kappa'(cos u), cut at the first k with k e^{-beta} I_k(beta)
 * below TAIL e^{-beta} I_0(beta) (the terms fall faster than geometrically beyond it). On the
 * "fast" time scale the coefficients carry the factor e^{-beta} (energies E e^{-beta}).
 * Linear content: kappa(cos u) = cos u, one mode.
 */
export function kernelProfile(content: Content, beta: number, fast: boolean): KernelProfile {
  if (content === "linear") return { modes: 1, potential: Float64Array.of(0, 0.5), weight: Float64Array.of(1, 0) };
  let K = 8;
  let s = scaledBesselI(beta, K);
  while (K * s[K] > TAIL * s[0]) { K *= 2; s = scaledBesselI(beta, K); }
  let modes = 1;
  while (modes < K && (modes + 1) * s[modes + 1] > TAIL * s[0]) modes++;
  const scale = fast ? 1 : Math.exp(beta);
  const potential = new Float64Array(modes + 1), weight = new Float64Array(modes + 1);
  for (let k = 0; k <= modes; k++) { weight[k] = s[k] * scale; potential[k] = weight[k] / beta; }
  return { modes, potential, weight };
}
