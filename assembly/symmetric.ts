// The symmetric pair loop, d = 3, f64, exp content, W symmetric bit for bit: e_ij = W[a_i,a_j] exp(beta (<z_i,z_j> - 1))
// equals e_ji when W is symmetric, so one exp serves both particles (forces.ts gives the sums).
//
// The rows are cut into tiles of R rows (ctx symTile, a multiple of SYM_TILE, from n alone; the
// last tile may be shorter). One evaluation is a fixed schedule of units, each owning the sums
// acc[i] = (x, y, z, s) of the particles it touches (ctx symBuf, 4 rows of stride f64):
//   symDiag(P)     tile P alone: clears acc over P, then row i pairs with the columns of P from the
//                  start of its sub-tile of SYM_TILE on; inside its own sub-tile it adds to its own
//                  sums only (those pairs are computed from both sides), in later sub-tiles one exp
//                  adds e_ij z_j to row i and e_ij z_i to column j;
//   symPair(P, Q)  P < Q: every row of P with every column of Q, one exp for both sides.
// The host runs every symDiag first (one phase), then rounds of tile pairs in which no tile appears
// twice (the circle method: every pair P < Q once), then symFinish. Units of one phase touch
// disjoint particles, so threads can take any of them; each acc[i] receives its terms in the
// schedule's order, fixed by n, so the thread count cannot change a bit. Memory: 4 n f64.
// Inside a unit, column j collects the terms of the rows in increasing order (a row pair i, i+1
// adds e_ij z_i + e_(i+1)j z_(i+1)), and row i's own sum (its columns in increasing order, two
// lanes, then the odd last column) is added once, after its columns.

import {
  CTX_N, CTX_STRIDE, CTX_L, CTX_FLAGS, CTX_BETA, CTX_LABELS, CTX_WEIGHTS, CTX_SYMBUF, CTX_SYMTILE,
  FLAG_WEIGHTED, SYM_TILE,
} from "./layout";
import { expv, expvNoClamp, exps } from "./expv";
import { hsum, weightPair, weightOne, project3, CLAMP_FREE_BETA } from "./forces";

/** Tile P on the state src: clears its sums, then its own pairs. */
export function symDiag(ctx: usize, src: usize, P: i32): void {
  const n = load<i32>(ctx + CTX_N);
  const R = load<i32>(ctx + CTX_SYMTILE);
  const t0 = P * R, t1 = min(n, t0 + R);
  const strideB = <usize>load<i32>(ctx + CTX_STRIDE) << 3;
  const acc = load<usize>(ctx + CTX_SYMBUF) + (<usize>t0 << 3), len = <usize>(t1 - t0) << 3;
  for (let r = 0; r < 4; r++) memory.fill(acc + <usize>r * strideB, 0, len);
  const weighted = (load<i32>(ctx + CTX_FLAGS) & FLAG_WEIGHTED) != 0;
  if (load<f64>(ctx + CTX_BETA) > CLAMP_FREE_BETA) {
    if (weighted) diagWeightedClamp(ctx, src, t0, t1);
    else diagClamp(ctx, src, t0, t1);
  } else {
    if (weighted) diagWeighted(ctx, src, t0, t1);
    else diagPlain(ctx, src, t0, t1);
  }
}

/** Tiles P < Q on the state src: the rows of P with the columns of Q (P is a whole tile: its rows pair up). */
export function symPair(ctx: usize, src: usize, P: i32, Q: i32): void {
  const n = load<i32>(ctx + CTX_N);
  const R = load<i32>(ctx + CTX_SYMTILE);
  const p0 = P * R, q0 = Q * R, q1 = min(n, q0 + R);
  const weighted = (load<i32>(ctx + CTX_FLAGS) & FLAG_WEIGHTED) != 0;
  if (load<f64>(ctx + CTX_BETA) > CLAMP_FREE_BETA) {
    if (weighted) pairWeightedClamp(ctx, src, p0, p0 + R, q0, q1);
    else pairClamp(ctx, src, p0, p0 + R, q0, q1);
  } else {
    if (weighted) pairWeighted(ctx, src, p0, p0 + R, q0, q1);
    else pairPlain(ctx, src, p0, p0 + R, q0, q1);
  }
}

// one function per variant (see forces.ts range3Exp)
function diagWeightedClamp(ctx: usize, src: usize, t0: i32, t1: i32): void { diagOf(true, true, ctx, src, t0, t1); }
function diagClamp(ctx: usize, src: usize, t0: i32, t1: i32): void { diagOf(false, true, ctx, src, t0, t1); }
function diagWeighted(ctx: usize, src: usize, t0: i32, t1: i32): void { diagOf(true, false, ctx, src, t0, t1); }
function diagPlain(ctx: usize, src: usize, t0: i32, t1: i32): void { diagOf(false, false, ctx, src, t0, t1); }
function pairWeightedClamp(ctx: usize, src: usize, p0: i32, p1: i32, q0: i32, q1: i32): void { pairOf(true, true, ctx, src, p0, p1, q0, q1); }
function pairClamp(ctx: usize, src: usize, p0: i32, p1: i32, q0: i32, q1: i32): void { pairOf(false, true, ctx, src, p0, p1, q0, q1); }
function pairWeighted(ctx: usize, src: usize, p0: i32, p1: i32, q0: i32, q1: i32): void { pairOf(true, false, ctx, src, p0, p1, q0, q1); }
function pairPlain(ctx: usize, src: usize, p0: i32, p1: i32, q0: i32, q1: i32): void { pairOf(false, false, ctx, src, p0, p1, q0, q1); }

// @ts-ignore: decorator
@inline
function diagOf(weighted: bool, clamp: bool, ctx: usize, src: usize, t0: i32, t1: i32): void {
  let i = t0;
  for (; i + 1 < t1; i += 2) {
    const jt = i & ~(SYM_TILE - 1);
    const je = min(jt + SYM_TILE, t1);
    rowPair(weighted, clamp, ctx, src, i, jt, je, t1);
  }
  // a row without a partner (the last row of an odd n)
  if (i < t1) {
    const jt = i & ~(SYM_TILE - 1);
    rowAlone(weighted, clamp, ctx, src, i, jt, min(jt + SYM_TILE, t1), t1);
  }
}

// @ts-ignore: decorator
@inline
function pairOf(weighted: bool, clamp: bool, ctx: usize, src: usize, p0: i32, p1: i32, q0: i32, q1: i32): void {
  for (let i = p0; i < p1; i += 2) rowPair(weighted, clamp, ctx, src, i, q0, q0, q1);
}

// @ts-ignore: decorator
@inline
function eOf(weighted: bool, clamp: bool, bx: v128, by: v128, bz: v128, xj: v128, yj: v128, zj: v128, vb: v128, wrow: usize, labels: usize, j: i32): v128 {
  const bu = f64x2.add(f64x2.add(f64x2.mul(bx, xj), f64x2.mul(by, yj)), f64x2.mul(bz, zj));
  let e = clamp ? expv(f64x2.sub(bu, vb)) : expvNoClamp(f64x2.sub(bu, vb));
  if (weighted) e = f64x2.mul(e, weightPair(wrow, labels, j));
  return e;
}

// @ts-ignore: decorator
@inline
function eOne(weighted: bool, bx: f64, by: f64, bz: f64, xj: f64, yj: f64, zj: f64, beta: f64, wrow: usize, labels: usize, j: i32): f64 {
  let e = exps(bx * xj + by * yj + bz * zj - beta);
  if (weighted) e *= weightOne(wrow, labels, j);
  return e;
}

// @ts-ignore: decorator
@inline
function addAt(p: usize, v: f64): void {
  store<f64>(p, load<f64>(p) + v);
}

/**
 * Rows i and i + 1 with the columns [jt, jEnd): [jt, je) for their own sums only, [je, jEnd) for
 * their sums and the columns' (jt and je even; an odd jEnd leaves a last column, taken alone).
 */
// @ts-ignore: decorator
@inline
function rowPair(weighted: bool, clamp: bool, ctx: usize, src: usize, i: i32, jt: i32, je: i32, jEnd: i32): void {
  const strideB = <usize>load<i32>(ctx + CTX_STRIDE) << 3;
  const L = <usize>load<i32>(ctx + CTX_L);
  const beta = load<f64>(ctx + CTX_BETA);
  const labels = load<usize>(ctx + CTX_LABELS);
  const weights = load<usize>(ctx + CTX_WEIGHTS);
  const gx = load<usize>(ctx + CTX_SYMBUF), gy = gx + strideB, gz = gy + strideB, gs = gz + strideB;
  const xs = src, ys = src + strideB, zs = ys + strideB;
  const vb = f64x2.splat(beta);
  const oa = <usize>i << 3, ob = oa + 8;
  const xa = load<f64>(xs + oa), ya = load<f64>(ys + oa), za = load<f64>(zs + oa);
  const xb = load<f64>(xs + ob), yb = load<f64>(ys + ob), zb = load<f64>(zs + ob);
  const bxa = f64x2.splat(beta * xa), bya = f64x2.splat(beta * ya), bza = f64x2.splat(beta * za);
  const bxb = f64x2.splat(beta * xb), byb = f64x2.splat(beta * yb), bzb = f64x2.splat(beta * zb);
  const wa = weighted ? weights + ((<usize>load<i32>(labels + (<usize>i << 2)) * L) << 3) : 0;
  const wb = weighted ? weights + ((<usize>load<i32>(labels + (<usize>(i + 1) << 2)) * L) << 3) : 0;
  let axa = f64x2.splat(0), aya = f64x2.splat(0), aza = f64x2.splat(0), asa = f64x2.splat(0);
  let axb = f64x2.splat(0), ayb = f64x2.splat(0), azb = f64x2.splat(0), asb = f64x2.splat(0);
  // own sub-tile: rows only
  const jeEven = je & ~1;
  for (let j = jt; j < jeEven; j += 2) {
    const oj = <usize>j << 3;
    const xj = v128.load(xs + oj), yj = v128.load(ys + oj), zj = v128.load(zs + oj);
    const ea = eOf(weighted, clamp, bxa, bya, bza, xj, yj, zj, vb, wa, labels, j);
    const eb = eOf(weighted, clamp, bxb, byb, bzb, xj, yj, zj, vb, wb, labels, j);
    axa = f64x2.add(axa, f64x2.mul(ea, xj)); aya = f64x2.add(aya, f64x2.mul(ea, yj));
    aza = f64x2.add(aza, f64x2.mul(ea, zj)); asa = f64x2.add(asa, ea);
    axb = f64x2.add(axb, f64x2.mul(eb, xj)); ayb = f64x2.add(ayb, f64x2.mul(eb, yj));
    azb = f64x2.add(azb, f64x2.mul(eb, zj)); asb = f64x2.add(asb, eb);
  }
  // later columns: rows and columns
  const sxa = f64x2.splat(xa), sya = f64x2.splat(ya), sza = f64x2.splat(za);
  const sxb = f64x2.splat(xb), syb = f64x2.splat(yb), szb = f64x2.splat(zb);
  const endEven = jEnd & ~1;
  for (let j = je; j < endEven; j += 2) {
    const oj = <usize>j << 3;
    const xj = v128.load(xs + oj), yj = v128.load(ys + oj), zj = v128.load(zs + oj);
    const ea = eOf(weighted, clamp, bxa, bya, bza, xj, yj, zj, vb, wa, labels, j);
    const eb = eOf(weighted, clamp, bxb, byb, bzb, xj, yj, zj, vb, wb, labels, j);
    axa = f64x2.add(axa, f64x2.mul(ea, xj)); aya = f64x2.add(aya, f64x2.mul(ea, yj));
    aza = f64x2.add(aza, f64x2.mul(ea, zj)); asa = f64x2.add(asa, ea);
    axb = f64x2.add(axb, f64x2.mul(eb, xj)); ayb = f64x2.add(ayb, f64x2.mul(eb, yj));
    azb = f64x2.add(azb, f64x2.mul(eb, zj)); asb = f64x2.add(asb, eb);
    v128.store(gx + oj, f64x2.add(v128.load(gx + oj), f64x2.add(f64x2.mul(ea, sxa), f64x2.mul(eb, sxb))));
    v128.store(gy + oj, f64x2.add(v128.load(gy + oj), f64x2.add(f64x2.mul(ea, sya), f64x2.mul(eb, syb))));
    v128.store(gz + oj, f64x2.add(v128.load(gz + oj), f64x2.add(f64x2.mul(ea, sza), f64x2.mul(eb, szb))));
    v128.store(gs + oj, f64x2.add(v128.load(gs + oj), f64x2.add(ea, eb)));
  }
  let rxa = hsum(axa), rya = hsum(aya), rza = hsum(aza), rsa = hsum(asa);
  let rxb = hsum(axb), ryb = hsum(ayb), rzb = hsum(azb), rsb = hsum(asb);
  if (endEven < jEnd) {
    // the odd last column
    const j = jEnd - 1, oj = <usize>j << 3;
    const xj = load<f64>(xs + oj), yj = load<f64>(ys + oj), zj = load<f64>(zs + oj);
    const ea = eOne(weighted, beta * xa, beta * ya, beta * za, xj, yj, zj, beta, wa, labels, j);
    const eb = eOne(weighted, beta * xb, beta * yb, beta * zb, xj, yj, zj, beta, wb, labels, j);
    rxa += ea * xj; rya += ea * yj; rza += ea * zj; rsa += ea;
    rxb += eb * xj; ryb += eb * yj; rzb += eb * zj; rsb += eb;
    if (j >= je) {
      addAt(gx + oj, ea * xa + eb * xb);
      addAt(gy + oj, ea * ya + eb * yb);
      addAt(gz + oj, ea * za + eb * zb);
      addAt(gs + oj, ea + eb);
    }
  }
  addAt(gx + oa, rxa); addAt(gy + oa, rya); addAt(gz + oa, rza); addAt(gs + oa, rsa);
  addAt(gx + ob, rxb); addAt(gy + ob, ryb); addAt(gz + ob, rzb); addAt(gs + ob, rsb);
}

/** Row i alone with the columns [jt, jEnd), as rowPair does for each of its rows. */
// @ts-ignore: decorator
@inline
function rowAlone(weighted: bool, clamp: bool, ctx: usize, src: usize, i: i32, jt: i32, je: i32, jEnd: i32): void {
  const strideB = <usize>load<i32>(ctx + CTX_STRIDE) << 3;
  const L = <usize>load<i32>(ctx + CTX_L);
  const beta = load<f64>(ctx + CTX_BETA);
  const labels = load<usize>(ctx + CTX_LABELS);
  const weights = load<usize>(ctx + CTX_WEIGHTS);
  const gx = load<usize>(ctx + CTX_SYMBUF), gy = gx + strideB, gz = gy + strideB, gs = gz + strideB;
  const xs = src, ys = src + strideB, zs = ys + strideB;
  const vb = f64x2.splat(beta);
  const oa = <usize>i << 3;
  const xa = load<f64>(xs + oa), ya = load<f64>(ys + oa), za = load<f64>(zs + oa);
  const bxa = f64x2.splat(beta * xa), bya = f64x2.splat(beta * ya), bza = f64x2.splat(beta * za);
  const wa = weighted ? weights + ((<usize>load<i32>(labels + (<usize>i << 2)) * L) << 3) : 0;
  let axa = f64x2.splat(0), aya = f64x2.splat(0), aza = f64x2.splat(0), asa = f64x2.splat(0);
  const jeEven = je & ~1;
  for (let j = jt; j < jeEven; j += 2) {
    const oj = <usize>j << 3;
    const xj = v128.load(xs + oj), yj = v128.load(ys + oj), zj = v128.load(zs + oj);
    const ea = eOf(weighted, clamp, bxa, bya, bza, xj, yj, zj, vb, wa, labels, j);
    axa = f64x2.add(axa, f64x2.mul(ea, xj)); aya = f64x2.add(aya, f64x2.mul(ea, yj));
    aza = f64x2.add(aza, f64x2.mul(ea, zj)); asa = f64x2.add(asa, ea);
  }
  const sxa = f64x2.splat(xa), sya = f64x2.splat(ya), sza = f64x2.splat(za);
  const endEven = jEnd & ~1;
  for (let j = je; j < endEven; j += 2) {
    const oj = <usize>j << 3;
    const xj = v128.load(xs + oj), yj = v128.load(ys + oj), zj = v128.load(zs + oj);
    const ea = eOf(weighted, clamp, bxa, bya, bza, xj, yj, zj, vb, wa, labels, j);
    axa = f64x2.add(axa, f64x2.mul(ea, xj)); aya = f64x2.add(aya, f64x2.mul(ea, yj));
    aza = f64x2.add(aza, f64x2.mul(ea, zj)); asa = f64x2.add(asa, ea);
    v128.store(gx + oj, f64x2.add(v128.load(gx + oj), f64x2.mul(ea, sxa)));
    v128.store(gy + oj, f64x2.add(v128.load(gy + oj), f64x2.mul(ea, sya)));
    v128.store(gz + oj, f64x2.add(v128.load(gz + oj), f64x2.mul(ea, sza)));
    v128.store(gs + oj, f64x2.add(v128.load(gs + oj), ea));
  }
  let rxa = hsum(axa), rya = hsum(aya), rza = hsum(aza), rsa = hsum(asa);
  if (endEven < jEnd) {
    const j = jEnd - 1, oj = <usize>j << 3;
    const xj = load<f64>(xs + oj), yj = load<f64>(ys + oj), zj = load<f64>(zs + oj);
    const ea = eOne(weighted, beta * xa, beta * ya, beta * za, xj, yj, zj, beta, wa, labels, j);
    rxa += ea * xj; rya += ea * yj; rza += ea * zj; rsa += ea;
    if (j >= je) {
      addAt(gx + oj, ea * xa);
      addAt(gy + oj, ea * ya);
      addAt(gz + oj, ea * za);
      addAt(gs + oj, ea);
    }
  }
  addAt(gx + oa, rxa); addAt(gy + oa, rya); addAt(gz + oa, rza); addAt(gs + oa, rsa);
}

/** V_i into dst for i in [i0, i1) from the sums (after every tile and tile pair is done). */
export function symFinish(ctx: usize, src: usize, dst: usize, i0: i32, i1: i32): void {
  const strideB = <usize>load<i32>(ctx + CTX_STRIDE) << 3;
  const buf = load<usize>(ctx + CTX_SYMBUF);
  const xs = src, ys = src + strideB, zs = ys + strideB;
  for (let i = i0; i < i1; i++) {
    const oi = <usize>i << 3;
    const g = buf + oi;
    project3(ctx, i, load<f64>(xs + oi), load<f64>(ys + oi), load<f64>(zs + oi),
      load<f64>(g), load<f64>(g + strideB), load<f64>(g + (strideB << 1)), load<f64>(g + strideB * 3), dst, strideB);
  }
}
