// The symmetric pair loop, d = 3, f64, exp content (FLAG_SYM): e_ij = W[a_i,a_j] exp(beta (<z_i,z_j> - 1))
// equals e_ji when W is symmetric, so one exp serves both particles (forces.ts gives the sums).
//
// Rows are cut into tiles of SYM_TILE and into SYM_GROUPS fixed groups of whole tiles (first rows
// at ctx symRows, set by the host from n alone). Row i of tile P pairs with the columns
// j >= P SYM_TILE:
//   j in its own tile:  row i's sums only (the tile's pairs are computed from both sides);
//   j in later tiles:   e_ij enters row i's sums and column j's sums in the group's buffer G_g.
// G_g[j] (x, y, z, s) collects the column terms of the group's rows i below j's tile in increasing
// i (a row pair i, i+1 adds e_ij z_i + e_(i+1)j z_(i+1)), then, when j is one of the group's rows,
// j's own row sum (its columns in increasing order, two lanes, then the odd last column).
// Particle i's sums are G_0[i] + G_1[i] + ... over the non-empty groups whose rows start at or
// before i, in g order. Each term and the order depend on n alone, so threads that take whole
// groups cannot change a bit. Memory: SYM_GROUPS x 4 x n f64, O(n).

import {
  CTX_N, CTX_STRIDE, CTX_L, CTX_FLAGS, CTX_BETA, CTX_LABELS, CTX_WEIGHTS, CTX_SYMBUF, CTX_SYMROWS,
  FLAG_WEIGHTED, FLAG_SYM, FLAG_EXPANSION, SYM_GROUPS, SYM_TILE,
} from "./layout";
import { expMoments, expCombine, expFinish } from "./expansion";
import { expv, expvNoClamp, exps } from "./expv";
import { hsum, weightPair, weightOne, project3, velocityRange, CLAMP_FREE_BETA } from "./forces";

/**
 * Group g's rows [i0, i1) on the state src (i0 minus the group's first row even; rows in
 * increasing order across calls). The call at the group's first row clears the group's buffer.
 */
export function symRows(ctx: usize, src: usize, g: i32, i0: i32, i1: i32): void {
  if ((load<i32>(ctx + CTX_FLAGS) & FLAG_EXPANSION) != 0) {
    expMoments(ctx, src, g, i0, i1);
    return;
  }
  const weighted = (load<i32>(ctx + CTX_FLAGS) & FLAG_WEIGHTED) != 0;
  const clamp = load<f64>(ctx + CTX_BETA) > CLAMP_FREE_BETA;
  if (clamp) {
    if (weighted) symWeightedClamp(ctx, src, g, i0, i1);
    else symClamp(ctx, src, g, i0, i1);
  } else {
    if (weighted) symWeighted(ctx, src, g, i0, i1);
    else symPlain(ctx, src, g, i0, i1);
  }
}

// one function per variant (see forces.ts range3Exp)
function symWeightedClamp(ctx: usize, src: usize, g: i32, i0: i32, i1: i32): void { symRowsOf(true, true, ctx, src, g, i0, i1); }
function symClamp(ctx: usize, src: usize, g: i32, i0: i32, i1: i32): void { symRowsOf(false, true, ctx, src, g, i0, i1); }
function symWeighted(ctx: usize, src: usize, g: i32, i0: i32, i1: i32): void { symRowsOf(true, false, ctx, src, g, i0, i1); }
function symPlain(ctx: usize, src: usize, g: i32, i0: i32, i1: i32): void { symRowsOf(false, false, ctx, src, g, i0, i1); }

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

// @ts-ignore: decorator
@inline
function symRowsOf(weighted: bool, clamp: bool, ctx: usize, src: usize, g: i32, i0: i32, i1: i32): void {
  const n = load<i32>(ctx + CTX_N);
  const strideB = <usize>load<i32>(ctx + CTX_STRIDE) << 3;
  const L = <usize>load<i32>(ctx + CTX_L);
  const beta = load<f64>(ctx + CTX_BETA);
  const labels = load<usize>(ctx + CTX_LABELS);
  const weights = load<usize>(ctx + CTX_WEIGHTS);
  const first = load<i32>(load<usize>(ctx + CTX_SYMROWS) + (<usize>g << 2));
  const gx = load<usize>(ctx + CTX_SYMBUF) + <usize>g * (strideB << 2);
  const gy = gx + strideB, gz = gy + strideB, gs = gz + strideB;
  if (i0 == first && first < n) {
    const o = <usize>first << 3, len = <usize>(n - first) << 3;
    memory.fill(gx + o, 0, len);
    memory.fill(gy + o, 0, len);
    memory.fill(gz + o, 0, len);
    memory.fill(gs + o, 0, len);
  }
  const xs = src, ys = src + strideB, zs = ys + strideB;
  const vb = f64x2.splat(beta);
  const nEven = n & ~1;
  let i = i0;
  for (; i + 1 < i1; i += 2) {
    const jt = i & ~(SYM_TILE - 1);
    const je = min(jt + SYM_TILE, n);
    const oa = <usize>i << 3, ob = oa + 8;
    const xa = load<f64>(xs + oa), ya = load<f64>(ys + oa), za = load<f64>(zs + oa);
    const xb = load<f64>(xs + ob), yb = load<f64>(ys + ob), zb = load<f64>(zs + ob);
    const bxa = f64x2.splat(beta * xa), bya = f64x2.splat(beta * ya), bza = f64x2.splat(beta * za);
    const bxb = f64x2.splat(beta * xb), byb = f64x2.splat(beta * yb), bzb = f64x2.splat(beta * zb);
    const wa = weighted ? weights + ((<usize>load<i32>(labels + (<usize>i << 2)) * L) << 3) : 0;
    const wb = weighted ? weights + ((<usize>load<i32>(labels + (<usize>(i + 1) << 2)) * L) << 3) : 0;
    let axa = f64x2.splat(0), aya = f64x2.splat(0), aza = f64x2.splat(0), asa = f64x2.splat(0);
    let axb = f64x2.splat(0), ayb = f64x2.splat(0), azb = f64x2.splat(0), asb = f64x2.splat(0);
    // own tile: rows only
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
    // later tiles: rows and columns
    const sxa = f64x2.splat(xa), sya = f64x2.splat(ya), sza = f64x2.splat(za);
    const sxb = f64x2.splat(xb), syb = f64x2.splat(yb), szb = f64x2.splat(zb);
    for (let j = je; j < nEven; j += 2) {
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
    if (nEven < n) {
      // the odd last column
      const j = n - 1, oj = <usize>j << 3;
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
  if (i < i1) {
    // a row without a partner (the last row of an odd n)
    const jt = i & ~(SYM_TILE - 1);
    const je = min(jt + SYM_TILE, n);
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
    for (let j = je; j < nEven; j += 2) {
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
    if (nEven < n) {
      const j = n - 1, oj = <usize>j << 3;
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
}

/** V_i into dst for i in [i0, i1) from the groups' sums (after every group's rows are done). */
export function symFinish(ctx: usize, src: usize, dst: usize, i0: i32, i1: i32): void {
  const strideB = <usize>load<i32>(ctx + CTX_STRIDE) << 3;
  const rows = load<usize>(ctx + CTX_SYMROWS);
  const buf = load<usize>(ctx + CTX_SYMBUF);
  const xs = src, ys = src + strideB, zs = ys + strideB;
  for (let i = i0; i < i1; i++) {
    const oi = <usize>i << 3;
    let sx: f64 = 0, sy: f64 = 0, sz: f64 = 0, s: f64 = 0;
    for (let g = 0; g < SYM_GROUPS; g++) {
      const r0 = load<i32>(rows + (<usize>g << 2)), r1 = load<i32>(rows + (<usize>(g + 1) << 2));
      if (r0 > i) break;
      if (r0 == r1) continue;
      const gx = buf + <usize>g * (strideB << 2) + oi;
      sx += load<f64>(gx);
      sy += load<f64>(gx + strideB);
      sz += load<f64>(gx + (strideB << 1));
      s += load<f64>(gx + strideB * 3);
    }
    project3(ctx, i, load<f64>(xs + oi), load<f64>(ys + oi), load<f64>(zs + oi), sx, sy, sz, s, dst, strideB);
  }
}

/** V into dst for every particle on this thread: the symmetric loop under FLAG_SYM, else forces.ts. */
export function velocityAll(ctx: usize, src: usize, dst: usize, scratch: usize): void {
  const n = load<i32>(ctx + CTX_N);
  if ((load<i32>(ctx + CTX_FLAGS) & FLAG_SYM) == 0) {
    velocityRange(ctx, src, dst, 0, n, scratch);
    return;
  }
  const rows = load<usize>(ctx + CTX_SYMROWS);
  for (let g = 0; g < SYM_GROUPS; g++) {
    symRows(ctx, src, g, load<i32>(rows + (<usize>g << 2)), load<i32>(rows + (<usize>(g + 1) << 2)));
  }
  if ((load<i32>(ctx + CTX_FLAGS) & FLAG_EXPANSION) != 0) {
    expCombine(ctx);
    expFinish(ctx, src, dst, 0, n, scratch);
    return;
  }
  symFinish(ctx, src, dst, 0, n);
}
