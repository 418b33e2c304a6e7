// The harmonic expansion of the force (d = 3, f64, exp content, any label weight table W with
// L <= 64 labels): O(n H + L^2 H) per evaluation instead of O(n^2), H = (K+1)^2 real spherical
// harmonics of degree <= K.
//
// On S^2, exp(beta u) = sum_l (2l+1) i_l(beta) P_l(u) (i_l: modified spherical Bessel function of
// the first kind) and, by the addition theorem, (2l+1) P_l(<x,y>) = 4 pi sum_m Y_lm(x) Y_lm(y).
// With lam_l = 4 pi i_l(beta) e^{-beta} (the core's shifted exponent beta (u - 1)) and the moments
// of each label b, M_bk = sum_{j in b} Y_k(z_j) (1, z_j):
//   (s_i, acc_i) = sum_j W[a_i,a_j] exp(beta (<z_i,z_j> - 1)) (1, z_j) = sum_k Y_k(z_i) C_{a_i,k},
//   C_ak = lam_l(k) sum_b W[a,b] M_bk
// (W = 1: one label, C_k = lam_l M_k). The host picks K so that the dropped tail is below 2^-53 of
// the largest pair term, 1 (src/engines/expansion.ts).
//
// Y_lm(x) = q_lm(x_3) Re((x_1 + i x_2)^m) and q_lm(x_3) Im((x_1 + i x_2)^m) (m > 0), with q_lm =
// Pbar_lm / sin^m theta, a polynomial: q_mm constant, q_{m+1,m} = a z q_mm,
// q_lm = a_lm z q_{l-1,m} - b_lm q_{l-2,m} (the fully normalised recurrence; tables from the host).
// Harmonic k runs m = 0..K outer, l = m..K inner, cosine then sine.
//
// Moments: units of (rows, m range) fixed by n, K and L alone (src/engines/plan.ts). Row chunk p
// owns one buffer at ctx symBuf: per label b and harmonic k, four f64x2 lane sums (A, Bx, By, Bz);
// particle i adds into lane i & 1 of its label's sums (a chunk starts at an even row), rows in
// increasing order; a unit (p, r) clears and fills the harmonics of its m range. expCombine adds
// the lanes, then the chunks in chunk order, then the labels through W in label order, for a
// range of harmonics. momentsOf and sumsOf each run the recurrence themselves, with their use of
// each Y_k fused into it: one shared pass that stores the harmonics to scratch measured 25% slower.
// The moments take four rows of one label at a time where they can (momentsQuad: the tables and
// the sums read once per four rows, 1.35x as fast, the bits of two pairs in turn); the finish
// keeps two rows at a time (four, with eight accumulators live, ran at 0.8x).

import { CTX_N, CTX_STRIDE, CTX_L, CTX_FLAGS, CTX_LABELS, CTX_WEIGHTS, CTX_SYMBUF, CTX_EXPDEG, CTX_EXPTAB, FLAG_WEIGHTED } from "./layout";
import { hsum, project3 } from "./forces";

// table layout from CTX_EXPTAB: cuts i32[ranges + 1] in EXP_CUTS_BYTES (the m ranges' first m, then K + 1) |
// qmm f64[K+1] | a f64[T] | b f64[T] | lam f64[K+1] | totals (16-aligned), T = (K+1)(K+2)/2 with
// a and b in the recurrence's order (m outer, l = m..K inner), and the totals C[a][k] as 4 f64.
/** Bytes of the m ranges' table at the start of the expansion's table region. */
const EXP_CUTS_BYTES: usize = 512;
// @ts-ignore: decorator
@inline
function tabQ(tab: usize): usize { return tab + EXP_CUTS_BYTES; }
// @ts-ignore: decorator
@inline
function tabA(tab: usize, K1: i32): usize { return tab + EXP_CUTS_BYTES + (<usize>K1 << 3); }
// @ts-ignore: decorator
@inline
function tabB(tab: usize, K1: i32): usize { return tabA(tab, K1) + (<usize>((K1 * (K1 + 1)) >> 1) << 3); }
// @ts-ignore: decorator
@inline
function tabLam(tab: usize, K1: i32): usize { return tabB(tab, K1) + (<usize>((K1 * (K1 + 1)) >> 1) << 3); }
/** Byte offset of the totals C[a][k] (4 f64 per harmonic and label). */
// @ts-ignore: decorator
@inline
function totalsAt(tab: usize, K1: i32): usize { return (tabLam(tab, K1) + (<usize>K1 << 3) + 15) & ~(<usize>15); }

/** The first entry of order m in the a and b tables: sum_{m' < m} (K + 1 - m'). */
// @ts-ignore: decorator
@inline
function recurrenceAt(m: i32, K1: i32): i32 { return m * K1 - ((m * (m - 1)) >> 1); }

/** The first harmonic of order m: K + 1 of order 0, then 2 (K + 1 - m') of each order m' > 0. */
// @ts-ignore: decorator
@inline
function harmonicAt(m: i32, K1: i32): i32 { return m == 0 ? 0 : K1 + 2 * (m - 1) * K1 - (m - 1) * m; }

// @ts-ignore: decorator
@inline
function addMoments(p: usize, y: v128, x: v128, yy: v128, z: v128, mask: v128): void {
  const m = v128.and(y, mask);
  v128.store(p, f64x2.add(v128.load(p), m));
  v128.store(p, f64x2.add(v128.load(p, 16), f64x2.mul(m, x)), 16);
  v128.store(p, f64x2.add(v128.load(p, 32), f64x2.mul(m, yy)), 32);
  v128.store(p, f64x2.add(v128.load(p, 48), f64x2.mul(m, z)), 48);
}

const LANE0: v128 = i64x2(-1, 0);
const LANE1: v128 = i64x2(0, -1);

/**
 * Adds the moments of orders [m0, m1) of two particles (lanes of x, y, z; lanes off in `mask` add
 * nothing) into the sums at pa (4 f64x2 per harmonic, from harmonic 0); split: lane 0 into pa and
 * lane 1 into pb (particles of two labels).
 */
// @ts-ignore: decorator
@inline
function momentsOf(split: bool, tab: usize, K: i32, m0: i32, m1: i32, pa: usize, pb: usize, x: v128, y: v128, z: v128, mask: v128): void {
  const K1 = K + 1;
  const off = <usize>harmonicAt(m0, K1) << 6;
  pa += off; pb += off;
  let ab = <usize>recurrenceAt(m0, K1) << 3;
  const A = tabA(tab, K1), B = tabB(tab, K1);
  // (c, s) = (x + i y)^m0, by the same products as from m = 0 on
  let c = f64x2.splat(1.0), s = f64x2.splat(0.0);
  for (let m = 0; m < m0; m++) {
    const c2 = f64x2.sub(f64x2.mul(c, x), f64x2.mul(s, y));
    s = f64x2.add(f64x2.mul(s, x), f64x2.mul(c, y));
    c = c2;
  }
  for (let m = m0; m < m1; m++) {
    if (m > m0) {
      const c2 = f64x2.sub(f64x2.mul(c, x), f64x2.mul(s, y));
      s = f64x2.add(f64x2.mul(s, x), f64x2.mul(c, y));
      c = c2;
    }
    let q0 = v128.load64_splat(tabQ(tab) + (<usize>m << 3));
    let q1 = f64x2.splat(0.0);
    for (let l = m; l <= K; l++) {
      let q = q0;
      if (l == m + 1) {
        q = f64x2.mul(f64x2.mul(v128.load64_splat(A + ab), z), q0);
      } else if (l > m + 1) {
        q = f64x2.sub(f64x2.mul(f64x2.mul(v128.load64_splat(A + ab), z), q1), f64x2.mul(v128.load64_splat(B + ab), q0));
      }
      ab += 8;
      if (l > m) { q0 = q1; q1 = q; } else { q1 = q; }
      let Y = f64x2.mul(q, c);
      if (split) {
        addMoments(pa, Y, x, y, z, LANE0); addMoments(pb, Y, x, y, z, LANE1);
      } else {
        addMoments(pa, Y, x, y, z, mask);
      }
      pa += 64; pb += 64;
      if (m > 0) {
        Y = f64x2.mul(q, s);
        if (split) {
          addMoments(pa, Y, x, y, z, LANE0); addMoments(pb, Y, x, y, z, LANE1);
        } else {
          addMoments(pa, Y, x, y, z, mask);
        }
        pa += 64; pb += 64;
      }
    }
  }
}

// one function per variant (the flag is a constant inside each)
function momentsSame(tab: usize, K: i32, m0: i32, m1: i32, pa: usize, x: v128, y: v128, z: v128, mask: v128): void {
  momentsOf(false, tab, K, m0, m1, pa, pa, x, y, z, mask);
}
function momentsSplit(tab: usize, K: i32, m0: i32, m1: i32, pa: usize, pb: usize, x: v128, y: v128, z: v128): void {
  momentsOf(true, tab, K, m0, m1, pa, pb, x, y, z, LANE0);
}

// @ts-ignore: decorator
@inline
function addMoments2(p: usize, y: v128, x: v128, yy: v128, z: v128, y2: v128, x2: v128, yy2: v128, z2: v128): void {
  v128.store(p, f64x2.add(f64x2.add(v128.load(p), y), y2));
  v128.store(p, f64x2.add(f64x2.add(v128.load(p, 16), f64x2.mul(y, x)), f64x2.mul(y2, x2)), 16);
  v128.store(p, f64x2.add(f64x2.add(v128.load(p, 32), f64x2.mul(y, yy)), f64x2.mul(y2, yy2)), 32);
  v128.store(p, f64x2.add(f64x2.add(v128.load(p, 48), f64x2.mul(y, z)), f64x2.mul(y2, z2)), 48);
}

/**
 * momentsOf for four particles of one label, two pairs at once (x, y, z then x2, y2, z2): each
 * sum takes the first pair's term, then the second's, the bits of two calls of momentsOf, with
 * the tables and the sums read once.
 */
function momentsQuad(tab: usize, K: i32, m0: i32, m1: i32, pa: usize, x: v128, y: v128, z: v128, x2: v128, y2: v128, z2: v128): void {
  const K1 = K + 1;
  pa += <usize>harmonicAt(m0, K1) << 6;
  let ab = <usize>recurrenceAt(m0, K1) << 3;
  const A = tabA(tab, K1), B = tabB(tab, K1);
  let c = f64x2.splat(1.0), s = f64x2.splat(0.0), c2 = c, s2 = s;
  for (let m = 0; m < m0; m++) {
    const t = f64x2.sub(f64x2.mul(c, x), f64x2.mul(s, y));
    s = f64x2.add(f64x2.mul(s, x), f64x2.mul(c, y));
    c = t;
    const t2 = f64x2.sub(f64x2.mul(c2, x2), f64x2.mul(s2, y2));
    s2 = f64x2.add(f64x2.mul(s2, x2), f64x2.mul(c2, y2));
    c2 = t2;
  }
  for (let m = m0; m < m1; m++) {
    if (m > m0) {
      const t = f64x2.sub(f64x2.mul(c, x), f64x2.mul(s, y));
      s = f64x2.add(f64x2.mul(s, x), f64x2.mul(c, y));
      c = t;
      const t2 = f64x2.sub(f64x2.mul(c2, x2), f64x2.mul(s2, y2));
      s2 = f64x2.add(f64x2.mul(s2, x2), f64x2.mul(c2, y2));
      c2 = t2;
    }
    let q0 = v128.load64_splat(tabQ(tab) + (<usize>m << 3)), r0 = q0;
    let q1 = f64x2.splat(0.0), r1 = q1;
    for (let l = m; l <= K; l++) {
      let q = q0, r = r0;
      if (l == m + 1) {
        const a = v128.load64_splat(A + ab);
        q = f64x2.mul(f64x2.mul(a, z), q0);
        r = f64x2.mul(f64x2.mul(a, z2), r0);
      } else if (l > m + 1) {
        const a = v128.load64_splat(A + ab), b = v128.load64_splat(B + ab);
        q = f64x2.sub(f64x2.mul(f64x2.mul(a, z), q1), f64x2.mul(b, q0));
        r = f64x2.sub(f64x2.mul(f64x2.mul(a, z2), r1), f64x2.mul(b, r0));
      }
      ab += 8;
      if (l > m) { q0 = q1; q1 = q; r0 = r1; r1 = r; } else { q1 = q; r1 = r; }
      addMoments2(pa, f64x2.mul(q, c), x, y, z, f64x2.mul(r, c2), x2, y2, z2);
      pa += 64;
      if (m > 0) {
        addMoments2(pa, f64x2.mul(q, s), x, y, z, f64x2.mul(r, s2), x2, y2, z2);
        pa += 64;
      }
    }
  }
}

/** A total of labels ta (lane 0) and tb (lane 1) at byte o: one splat where they are the same label. */
// @ts-ignore: decorator
@inline
function totalPair(split: bool, ta: usize, tb: usize, o: usize): v128 {
  return split ? v128.load64_lane(tb + o, v128.load64_zero(ta + o), 1) : v128.load64_splat(ta + o);
}

/**
 * The totals-weighted sums for two particles (lane 0 from the totals at ta, lane 1 from those at
 * tb): out (s, ax, ay, az) as four f64x2 at scratch.
 */
// @ts-ignore: decorator
@inline
function sumsOf(split: bool, tab: usize, K: i32, ta: usize, tb: usize, x: v128, y: v128, z: v128, out: usize): void {
  const K1 = K + 1;
  const A = tabA(tab, K1), B = tabB(tab, K1);
  let ab: usize = 0;
  let c = f64x2.splat(1.0), s = f64x2.splat(0.0);
  let as = f64x2.splat(0.0), ax = f64x2.splat(0.0), ay = f64x2.splat(0.0), az = f64x2.splat(0.0);
  let o: usize = 0;
  for (let m = 0; m <= K; m++) {
    if (m > 0) {
      const c2 = f64x2.sub(f64x2.mul(c, x), f64x2.mul(s, y));
      s = f64x2.add(f64x2.mul(s, x), f64x2.mul(c, y));
      c = c2;
    }
    let q0 = v128.load64_splat(tabQ(tab) + (<usize>m << 3));
    let q1 = f64x2.splat(0.0);
    for (let l = m; l <= K; l++) {
      let q = q0;
      if (l == m + 1) {
        q = f64x2.mul(f64x2.mul(v128.load64_splat(A + ab), z), q0);
      } else if (l > m + 1) {
        q = f64x2.sub(f64x2.mul(f64x2.mul(v128.load64_splat(A + ab), z), q1), f64x2.mul(v128.load64_splat(B + ab), q0));
      }
      ab += 8;
      if (l > m) { q0 = q1; q1 = q; } else { q1 = q; }
      let Y = f64x2.mul(q, c);
      as = f64x2.add(as, f64x2.mul(Y, totalPair(split, ta, tb, o)));
      ax = f64x2.add(ax, f64x2.mul(Y, totalPair(split, ta, tb, o + 8)));
      ay = f64x2.add(ay, f64x2.mul(Y, totalPair(split, ta, tb, o + 16)));
      az = f64x2.add(az, f64x2.mul(Y, totalPair(split, ta, tb, o + 24)));
      o += 32;
      if (m > 0) {
        Y = f64x2.mul(q, s);
        as = f64x2.add(as, f64x2.mul(Y, totalPair(split, ta, tb, o)));
        ax = f64x2.add(ax, f64x2.mul(Y, totalPair(split, ta, tb, o + 8)));
        ay = f64x2.add(ay, f64x2.mul(Y, totalPair(split, ta, tb, o + 16)));
        az = f64x2.add(az, f64x2.mul(Y, totalPair(split, ta, tb, o + 24)));
        o += 32;
      }
    }
  }
  v128.store(out, as);
  v128.store(out, ax, 16);
  v128.store(out, ay, 32);
  v128.store(out, az, 48);
}

function sumsSame(tab: usize, K: i32, ta: usize, x: v128, y: v128, z: v128, out: usize): void {
  sumsOf(false, tab, K, ta, ta, x, y, z, out);
}
function sumsSplit(tab: usize, K: i32, ta: usize, tb: usize, x: v128, y: v128, z: v128, out: usize): void {
  sumsOf(true, tab, K, ta, tb, x, y, z, out);
}

/** True when rows i .. i + 3 have one label. */
// @ts-ignore: decorator
@inline
function sameLabels4(labels: usize, i: i32): bool {
  const p = labels + (<usize>i << 2), a = load<i32>(p);
  return load<i32>(p, 4) == a && load<i32>(p, 8) == a && load<i32>(p, 12) == a;
}

/** Labels whose moments are kept apart: L with a weight table, else 1. */
// @ts-ignore: decorator
@inline
function momentLabels(ctx: usize): i32 {
  return (load<i32>(ctx + CTX_FLAGS) & FLAG_WEIGHTED) != 0 ? load<i32>(ctx + CTX_L) : 1;
}

/**
 * Moments of orders [m0, m1) of rows [i0, i1) of the state src (i0 even) into chunk p's buffer,
 * whose harmonics of those orders (of every label) it clears first.
 */
export function expMoments(ctx: usize, src: usize, p: i32, m0: i32, m1: i32, i0: i32, i1: i32): void {
  const strideB = <usize>load<i32>(ctx + CTX_STRIDE) << 3;
  const K = load<i32>(ctx + CTX_EXPDEG), K1 = K + 1, H = K1 * K1;
  const tab = load<usize>(ctx + CTX_EXPTAB);
  const Lm = momentLabels(ctx);
  const labelBytes = <usize>H << 6;
  const buf = load<usize>(ctx + CTX_SYMBUF) + <usize>p * <usize>Lm * labelBytes;
  const k0 = <usize>harmonicAt(m0, K1) << 6, k1 = <usize>harmonicAt(m1, K1) << 6;
  for (let b = 0; b < Lm; b++) memory.fill(buf + <usize>b * labelBytes + k0, 0, k1 - k0);
  const labels = load<usize>(ctx + CTX_LABELS);
  const xs = src, ys = src + strideB, zs = ys + strideB;
  const both = i64x2.splat(-1);
  let i = i0;
  for (; i + 1 < i1; i += 2) {
    const o = <usize>i << 3;
    const x = v128.load(xs + o), y = v128.load(ys + o), z = v128.load(zs + o);
    if (i + 3 < i1 && (Lm == 1 || sameLabels4(labels, i))) {
      const pa = Lm == 1 ? buf : buf + <usize>load<i32>(labels + (<usize>i << 2)) * labelBytes;
      momentsQuad(tab, K, m0, m1, pa, x, y, z, v128.load(xs + o, 16), v128.load(ys + o, 16), v128.load(zs + o, 16));
      i += 2;
      continue;
    }
    if (Lm == 1) {
      momentsSame(tab, K, m0, m1, buf, x, y, z, both);
    } else {
      const a = load<i32>(labels + (<usize>i << 2)), b = load<i32>(labels + (<usize>i << 2), 4);
      const pa = buf + <usize>a * labelBytes;
      if (a == b) momentsSame(tab, K, m0, m1, pa, x, y, z, both);
      else momentsSplit(tab, K, m0, m1, pa, buf + <usize>b * labelBytes, x, y, z);
    }
  }
  if (i < i1) {
    // the last row, alone in lane 0 (the padding column past n is finite: it is zeroed)
    const o = <usize>i << 3;
    const pa = Lm == 1 ? buf : buf + <usize>load<i32>(labels + (<usize>i << 2)) * labelBytes;
    momentsSame(tab, K, m0, m1, pa, v128.load(xs + o), v128.load(ys + o), v128.load(zs + o), LANE0);
  }
}

/**
 * Units [u0, u1) of the moments phase: unit u is row chunk u / R (rows per chunk `per`) and m
 * range u % R (the cuts at the table's start).
 */
export function expMomentUnits(ctx: usize, src: usize, u0: i32, u1: i32, per: i32, R: i32): void {
  const n = load<i32>(ctx + CTX_N);
  const cuts = load<usize>(ctx + CTX_EXPTAB);
  for (let u = u0; u < u1; u++) {
    const p = u / R, r = u % R;
    const i0 = p * per, i1 = min(n, i0 + per);
    expMoments(ctx, src, p, load<i32>(cuts + (<usize>r << 2)), load<i32>(cuts + (<usize>(r + 1) << 2)), i0, i1);
  }
}

/** The moments of every order of chunk p's rows [i0, i1) (a unit of the step's advance, fused). */
export function expMomentsAll(ctx: usize, src: usize, p: i32, i0: i32, i1: i32): void {
  expMoments(ctx, src, p, 0, load<i32>(ctx + CTX_EXPDEG) + 1, i0, i1);
}

/**
 * Harmonics [k0, k1): the lane sums of the `chunks` moment buffers, added in chunk order, then
 * C_ak = lam_l sum_b W[a,b] M_bk in label order, into the totals (the moment buffers stay as they
 * are: a later program may start from them). scratch: 8 L bytes (one component of every label's M).
 */
export function expCombine(ctx: usize, k0: i32, k1: i32, chunks: i32, scratch: usize): void {
  const K = load<i32>(ctx + CTX_EXPDEG), K1 = K + 1, H = K1 * K1;
  const tab = load<usize>(ctx + CTX_EXPTAB);
  const Lm = momentLabels(ctx);
  const labelBytes = <usize>H << 6;
  const chunkBytes = <usize>Lm * labelBytes;
  const base = load<usize>(ctx + CTX_SYMBUF);
  const lam = tabLam(tab, K1);
  const t = totalsAt(tab, K1);
  const weights = load<usize>(ctx + CTX_WEIGHTS);
  const Lw = <usize>load<i32>(ctx + CTX_L);
  const totalBytes = <usize>H << 5;
  // harmonic k runs m outer, l inner, cosine then sine (momentsOf's order): lam_l of each
  let k = 0;
  for (let m = 0; m <= K; m++) {
    if (k >= k1) break;
    const per = m > 0 ? 2 : 1;
    if (k + per * (K1 - m) <= k0) { k += per * (K1 - m); continue; }
    for (let l = m; l <= K; l++) {
      const w = load<f64>(lam + (<usize>l << 3));
      for (let r = 0; r < per; r++, k++) {
        if (k < k0 || k >= k1) continue;
        const ok = <usize>k << 6;
        const tk = t + (<usize>k << 5);
        for (let c = 0; c < 4; c++) {
          const oc = <usize>c << 4;
          for (let b = 0; b < Lm; b++) {
            const at = base + <usize>b * labelBytes + ok + oc;
            let sum = hsum(v128.load(at));
            for (let p = 1; p < chunks; p++) sum += hsum(v128.load(at + <usize>p * chunkBytes));
            store<f64>(scratch + (<usize>b << 3), sum);
          }
          if (Lm == 1) {
            store<f64>(tk + (<usize>c << 3), w * load<f64>(scratch));
            continue;
          }
          for (let a = 0; a < Lm; a++) {
            const wrow = weights + ((<usize>a * Lw) << 3);
            let sum: f64 = 0;
            for (let b = 0; b < Lm; b++) sum += load<f64>(wrow + (<usize>b << 3)) * load<f64>(scratch + (<usize>b << 3));
            store<f64>(tk + <usize>a * totalBytes + (<usize>c << 3), w * sum);
          }
        }
      }
    }
  }
}

/** V_i into dst for i in [i0, i1) from the totals (after expCombine); scratch: 64 bytes, 16-aligned. */
export function expFinish(ctx: usize, src: usize, dst: usize, i0: i32, i1: i32, scratch: usize): void {
  const strideB = <usize>load<i32>(ctx + CTX_STRIDE) << 3;
  const K = load<i32>(ctx + CTX_EXPDEG), K1 = K + 1;
  const tab = load<usize>(ctx + CTX_EXPTAB);
  const t = totalsAt(tab, K1);
  const Lm = momentLabels(ctx);
  const totalBytes = <usize>(K1 * K1) << 5;
  const labels = load<usize>(ctx + CTX_LABELS);
  const xs = src, ys = src + strideB, zs = ys + strideB;
  for (let i = i0; i < i1; i += 2) {
    const o = <usize>i << 3;
    const x = v128.load(xs + o), y = v128.load(ys + o), z = v128.load(zs + o);
    if (Lm == 1) {
      sumsSame(tab, K, t, x, y, z, scratch);
    } else {
      const a = load<i32>(labels + (<usize>i << 2));
      // past the last row, lane 1 reads the totals of row i's label (its result is not used)
      const b = i + 1 < i1 ? load<i32>(labels + (<usize>i << 2), 4) : a;
      const ta = t + <usize>a * totalBytes;
      if (a == b) sumsSame(tab, K, ta, x, y, z, scratch);
      else sumsSplit(tab, K, ta, t + <usize>b * totalBytes, x, y, z, scratch);
    }
    for (let lane = 0; lane < 2; lane++) {
      const j = i + lane;
      if (j >= i1) break;
      const oj = <usize>j << 3, ol = <usize>lane << 3;
      project3(ctx, j, load<f64>(xs + oj), load<f64>(ys + oj), load<f64>(zs + oj),
        load<f64>(scratch + 16 + ol), load<f64>(scratch + 32 + ol), load<f64>(scratch + 48 + ol), load<f64>(scratch + ol), dst, strideB);
    }
  }
}
