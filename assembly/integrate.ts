// Projected integrators with renormalisation (docs/model.md "Integrator", Appendix B.1): every stage is
//   dst_i = normalize(src_i + (h/2)(a_i + b_i))
// (b = a: the Euler step and the Heun predictor; b = k2: the Heun corrector). The order of the
// stages is the host's step plan (src/engines/schedule.ts); here are the per-particle pieces and
// the per-unit sums that the plan's reductions add up in unit order. Frozen particles keep their
// state exactly.

import { CTX_D, CTX_STRIDE, CTX_FLAGS, CTX_FROZEN, CTX_EPART, FLAG_FROZEN } from "./layout";

// @ts-ignore: decorator
@inline
function isFrozen(ctx: usize, i: i32): bool {
  return (load<i32>(ctx + CTX_FLAGS) & FLAG_FROZEN) != 0 &&
    load<u8>(load<usize>(ctx + CTX_FROZEN) + <usize>i) != 0;
}

/**
 * Particles per block of the blocked passes below: one cache line of each coordinate row. A block
 * runs each particle's operations in the order of the particle alone (lanes are particles), so
 * blocking changes no bit; it reads each coordinate row's line once for eight particles, where a
 * particle alone reads d lines a row stride apart.
 */
const BLOCK8: i32 = 8;

/** True when none of the particles [i, i + count) is frozen. */
// @ts-ignore: decorator
@inline
function noneFrozen(ctx: usize, i: i32, count: i32): bool {
  if ((load<i32>(ctx + CTX_FLAGS) & FLAG_FROZEN) == 0) return true;
  const f = load<usize>(ctx + CTX_FROZEN) + <usize>i;
  for (let q = 0; q < count; q++) if (load<u8>(f + <usize>q) != 0) return false;
  return true;
}

/**
 * dst_i = normalize(src_i + (h/2)(a_i + b_i)) for i in [i0, i1); dst may equal src.
 * With b = a this is exactly normalize(src_i + h a_i) (halving and doubling are exact), the
 * Euler step and the Heun predictor; with b = k2 it is the Heun corrector.
 */
export function advanceRange(ctx: usize, src: usize, a: usize, b: usize, h: f64, dst: usize, i0: i32, i1: i32): void {
  const d = load<i32>(ctx + CTX_D);
  const strideB = <usize>load<i32>(ctx + CTX_STRIDE) << 3;
  const hh = h * 0.5;
  let i = i0;
  for (; i + BLOCK8 <= i1; i += BLOCK8) {
    if (noneFrozen(ctx, i, BLOCK8)) advanceBlock(src, a, b, hh, dst, i, d, strideB);
    else for (let q = i; q < i + BLOCK8; q++) advanceOne(ctx, src, a, b, hh, dst, q, d, strideB);
  }
  for (; i < i1; i++) advanceOne(ctx, src, a, b, hh, dst, i, d, strideB);
}

/** advanceRange for particle i alone. */
// @ts-ignore: decorator
@inline
function advanceOne(ctx: usize, src: usize, a: usize, b: usize, hh: f64, dst: usize, i: i32, d: i32, strideB: usize): void {
  const oi = <usize>i << 3;
  if (isFrozen(ctx, i)) {
    for (let k = 0; k < d; k++) store<f64>(dst + <usize>k * strideB + oi, load<f64>(src + <usize>k * strideB + oi));
    return;
  }
  let nrm: f64 = 0;
  for (let k = 0; k < d; k++) {
    const o = <usize>k * strideB + oi;
    const y = load<f64>(src + o) + hh * (load<f64>(a + o) + load<f64>(b + o));
    store<f64>(dst + o, y);
    nrm += y * y;
  }
  const inv = 1.0 / Math.sqrt(nrm);
  for (let k = 0; k < d; k++) {
    const o = <usize>k * strideB + oi;
    store<f64>(dst + o, load<f64>(dst + o) * inv);
  }
}

/** advanceRange for the eight particles from i, none frozen: advanceOne's operations lane by lane. */
function advanceBlock(src: usize, a: usize, b: usize, hh: f64, dst: usize, i: i32, d: i32, strideB: usize): void {
  const vh = f64x2.splat(hh);
  const oi = <usize>i << 3;
  let n0 = f64x2.splat(0), n1 = f64x2.splat(0), n2 = f64x2.splat(0), n3 = f64x2.splat(0);
  for (let k = 0; k < d; k++) {
    const o = <usize>k * strideB + oi;
    const y0 = f64x2.add(v128.load(src + o), f64x2.mul(vh, f64x2.add(v128.load(a + o), v128.load(b + o))));
    const y1 = f64x2.add(v128.load(src + o, 16), f64x2.mul(vh, f64x2.add(v128.load(a + o, 16), v128.load(b + o, 16))));
    const y2 = f64x2.add(v128.load(src + o, 32), f64x2.mul(vh, f64x2.add(v128.load(a + o, 32), v128.load(b + o, 32))));
    const y3 = f64x2.add(v128.load(src + o, 48), f64x2.mul(vh, f64x2.add(v128.load(a + o, 48), v128.load(b + o, 48))));
    v128.store(dst + o, y0); v128.store(dst + o, y1, 16); v128.store(dst + o, y2, 32); v128.store(dst + o, y3, 48);
    n0 = f64x2.add(n0, f64x2.mul(y0, y0)); n1 = f64x2.add(n1, f64x2.mul(y1, y1));
    n2 = f64x2.add(n2, f64x2.mul(y2, y2)); n3 = f64x2.add(n3, f64x2.mul(y3, y3));
  }
  const one = f64x2.splat(1.0);
  const v0 = f64x2.div(one, f64x2.sqrt(n0)), v1 = f64x2.div(one, f64x2.sqrt(n1));
  const v2 = f64x2.div(one, f64x2.sqrt(n2)), v3 = f64x2.div(one, f64x2.sqrt(n3));
  for (let k = 0; k < d; k++) {
    const p = dst + <usize>k * strideB + oi;
    v128.store(p, f64x2.mul(v128.load(p), v0)); v128.store(p, f64x2.mul(v128.load(p, 16), v1), 16);
    v128.store(p, f64x2.mul(v128.load(p, 32), v2), 32); v128.store(p, f64x2.mul(v128.load(p, 48), v3), 48);
  }
}

/** sum_i energyPart[i] over [i0, i1), in i order (the content's energy sums, forces.ts). */
export function energyRange(ctx: usize, i0: i32, i1: i32): f64 {
  const parts = load<usize>(ctx + CTX_EPART);
  let s: f64 = 0;
  for (let i = i0; i < i1; i++) s += load<f64>(parts + (<usize>i << 3));
  return s;
}

/** sum_i |v_i|^2 over [i0, i1) for a velocity buffer v, i then k order. */
export function speedRange(ctx: usize, v: usize, i0: i32, i1: i32): f64 {
  const d = load<i32>(ctx + CTX_D);
  const strideB = <usize>load<i32>(ctx + CTX_STRIDE) << 3;
  let s: f64 = 0;
  for (let i = i0; i < i1; i++) {
    const oi = <usize>i << 3;
    for (let k = 0; k < d; k++) {
      const x = load<f64>(v + <usize>k * strideB + oi);
      s += x * x;
    }
  }
  return s;
}

/** max_i |a_i - b_i|^2 over [i0, i1) (NaN wins, so a broken state cannot pass as small). */
export function distanceRange(ctx: usize, a: usize, b: usize, i0: i32, i1: i32): f64 {
  const d = load<i32>(ctx + CTX_D);
  const strideB = <usize>load<i32>(ctx + CTX_STRIDE) << 3;
  let worst: f64 = 0;
  let i = i0;
  // eight particles at a time, each particle's sum over k in k order (lanes are particles)
  for (; i + BLOCK8 <= i1; i += BLOCK8) {
    const oi = <usize>i << 3;
    let s0 = f64x2.splat(0), s1 = f64x2.splat(0), s2 = f64x2.splat(0), s3 = f64x2.splat(0);
    for (let k = 0; k < d; k++) {
      const o = <usize>k * strideB + oi;
      const x0 = f64x2.sub(v128.load(a + o), v128.load(b + o)), x1 = f64x2.sub(v128.load(a + o, 16), v128.load(b + o, 16));
      const x2 = f64x2.sub(v128.load(a + o, 32), v128.load(b + o, 32)), x3 = f64x2.sub(v128.load(a + o, 48), v128.load(b + o, 48));
      s0 = f64x2.add(s0, f64x2.mul(x0, x0)); s1 = f64x2.add(s1, f64x2.mul(x1, x1));
      s2 = f64x2.add(s2, f64x2.mul(x2, x2)); s3 = f64x2.add(s3, f64x2.mul(x3, x3));
    }
    worst = worse(worse(worse(worse(worst, s0), s1), s2), s3);
  }
  for (; i < i1; i++) {
    const oi = <usize>i << 3;
    let s: f64 = 0;
    for (let k = 0; k < d; k++) {
      const o = <usize>k * strideB + oi;
      const x = load<f64>(a + o) - load<f64>(b + o);
      s += x * x;
    }
    if (!(s <= worst)) worst = s;
  }
  return worst;
}

/** The larger of worst and both lanes of s, NaN winning. */
// @ts-ignore: decorator
@inline
function worse(worst: f64, s: v128): f64 {
  const a = f64x2.extract_lane(s, 0), b = f64x2.extract_lane(s, 1);
  if (!(a <= worst)) worst = a;
  if (!(b <= worst)) worst = b;
  return worst;
}
