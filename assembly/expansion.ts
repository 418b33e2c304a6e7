// The harmonic expansion of the force (d = 3, f64, exp content, W = 1): O(n H)
// per evaluation instead of O(n^2), H = (K+1)^2 real spherical harmonics of degree <= K.
//
// On S^2, exp(beta u) = sum_l (2l+1) i_l(beta) P_l(u) (i_l: modified spherical Bessel function of
// the first kind) and, by the addition theorem, (2l+1) P_l(<x,y>) = 4 pi sum_m Y_lm(x) Y_lm(y).
// With lam_l = 4 pi i_l(beta) e^{-beta} (the core's shifted exponent beta (u - 1)):
//   s_i   = sum_j exp(beta (<z_i,z_j> - 1))       = sum_k Y_k(z_i) lam_l(k) A_k,     A_k   = sum_j Y_k(z_j)
//   acc_i = sum_j exp(beta (<z_i,z_j> - 1)) z_j   = sum_k Y_k(z_i) lam_l(k) B_k,     B_k   = sum_j Y_k(z_j) z_j
// The host picks K so that the dropped tail is below 2^-53 of the smallest term (src/engines/expansion.ts).
//
// Y_lm(x) = q_lm(x_3) Re((x_1 + i x_2)^m) and q_lm(x_3) Im((x_1 + i x_2)^m) (m > 0), with q_lm =
// Pbar_lm / sin^m theta, a polynomial: q_mm constant, q_{m+1,m} = a z q_mm,
// q_lm = a_lm z q_{l-1,m} - b_lm q_{l-2,m} (the fully normalised recurrence; tables from the host).
// Harmonic k runs m = 0..K outer, l = m..K inner, cosine then sine.
//
// Moments: fixed units of rows (from n alone, plan.ts), one buffer each at ctx symBuf: per harmonic
// k, four f64x2 lane sums (A, Bx, By, Bz); particle i adds into lane i & 1 (a unit starts at an even
// row), rows in increasing order, so each unit's sums depend on n alone. expCombine sums lanes then
// units in unit order and multiplies by lam_l, into splatted totals, for a range of harmonics.
// momentsOf and sumsOf each run the recurrence themselves, with their use of each Y_k fused into
// it: one shared pass that stores the harmonics to scratch measured 25% slower.

import { CTX_STRIDE, CTX_SYMBUF, CTX_EXPDEG, CTX_EXPTAB } from "./layout";
import { hsum, project3 } from "./forces";

// table layout from CTX_EXPTAB (f64): qmm[K+1] | a[(K+1)^2] | b[(K+1)^2] | lam[K+1] | totals (16-aligned)
// @ts-ignore: decorator
@inline
function tabA(tab: usize, K1: i32): usize { return tab + (<usize>K1 << 3); }
// @ts-ignore: decorator
@inline
function tabB(tab: usize, K1: i32): usize { return tab + (<usize>(K1 + K1 * K1) << 3); }
// @ts-ignore: decorator
@inline
function tabLam(tab: usize, K1: i32): usize { return tab + (<usize>(K1 + 2 * K1 * K1) << 3); }
/** Byte offset of the splatted totals (4 f64x2 per harmonic) from the table start. */
// @ts-ignore: decorator
@inline
export function totalsAt(tab: usize, K1: i32): usize { return (tab + (<usize>(2 * K1 + 2 * K1 * K1) << 3) + 15) & ~(<usize>15); }

// @ts-ignore: decorator
@inline
function addMoments(p: usize, y: v128, x: v128, yy: v128, z: v128, mask: v128): void {
  const m = v128.and(y, mask);
  v128.store(p, f64x2.add(v128.load(p), m));
  v128.store(p, f64x2.add(v128.load(p, 16), f64x2.mul(m, x)), 16);
  v128.store(p, f64x2.add(v128.load(p, 32), f64x2.mul(m, yy)), 32);
  v128.store(p, f64x2.add(v128.load(p, 48), f64x2.mul(m, z)), 48);
}

/**
 * Adds the moments of two particles (lanes of x, y, z; lanes off in `mask` add nothing) into the
 * buffer at p (4 f64x2 per harmonic).
 */
// @ts-ignore: decorator
@inline
function momentsOf(tab: usize, K: i32, p: usize, x: v128, y: v128, z: v128, mask: v128): void {
  const K1 = K + 1;
  const A = tabA(tab, K1), B = tabB(tab, K1);
  let c = f64x2.splat(1.0), s = f64x2.splat(0.0);
  for (let m = 0; m <= K; m++) {
    if (m > 0) {
      const c2 = f64x2.sub(f64x2.mul(c, x), f64x2.mul(s, y));
      s = f64x2.add(f64x2.mul(s, x), f64x2.mul(c, y));
      c = c2;
    }
    let q0 = v128.load64_splat(tab + (<usize>m << 3));
    let q1 = f64x2.splat(0.0);
    for (let l = m; l <= K; l++) {
      let q = q0;
      if (l == m + 1) {
        q = f64x2.mul(f64x2.mul(v128.load64_splat(A + (<usize>(l * K1 + m) << 3)), z), q0);
      } else if (l > m + 1) {
        const o = <usize>(l * K1 + m) << 3;
        q = f64x2.sub(f64x2.mul(f64x2.mul(v128.load64_splat(A + o), z), q1), f64x2.mul(v128.load64_splat(B + o), q0));
      }
      if (l > m) { q0 = q1; q1 = q; } else { q1 = q; }
      addMoments(p, f64x2.mul(q, c), x, y, z, mask); p += 64;
      if (m > 0) { addMoments(p, f64x2.mul(q, s), x, y, z, mask); p += 64; }
    }
  }
}

/** The totals-weighted sums for two particles: out (s, ax, ay, az) as four f64x2 at scratch. */
// @ts-ignore: decorator
@inline
function sumsOf(tab: usize, K: i32, t: usize, x: v128, y: v128, z: v128, out: usize): void {
  const K1 = K + 1;
  const A = tabA(tab, K1), B = tabB(tab, K1);
  let c = f64x2.splat(1.0), s = f64x2.splat(0.0);
  let as = f64x2.splat(0.0), ax = f64x2.splat(0.0), ay = f64x2.splat(0.0), az = f64x2.splat(0.0);
  for (let m = 0; m <= K; m++) {
    if (m > 0) {
      const c2 = f64x2.sub(f64x2.mul(c, x), f64x2.mul(s, y));
      s = f64x2.add(f64x2.mul(s, x), f64x2.mul(c, y));
      c = c2;
    }
    let q0 = v128.load64_splat(tab + (<usize>m << 3));
    let q1 = f64x2.splat(0.0);
    for (let l = m; l <= K; l++) {
      let q = q0;
      if (l == m + 1) {
        q = f64x2.mul(f64x2.mul(v128.load64_splat(A + (<usize>(l * K1 + m) << 3)), z), q0);
      } else if (l > m + 1) {
        const o = <usize>(l * K1 + m) << 3;
        q = f64x2.sub(f64x2.mul(f64x2.mul(v128.load64_splat(A + o), z), q1), f64x2.mul(v128.load64_splat(B + o), q0));
      }
      if (l > m) { q0 = q1; q1 = q; } else { q1 = q; }
      let Y = f64x2.mul(q, c);
      as = f64x2.add(as, f64x2.mul(Y, v128.load(t)));
      ax = f64x2.add(ax, f64x2.mul(Y, v128.load(t, 16)));
      ay = f64x2.add(ay, f64x2.mul(Y, v128.load(t, 32)));
      az = f64x2.add(az, f64x2.mul(Y, v128.load(t, 48)));
      t += 64;
      if (m > 0) {
        Y = f64x2.mul(q, s);
        as = f64x2.add(as, f64x2.mul(Y, v128.load(t)));
        ax = f64x2.add(ax, f64x2.mul(Y, v128.load(t, 16)));
        ay = f64x2.add(ay, f64x2.mul(Y, v128.load(t, 32)));
        az = f64x2.add(az, f64x2.mul(Y, v128.load(t, 48)));
        t += 64;
      }
    }
  }
  v128.store(out, as);
  v128.store(out, ax, 16);
  v128.store(out, ay, 32);
  v128.store(out, az, 48);
}

/** Unit u's moments: rows [i0, i1) of the state src (i0 even) into unit u's buffer, cleared first. */
export function expMoments(ctx: usize, src: usize, u: i32, i0: i32, i1: i32): void {
  const strideB = <usize>load<i32>(ctx + CTX_STRIDE) << 3;
  const K = load<i32>(ctx + CTX_EXPDEG), K1 = K + 1;
  const tab = load<usize>(ctx + CTX_EXPTAB);
  const bytes = <usize>(K1 * K1) << 6;
  const buf = load<usize>(ctx + CTX_SYMBUF) + <usize>u * bytes;
  memory.fill(buf, 0, bytes);
  const xs = src, ys = src + strideB, zs = ys + strideB;
  const both = i64x2.splat(-1);
  let i = i0;
  for (; i + 1 < i1; i += 2) {
    const o = <usize>i << 3;
    momentsOf(tab, K, buf, v128.load(xs + o), v128.load(ys + o), v128.load(zs + o), both);
  }
  if (i < i1) {
    // the last row, alone in lane 0 (the padding column past n is finite: it is zeroed)
    const o = <usize>i << 3;
    momentsOf(tab, K, buf, v128.load(xs + o), v128.load(ys + o), v128.load(zs + o), i64x2(-1, 0));
  }
}

/**
 * Harmonics [k0, k1): the lane sums of the `units` moment buffers, added in unit order, times
 * lam_l, into the splatted totals. Each buffer is read in its memory order (the running sums wait
 * in the totals' first lanes), so the loop streams instead of striding across the buffers.
 */
export function expCombine(ctx: usize, k0: i32, k1: i32, units: i32): void {
  const K = load<i32>(ctx + CTX_EXPDEG), K1 = K + 1;
  const tab = load<usize>(ctx + CTX_EXPTAB);
  const bytes = <usize>(K1 * K1) << 6;
  const base = load<usize>(ctx + CTX_SYMBUF);
  const lam = tabLam(tab, K1);
  const t = totalsAt(tab, K1);
  const from = <usize>(k0 * 4) << 4, to = <usize>(k1 * 4) << 4;
  for (let o = from; o < to; o += 16) store<f64>(t + o, 0);
  for (let u = 0; u < units; u++) {
    const buf = base + <usize>u * bytes;
    for (let o = from; o < to; o += 16) store<f64>(t + o, load<f64>(t + o) + hsum(v128.load(buf + o)));
  }
  // harmonic k runs m outer, l inner, cosine then sine (momentsOf's order): lam_l of each
  let k = 0;
  for (let m = 0; m <= K; m++) {
    for (let l = m; l <= K; l++) {
      const w = load<f64>(lam + (<usize>l << 3));
      for (let r = 0; r < (m > 0 ? 2 : 1); r++) {
        if (k >= k0 && k < k1) {
          for (let c = 0; c < 4; c++) {
            const o = <usize>(k * 4 + c) << 4;
            v128.store(t + o, f64x2.splat(load<f64>(t + o) * w));
          }
        }
        k++;
      }
    }
  }
}

/** V_i into dst for i in [i0, i1) from the totals (after expCombine); scratch: 64 bytes, 16-aligned. */
export function expFinish(ctx: usize, src: usize, dst: usize, i0: i32, i1: i32, scratch: usize): void {
  const strideB = <usize>load<i32>(ctx + CTX_STRIDE) << 3;
  const K = load<i32>(ctx + CTX_EXPDEG);
  const tab = load<usize>(ctx + CTX_EXPTAB);
  const t = totalsAt(tab, K + 1);
  const xs = src, ys = src + strideB, zs = ys + strideB;
  for (let i = i0; i < i1; i += 2) {
    const o = <usize>i << 3;
    const x = v128.load(xs + o), y = v128.load(ys + o), z = v128.load(zs + o);
    sumsOf(tab, K, t, x, y, z, scratch);
    for (let lane = 0; lane < 2; lane++) {
      const j = i + lane;
      if (j >= i1) break;
      const oj = <usize>j << 3, ol = <usize>lane << 3;
      project3(ctx, j, load<f64>(xs + oj), load<f64>(ys + oj), load<f64>(zs + oj),
        load<f64>(scratch + 16 + ol), load<f64>(scratch + 32 + ol), load<f64>(scratch + 48 + ol), load<f64>(scratch + ol), dst, strideB);
    }
  }
}
