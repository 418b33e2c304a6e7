// Collapse gaps of a record (the paper's Appendix B.2): G = (1/n) sum_i |x_i - m|^2 with
// m = (1/n) sum_i x_i (= 1 - |m|^2 on the sphere, computed as the spread: accurate near collapse).
//
// The state is z, the gauge frame. G_z is the spread of y_i = z_i - z_r, r the first particle in
// member order (a translation leaves the spread alone): near collapse y is small and exact, so the
// mean of y and the spread keep full relative precision even when G is 1e-30. G_x needs x_i = G_{a_i}^T z_i; with
// S_a = sum_{a_i = a} z_i, m_x = (1/n) sum_a G_a^T S_a (O(n d + L d^2)), and since G_a is orthogonal
// |x_i - m_x| = |z_i - G_{a_i} m_x|, so the second pass needs only the L shifts G_a m_x.
//
// Particles are taken in member order (sorted by label) in fixed chunks of DG_CHUNK. A chunk's
// sums run in member order; chunks combine in chunk order (one thread, O(chunks d + L d^2)). A
// label's sum is split only at chunk boundaries: a chunk writes the labels it holds whole straight
// into labelSum, and its first and last label's partial sums into its own slots. So every sum
// depends on n and the labels alone, never on which thread ran which chunks.

import {
  DG_N, DG_D, DG_STRIDE, DG_L, DG_STATE, DG_LABELS, DG_MEMBERS, DG_STARTS, DG_GAUGES, DG_CHUNKS,
  DG_CHUNKBUF, DG_LABELSUM, DG_VECS, DG_GAPZ, DG_GAPX, DG_ROWS, DG_PARENT, DG_CHUNK, chunkStride,
} from "./diag-layout";

// @ts-ignore: decorator
@inline
function memberAt(dg: usize, p: i32): i32 {
  return load<i32>(load<usize>(dg + DG_MEMBERS) + (<usize>p << 2));
}

// @ts-ignore: decorator
@inline
function labelOf(dg: usize, i: i32): i32 {
  return load<i32>(load<usize>(dg + DG_LABELS) + (<usize>i << 2));
}

// @ts-ignore: decorator
@inline
function coord(state: usize, strideB: usize, k: i32, i: i32): f64 {
  return load<f64>(state + <usize>k * strideB + (<usize>i << 3));
}

// @ts-ignore: decorator
@inline
function chunkAt(dg: usize, c: i32): usize {
  return load<usize>(dg + DG_CHUNKBUF) + (<usize>(c * chunkStride(load<i32>(dg + DG_D))) << 3);
}

function zero(p: usize, count: i32): void {
  for (let k = 0; k < count; k++) store<f64>(p + (<usize>k << 3), 0.0);
}

/**
 * Pass 1 over chunks [c0, c1): each chunk's sum of y_i = z_i - z_r and, with gauges, the
 * per-label sums (whole labels into labelSum, the first and last label's parts into the chunk's
 * slots). Returns the particles visited.
 */
export function diagSums(dg: usize, c0: i32, c1: i32): f64 {
  const n = load<i32>(dg + DG_N), d = load<i32>(dg + DG_D);
  const state = load<usize>(dg + DG_STATE), strideB = <usize>load<i32>(dg + DG_STRIDE) << 3;
  const gauged = load<usize>(dg + DG_GAUGES) != 0;
  const labelSum = load<usize>(dg + DG_LABELSUM);
  const db = <usize>d << 3;
  const r = memberAt(dg, 0);
  for (let c = c0; c < c1; c++) {
    const p0 = c * DG_CHUNK, p1 = min(n, p0 + DG_CHUNK);
    const total = chunkAt(dg, c), first = total + db, last = first + db;
    zero(total, 3 * d);
    const aFirst = labelOf(dg, memberAt(dg, p0)), aLast = labelOf(dg, memberAt(dg, p1 - 1));
    let p = p0;
    while (p < p1) {
      const a = labelOf(dg, memberAt(dg, p));
      let dest: usize = 0;
      if (gauged) {
        dest = a == aFirst ? first : a == aLast ? last : labelSum + <usize>a * db;
        if (a != aFirst && a != aLast) zero(dest, d);
      }
      for (; p < p1; p++) {
        const i = memberAt(dg, p);
        if (labelOf(dg, i) != a) break;
        for (let k = 0; k < d; k++) {
          const v = coord(state, strideB, k, i);
          const o = <usize>k << 3;
          store<f64>(total + o, load<f64>(total + o) + (v - coord(state, strideB, k, r)));
          if (dest != 0) store<f64>(dest + o, load<f64>(dest + o) + v);
        }
      }
    }
  }
  return <f64>(min(n, c1 * DG_CHUNK) - c0 * DG_CHUNK);
}

/**
 * After pass 1 on every chunk: the mean of y (vecs[0, d)), and with gauges the label sums S_a (chunk parts in chunk
 * order), m_x = (1/n) sum_a G_a^T S_a, and labelSum[a] := G_a m_x. One thread, O(chunks d + L d^2).
 */
export function diagCombineSums(dg: usize): void {
  const n = load<i32>(dg + DG_N), d = load<i32>(dg + DG_D), L = load<i32>(dg + DG_L);
  const chunks = load<i32>(dg + DG_CHUNKS);
  const vecs = load<usize>(dg + DG_VECS), gauges = load<usize>(dg + DG_GAUGES);
  const labelSum = load<usize>(dg + DG_LABELSUM);
  const db = <usize>d << 3;
  const invN = 1.0 / <f64>n;
  for (let k = 0; k < d; k++) {
    let s: f64 = 0;
    for (let c = 0; c < chunks; c++) s += load<f64>(chunkAt(dg, c) + (<usize>k << 3));
    store<f64>(vecs + (<usize>k << 3), s * invN);
  }
  if (gauges == 0) return;
  let prevLast = -1;
  for (let c = 0; c < chunks; c++) {
    const p0 = c * DG_CHUNK, p1 = min(n, p0 + DG_CHUNK);
    const first = chunkAt(dg, c) + db, last = first + db;
    const aFirst = labelOf(dg, memberAt(dg, p0)), aLast = labelOf(dg, memberAt(dg, p1 - 1));
    const dst = labelSum + <usize>aFirst * db;
    // aFirst continues from the chunk before exactly when that chunk ended in it
    if (aFirst == prevLast) for (let k = 0; k < d; k++) store<f64>(dst + (<usize>k << 3), load<f64>(dst + (<usize>k << 3)) + load<f64>(first + (<usize>k << 3)));
    else memory.copy(dst, first, db);
    if (aLast != aFirst) memory.copy(labelSum + <usize>aLast * db, last, db);
    prevLast = aLast;
  }
  // labels without particles keep S_a = 0 (the host zeroes labelSum once)
  const mx = vecs + db;
  for (let c = 0; c < d; c++) {
    let s: f64 = 0;
    for (let a = 0; a < L; a++) {
      const g = gauges + <usize>(a * d * d) * 8, S = labelSum + <usize>a * db;
      let t: f64 = 0;
      for (let r = 0; r < d; r++) t += load<f64>(g + (<usize>(r * d + c) << 3)) * load<f64>(S + (<usize>r << 3));
      s += t;
    }
    store<f64>(mx + (<usize>c << 3), s * invN);
  }
  for (let a = 0; a < L; a++) {
    const g = gauges + <usize>(a * d * d) * 8, S = labelSum + <usize>a * db;
    for (let r = 0; r < d; r++) {
      let t: f64 = 0;
      for (let c = 0; c < d; c++) t += load<f64>(g + (<usize>(r * d + c) << 3)) * load<f64>(mx + (<usize>c << 3));
      store<f64>(S + (<usize>r << 3), t);
    }
  }
}

/** Pass 2 over chunks [c0, c1): sum |y_i - mean y|^2 and, with gauges, sum |z_i - G_{a_i} m_x|^2 per chunk. */
export function diagSpread(dg: usize, c0: i32, c1: i32): f64 {
  const n = load<i32>(dg + DG_N), d = load<i32>(dg + DG_D);
  const state = load<usize>(dg + DG_STATE), strideB = <usize>load<i32>(dg + DG_STRIDE) << 3;
  const gauged = load<usize>(dg + DG_GAUGES) != 0;
  const mz = load<usize>(dg + DG_VECS), labelSum = load<usize>(dg + DG_LABELSUM);
  const db = <usize>d << 3;
  const r = memberAt(dg, 0);
  for (let c = c0; c < c1; c++) {
    const p0 = c * DG_CHUNK, p1 = min(n, p0 + DG_CHUNK);
    let sz: f64 = 0, sx: f64 = 0;
    for (let p = p0; p < p1; p++) {
      const i = memberAt(dg, p);
      const shift = labelSum + <usize>labelOf(dg, i) * db;
      for (let k = 0; k < d; k++) {
        const v = coord(state, strideB, k, i);
        const t = (v - coord(state, strideB, k, r)) - load<f64>(mz + (<usize>k << 3));
        sz += t * t;
        if (gauged) {
          const u = v - load<f64>(shift + (<usize>k << 3));
          sx += u * u;
        }
      }
    }
    const at = chunkAt(dg, c) + <usize>(3 * d) * 8;
    store<f64>(at, sz);
    store<f64>(at + 8, sx);
  }
  return <f64>(min(n, c1 * DG_CHUNK) - c0 * DG_CHUNK);
}

/** After pass 2 on every chunk: G_z and G_x (= G_z without gauges), chunk parts in chunk order. */
export function diagCombineSpread(dg: usize): void {
  const n = load<i32>(dg + DG_N), d = load<i32>(dg + DG_D), chunks = load<i32>(dg + DG_CHUNKS);
  let sz: f64 = 0, sx: f64 = 0;
  for (let c = 0; c < chunks; c++) {
    const at = chunkAt(dg, c) + <usize>(3 * d) * 8;
    sz += load<f64>(at);
    sx += load<f64>(at + 8);
  }
  const gz = sz / <f64>n;
  store<f64>(dg + DG_GAPZ, gz);
  store<f64>(dg + DG_GAPX, load<usize>(dg + DG_GAUGES) != 0 ? sx / <f64>n : gz);
}

/**
 * Rows of member positions in chunks [c0, c1) for the label diameters: row p = z_i - z_r for the
 * member i at p and r the first member of i's label (distances within a label are the same in z
 * as in x, and relative to a point of the label they keep full precision when the label has
 * collapsed).
 */
export function diagRows(dg: usize, c0: i32, c1: i32): f64 {
  const n = load<i32>(dg + DG_N), d = load<i32>(dg + DG_D);
  const state = load<usize>(dg + DG_STATE), strideB = <usize>load<i32>(dg + DG_STRIDE) << 3;
  const starts = load<usize>(dg + DG_STARTS), rows = load<usize>(dg + DG_ROWS);
  for (let c = c0; c < c1; c++) {
    const p0 = c * DG_CHUNK, p1 = min(n, p0 + DG_CHUNK);
    for (let p = p0; p < p1; p++) {
      const i = memberAt(dg, p);
      const r = memberAt(dg, load<i32>(starts + (<usize>labelOf(dg, i) << 2)));
      const row = rows + (<usize>(p * d) << 3);
      for (let k = 0; k < d; k++) store<f64>(row + (<usize>k << 3), coord(state, strideB, k, i) - coord(state, strideB, k, r));
    }
  }
  return <f64>(min(n, c1 * DG_CHUNK) - c0 * DG_CHUNK);
}

/**
 * Rows of particles [i0, i1) in the original frame for the linkage: row i = x_i = G_{a_i}^T z_i
 * (the same operations, in the same order, as the host's applyTranspose), or z_i without gauges;
 * each particle also starts as its own component of the linkage's union-find.
 */
export function diagLinkRows(dg: usize, i0: i32, i1: i32): f64 {
  const d = load<i32>(dg + DG_D);
  const parent = load<usize>(dg + DG_PARENT);
  for (let i = i0; i < i1; i++) store<i32>(parent + (<usize>i << 2), i);
  const state = load<usize>(dg + DG_STATE), strideB = <usize>load<i32>(dg + DG_STRIDE) << 3;
  const gauges = load<usize>(dg + DG_GAUGES), rows = load<usize>(dg + DG_ROWS);
  for (let i = i0; i < i1; i++) {
    const row = rows + (<usize>(i * d) << 3);
    if (gauges == 0) {
      for (let k = 0; k < d; k++) store<f64>(row + (<usize>k << 3), coord(state, strideB, k, i));
      continue;
    }
    const g = gauges + <usize>(labelOf(dg, i) * d * d) * 8;
    for (let c = 0; c < d; c++) {
      let s: f64 = 0;
      for (let r = 0; r < d; r++) s += load<f64>(g + (<usize>(r * d + c) << 3)) * coord(state, strideB, r, i);
      store<f64>(row + (<usize>c << 3), s);
    }
  }
  return <f64>(i1 - i0);
}
