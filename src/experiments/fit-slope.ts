// The least-squares slope that the experiments fit (metastability's merger times against beta, the
// mean-field study's error exponents against n).

/** Least-squares slope of y against x over the points (x, y). */
export function fitSlope(pts: readonly (readonly [number, number])[]): number {
  const n = pts.length;
  const mx = pts.reduce((s, p) => s + p[0], 0) / n, my = pts.reduce((s, p) => s + p[1], 0) / n;
  let sxy = 0, sxx = 0;
  for (const [x, y] of pts) { sxy += (x - mx) * (y - my); sxx += (x - mx) ** 2; }
  return sxy / sxx;
}
