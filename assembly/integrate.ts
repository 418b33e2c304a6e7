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
 * dst_i = normalize(src_i + (h/2)(a_i + b_i)) for i in [i0, i1); dst may equal src.
 * With b = a this is exactly normalize(src_i + h a_i) (halving and doubling are exact), the
 * Euler step and the Heun predictor; with b = k2 it is the Heun corrector.
 */
export function advanceRange(ctx: usize, src: usize, a: usize, b: usize, h: f64, dst: usize, i0: i32, i1: i32): void {
  const d = load<i32>(ctx + CTX_D);
  const strideB = <usize>load<i32>(ctx + CTX_STRIDE) << 3;
  const hh = h * 0.5;
  for (let i = i0; i < i1; i++) {
    const oi = <usize>i << 3;
    if (isFrozen(ctx, i)) {
      for (let k = 0; k < d; k++) store<f64>(dst + <usize>k * strideB + oi, load<f64>(src + <usize>k * strideB + oi));
      continue;
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
  for (let i = i0; i < i1; i++) {
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
