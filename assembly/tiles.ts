// The tiled pair loop for d >= TILE_MIN_D (docs/performance.md "Large d: the tiled pair loop").
//
// The pair terms of a block of rows I and a block of columns J are computed as three small dense
// products on packed copies of the blocks, each a register-blocked micro-kernel that uses every
// loaded coordinate several times:
//   G = X_I X_J^T                        (the Gram block: 4 rows x 4 columns per pass over k)
//   E = W exp(beta G - shift - rate (i - j))   (in place, and its transpose Et; masked entries 0)
//   S_I += E [X_J | 1]                    (row sums, from Et: 8 rows x 2 coordinates per pass
//                                          over the columns)
//   S_J += E^T [X_I | 1]                  (column sums, from E, only where e_ij = e_ji: 8
//                                          columns x 2 coordinates per pass over the rows)
// The last coordinate, a row of ones, gives each particle's s_i = sum_j e_ij in the same pass.
// S holds d + 1 rows of stride f64 per sum set (ctx symBuf): S[k][i] = sum_j e_ij v_jk for k < d,
// S[d][i] = s_i. For the paper's kernels X = V = z (e_ij = W[a_i,a_j] exp(beta (<z_i,z_j> - 1)));
// for attention heads the Gram block is Q_I K_J^T and the sums take v (attention.ts).
//
// Two unit layouts (the host's step plan, src/engines/plan.ts):
// - tiles and tile pairs (W symmetric bit for bit; for attention every head with Q = K, no mask, no
//   ALiBi): the symmetric loop's schedule (symmetric.ts): unit P < T is tile P alone (clears its
//   sums), unit T + k is tile pair k, waiting for the earlier units of its two tiles; one
//   Gram entry and one exp serve both orders. Then a finishing phase (tileFinish).
// - rows (otherwise): a unit is a range of rows with every column (causal heads: every column up
//   to the unit's last row), finishing its rows itself (tileRows).
// Inside a unit the blocks run in a fixed order, so each sum takes its terms in an order fixed by
// n and d: the thread count changes no bit.
//
// Per-thread scratch (tileScratchBytes): four panels of D = d + 1 rows of ps(R) f64 each
// (k-major: panel[k * ps + p]), then the block E (TB x TB f64, row-major), its transpose Et, and
// the unit's Terms. A panel holds one
// tile's (or one column block's) coordinates, zero-padded to a multiple of 8 particles, then a row
// of ones; ps = that + 8, so that the rows of a panel do not fall on the same cache sets.

import {
  CTX_N, CTX_D, CTX_STRIDE, CTX_L, CTX_FLAGS, CTX_BETA, CTX_LABELS, CTX_WEIGHTS, CTX_SYMBUF,
  CTX_SYMTILE, CTX_ATTN, CTX_EPART, CTX_FROZEN, CTX_INVN, FLAG_WEIGHTED, FLAG_FROZEN,
} from "./layout";
import { expvFrom, expvFromClamped } from "./expv";
import { hsum, weightPair, finish, CLAMP_FREE_BETA } from "./forces";
import { ATTN_HEAD0, ATTN_HEAD_BYTES, HEAD_SA, HEAD_CAUSAL, H_BETA, H_SHIFT, H_SCALE, H_RATE, H_ARRAYS } from "./attention";

/** Rows and columns of one block E. */
export const TB: i32 = 64;
const TB8: usize = <usize>TB << 3;

/** Panel stride (f64) for tiles of up to R particles: R rounded up to 8, plus 8. */
// @ts-ignore: decorator
@inline
function panelStride(R: i32): i32 {
  return ((max(R, TB) + 7) & ~7) + 8;
}

/** Per-thread scratch of the tiled loop in dimension d with tiles (or row units) of up to R particles. */
export function tileScratchBytes(d: i32, R: i32): usize {
  return ((<usize>(4 * (d + 1) * panelStride(R)) + <usize>(2 * TB * TB)) << 3) + TERMS_BYTES;
}

/** Bytes after the block E that hold the unit's Terms. */
const TERMS_BYTES: usize = 64;

// @ts-ignore: decorator
@inline
function up8(x: i32): i32 {
  return (x + 7) & ~7;
}

/**
 * Packs particles [i0, i0 + len) of rows 0..d-1 of the structure-of-arrays src (row stride strideB
 * bytes) into the panel at dst (stride ps f64), zero-padded to up8(len); with ones, row d is 1 for
 * the particles and 0 in the padding.
 */
function pack(src: usize, strideB: usize, d: i32, i0: i32, len: i32, dst: usize, ps: i32, ones: bool): void {
  const psB = <usize>ps << 3;
  const w = up8(len);
  let from = src + (<usize>i0 << 3), to = dst;
  // column pairs (i0 is even and rows hold an even stride, so the pair that ends an odd run is in the
  // row), then the padding zeroed; a loop, not memory.copy, whose call costs more than a short row
  for (let k = 0; k < d; k++) {
    for (let p = 0; p < len; p += 2) v128.store(to + (<usize>p << 3), v128.load(from + (<usize>p << 3)));
    for (let p = len; p < w; p++) store<f64>(to + (<usize>p << 3), 0);
    from += strideB;
    to += psB;
  }
  if (ones) {
    for (let p = 0; p < len; p++) store<f64>(to + (<usize>p << 3), 1.0);
    for (let p = len; p < w; p++) store<f64>(to + (<usize>p << 3), 0);
  }
}

/**
 * The Gram block E[r][c] = sum_{k < d} A[k][r] B[k][c] for r < rb, c < cb (multiples of 4): four
 * rows by four columns (two f64x2 per row) in registers per pass over k; each loaded column pair
 * serves four rows and each loaded row coordinate four columns.
 */
function gram(d: i32, A: usize, psA: usize, B: usize, psB: usize, rb: i32, cb: i32, E: usize): void {
  for (let r = 0; r < rb; r += 4) {
    for (let c = 0; c < cb; c += 4) {
      let pa = A + (<usize>r << 3), pb = B + (<usize>c << 3);
      let a00 = f64x2.splat(0), a01 = f64x2.splat(0), a10 = f64x2.splat(0), a11 = f64x2.splat(0);
      let a20 = f64x2.splat(0), a21 = f64x2.splat(0), a30 = f64x2.splat(0), a31 = f64x2.splat(0);
      for (let k = 0; k < d; k++) {
        const b0 = v128.load(pb), b1 = v128.load(pb, 16);
        let x = v128.load64_splat(pa);
        a00 = f64x2.add(a00, f64x2.mul(x, b0)); a01 = f64x2.add(a01, f64x2.mul(x, b1));
        x = v128.load64_splat(pa, 8);
        a10 = f64x2.add(a10, f64x2.mul(x, b0)); a11 = f64x2.add(a11, f64x2.mul(x, b1));
        x = v128.load64_splat(pa, 16);
        a20 = f64x2.add(a20, f64x2.mul(x, b0)); a21 = f64x2.add(a21, f64x2.mul(x, b1));
        x = v128.load64_splat(pa, 24);
        a30 = f64x2.add(a30, f64x2.mul(x, b0)); a31 = f64x2.add(a31, f64x2.mul(x, b1));
        pa += psA;
        pb += psB;
      }
      const e = E + (<usize>(r * TB + c) << 3);
      v128.store(e, a00); v128.store(e, a01, 16);
      v128.store(e, a10, TB8); v128.store(e, a11, TB8 + 16);
      v128.store(e, a20, 2 * TB8); v128.store(e, a21, 2 * TB8 + 16);
      v128.store(e, a30, 3 * TB8); v128.store(e, a31, 3 * TB8 + 16);
    }
  }
}

/**
 * Column c's term for row i (c even; the pair c, c + 1): W exp(beta G - shift - rate (i - j)) for
 * the columns below cEnd, exactly 0 from cEnd on.
 */
// @ts-ignore: decorator
@inline
function termPair(weighted: bool, clamp: bool, alibi: bool, g: v128, i: i32, jBase: i32, c: i32, cEnd: i32,
  vb: v128, vs: v128, vr: v128, wrow: usize, labels: usize): v128 {
  if (c >= cEnd) return f64x2.splat(0);
  let x = f64x2.sub(f64x2.mul(vb, g), vs);
  if (alibi) {
    const gap = <f64>(i - jBase - c);
    x = f64x2.sub(x, f64x2.mul(vr, f64x2.replace_lane(f64x2.splat(gap), 1, gap - 1.0)));
  }
  let e = clamp ? expvFromClamped(x) : expvFrom(x);
  if (weighted) e = f64x2.mul(e, weightPair(wrow, labels, jBase + c));
  // a pair that straddles cEnd keeps its first lane only
  return c + 1 == cEnd ? v128.and(e, i64x2(-1, 0)) : e;
}

/**
 * E[r][c] = W exp(beta G - shift - rate (i - j)) in place for the block's rows i = iBase + r and
 * columns j = jBase + c with j < jEnd(i) (n, or i + 1 for a causal head, and i < n); every other
 * entry of the rb x cb block is exactly 0. Also writes the transpose Et[c][r] = E[r][c].
 */
// @ts-ignore: decorator
@inline
function expRows(weighted: bool, clamp: bool, alibi: bool, E: usize, Et: usize, rb: i32, cb: i32, iBase: i32, jBase: i32, n: i32, causal: bool,
  beta: f64, shift: f64, rate: f64, weights: usize, labels: usize, L: usize): void {
  const vb = f64x2.splat(beta), vs = f64x2.splat(shift), vr = f64x2.splat(rate);
  for (let r = 0; r < rb; r += 2) {
    const i = iBase + r;
    const rowA = E + <usize>r * TB8, rowB = rowA + TB8;
    const endA = i < n ? min(cb, (causal ? min(n, i + 1) : n) - jBase) : 0;
    const endB = i + 1 < n ? min(cb, (causal ? min(n, i + 2) : n) - jBase) : 0;
    const wA = weighted && i < n ? weights + ((<usize>load<i32>(labels + (<usize>i << 2)) * L) << 3) : 0;
    const wB = weighted && i + 1 < n ? weights + ((<usize>load<i32>(labels + (<usize>(i + 1) << 2)) * L) << 3) : 0;
    const col = Et + (<usize>r << 3);
    for (let c = 0; c < cb; c += 2) {
      const o = <usize>c << 3;
      const a = termPair(weighted, clamp, alibi, v128.load(rowA + o), i, jBase, c, endA, vb, vs, vr, wA, labels);
      const b = termPair(weighted, clamp, alibi, v128.load(rowB + o), i + 1, jBase, c, endB, vb, vs, vr, wB, labels);
      v128.store(rowA + o, a);
      v128.store(rowB + o, b);
      const t = col + <usize>c * TB8;
      v128.store(t, v128.shuffle<f64>(a, b, 0, 2));
      v128.store(t, v128.shuffle<f64>(a, b, 1, 3), TB8);
    }
  }
}

// one function per variant (see forces.ts range3Exp)
function expPlain(E: usize, Et: usize, rb: i32, cb: i32, iB: i32, jB: i32, n: i32, causal: bool, beta: f64, shift: f64, rate: f64, w: usize, lab: usize, L: usize): void { expRows(false, false, false, E, Et, rb, cb, iB, jB, n, causal, beta, shift, rate, w, lab, L); }
function expClamp(E: usize, Et: usize, rb: i32, cb: i32, iB: i32, jB: i32, n: i32, causal: bool, beta: f64, shift: f64, rate: f64, w: usize, lab: usize, L: usize): void { expRows(false, true, false, E, Et, rb, cb, iB, jB, n, causal, beta, shift, rate, w, lab, L); }
function expWeighted(E: usize, Et: usize, rb: i32, cb: i32, iB: i32, jB: i32, n: i32, causal: bool, beta: f64, shift: f64, rate: f64, w: usize, lab: usize, L: usize): void { expRows(true, false, false, E, Et, rb, cb, iB, jB, n, causal, beta, shift, rate, w, lab, L); }
function expWeightedClamp(E: usize, Et: usize, rb: i32, cb: i32, iB: i32, jB: i32, n: i32, causal: bool, beta: f64, shift: f64, rate: f64, w: usize, lab: usize, L: usize): void { expRows(true, true, false, E, Et, rb, cb, iB, jB, n, causal, beta, shift, rate, w, lab, L); }
function expAlibi(E: usize, Et: usize, rb: i32, cb: i32, iB: i32, jB: i32, n: i32, causal: bool, beta: f64, shift: f64, rate: f64, w: usize, lab: usize, L: usize): void { expRows(false, true, true, E, Et, rb, cb, iB, jB, n, causal, beta, shift, rate, w, lab, L); }

const EXP_PLAIN: i32 = 0;
const EXP_CLAMP: i32 = 1;
const EXP_WEIGHTED: i32 = 2;
const EXP_WEIGHTED_CLAMP: i32 = 3;
const EXP_ALIBI: i32 = 4;

/**
 * How one set of sums is formed: the Gram block's scale and shift, the exp variant, and where
 * the sums live. For the paper's kernels beta = shift = ctx beta; for a head its beta, c_h and r_h.
 */
class Terms {
  variant: i32 = 0;
  causal: bool = false;
  beta: f64 = 0;
  shift: f64 = 0;
  rate: f64 = 0;
  weights: usize = 0;
  labels: usize = 0;
  L: usize = 0;
  /** the first of the D rows of sums (S[k][i] at S + k strideB + 8 i) */
  S: usize = 0;
}

// @ts-ignore: decorator
@inline
function expBlock(t: Terms, E: usize, Et: usize, rb: i32, cb: i32, iBase: i32, jBase: i32, n: i32): void {
  const v = t.variant;
  if (v == EXP_PLAIN) expPlain(E, Et, rb, cb, iBase, jBase, n, t.causal, t.beta, t.shift, t.rate, t.weights, t.labels, t.L);
  else if (v == EXP_CLAMP) expClamp(E, Et, rb, cb, iBase, jBase, n, t.causal, t.beta, t.shift, t.rate, t.weights, t.labels, t.L);
  else if (v == EXP_WEIGHTED) expWeighted(E, Et, rb, cb, iBase, jBase, n, t.causal, t.beta, t.shift, t.rate, t.weights, t.labels, t.L);
  else if (v == EXP_WEIGHTED_CLAMP) expWeightedClamp(E, Et, rb, cb, iBase, jBase, n, t.causal, t.beta, t.shift, t.rate, t.weights, t.labels, t.L);
  else expAlibi(E, Et, rb, cb, iBase, jBase, n, t.causal, t.beta, t.shift, t.rate, t.weights, t.labels, t.L);
}

// @ts-ignore: decorator
@inline
function addAt(p: usize, v: f64): void {
  store<f64>(p, load<f64>(p) + v);
}

/**
 * S[k][base + w] += sum_{x < count} M[x][w] V[k][x] for k < D, w < width (a multiple of 8), in the
 * column pairs of S that start below n (M is 0 past the valid entries): two coordinates by eight
 * entries in registers per pass over x, each loaded pair of M serving two coordinates and each
 * loaded coordinate eight entries. With M = E, the column sums of a block (x over its rows, V the
 * rows' values); with M = Et, its row sums (x over its columns, V the columns' values).
 */
function sums(D: i32, M: usize, V: usize, psV: usize, count: i32, width: i32, S: usize, strideB: usize, base: i32, n: i32): void {
  for (let w = 0; w < width; w += 8) {
    const sw = S + (<usize>(base + w) << 3);
    const pairs = min(4, (n - base - w + 1) >> 1);
    let k = 0;
    for (; k + 2 <= D; k += 2) {
      let pm = M + (<usize>w << 3), pv = V + <usize>k * psV;
      let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
      let b0 = f64x2.splat(0), b1 = f64x2.splat(0), b2 = f64x2.splat(0), b3 = f64x2.splat(0);
      for (let x = 0; x < count; x++) {
        const p = v128.load64_splat(pv), q = v128.load64_splat(pv + psV);
        let m = v128.load(pm);
        a0 = f64x2.add(a0, f64x2.mul(m, p)); b0 = f64x2.add(b0, f64x2.mul(m, q));
        m = v128.load(pm, 16);
        a1 = f64x2.add(a1, f64x2.mul(m, p)); b1 = f64x2.add(b1, f64x2.mul(m, q));
        m = v128.load(pm, 32);
        a2 = f64x2.add(a2, f64x2.mul(m, p)); b2 = f64x2.add(b2, f64x2.mul(m, q));
        m = v128.load(pm, 48);
        a3 = f64x2.add(a3, f64x2.mul(m, p)); b3 = f64x2.add(b3, f64x2.mul(m, q));
        pm += TB8;
        pv += 8;
      }
      const s0 = sw + <usize>k * strideB;
      addPairs(s0, pairs, a0, a1, a2, a3);
      addPairs(s0 + strideB, pairs, b0, b1, b2, b3);
    }
    if (k < D) {
      let pm = M + (<usize>w << 3), pv = V + <usize>k * psV;
      let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
      for (let x = 0; x < count; x++) {
        const p = v128.load64_splat(pv);
        a0 = f64x2.add(a0, f64x2.mul(v128.load(pm), p));
        a1 = f64x2.add(a1, f64x2.mul(v128.load(pm, 16), p));
        a2 = f64x2.add(a2, f64x2.mul(v128.load(pm, 32), p));
        a3 = f64x2.add(a3, f64x2.mul(v128.load(pm, 48), p));
        pm += TB8;
        pv += 8;
      }
      addPairs(sw + <usize>k * strideB, pairs, a0, a1, a2, a3);
    }
  }
}

/** s[0..2 pairs) += a0 | a1 | a2 | a3, pair by pair. */
// @ts-ignore: decorator
@inline
function addPairs(s: usize, pairs: i32, a0: v128, a1: v128, a2: v128, a3: v128): void {
  if (pairs > 0) v128.store(s, f64x2.add(v128.load(s), a0));
  if (pairs > 1) v128.store(s, f64x2.add(v128.load(s, 16), a1), 16);
  if (pairs > 2) v128.store(s, f64x2.add(v128.load(s, 32), a2), 32);
  if (pairs > 3) v128.store(s, f64x2.add(v128.load(s, 48), a3), 48);
}

/**
 * Rows [p0, p0 + lenP) (Gram rows A, values VA) with columns [q0, q0 + lenQ) (Gram columns B,
 * values VB), from panels of strides psA, psB (bytes): block by block, the row sums, and the
 * column sums too when `both` (the terms are symmetric). With `diagonal` the two ranges are the
 * same tile: block pairs ib <= jb only, the diagonal block (every ordered pair of it) to its rows
 * alone.
 */
function blocks(d: i32, t: Terms, n: i32, strideB: usize, E: usize, Et: usize,
  A: usize, VA: usize, psA: usize, p0: i32, lenP: i32,
  B: usize, VB: usize, psB: usize, q0: i32, lenQ: i32, both: bool, diagonal: bool): void {
  const D = d + 1;
  for (let ib = 0; ib < lenP; ib += TB) {
    const rValid = min(TB, lenP - ib), rb = up8(rValid);
    // a causal head's row block needs no column past its last row
    const jStop = t.causal ? min(lenQ, p0 + ib + rValid - q0) : lenQ;
    for (let jb = diagonal ? ib : 0; jb < jStop; jb += TB) {
      const cb = up8(min(TB, lenQ - jb));
      gram(d, A + (<usize>ib << 3), psA, B + (<usize>jb << 3), psB, rb, cb, E);
      expBlock(t, E, Et, rb, cb, p0 + ib, q0 + jb, n);
      // rows: their pairs past n are 0 (and so are rows past a unit's end: units are whole multiples of 8 rows)
      sums(D, Et, VB + (<usize>jb << 3), psB, cb, rb, t.S, strideB, p0 + ib, n);
      if (both && (!diagonal || jb > ib)) sums(D, E, VA + (<usize>ib << 3), psA, rb, cb, t.S, strideB, q0 + jb, n);
    }
  }
}

/** The paper's kernels: e_ij = W exp(beta (u - 1)) on the state. */
// @ts-ignore: decorator
@inline
function stateTerms(ctx: usize, t: Terms): void {
  const beta = load<f64>(ctx + CTX_BETA);
  const weighted = (load<i32>(ctx + CTX_FLAGS) & FLAG_WEIGHTED) != 0;
  const clamp = beta > CLAMP_FREE_BETA;
  t.variant = weighted ? (clamp ? EXP_WEIGHTED_CLAMP : EXP_WEIGHTED) : clamp ? EXP_CLAMP : EXP_PLAIN;
  t.causal = false;
  t.beta = beta;
  t.shift = beta;
  t.rate = 0;
  t.weights = load<usize>(ctx + CTX_WEIGHTS);
  t.labels = load<usize>(ctx + CTX_LABELS);
  t.L = <usize>load<i32>(ctx + CTX_L);
  t.S = load<usize>(ctx + CTX_SYMBUF);
}

/** Head h: e_ij = exp(beta_h <q_i, k_j> - c_h - r_h (i - j)), its sums at S. */
// @ts-ignore: decorator
@inline
function headTerms(head: usize, S: usize, t: Terms): void {
  const rate = load<f64>(head + H_RATE);
  t.variant = rate > 0 ? EXP_ALIBI : EXP_PLAIN;
  t.causal = (load<i32>(head) & HEAD_CAUSAL) != 0;
  t.beta = load<f64>(head + H_BETA);
  t.shift = load<f64>(head + H_SHIFT);
  t.rate = rate;
  t.S = S;
}

/** The scratch's panels and block for tiles of R particles. */
// @ts-ignore: decorator
@inline
function panelBytes(d: i32, R: i32): usize {
  return <usize>((d + 1) * panelStride(R)) << 3;
}

/** Clears rows 0..D-1 of the sums at S for particles [i0, i1). */
// @ts-ignore: decorator
@inline
function clearSums(S: usize, D: i32, strideB: usize, i0: i32, i1: i32): void {
  for (let k = 0; k < D; k++) memory.fill(S + <usize>k * strideB + (<usize>i0 << 3), 0, <usize>(i1 - i0) << 3);
}

/**
 * Unit "tile P alone" (Q < 0) or "tiles P < Q" of the symmetric schedule, on the state src (or the
 * heads' q, k, v): tile P alone first clears its sums.
 */
export function tileUnit(ctx: usize, src: usize, P: i32, Q: i32, scratch: usize): void {
  const n = load<i32>(ctx + CTX_N);
  const d = load<i32>(ctx + CTX_D);
  const D = d + 1;
  const strideB = <usize>load<i32>(ctx + CTX_STRIDE) << 3;
  const R = load<i32>(ctx + CTX_SYMTILE);
  const ps = panelStride(R), psB = <usize>ps << 3, pb = panelBytes(d, R);
  const P0 = scratch, P1 = P0 + pb, P2 = P1 + pb, P3 = P2 + pb, E = P3 + pb, Et = E + <usize>TB * TB8;
  const p0 = P * R, lenP = min(n, p0 + R) - p0;
  const q0 = Q < 0 ? p0 : Q * R, lenQ = min(n, q0 + R) - q0;
  const diagonal = Q < 0;
  const t = changetype<Terms>(Et + <usize>TB * TB8);
  const table = load<usize>(ctx + CTX_ATTN);
  if (table == 0) {
    stateTerms(ctx, t);
    if (diagonal) clearSums(t.S, D, strideB, p0, p0 + lenP);
    pack(src, strideB, d, p0, lenP, P0, ps, true);
    if (!diagonal) pack(src, strideB, d, q0, lenQ, P2, ps, true);
    const B = diagonal ? P0 : P2;
    blocks(d, t, n, strideB, E, Et, P0, P0, psB, p0, lenP, B, B, psB, q0, lenQ, true, diagonal);
    return;
  }
  const H = load<i32>(table);
  const headS = <usize>D * strideB;
  for (let h = 0; h < H; h++) {
    const head = table + ATTN_HEAD0 + <usize>h * ATTN_HEAD_BYTES;
    headTerms(head, load<usize>(ctx + CTX_SYMBUF) + <usize>h * headS, t);
    if (diagonal) clearSums(t.S, D, strideB, p0, p0 + lenP);
    const qa = load<usize>(head + H_ARRAYS), ka = load<usize>(head + H_ARRAYS + 8), va = load<usize>(head + H_ARRAYS + 16);
    pack(qa, strideB, d, p0, lenP, P0, ps, false);
    pack(va, strideB, d, p0, lenP, P1, ps, true);
    pack(ka, strideB, d, q0, lenQ, P2, ps, false);
    if (!diagonal) pack(va, strideB, d, q0, lenQ, P3, ps, true);
    blocks(d, t, n, strideB, E, Et, P0, P1, psB, p0, lenP, P2, diagonal ? P1 : P3, psB, q0, lenQ, true, diagonal);
  }
}

/**
 * Rows [i0, i1) with every column (a causal head: every column up to i1 - 1), for a unit of up to
 * R rows; then V for these rows into dst (finishing, as tileFinish does).
 */
export function tileRows(ctx: usize, src: usize, dst: usize, i0: i32, i1: i32, R: i32, scratch: usize): void {
  const n = load<i32>(ctx + CTX_N);
  const d = load<i32>(ctx + CTX_D);
  const D = d + 1;
  const strideB = <usize>load<i32>(ctx + CTX_STRIDE) << 3;
  const psA = panelStride(R), pb = panelBytes(d, R);
  const psC = panelStride(TB);
  const P0 = scratch, P2 = P0 + 2 * pb, P3 = P2 + pb, E = P3 + pb, Et = E + <usize>TB * TB8;
  const t = changetype<Terms>(Et + <usize>TB * TB8);
  const len = i1 - i0;
  const table = load<usize>(ctx + CTX_ATTN);
  if (table == 0) {
    stateTerms(ctx, t);
    clearSums(t.S, D, strideB, i0, i1);
    pack(src, strideB, d, i0, len, P0, psA, false);
    for (let jb = 0; jb < n; jb += TB) {
      const cl = min(TB, n - jb);
      pack(src, strideB, d, jb, cl, P2, psC, true);
      blocks(d, t, n, strideB, E, Et, P0, P0, <usize>psA << 3, i0, len, P2, P2, <usize>psC << 3, jb, cl, false, false);
    }
    finishRows(ctx, src, dst, i0, i1);
    return;
  }
  const H = load<i32>(table);
  for (let h = 0; h < H; h++) {
    const head = table + ATTN_HEAD0 + <usize>h * ATTN_HEAD_BYTES;
    headTerms(head, load<usize>(ctx + CTX_SYMBUF), t);
    clearSums(t.S, D, strideB, i0, i1);
    const qa = load<usize>(head + H_ARRAYS), ka = load<usize>(head + H_ARRAYS + 8), va = load<usize>(head + H_ARRAYS + 16);
    pack(qa, strideB, d, i0, len, P0, psA, false);
    const jEnd = t.causal ? i1 : n;
    for (let jb = 0; jb < jEnd; jb += TB) {
      const cl = min(TB, n - jb);
      pack(ka, strideB, d, jb, cl, P2, psC, false);
      pack(va, strideB, d, jb, cl, P3, psC, true);
      blocks(d, t, n, strideB, E, Et, P0, P0, <usize>psA << 3, i0, len, P2, P3, <usize>psC << 3, jb, cl, false, false);
    }
    foldHead(ctx, head, t.S, dst, strideB, d, i0, i1, h == 0);
  }
  projectRows(ctx, src, dst, strideB, d, i0, i1);
}

/** V into dst for the particles [i0, i1) from the finished sums (every tile and tile pair done). */
export function tileFinish(ctx: usize, src: usize, dst: usize, i0: i32, i1: i32): void {
  const d = load<i32>(ctx + CTX_D);
  const strideB = <usize>load<i32>(ctx + CTX_STRIDE) << 3;
  const table = load<usize>(ctx + CTX_ATTN);
  if (table == 0) {
    finishRows(ctx, src, dst, i0, i1);
    return;
  }
  const H = load<i32>(table);
  const headS = <usize>(d + 1) * strideB;
  for (let h = 0; h < H; h++) {
    const head = table + ATTN_HEAD0 + <usize>h * ATTN_HEAD_BYTES;
    foldHead(ctx, head, load<usize>(ctx + CTX_SYMBUF) + <usize>h * headS, dst, strideB, d, i0, i1, h == 0);
  }
  projectRows(ctx, src, dst, strideB, d, i0, i1);
}

/** The paper's kernels: V_i = c (S_i - <S_i, z_i> z_i), c from forces.ts finish (which records s_i). */
function finishRows(ctx: usize, src: usize, dst: usize, i0: i32, i1: i32): void {
  const d = load<i32>(ctx + CTX_D);
  const strideB = <usize>load<i32>(ctx + CTX_STRIDE) << 3;
  const S = load<usize>(ctx + CTX_SYMBUF);
  let i = i0;
  // pairs of particles in lanes: each particle's dot product over k in k order, as alone
  for (; i + 2 <= i1; i += 2) {
    const oi = <usize>i << 3;
    let dot = f64x2.splat(0);
    for (let k = 0; k < d; k++) {
      const o = <usize>k * strideB + oi;
      dot = f64x2.add(dot, f64x2.mul(v128.load(src + o), v128.load(S + o)));
    }
    const sums = v128.load(S + <usize>d * strideB + oi);
    const c0 = finish(ctx, i, f64x2.extract_lane(sums, 0), f64x2.extract_lane(dot, 0));
    const c1 = finish(ctx, i + 1, f64x2.extract_lane(sums, 1), f64x2.extract_lane(dot, 1));
    const c = f64x2.replace_lane(f64x2.splat(c0), 1, c1);
    for (let k = 0; k < d; k++) {
      const o = <usize>k * strideB + oi;
      v128.store(dst + o, f64x2.mul(c, f64x2.sub(v128.load(S + o), f64x2.mul(dot, v128.load(src + o)))));
    }
  }
  if (i < i1) {
    const oi = <usize>i << 3;
    let dot: f64 = 0;
    for (let k = 0; k < d; k++) dot += load<f64>(src + <usize>k * strideB + oi) * load<f64>(S + <usize>k * strideB + oi);
    const c = finish(ctx, i, load<f64>(S + <usize>d * strideB + oi), dot);
    for (let k = 0; k < d; k++) {
      const o = <usize>k * strideB + oi;
      store<f64>(dst + o, c * (load<f64>(S + o) - dot * load<f64>(src + o)));
    }
  }
}

/**
 * One head's sums at S into F = dst (rows [i0, i1)): F_i (first head: =, later: +=) c_h S_i with
 * c_h = 1/s_i (sa) or e^{c_h}/n (usa); energyPart[i] likewise takes (e^{c_h}/beta_h) s_i. Particles
 * go in pairs (lanes), each with the operations it has alone; an odd last one alone.
 */
function foldHead(ctx: usize, head: usize, S: usize, dst: usize, strideB: usize, d: i32, i0: i32, i1: i32, first: bool): void {
  const sa = (load<i32>(head) & HEAD_SA) != 0;
  const scale = load<f64>(head + H_SCALE), beta = load<f64>(head + H_BETA);
  const usa = scale * load<f64>(ctx + CTX_INVN), eScale = scale / beta;
  const epart = load<usize>(ctx + CTX_EPART);
  const Sd = S + <usize>d * strideB;
  let i = i0;
  for (; i + 2 <= i1; i += 2) {
    const oi = <usize>i << 3;
    const s = v128.load(Sd + oi);
    const c = sa ? f64x2.div(f64x2.splat(1.0), s) : f64x2.splat(usa);
    const e = f64x2.mul(f64x2.splat(eScale), s);
    v128.store(epart + oi, first ? e : f64x2.add(v128.load(epart + oi), e));
    for (let k = 0; k < d; k++) {
      const o = <usize>k * strideB + oi;
      const f = f64x2.mul(c, v128.load(S + o));
      v128.store(dst + o, first ? f : f64x2.add(v128.load(dst + o), f));
    }
  }
  if (i < i1) {
    const oi = <usize>i << 3;
    const s = load<f64>(Sd + oi);
    const c = sa ? 1.0 / s : usa;
    const e = eScale * s;
    store<f64>(epart + oi, first ? e : load<f64>(epart + oi) + e);
    for (let k = 0; k < d; k++) {
      const o = <usize>k * strideB + oi;
      const f = c * load<f64>(S + o);
      store<f64>(dst + o, first ? f : load<f64>(dst + o) + f);
    }
  }
}

/** dst_i = F_i - <F_i, x_i> x_i in place for rows [i0, i1) (0 for a frozen particle): pairs, then an odd last one alone. */
function projectRows(ctx: usize, src: usize, dst: usize, strideB: usize, d: i32, i0: i32, i1: i32): void {
  let i = i0;
  for (; i + 2 <= i1; i += 2) {
    const oi = <usize>i << 3;
    let dot = f64x2.splat(0);
    for (let k = 0; k < d; k++) {
      const o = <usize>k * strideB + oi;
      dot = f64x2.add(dot, f64x2.mul(v128.load(dst + o), v128.load(src + o)));
    }
    for (let k = 0; k < d; k++) {
      const o = <usize>k * strideB + oi;
      v128.store(dst + o, f64x2.sub(v128.load(dst + o), f64x2.mul(dot, v128.load(src + o))));
    }
  }
  if (i < i1) {
    const oi = <usize>i << 3;
    let dot: f64 = 0;
    for (let k = 0; k < d; k++) dot += load<f64>(dst + <usize>k * strideB + oi) * load<f64>(src + <usize>k * strideB + oi);
    for (let k = 0; k < d; k++) {
      const o = <usize>k * strideB + oi;
      store<f64>(dst + o, load<f64>(dst + o) - dot * load<f64>(src + o));
    }
  }
  if ((load<i32>(ctx + CTX_FLAGS) & FLAG_FROZEN) == 0) return;
  const frozen = load<usize>(ctx + CTX_FROZEN);
  for (let q = i0; q < i1; q++) {
    if (load<u8>(frozen + <usize>q) == 0) continue;
    for (let k = 0; k < d; k++) store<f64>(dst + <usize>k * strideB + (<usize>q << 3), 0);
  }
}
