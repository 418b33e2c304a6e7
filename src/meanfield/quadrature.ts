// Gauss-Legendre rules and composite panels on an interval: the quadrature of the mean-field
// solver in the mass coordinate of each label's quantile and in a continuous label coordinate.

/**
 * The q-point Gauss-Legendre rule on [0, 1]: nodes in increasing order and weights summing to 1.
 * Exact for polynomials of degree <= 2q - 1. Nodes are the roots of the Legendre polynomial P_q,
 * found by Newton's method from Tricomi's estimate cos(pi (i + 3/4) / (q + 1/2)).
 */
export function gaussLegendre(q: number): { nodes: Float64Array; weights: Float64Array } {
  const nodes = new Float64Array(q), weights = new Float64Array(q);
  for (let i = 0; i < q; i++) {
    let x = Math.cos((Math.PI * (i + 0.75)) / (q + 0.5));
    let dp = 0;
    for (let iter = 0; iter < 100; iter++) {
      // P_q(x) and P_q'(x) by the three-term recurrence
      let p0 = 1, p1 = x;
      for (let k = 2; k <= q; k++) { const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k; p0 = p1; p1 = p2; }
      const p = q === 1 ? x : p1, pm = q === 1 ? 1 : p0;
      dp = (q * (x * p - pm)) / (x * x - 1);
      const dx = p / dp;
      x -= dx;
      if (Math.abs(dx) < 1e-16) break;
    }
    let p0 = 1, p1 = x;
    for (let k = 2; k <= q; k++) { const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k; p0 = p1; p1 = p2; }
    dp = (q * (x * (q === 1 ? x : p1) - (q === 1 ? 1 : p0))) / (x * x - 1);
    // on [-1, 1]: w = 2 / ((1 - x^2) P_q'(x)^2); mapped to [0, 1]: x -> (1 - x)/2 (increasing), w -> w/2
    nodes[i] = (1 - x) / 2;
    weights[i] = 1 / ((1 - x * x) * dp * dp);
  }
  return { nodes, weights };
}

/**
 * Splits `panels` panels among intervals of the given masses (largest remainder on
 * panels * mass), every interval of positive mass getting at least one. Returns the panel count
 * per interval; throws if there are more intervals of positive mass than panels.
 */
export function allocatePanels(masses: ArrayLike<number>, panels: number): Int32Array {
  const k = masses.length;
  const out = new Int32Array(k);
  let total = 0, used = 0;
  for (let i = 0; i < k; i++) total += masses[i];
  const remainder: { i: number; r: number }[] = [];
  for (let i = 0; i < k; i++) {
    if (!(masses[i] > 0)) continue;
    const share = (panels * masses[i]) / total;
    out[i] = Math.max(1, Math.floor(share));
    used += out[i];
    remainder.push({ i, r: share - Math.floor(share) });
  }
  if (used > panels) throw new RangeError(`${remainder.length} intervals need at least ${used} panels; only ${panels} given`);
  remainder.sort((a, b) => b.r - a.r || a.i - b.i);
  for (let j = 0; used < panels; j = (j + 1) % remainder.length, used++) out[remainder[j].i]++;
  return out;
}
