// Pairwise kernel-force accumulation in the gauge frame and tangent projection.
//
// For particle i (docs/model.md, "Dynamics", gauge frame z_i = G_{a_i} x_i):
//   F_i = (1/n) sum_j W[a_i,a_j] kappa'(<z_i,z_j>) z_j          (USA)
//   F_i = sum_j W kappa' z_j / sum_j W kappa'                     (SA)
//   V_i = P_{z_i} F_i = F_i - <F_i,z_i> z_i                       (tangent projection)
// With kappa = exp(beta u)/beta the sums run on the shifted exponent
//   e_ij = W[a_i,a_j] exp(beta (<z_i,z_j> - 1))  in (0, W],
// and the factor exp(beta) is applied once per particle (ctx scale).
// With kappa linear, e_ij = W[a_i,a_j].
//
// Each particle also leaves its energy sum in energyPart[i]:
//   exp:    sum_j e_ij                 so E = scale / (2 n^2 beta) sum_i energyPart[i]
//   linear: sum_j W <z_i,z_j>          so E = 1 / (2 n^2)          sum_i energyPart[i]
// (Definition 4: E = 1/(2n^2) sum_ij W kappa(<z_i,z_j>), diagonal included.)
//
// Every particle's sums run over j in one fixed order whatever range [i0, i1)
// a caller asks for, so splitting the particles across threads cannot change a bit.

import {
  CTX_N, CTX_STRIDE, CTX_D, CTX_L, CTX_FLAGS, CTX_BETA, CTX_LABELS, CTX_WEIGHTS, CTX_FROZEN,
  CTX_EPART, CTX_FSCALE, CTX_F32, FLAG_EXP, FLAG_SA, FLAG_WEIGHTED, FLAG_FROZEN, FLAG_F32, BLOCK,
} from "./layout";
import { expv, expvNoClamp, exps, expv32 } from "./expv";

// @ts-ignore: decorator
@inline
export function hsum(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

// @ts-ignore: decorator
@inline
export function weightPair(wrow: usize, labels: usize, j: i32): v128 {
  const a = load<f64>(wrow + (<usize>load<i32>(labels + (<usize>j << 2)) << 3));
  const b = load<f64>(wrow + (<usize>load<i32>(labels + (<usize>(j + 1) << 2)) << 3));
  return f64x2.replace_lane(f64x2.splat(a), 1, b);
}

// @ts-ignore: decorator
@inline
export function weightOne(wrow: usize, labels: usize, j: i32): f64 {
  return load<f64>(wrow + (<usize>load<i32>(labels + (<usize>j << 2)) << 3));
}

/**
 * Writes V_i (projected velocity, gauge frame) into dst for i in [i0, i1),
 * reading the state src. src and dst are structure-of-arrays (layout.ts).
 * scratch: at least scratchBytes(d) bytes owned by the caller (one per thread).
 */
export function velocityRange(ctx: usize, src: usize, dst: usize, i0: i32, i1: i32, scratch: usize): void {
  const d = load<i32>(ctx + CTX_D);
  if (d == 3) {
    const flags = load<i32>(ctx + CTX_FLAGS);
    if ((flags & (FLAG_F32 | FLAG_EXP)) == (FLAG_F32 | FLAG_EXP)) {
      if ((flags & FLAG_WEIGHTED) != 0) range3f32Weighted(ctx, src, dst, i0, i1);
      else range3f32Plain(ctx, src, dst, i0, i1);
    } else {
      velocityRange3(ctx, src, dst, i0, i1);
    }
    return;
  }
  // pairs of particles share every column load; a last odd particle runs alone (same bits)
  let i = i0;
  for (; i + 1 < i1; i += 2) velocityPairBlocked(ctx, src, dst, i, scratch);
  if (i < i1) velocityRangeBlocked(ctx, src, dst, i, i1, scratch);
}

/** Finishes particle i from its raw sums: scaling, SA division, projection, frozen mask. */
// @ts-ignore: decorator
@inline
export function finish(ctx: usize, i: i32, s: f64, dot: f64): f64 {
  // returns the factor c with F_i = c * acc_i; writes energyPart[i] (the content's energy sum, see above)
  const flags = load<i32>(ctx + CTX_FLAGS);
  store<f64>(load<usize>(ctx + CTX_EPART) + (<usize>i << 3), (flags & FLAG_EXP) != 0 ? s : dot);
  if ((flags & FLAG_FROZEN) != 0 && load<u8>(load<usize>(ctx + CTX_FROZEN) + <usize>i) != 0) return 0.0;
  if ((flags & FLAG_SA) != 0) return 1.0 / s;
  return load<f64>(ctx + CTX_FSCALE);
}

/**
 * e_ij for two columns: W exp(beta u - beta) (exp) or W (linear); b*i are beta z_i.
 * clamp: the exponent can go below -708 (beta > 354); otherwise the exp's flush to 0 is skipped.
 */
// @ts-ignore: decorator
@inline
function pairE(isExp: bool, weighted: bool, clamp: bool, bxi: v128, byi: v128, bzi: v128, xj: v128, yj: v128, zj: v128, vb: v128, wrow: usize, labels: usize, j: i32): v128 {
  let e: v128;
  if (isExp) {
    const bu = f64x2.add(f64x2.add(f64x2.mul(bxi, xj), f64x2.mul(byi, yj)), f64x2.mul(bzi, zj));
    e = clamp ? expv(f64x2.sub(bu, vb)) : expvNoClamp(f64x2.sub(bu, vb));
    if (weighted) e = f64x2.mul(e, weightPair(wrow, labels, j));
  } else {
    e = weighted ? weightPair(wrow, labels, j) : f64x2.splat(1.0);
  }
  return e;
}

/** The scalar twin of pairE for the odd last column (same operations on lane 0). */
// @ts-ignore: decorator
@inline
function oneE(isExp: bool, weighted: bool, bxi: f64, byi: f64, bzi: f64, xj: f64, yj: f64, zj: f64, beta: f64, wrow: usize, labels: usize, j: i32): f64 {
  let e: f64;
  if (isExp) {
    e = exps(bxi * xj + byi * yj + bzi * zj - beta);
    if (weighted) e *= weightOne(wrow, labels, j);
  } else {
    e = weighted ? weightOne(wrow, labels, j) : 1.0;
  }
  return e;
}

/** Largest beta for which exp(beta (u - 1)), u >= -1, never needs the flush below -708. */
export const CLAMP_FREE_BETA: f64 = 350.0;

/** d = 3 dispatch: one loop per (content, weights) pair so that no branch is left in the j loop. */
function velocityRange3(ctx: usize, src: usize, dst: usize, i0: i32, i1: i32): void {
  const flags = load<i32>(ctx + CTX_FLAGS);
  const isExp = (flags & FLAG_EXP) != 0;
  const weighted = (flags & FLAG_WEIGHTED) != 0;
  // beta (u - 1) >= -2 beta - (round-off) > -708 when beta <= CLAMP_FREE_BETA
  const clamp = load<f64>(ctx + CTX_BETA) > CLAMP_FREE_BETA;
  if (isExp) {
    if (clamp) {
      if (weighted) range3ExpWeightedClamp(ctx, src, dst, i0, i1);
      else range3ExpClamp(ctx, src, dst, i0, i1);
    } else {
      if (weighted) range3ExpWeighted(ctx, src, dst, i0, i1);
      else range3Exp(ctx, src, dst, i0, i1);
    }
  } else {
    if (weighted) range3LinearWeighted(ctx, src, dst, i0, i1);
    else range3Linear(ctx, src, dst, i0, i1);
  }
}

// One function per variant: the optimizer then folds each variant's constant flags into its loops
// (called from one if/else, the inlined copies were merged back into one loop that tests the flags).
function range3ExpWeightedClamp(ctx: usize, src: usize, dst: usize, i0: i32, i1: i32): void { range3(true, true, true, ctx, src, dst, i0, i1); }
function range3ExpClamp(ctx: usize, src: usize, dst: usize, i0: i32, i1: i32): void { range3(true, false, true, ctx, src, dst, i0, i1); }
function range3ExpWeighted(ctx: usize, src: usize, dst: usize, i0: i32, i1: i32): void { range3(true, true, false, ctx, src, dst, i0, i1); }
function range3Exp(ctx: usize, src: usize, dst: usize, i0: i32, i1: i32): void { range3(true, false, false, ctx, src, dst, i0, i1); }
function range3LinearWeighted(ctx: usize, src: usize, dst: usize, i0: i32, i1: i32): void { range3(false, true, false, ctx, src, dst, i0, i1); }
function range3Linear(ctx: usize, src: usize, dst: usize, i0: i32, i1: i32): void { range3(false, false, false, ctx, src, dst, i0, i1); }

/**
 * d = 3: the whole j loop in registers, two columns per v128 and two particles i, i+1 per pass
 * (they share the column loads). Each particle's sums run over j in the same order as when it is
 * alone, so pairing particles cannot change a bit.
 */
// @ts-ignore: decorator
@inline
function range3(isExp: bool, weighted: bool, clamp: bool, ctx: usize, src: usize, dst: usize, i0: i32, i1: i32): void {
  const n = load<i32>(ctx + CTX_N);
  const stride = <usize>load<i32>(ctx + CTX_STRIDE);
  const L = <usize>load<i32>(ctx + CTX_L);
  const beta = load<f64>(ctx + CTX_BETA);
  const labels = load<usize>(ctx + CTX_LABELS);
  const weights = load<usize>(ctx + CTX_WEIGHTS);
  const xs = src, ys = src + (stride << 3), zs = src + (stride << 4);
  const vb = f64x2.splat(beta);
  const nEven = n & ~1;
  let i = i0;
  for (; i + 1 < i1; i += 2) {
    const oa = <usize>i << 3, ob = oa + 8;
    const xa = load<f64>(xs + oa), ya = load<f64>(ys + oa), za = load<f64>(zs + oa);
    const xb = load<f64>(xs + ob), yb = load<f64>(ys + ob), zb = load<f64>(zs + ob);
    const bxa = f64x2.splat(beta * xa), bya = f64x2.splat(beta * ya), bza = f64x2.splat(beta * za);
    const bxb = f64x2.splat(beta * xb), byb = f64x2.splat(beta * yb), bzb = f64x2.splat(beta * zb);
    const wa = weighted ? weights + ((<usize>load<i32>(labels + (<usize>i << 2)) * L) << 3) : 0;
    const wb = weighted ? weights + ((<usize>load<i32>(labels + (<usize>(i + 1) << 2)) * L) << 3) : 0;
    let axa = f64x2.splat(0), aya = f64x2.splat(0), aza = f64x2.splat(0), asa = f64x2.splat(0);
    let axb = f64x2.splat(0), ayb = f64x2.splat(0), azb = f64x2.splat(0), asb = f64x2.splat(0);
    for (let j = 0; j < nEven; j += 2) {
      const oj = <usize>j << 3;
      const xj = v128.load(xs + oj), yj = v128.load(ys + oj), zj = v128.load(zs + oj);
      const ea = pairE(isExp, weighted, clamp, bxa, bya, bza, xj, yj, zj, vb, wa, labels, j);
      const eb = pairE(isExp, weighted, clamp, bxb, byb, bzb, xj, yj, zj, vb, wb, labels, j);
      axa = f64x2.add(axa, f64x2.mul(ea, xj));
      aya = f64x2.add(aya, f64x2.mul(ea, yj));
      aza = f64x2.add(aza, f64x2.mul(ea, zj));
      asa = f64x2.add(asa, ea);
      axb = f64x2.add(axb, f64x2.mul(eb, xj));
      ayb = f64x2.add(ayb, f64x2.mul(eb, yj));
      azb = f64x2.add(azb, f64x2.mul(eb, zj));
      asb = f64x2.add(asb, eb);
    }
    finish3(isExp, weighted, ctx, i, xs, ys, zs, dst, stride, n, nEven, beta, xa, ya, za, wa, labels, hsum(axa), hsum(aya), hsum(aza), hsum(asa));
    finish3(isExp, weighted, ctx, i + 1, xs, ys, zs, dst, stride, n, nEven, beta, xb, yb, zb, wb, labels, hsum(axb), hsum(ayb), hsum(azb), hsum(asb));
  }
  if (i < i1) {
    const oa = <usize>i << 3;
    const xa = load<f64>(xs + oa), ya = load<f64>(ys + oa), za = load<f64>(zs + oa);
    const bxa = f64x2.splat(beta * xa), bya = f64x2.splat(beta * ya), bza = f64x2.splat(beta * za);
    const wa = weighted ? weights + ((<usize>load<i32>(labels + (<usize>i << 2)) * L) << 3) : 0;
    let axa = f64x2.splat(0), aya = f64x2.splat(0), aza = f64x2.splat(0), asa = f64x2.splat(0);
    for (let j = 0; j < nEven; j += 2) {
      const oj = <usize>j << 3;
      const xj = v128.load(xs + oj), yj = v128.load(ys + oj), zj = v128.load(zs + oj);
      const ea = pairE(isExp, weighted, clamp, bxa, bya, bza, xj, yj, zj, vb, wa, labels, j);
      axa = f64x2.add(axa, f64x2.mul(ea, xj));
      aya = f64x2.add(aya, f64x2.mul(ea, yj));
      aza = f64x2.add(aza, f64x2.mul(ea, zj));
      asa = f64x2.add(asa, ea);
    }
    finish3(isExp, weighted, ctx, i, xs, ys, zs, dst, stride, n, nEven, beta, xa, ya, za, wa, labels, hsum(axa), hsum(aya), hsum(aza), hsum(asa));
  }
}

/** Adds the odd last column (if any) to particle i's sums, then projects and stores V_i. */
// @ts-ignore: decorator
@inline
function finish3(isExp: bool, weighted: bool, ctx: usize, i: i32, xs: usize, ys: usize, zs: usize, dst: usize, stride: usize, n: i32, nEven: i32, beta: f64,
  xi: f64, yi: f64, zi: f64, wrow: usize, labels: usize, sx: f64, sy: f64, sz: f64, s: f64): void {
  if (nEven < n) {
    const oj = <usize>nEven << 3;
    const xj = load<f64>(xs + oj), yj = load<f64>(ys + oj), zj = load<f64>(zs + oj);
    const e = oneE(isExp, weighted, beta * xi, beta * yi, beta * zi, xj, yj, zj, beta, wrow, labels, nEven);
    sx += e * xj; sy += e * yj; sz += e * zj; s += e;
  }
  project3(ctx, i, xi, yi, zi, sx, sy, sz, s, dst, stride << 3);
}

/** V_i = c (acc - <acc, z_i> z_i) into dst (d = 3, row stride strideB bytes), c from finish (which also records s). */
// @ts-ignore: decorator
@inline
export function project3(ctx: usize, i: i32, xi: f64, yi: f64, zi: f64, sx: f64, sy: f64, sz: f64, s: f64, dst: usize, strideB: usize): void {
  const dot = xi * sx + yi * sy + zi * sz;
  const c = finish(ctx, i, s, dot);
  const oi = <usize>i << 3;
  store<f64>(dst + oi, c * (sx - dot * xi));
  store<f64>(dst + strideB + oi, c * (sy - dot * yi));
  store<f64>(dst + (strideB << 1) + oi, c * (sz - dot * zi));
}

/**
 * Any d: columns in blocks of BLOCK. Per block, u = <z_i, z_j> is built one
 * coordinate row at a time (a unit-stride stream per row), turned into e_ij
 * in place, then each accumulator row takes sum_j e_ij z_j.
 * scratch layout: e[BLOCK] f64 | acc[d] v128 | zi[d] f64
 */
function velocityRangeBlocked(ctx: usize, src: usize, dst: usize, i0: i32, i1: i32, scratch: usize): void {
  const n = load<i32>(ctx + CTX_N);
  const d = load<i32>(ctx + CTX_D);
  const strideB = <usize>load<i32>(ctx + CTX_STRIDE) << 3;
  const L = <usize>load<i32>(ctx + CTX_L);
  const flags = load<i32>(ctx + CTX_FLAGS);
  const isExp = (flags & FLAG_EXP) != 0;
  const weighted = (flags & FLAG_WEIGHTED) != 0;
  const beta = load<f64>(ctx + CTX_BETA);
  const labels = load<usize>(ctx + CTX_LABELS);
  const weights = load<usize>(ctx + CTX_WEIGHTS);
  const vb = f64x2.splat(beta);
  const ebuf = scratch;
  const acc = scratch + (<usize>BLOCK << 3);
  const zi = acc + (<usize>d << 4);
  for (let i = i0; i < i1; i++) {
    const oi = <usize>i << 3;
    for (let k = 0; k < d; k++) {
      store<f64>(zi + (<usize>k << 3), load<f64>(src + <usize>k * strideB + oi));
      v128.store(acc + (<usize>k << 4), f64x2.splat(0));
    }
    const wrow = weighted ? weights + ((<usize>load<i32>(labels + (<usize>i << 2)) * L) << 3) : 0;
    let as = f64x2.splat(0);
    let sTail: f64 = 0;
    for (let jb = 0; jb < n; jb += BLOCK) {
      const jl = min(BLOCK, n - jb);
      const jlEven = jl & ~1;
      const colB = <usize>jb << 3;
      if (isExp) {
        // u_j = sum_k z_ik z_kj, one coordinate row at a time
        const z0 = f64x2.splat(load<f64>(zi));
        for (let j = 0; j < jl; j += 2) {
          const o = <usize>j << 3;
          v128.store(ebuf + o, f64x2.mul(z0, v128.load(src + colB + o)));
        }
        for (let k = 1; k < d; k++) {
          const zk = f64x2.splat(load<f64>(zi + (<usize>k << 3)));
          const row = src + <usize>k * strideB + colB;
          for (let j = 0; j < jl; j += 2) {
            const o = <usize>j << 3;
            v128.store(ebuf + o, f64x2.add(v128.load(ebuf + o), f64x2.mul(zk, v128.load(row + o))));
          }
        }
        for (let j = 0; j < jl; j += 2) {
          const o = <usize>j << 3;
          let e = expv(f64x2.sub(f64x2.mul(vb, v128.load(ebuf + o)), vb));
          if (weighted) e = f64x2.mul(e, weightPair(wrow, labels, jb + j));
          v128.store(ebuf + o, e);
        }
      } else {
        for (let j = 0; j < jl; j += 2) {
          v128.store(ebuf + (<usize>j << 3), weighted ? weightPair(wrow, labels, jb + j) : f64x2.splat(1.0));
        }
      }
      // an odd last column: the pair above read one padding column; its e is unused below
      for (let k = 0; k < d; k++) {
        const row = src + <usize>k * strideB + colB;
        const ak = acc + (<usize>k << 4);
        let a = v128.load(ak);
        for (let j = 0; j < jlEven; j += 2) {
          const o = <usize>j << 3;
          a = f64x2.add(a, f64x2.mul(v128.load(ebuf + o), v128.load(row + o)));
        }
        v128.store(ak, a);
      }
      for (let j = 0; j < jlEven; j += 2) as = f64x2.add(as, v128.load(ebuf + (<usize>j << 3)));
      if (jlEven < jl) {
        // odd tail column jb + jlEven: recompute e as a scalar so the padding lane never enters
        const jt = jb + jlEven;
        const ot = <usize>jt << 3;
        let e: f64;
        if (isExp) {
          let u: f64 = 0;
          for (let k = 0; k < d; k++) u += load<f64>(zi + (<usize>k << 3)) * load<f64>(src + <usize>k * strideB + ot);
          e = exps(beta * u - beta);
          if (weighted) e *= weightOne(wrow, labels, jt);
        } else {
          e = weighted ? weightOne(wrow, labels, jt) : 1.0;
        }
        for (let k = 0; k < d; k++) {
          const ak = acc + (<usize>k << 4);
          // add into lane 0 so the final horizontal sum picks it up
          const a = v128.load(ak);
          v128.store(ak, f64x2.replace_lane(a, 0, f64x2.extract_lane(a, 0) + e * load<f64>(src + <usize>k * strideB + ot)));
        }
        sTail += e;
      }
    }
    const s = hsum(as) + sTail;
    let dot: f64 = 0;
    for (let k = 0; k < d; k++) {
      dot += load<f64>(zi + (<usize>k << 3)) * hsum(v128.load(acc + (<usize>k << 4)));
    }
    const c = finish(ctx, i, s, dot);
    for (let k = 0; k < d; k++) {
      const sk = hsum(v128.load(acc + (<usize>k << 4)));
      store<f64>(dst + <usize>k * strideB + oi, c * (sk - dot * load<f64>(zi + (<usize>k << 3))));
    }
  }
}

/**
 * Any d, particles a = i and b = i + 1 together: the blocked loop above with a register-tiled Gram
 * step (four column pairs by two particles per pass over the coordinates) and the accumulation
 * sharing each row load between a and b. Every sum runs in the one-particle loop's order
 * (u over k, then the e's over j in lane pairs, then the odd tail), so the bits are the same.
 * scratch layout: ea[BLOCK] f64 | eb[BLOCK] f64 | acc a[d] v128 | acc b[d] v128 | z a[d] v128 | z b[d] v128
 * (z a and z b hold each coordinate splatted to both lanes).
 */
function velocityPairBlocked(ctx: usize, src: usize, dst: usize, i: i32, scratch: usize): void {
  const flags = load<i32>(ctx + CTX_FLAGS);
  if ((flags & FLAG_EXP) != 0) {
    if ((flags & FLAG_WEIGHTED) != 0) pairBlockedExpWeighted(ctx, src, dst, i, scratch);
    else pairBlockedExp(ctx, src, dst, i, scratch);
  } else {
    if ((flags & FLAG_WEIGHTED) != 0) pairBlockedLinearWeighted(ctx, src, dst, i, scratch);
    else pairBlockedLinear(ctx, src, dst, i, scratch);
  }
}

// one function per variant (see range3Exp)
function pairBlockedExpWeighted(ctx: usize, src: usize, dst: usize, i: i32, scratch: usize): void { pairBlocked(true, true, ctx, src, dst, i, scratch); }
function pairBlockedExp(ctx: usize, src: usize, dst: usize, i: i32, scratch: usize): void { pairBlocked(true, false, ctx, src, dst, i, scratch); }
function pairBlockedLinearWeighted(ctx: usize, src: usize, dst: usize, i: i32, scratch: usize): void { pairBlocked(false, true, ctx, src, dst, i, scratch); }
function pairBlockedLinear(ctx: usize, src: usize, dst: usize, i: i32, scratch: usize): void { pairBlocked(false, false, ctx, src, dst, i, scratch); }

// @ts-ignore: decorator
@inline
function pairBlocked(isExp: bool, weighted: bool, ctx: usize, src: usize, dst: usize, i: i32, scratch: usize): void {
  const n = load<i32>(ctx + CTX_N);
  const d = load<i32>(ctx + CTX_D);
  const strideB = <usize>load<i32>(ctx + CTX_STRIDE) << 3;
  const L = <usize>load<i32>(ctx + CTX_L);
  const beta = load<f64>(ctx + CTX_BETA);
  const labels = load<usize>(ctx + CTX_LABELS);
  const weights = load<usize>(ctx + CTX_WEIGHTS);
  const vb = f64x2.splat(beta);
  const ea = scratch, eb = scratch + (<usize>BLOCK << 3);
  const accA = eb + (<usize>BLOCK << 3), accB = accA + (<usize>d << 4);
  const zA = accB + (<usize>d << 4), zB = zA + (<usize>d << 4);
  const oa = <usize>i << 3, ob = oa + 8;
  for (let k = 0; k < d; k++) {
    const ok = <usize>k << 4;
    v128.store(zA + ok, f64x2.splat(load<f64>(src + <usize>k * strideB + oa)));
    v128.store(zB + ok, f64x2.splat(load<f64>(src + <usize>k * strideB + ob)));
    v128.store(accA + ok, f64x2.splat(0));
    v128.store(accB + ok, f64x2.splat(0));
  }
  const wa = weighted ? weights + ((<usize>load<i32>(labels + (<usize>i << 2)) * L) << 3) : 0;
  const wb = weighted ? weights + ((<usize>load<i32>(labels + (<usize>(i + 1) << 2)) * L) << 3) : 0;
  let sA = f64x2.splat(0), sB = f64x2.splat(0);
  let tailA: f64 = 0, tailB: f64 = 0;
  for (let jb = 0; jb < n; jb += BLOCK) {
    const jl = min(BLOCK, n - jb);
    const jlEven = jl & ~1;
    const colB = <usize>jb << 3;
    if (isExp) {
      // u for four column pairs x two particles, k innermost: the rows stream once per pass
      let j = 0;
      for (; j + 8 <= jl; j += 8) {
        const o = <usize>j << 3;
        let r = src + colB + o;
        let za = v128.load(zA), zb = v128.load(zB);
        let c0 = v128.load(r), c1 = v128.load(r, 16), c2 = v128.load(r, 32), c3 = v128.load(r, 48);
        let a0 = f64x2.mul(za, c0), a1 = f64x2.mul(za, c1), a2 = f64x2.mul(za, c2), a3 = f64x2.mul(za, c3);
        let b0 = f64x2.mul(zb, c0), b1 = f64x2.mul(zb, c1), b2 = f64x2.mul(zb, c2), b3 = f64x2.mul(zb, c3);
        for (let k = 1; k < d; k++) {
          r += strideB;
          const ok = <usize>k << 4;
          za = v128.load(zA + ok); zb = v128.load(zB + ok);
          c0 = v128.load(r); c1 = v128.load(r, 16); c2 = v128.load(r, 32); c3 = v128.load(r, 48);
          a0 = f64x2.add(a0, f64x2.mul(za, c0)); a1 = f64x2.add(a1, f64x2.mul(za, c1));
          a2 = f64x2.add(a2, f64x2.mul(za, c2)); a3 = f64x2.add(a3, f64x2.mul(za, c3));
          b0 = f64x2.add(b0, f64x2.mul(zb, c0)); b1 = f64x2.add(b1, f64x2.mul(zb, c1));
          b2 = f64x2.add(b2, f64x2.mul(zb, c2)); b3 = f64x2.add(b3, f64x2.mul(zb, c3));
        }
        v128.store(ea + o, a0); v128.store(ea + o, a1, 16); v128.store(ea + o, a2, 32); v128.store(ea + o, a3, 48);
        v128.store(eb + o, b0); v128.store(eb + o, b1, 16); v128.store(eb + o, b2, 32); v128.store(eb + o, b3, 48);
      }
      for (; j < jl; j += 2) {
        const o = <usize>j << 3;
        let r = src + colB + o;
        let c = v128.load(r);
        let a = f64x2.mul(v128.load(zA), c), b = f64x2.mul(v128.load(zB), c);
        for (let k = 1; k < d; k++) {
          r += strideB;
          const ok = <usize>k << 4;
          c = v128.load(r);
          a = f64x2.add(a, f64x2.mul(v128.load(zA + ok), c));
          b = f64x2.add(b, f64x2.mul(v128.load(zB + ok), c));
        }
        v128.store(ea + o, a);
        v128.store(eb + o, b);
      }
      for (let j = 0; j < jl; j += 2) {
        const o = <usize>j << 3;
        let e = expv(f64x2.sub(f64x2.mul(vb, v128.load(ea + o)), vb));
        let f = expv(f64x2.sub(f64x2.mul(vb, v128.load(eb + o)), vb));
        if (weighted) {
          e = f64x2.mul(e, weightPair(wa, labels, jb + j));
          f = f64x2.mul(f, weightPair(wb, labels, jb + j));
        }
        v128.store(ea + o, e);
        v128.store(eb + o, f);
      }
    } else {
      for (let j = 0; j < jl; j += 2) {
        const o = <usize>j << 3;
        v128.store(ea + o, weighted ? weightPair(wa, labels, jb + j) : f64x2.splat(1.0));
        v128.store(eb + o, weighted ? weightPair(wb, labels, jb + j) : f64x2.splat(1.0));
      }
    }
    for (let k = 0; k < d; k++) {
      const row = src + <usize>k * strideB + colB;
      const ok = <usize>k << 4;
      let a = v128.load(accA + ok), b = v128.load(accB + ok);
      for (let j = 0; j < jlEven; j += 2) {
        const o = <usize>j << 3;
        const c = v128.load(row + o);
        a = f64x2.add(a, f64x2.mul(v128.load(ea + o), c));
        b = f64x2.add(b, f64x2.mul(v128.load(eb + o), c));
      }
      v128.store(accA + ok, a);
      v128.store(accB + ok, b);
    }
    for (let j = 0; j < jlEven; j += 2) {
      const o = <usize>j << 3;
      sA = f64x2.add(sA, v128.load(ea + o));
      sB = f64x2.add(sB, v128.load(eb + o));
    }
    if (jlEven < jl) {
      const jt = jb + jlEven;
      const ot = <usize>jt << 3;
      let e: f64, f: f64;
      if (isExp) {
        let u: f64 = 0, v: f64 = 0;
        for (let k = 0; k < d; k++) {
          const x = load<f64>(src + <usize>k * strideB + ot);
          u += f64x2.extract_lane(v128.load(zA + (<usize>k << 4)), 0) * x;
          v += f64x2.extract_lane(v128.load(zB + (<usize>k << 4)), 0) * x;
        }
        e = exps(beta * u - beta);
        f = exps(beta * v - beta);
        if (weighted) {
          e *= weightOne(wa, labels, jt);
          f *= weightOne(wb, labels, jt);
        }
      } else {
        e = weighted ? weightOne(wa, labels, jt) : 1.0;
        f = weighted ? weightOne(wb, labels, jt) : 1.0;
      }
      for (let k = 0; k < d; k++) {
        const ok = <usize>k << 4;
        const x = load<f64>(src + <usize>k * strideB + ot);
        const a = v128.load(accA + ok), b = v128.load(accB + ok);
        v128.store(accA + ok, f64x2.replace_lane(a, 0, f64x2.extract_lane(a, 0) + e * x));
        v128.store(accB + ok, f64x2.replace_lane(b, 0, f64x2.extract_lane(b, 0) + f * x));
      }
      tailA += e;
      tailB += f;
    }
  }
  finishBlocked(ctx, i, dst, strideB, d, accA, zA, hsum(sA) + tailA);
  finishBlocked(ctx, i + 1, dst, strideB, d, accB, zB, hsum(sB) + tailB);
}

/** V_i = c (acc - <acc, z_i> z_i) from the accumulators and splatted z_i (pairBlocked's layout). */
// @ts-ignore: decorator
@inline
function finishBlocked(ctx: usize, i: i32, dst: usize, strideB: usize, d: i32, acc: usize, zs: usize, s: f64): void {
  let dot: f64 = 0;
  for (let k = 0; k < d; k++) {
    const ok = <usize>k << 4;
    dot += f64x2.extract_lane(v128.load(zs + ok), 0) * hsum(v128.load(acc + ok));
  }
  const c = finish(ctx, i, s, dot);
  const oi = <usize>i << 3;
  for (let k = 0; k < d; k++) {
    const ok = <usize>k << 4;
    const sk = hsum(v128.load(acc + ok));
    store<f64>(dst + <usize>k * strideB + oi, c * (sk - dot * f64x2.extract_lane(v128.load(zs + ok), 0)));
  }
}

// one function per variant (see range3Exp)
function range3f32Weighted(ctx: usize, src: usize, dst: usize, i0: i32, i1: i32): void { range3f32(true, ctx, src, dst, i0, i1); }
function range3f32Plain(ctx: usize, src: usize, dst: usize, i0: i32, i1: i32): void { range3f32(false, ctx, src, dst, i0, i1); }

/** Columns summed in f32 (16 per lane) before the partial sums are widened to f64 (precision "f32"). */
const F32_RUN: i32 = 64;

/** W[a_i, a_j] for columns j..j+3 as f32 lanes; columns past n - 1 repeat column n - 1 (masked later). */
// @ts-ignore: decorator
@inline
function weightQuad(wrow: usize, labels: usize, j: i32, n: i32): v128 {
  const last = n - 1;
  let w = f32x4.splat(<f32>weightOne(wrow, labels, min(j, last)));
  w = f32x4.replace_lane(w, 1, <f32>weightOne(wrow, labels, min(j + 1, last)));
  w = f32x4.replace_lane(w, 2, <f32>weightOne(wrow, labels, min(j + 2, last)));
  return f32x4.replace_lane(w, 3, <f32>weightOne(wrow, labels, min(j + 3, last)));
}

/** acc += the four f32 lanes of v, widened to f64: lanes (0, 1) then (2, 3). */
// @ts-ignore: decorator
@inline
function addWide(acc: v128, v: v128): v128 {
  const lo = f64x2.promote_low_f32x4(v);
  const hi = f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1));
  return f64x2.add(f64x2.add(acc, lo), hi);
}

/**
 * The f32 copy of the state src that the f32 rows read (ctx f32, 3 rows of n rounded up to 4),
 * particles [i0, i1); the call that reaches n also zeroes the padding columns.
 */
export function f32Copy(ctx: usize, src: usize, i0: i32, i1: i32): void {
  const n = load<i32>(ctx + CTX_N);
  const n4 = (n + 3) & ~3;
  const strideB = <usize>load<i32>(ctx + CTX_STRIDE) << 3;
  const rowB = <usize>n4 << 2;
  const x32 = load<usize>(ctx + CTX_F32);
  for (let k = 0; k < 3; k++) {
    const from = src + <usize>k * strideB, to = x32 + <usize>k * rowB;
    for (let j = i0; j < i1; j++) store<f32>(to + (<usize>j << 2), <f32>load<f64>(from + (<usize>j << 3)));
    if (i1 == n) for (let j = n; j < n4; j++) store<f32>(to + (<usize>j << 2), 0);
  }
}

/**
 * precision "f32", d = 3, exp content: e_ij = W exp(beta u - beta) with u and exp in f32x4 lanes
 * (four columns per v128), the products e_ij z_j and runs of F32_RUN columns summed in f32, the
 * runs summed in f64. Columns past n are masked to e = 0. The columns come from the f32 copy
 * (f32Copy, a phase of its own before the rows); the sums keep one j-order per particle.
 */
// @ts-ignore: decorator
@inline
function range3f32(weighted: bool, ctx: usize, src: usize, dst: usize, i0: i32, i1: i32): void {
  const n = load<i32>(ctx + CTX_N);
  const stride = <usize>load<i32>(ctx + CTX_STRIDE);
  const L = <usize>load<i32>(ctx + CTX_L);
  const beta = load<f64>(ctx + CTX_BETA);
  const labels = load<usize>(ctx + CTX_LABELS);
  const weights = load<usize>(ctx + CTX_WEIGHTS);
  const rowB = <usize>((n + 3) & ~3) << 2;
  const x32 = load<usize>(ctx + CTX_F32), y32 = x32 + rowB, z32 = y32 + rowB;
  const nFull = n & ~3;
  // lanes j < n of the last, partial quad
  const tail = i32x4.lt_s(i32x4.add(i32x4.splat(nFull), i32x4(0, 1, 2, 3)), i32x4.splat(n));
  const vb = f32x4.splat(<f32>beta);
  const xs = src, ys = src + (stride << 3), zs = src + (stride << 4);
  for (let i = i0; i < i1; i++) {
    const oi = <usize>i << 3;
    const xi = load<f64>(xs + oi), yi = load<f64>(ys + oi), zi = load<f64>(zs + oi);
    const bx = f32x4.splat(<f32>(beta * xi)), by = f32x4.splat(<f32>(beta * yi)), bz = f32x4.splat(<f32>(beta * zi));
    const wrow = weighted ? weights + ((<usize>load<i32>(labels + (<usize>i << 2)) * L) << 3) : 0;
    let ax = f64x2.splat(0), ay = f64x2.splat(0), az = f64x2.splat(0), as = f64x2.splat(0);
    for (let jb = 0; jb < nFull; jb += F32_RUN) {
      // f32 partial sums over at most F32_RUN columns, then widened into the f64 sums
      const je = min(jb + F32_RUN, nFull);
      let px = f32x4.splat(0), py = f32x4.splat(0), pz = f32x4.splat(0), ps = f32x4.splat(0);
      for (let j = jb; j < je; j += 4) {
        const oj = <usize>j << 2;
        const xj = v128.load(x32 + oj), yj = v128.load(y32 + oj), zj = v128.load(z32 + oj);
        const bu = f32x4.add(f32x4.add(f32x4.mul(bx, xj), f32x4.mul(by, yj)), f32x4.mul(bz, zj));
        let e = expv32(f32x4.sub(bu, vb));
        if (weighted) e = f32x4.mul(e, weightQuad(wrow, labels, j, n));
        px = f32x4.add(px, f32x4.mul(e, xj));
        py = f32x4.add(py, f32x4.mul(e, yj));
        pz = f32x4.add(pz, f32x4.mul(e, zj));
        ps = f32x4.add(ps, e);
      }
      ax = addWide(ax, px);
      ay = addWide(ay, py);
      az = addWide(az, pz);
      as = addWide(as, ps);
    }
    if (nFull < n) {
      // the last, partial quad: lanes past n - 1 masked to e = 0
      const oj = <usize>nFull << 2;
      const xj = v128.load(x32 + oj), yj = v128.load(y32 + oj), zj = v128.load(z32 + oj);
      const bu = f32x4.add(f32x4.add(f32x4.mul(bx, xj), f32x4.mul(by, yj)), f32x4.mul(bz, zj));
      let e = expv32(f32x4.sub(bu, vb));
      if (weighted) e = f32x4.mul(e, weightQuad(wrow, labels, nFull, n));
      e = v128.and(e, tail);
      ax = addWide(ax, f32x4.mul(e, xj));
      ay = addWide(ay, f32x4.mul(e, yj));
      az = addWide(az, f32x4.mul(e, zj));
      as = addWide(as, e);
    }
    const sx = hsum(ax), sy = hsum(ay), sz = hsum(az), s = hsum(as);
    const dot = xi * sx + yi * sy + zi * sz;
    const c = finish(ctx, i, s, dot);
    store<f64>(dst + oi, c * (sx - dot * xi));
    store<f64>(dst + (stride << 3) + oi, c * (sy - dot * yi));
    store<f64>(dst + (stride << 4) + oi, c * (sz - dot * zi));
  }
}
