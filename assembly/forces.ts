// Pairwise kernel-force accumulation in the gauge frame and tangent projection.
//
// For particle i (MODEL.md, "Dynamics", gauge frame z_i = G_{a_i} x_i):
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
  CTX_N, CTX_D, CTX_STRIDE, CTX_L, CTX_FLAGS, CTX_BETA, CTX_SCALE, CTX_LABELS,
  CTX_WEIGHTS, CTX_FROZEN, CTX_EPART, CTX_INVN, FLAG_EXP, FLAG_SA, FLAG_WEIGHTED,
  FLAG_FROZEN, BLOCK,
} from "./layout";
import { expv, exps } from "./expv";

// @ts-ignore: decorator
@inline
function hsum(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

// @ts-ignore: decorator
@inline
function weightPair(wrow: usize, labels: usize, j: i32): v128 {
  const a = load<f64>(wrow + (<usize>load<i32>(labels + (<usize>j << 2)) << 3));
  const b = load<f64>(wrow + (<usize>load<i32>(labels + (<usize>(j + 1) << 2)) << 3));
  return f64x2.replace_lane(f64x2.splat(a), 1, b);
}

// @ts-ignore: decorator
@inline
function weightOne(wrow: usize, labels: usize, j: i32): f64 {
  return load<f64>(wrow + (<usize>load<i32>(labels + (<usize>j << 2)) << 3));
}

/**
 * Writes V_i (projected velocity, gauge frame) into dst for i in [i0, i1),
 * reading the state src. src and dst are structure-of-arrays (layout.ts).
 * scratch: at least scratchBytes(d) bytes owned by the caller (one per thread).
 */
export function velocityRange(ctx: usize, src: usize, dst: usize, i0: i32, i1: i32, scratch: usize): void {
  const d = load<i32>(ctx + CTX_D);
  if (d == 3) velocityRange3(ctx, src, dst, i0, i1);
  else velocityRangeBlocked(ctx, src, dst, i0, i1, scratch);
}

/** Finishes particle i from its raw sums: scaling, SA division, projection, frozen mask. */
// @ts-ignore: decorator
@inline
function finish(ctx: usize, i: i32, s: f64, dot: f64): f64 {
  // returns the factor c with F_i = c * acc_i; writes energyPart[i]
  const flags = load<i32>(ctx + CTX_FLAGS);
  const isExp = (flags & FLAG_EXP) != 0;
  store<f64>(load<usize>(ctx + CTX_EPART) + (<usize>i << 3), isExp ? s : dot);
  if ((flags & FLAG_FROZEN) != 0 && load<u8>(load<usize>(ctx + CTX_FROZEN) + <usize>i) != 0) return 0.0;
  if ((flags & FLAG_SA) != 0) return 1.0 / s;
  const invN = load<f64>(ctx + CTX_INVN);
  return isExp ? load<f64>(ctx + CTX_SCALE) * invN : invN;
}

/** d = 3: the whole j loop in registers, two columns per v128. */
function velocityRange3(ctx: usize, src: usize, dst: usize, i0: i32, i1: i32): void {
  const n = load<i32>(ctx + CTX_N);
  const stride = <usize>load<i32>(ctx + CTX_STRIDE);
  const L = <usize>load<i32>(ctx + CTX_L);
  const flags = load<i32>(ctx + CTX_FLAGS);
  const isExp = (flags & FLAG_EXP) != 0;
  const weighted = (flags & FLAG_WEIGHTED) != 0;
  const beta = load<f64>(ctx + CTX_BETA);
  const labels = load<usize>(ctx + CTX_LABELS);
  const weights = load<usize>(ctx + CTX_WEIGHTS);
  const xs = src, ys = src + (stride << 3), zs = src + (stride << 4);
  const xd = dst, yd = dst + (stride << 3), zd = dst + (stride << 4);
  const vb = f64x2.splat(beta);
  const nEven = n & ~1;
  for (let i = i0; i < i1; i++) {
    const oi = <usize>i << 3;
    const xi = load<f64>(xs + oi), yi = load<f64>(ys + oi), zi = load<f64>(zs + oi);
    const vxi = f64x2.splat(xi), vyi = f64x2.splat(yi), vzi = f64x2.splat(zi);
    const wrow = weighted ? weights + ((<usize>load<i32>(labels + (<usize>i << 2)) * L) << 3) : 0;
    let ax = f64x2.splat(0), ay = f64x2.splat(0), az = f64x2.splat(0), as = f64x2.splat(0);
    for (let j = 0; j < nEven; j += 2) {
      const oj = <usize>j << 3;
      const xj = v128.load(xs + oj), yj = v128.load(ys + oj), zj = v128.load(zs + oj);
      let e: v128;
      if (isExp) {
        const u = f64x2.add(f64x2.add(f64x2.mul(vxi, xj), f64x2.mul(vyi, yj)), f64x2.mul(vzi, zj));
        e = expv(f64x2.sub(f64x2.mul(vb, u), vb));
        if (weighted) e = f64x2.mul(e, weightPair(wrow, labels, j));
      } else {
        e = weighted ? weightPair(wrow, labels, j) : f64x2.splat(1.0);
      }
      ax = f64x2.add(ax, f64x2.mul(e, xj));
      ay = f64x2.add(ay, f64x2.mul(e, yj));
      az = f64x2.add(az, f64x2.mul(e, zj));
      as = f64x2.add(as, e);
    }
    let sx = hsum(ax), sy = hsum(ay), sz = hsum(az), s = hsum(as);
    if (nEven < n) {
      const oj = <usize>nEven << 3;
      const xj = load<f64>(xs + oj), yj = load<f64>(ys + oj), zj = load<f64>(zs + oj);
      let e: f64;
      if (isExp) {
        const u = xi * xj + yi * yj + zi * zj;
        e = exps(beta * u - beta);
        if (weighted) e *= weightOne(wrow, labels, nEven);
      } else {
        e = weighted ? weightOne(wrow, labels, nEven) : 1.0;
      }
      sx += e * xj; sy += e * yj; sz += e * zj; s += e;
    }
    const dot = xi * sx + yi * sy + zi * sz;
    const c = finish(ctx, i, s, dot);
    // V = c (acc - <acc, z_i> z_i)
    store<f64>(xd + oi, c * (sx - dot * xi));
    store<f64>(yd + oi, c * (sy - dot * yi));
    store<f64>(zd + oi, c * (sz - dot * zi));
  }
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
