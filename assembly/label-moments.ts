// Per-label moment buffers, shared by the fast paths that sum a feature of each particle over the
// particles of each label (the circle's Fourier series, assembly/circle.ts; the linear content's
// label sums, assembly/linear.ts).
//
// A moment unit u owns one buffer at ctx symBuf + u unitBytes: for each label b of the table
// (one label when W = 1), F features of two f64 lanes each (16 bytes). Particle i adds into lane
// i & 1 of its label's features (a unit starts at an even row), rows in increasing order, so each
// unit's sums depend on n alone. labelCombine then adds the lanes, then the units in unit order.

import { hsum } from "./forces";

/**
 * M[b F + f] = sum over the `units` buffers (unit order) of the lane sum of feature f of label b,
 * for features [f0, f1) of every label b < labels. A buffer's features are read in memory order.
 */
export function labelCombine(base: usize, unitBytes: usize, units: i32, labels: i32, F: i32, f0: i32, f1: i32, M: usize): void {
  const labelBytes = <usize>F << 4;
  for (let b = 0; b < labels; b++) {
    const m = M + (<usize>(b * F) << 3);
    for (let f = f0; f < f1; f++) store<f64>(m + (<usize>f << 3), 0);
  }
  for (let u = 0; u < units; u++) {
    const buf = base + <usize>u * unitBytes;
    for (let b = 0; b < labels; b++) {
      const row = buf + <usize>b * labelBytes;
      const m = M + (<usize>(b * F) << 3);
      for (let f = f0; f < f1; f++) {
        const o = <usize>f << 3;
        store<f64>(m + o, load<f64>(m + o) + hsum(v128.load(row + (o << 1))));
      }
    }
  }
}

/** sum_b W[a, b] M[b F + f], b in label order (wrow: row a of W). */
// @ts-ignore: decorator
@inline
export function labelMix(wrow: usize, M: usize, labels: i32, F: i32, f: i32): f64 {
  let s: f64 = 0;
  for (let b = 0; b < labels; b++) s += load<f64>(wrow + (<usize>b << 3)) * load<f64>(M + (<usize>(b * F + f) << 3));
  return s;
}
