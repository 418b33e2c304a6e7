// The Fourier series of the force on the circle (d = 2, f64, exp content, W = 1 or a label table
// W of at most a few dozen labels): O(n K) per evaluation instead of O(n^2) (docs/performance.md,
// "The Fourier series (d = 2)").
//
// With z_j = (cos theta_j, sin theta_j), w_j = e^{i theta_j} = x_j + i y_j and phi = theta_j - theta_i,
// the shifted pair term is e(phi) = exp(beta (cos phi - 1)) = sum_k c_k e^{ik phi},
// c_k = e^{-beta} I_k(beta) (the generating function of the modified Bessel functions), cut at
// |k| <= K by the host (src/engines/circle.ts). With the per-label moments
// M_{b,k} = sum_{j in b} w_j^k and C_{a,k} = sum_b W[a,b] M_{b,k} (C = M when W = 1),
// P_k = conj(w_i^k) C_{a_i,k} and the truncated series, exactly:
//   s_i = sum_j W e_ij                   = sum_{k=0}^{K} cs_k Re P_k,        cs_0 = c_0, cs_k = 2 c_k
//   t_i = sum_j W e_ij sin(theta_j - theta_i) = sum_{k=1}^{K+1} cd_k Im P_k,  cd_k = c_{k-1} - c_{k+1}
// (e(phi) sin phi = sum_k (c_{k-1} - c_{k+1}) e^{ik phi} / 2i; c_{K+1} = c_{K+2} = 0), and the
// tangent part of sum_j W e_ij z_j is t_i (-y_i, x_i): V_i = factor t_i (-y_i, x_i).
//
// Moments: assembly/label-moments.ts (features k = 0..K+1, real and imaginary part). The combine
// multiplies by cs_k and cd_k into splatted totals; the powers w^k are taken by complex
// multiplication, two particles per f64x2.

import { CTX_STRIDE, CTX_L, CTX_FLAGS, CTX_LABELS, CTX_WEIGHTS, CTX_SYMBUF, CTX_EXPDEG, CTX_EXPTAB, FLAG_WEIGHTED } from "./layout";
import { finish } from "./forces";
import { labelCombine, labelMix } from "./label-moments";

// table from CTX_EXPTAB (f64): cs[K+2] | cd[K+2] | M[Le][2 (K+2)] | totals (16-aligned):
// per label and k, four splatted f64x2 (cs Re C, cs Im C, cd Re C, cd Im C).

/** Byte offset of label a's totals from the table start. */
// @ts-ignore: decorator
@inline
function totalsOf(tab: usize, K2: i32, Le: i32, a: i32): usize {
  const t = (tab + (<usize>(2 * K2 + Le * 2 * K2) << 3) + 15) & ~(<usize>15);
  return t + (<usize>(a * K2) << 6);
}

/** Labels of the moment table: L when a weight table is present, else 1. */
// @ts-ignore: decorator
@inline
function tableLabels(ctx: usize): i32 {
  return (load<i32>(ctx + CTX_FLAGS) & FLAG_WEIGHTED) != 0 ? load<i32>(ctx + CTX_L) : 1;
}

/** Adds w^k (lanes of x + i y, masked), k = 0..K2-1, into the features at p (two f64x2 per k). */
// @ts-ignore: decorator
@inline
function powersInto(p: usize, K2: i32, x: v128, y: v128, mask: v128): void {
  let pr = v128.and(f64x2.splat(1.0), mask), pi = f64x2.splat(0.0);
  for (let k = 0; k < K2; k++) {
    v128.store(p, f64x2.add(v128.load(p), pr));
    v128.store(p, f64x2.add(v128.load(p, 16), pi), 16);
    p += 32;
    const r = f64x2.sub(f64x2.mul(pr, x), f64x2.mul(pi, y));
    pi = f64x2.add(f64x2.mul(pr, y), f64x2.mul(pi, x));
    pr = r;
  }
}

/** As powersInto, lane 0 into the features at pa and lane 1 into those at pb (two labels). */
// @ts-ignore: decorator
@inline
function powersInto2(pa: usize, pb: usize, K2: i32, x: v128, y: v128): void {
  const l0 = i64x2(-1, 0), l1 = i64x2(0, -1);
  let pr = f64x2.splat(1.0), pi = f64x2.splat(0.0);
  for (let k = 0; k < K2; k++) {
    v128.store(pa, f64x2.add(v128.load(pa), v128.and(pr, l0)));
    v128.store(pa, f64x2.add(v128.load(pa, 16), v128.and(pi, l0)), 16);
    v128.store(pb, f64x2.add(v128.load(pb), v128.and(pr, l1)));
    v128.store(pb, f64x2.add(v128.load(pb, 16), v128.and(pi, l1)), 16);
    pa += 32;
    pb += 32;
    const r = f64x2.sub(f64x2.mul(pr, x), f64x2.mul(pi, y));
    pi = f64x2.add(f64x2.mul(pr, y), f64x2.mul(pi, x));
    pr = r;
  }
}

/** Unit u's moments: rows [i0, i1) of the state src (i0 even) into unit u's buffer, cleared first. */
export function circleMoments(ctx: usize, src: usize, u: i32, i0: i32, i1: i32): void {
  const strideB = <usize>load<i32>(ctx + CTX_STRIDE) << 3;
  const K2 = load<i32>(ctx + CTX_EXPDEG) + 2;
  const Le = tableLabels(ctx);
  const labelBytes = <usize>K2 << 5;
  const unitBytes = <usize>Le * labelBytes;
  const buf = load<usize>(ctx + CTX_SYMBUF) + <usize>u * unitBytes;
  memory.fill(buf, 0, unitBytes);
  const xs = src, ys = src + strideB;
  const both = i64x2.splat(-1);
  if (Le == 1) {
    let i = i0;
    for (; i + 1 < i1; i += 2) {
      const o = <usize>i << 3;
      powersInto(buf, K2, v128.load(xs + o), v128.load(ys + o), both);
    }
    // the last row alone in lane 0 (the padding column past n is finite: it is zeroed)
    if (i < i1) powersInto(buf, K2, v128.load(xs + (<usize>i << 3)), v128.load(ys + (<usize>i << 3)), i64x2(-1, 0));
    return;
  }
  const labels = load<usize>(ctx + CTX_LABELS);
  let i = i0;
  for (; i + 1 < i1; i += 2) {
    const o = <usize>i << 3;
    const la = load<i32>(labels + (<usize>i << 2)), lb = load<i32>(labels + (<usize>(i + 1) << 2));
    const x = v128.load(xs + o), y = v128.load(ys + o);
    // one label: both lanes at once (the same sums: a masked lane adds +0 to a sum that is never -0)
    if (la == lb) powersInto(buf + <usize>la * labelBytes, K2, x, y, both);
    else powersInto2(buf + <usize>la * labelBytes, buf + <usize>lb * labelBytes, K2, x, y);
  }
  if (i < i1) {
    const o = <usize>i << 3;
    powersInto(buf + <usize>load<i32>(labels + (<usize>i << 2)) * labelBytes, K2, v128.load(xs + o), v128.load(ys + o), i64x2(-1, 0));
  }
}

/**
 * Frequencies [k0, k1): the per-label moments summed over the `units` buffers in unit order, mixed
 * by W (C_a = sum_b W[a,b] M_b), times cs_k and cd_k, into the splatted totals of every label.
 */
export function circleCombine(ctx: usize, k0: i32, k1: i32, units: i32): void {
  const K2 = load<i32>(ctx + CTX_EXPDEG) + 2, F = 2 * K2;
  const Le = tableLabels(ctx);
  const tab = load<usize>(ctx + CTX_EXPTAB);
  const cs = tab, cd = tab + (<usize>K2 << 3), M = tab + (<usize>(2 * K2) << 3);
  labelCombine(load<usize>(ctx + CTX_SYMBUF), <usize>Le * (<usize>F << 4), units, Le, F, 2 * k0, 2 * k1, M);
  const L = <usize>load<i32>(ctx + CTX_L);
  const weights = load<usize>(ctx + CTX_WEIGHTS);
  const weighted = (load<i32>(ctx + CTX_FLAGS) & FLAG_WEIGHTED) != 0;
  for (let a = 0; a < Le; a++) {
    const t = totalsOf(tab, K2, Le, a);
    const wrow = weights + ((<usize>a * L) << 3);
    for (let k = k0; k < k1; k++) {
      let re: f64, im: f64;
      if (!weighted) {
        re = load<f64>(M + (<usize>(2 * k) << 3));
        im = load<f64>(M + (<usize>(2 * k + 1) << 3));
      } else {
        re = labelMix(wrow, M, Le, F, 2 * k);
        im = labelMix(wrow, M, Le, F, 2 * k + 1);
      }
      const s = load<f64>(cs + (<usize>k << 3)), d = load<f64>(cd + (<usize>k << 3));
      const o = t + (<usize>k << 6);
      v128.store(o, f64x2.splat(s * re));
      v128.store(o, f64x2.splat(s * im), 16);
      v128.store(o, f64x2.splat(d * re), 32);
      v128.store(o, f64x2.splat(d * im), 48);
    }
  }
}

/** V_i into dst for i in [i0, i1) (i0 even) from the totals (after circleCombine). */
export function circleFinish(ctx: usize, src: usize, dst: usize, i0: i32, i1: i32): void {
  if (tableLabels(ctx) == 1) finishRows(false, ctx, src, dst, i0, i1);
  else finishRowsLabeled(ctx, src, dst, i0, i1);
}

function finishRowsLabeled(ctx: usize, src: usize, dst: usize, i0: i32, i1: i32): void { finishRows(true, ctx, src, dst, i0, i1); }

/**
 * Two rows per pass: s and t by the series (lanes i, i + 1; a labeled pair reads lane 0 of row i's
 * label totals and lane 1 of row i + 1's), then each row's factor, energy sum and V.
 */
// @ts-ignore: decorator
@inline
function finishRows(labeled: bool, ctx: usize, src: usize, dst: usize, i0: i32, i1: i32): void {
  const strideB = <usize>load<i32>(ctx + CTX_STRIDE) << 3;
  const K2 = load<i32>(ctx + CTX_EXPDEG) + 2;
  const Le = tableLabels(ctx);
  const tab = load<usize>(ctx + CTX_EXPTAB);
  const labels = load<usize>(ctx + CTX_LABELS);
  const xs = src, ys = src + strideB;
  let ta = totalsOf(tab, K2, Le, 0), tb = ta;
  for (let i = i0; i < i1; i += 2) {
    const o = <usize>i << 3;
    const x = v128.load(xs + o), y = v128.load(ys + o);
    if (labeled) {
      ta = totalsOf(tab, K2, Le, load<i32>(labels + (<usize>i << 2)));
      // a last odd row: lane 1 is unused, read row i's label there too
      tb = i + 1 < i1 ? totalsOf(tab, K2, Le, load<i32>(labels + (<usize>(i + 1) << 2))) : ta;
    }
    let pr = f64x2.splat(1.0), pi = f64x2.splat(0.0);
    let s = f64x2.splat(0.0), t = f64x2.splat(0.0);
    let pa = ta, pb = tb;
    for (let k = 0; k < K2; k++) {
      let sr: v128, si: v128, dr: v128, di: v128;
      if (labeled) {
        sr = v128.shuffle<i64>(v128.load(pa), v128.load(pb), 0, 3);
        si = v128.shuffle<i64>(v128.load(pa, 16), v128.load(pb, 16), 0, 3);
        dr = v128.shuffle<i64>(v128.load(pa, 32), v128.load(pb, 32), 0, 3);
        di = v128.shuffle<i64>(v128.load(pa, 48), v128.load(pb, 48), 0, 3);
        pb += 64;
      } else {
        sr = v128.load(pa); si = v128.load(pa, 16); dr = v128.load(pa, 32); di = v128.load(pa, 48);
      }
      pa += 64;
      // Re P_k = pr Re C + pi Im C, Im P_k = pr Im C - pi Re C (P_k = conj(w^k) C_k)
      s = f64x2.add(s, f64x2.add(f64x2.mul(pr, sr), f64x2.mul(pi, si)));
      t = f64x2.add(t, f64x2.sub(f64x2.mul(pr, di), f64x2.mul(pi, dr)));
      const r = f64x2.sub(f64x2.mul(pr, x), f64x2.mul(pi, y));
      pi = f64x2.add(f64x2.mul(pr, y), f64x2.mul(pi, x));
      pr = r;
    }
    finishOne(ctx, i, xs, ys, dst, strideB, f64x2.extract_lane(s, 0), f64x2.extract_lane(t, 0));
    if (i + 1 < i1) finishOne(ctx, i + 1, xs, ys, dst, strideB, f64x2.extract_lane(s, 1), f64x2.extract_lane(t, 1));
  }
}

/** V_j = factor t (-y_j, x_j) and the energy sum s (forces.ts finish). */
// @ts-ignore: decorator
@inline
function finishOne(ctx: usize, j: i32, xs: usize, ys: usize, dst: usize, strideB: usize, s: f64, t: f64): void {
  const oj = <usize>j << 3;
  // the exp content's finish reads s alone (the energy sum and the SA divisor)
  const c = finish(ctx, j, s, 0.0) * t;
  store<f64>(dst + oj, -c * load<f64>(ys + oj));
  store<f64>(dst + strideB + oj, c * load<f64>(xs + oj));
}
