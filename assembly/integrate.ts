// Projected integrators with renormalisation (docs/model.md "Integrator", Appendix B.1):
//   Euler: X' = normalize(X + h k1)
//   Heun:  k1 = V(X);  X~ = normalize(X + h k1);  k2 = V(X~);  X' = normalize(X + (h/2)(k1 + k2))
// Frozen particles keep their state exactly.
// The *Range functions touch only particles [i0, i1), so threads can split them;
// heunStep / eulerStep run the whole system on the calling thread.

import {
  CTX_N, CTX_D, CTX_STRIDE, CTX_FLAGS, CTX_BETA, CTX_SCALE, CTX_Z, CTX_ZT, CTX_K1,
  CTX_K2, CTX_FROZEN, CTX_EPART, CTX_SCRATCH, CTX_INVN, FLAG_EXP, FLAG_FROZEN,
} from "./layout";
import { velocityEvery } from "./attention";

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

/** E = 1/(2 n^2) sum_ij W kappa(<z_i,z_j>) from the energyPart left by the last velocity pass (forces.ts). */
export function energyFromParts(ctx: usize): f64 {
  const n = load<i32>(ctx + CTX_N);
  const parts = load<usize>(ctx + CTX_EPART);
  let s: f64 = 0;
  for (let i = 0; i < n; i++) s += load<f64>(parts + (<usize>i << 3));
  const invN = load<f64>(ctx + CTX_INVN);
  const c = 0.5 * invN * invN;
  if ((load<i32>(ctx + CTX_FLAGS) & FLAG_EXP) != 0) {
    // kappa = exp(beta u) / beta = scale * exp(beta (u - 1)) / beta
    return c * s * (load<f64>(ctx + CTX_SCALE) / load<f64>(ctx + CTX_BETA));
  }
  return c * s;
}

/** (1/n) sum_i |v_i|^2 for a velocity buffer v. */
export function meanSquaredSpeed(ctx: usize, v: usize): f64 {
  const n = load<i32>(ctx + CTX_N);
  const d = load<i32>(ctx + CTX_D);
  const strideB = <usize>load<i32>(ctx + CTX_STRIDE) << 3;
  let s: f64 = 0;
  for (let i = 0; i < n; i++) {
    const oi = <usize>i << 3;
    for (let k = 0; k < d; k++) {
      const x = load<f64>(v + <usize>k * strideB + oi);
      s += x * x;
    }
  }
  return s * load<f64>(ctx + CTX_INVN);
}

/** k1 = V(z); returns E(z). */
export function evaluate(ctx: usize): f64 {
  const n = load<i32>(ctx + CTX_N);
  velocityEvery(ctx, load<usize>(ctx + CTX_Z), load<usize>(ctx + CTX_K1), load<usize>(ctx + CTX_SCRATCH));
  return energyFromParts(ctx);
}

/** One projected Euler step of size h; returns E at the state before the step. */
export function eulerStep(ctx: usize, h: f64): f64 {
  const n = load<i32>(ctx + CTX_N);
  const z = load<usize>(ctx + CTX_Z), k1 = load<usize>(ctx + CTX_K1);
  velocityEvery(ctx, z, k1, load<usize>(ctx + CTX_SCRATCH));
  const e = energyFromParts(ctx);
  advanceRange(ctx, z, k1, k1, h, z, 0, n);
  return e;
}

/** One projected Heun step of size h; returns E at the state before the step. */
export function heunStep(ctx: usize, h: f64): f64 {
  const n = load<i32>(ctx + CTX_N);
  const z = load<usize>(ctx + CTX_Z), zt = load<usize>(ctx + CTX_ZT);
  const k1 = load<usize>(ctx + CTX_K1), k2 = load<usize>(ctx + CTX_K2);
  const scratch = load<usize>(ctx + CTX_SCRATCH);
  velocityEvery(ctx, z, k1, scratch);
  const e = energyFromParts(ctx);
  advanceRange(ctx, z, k1, k1, h, zt, 0, n);
  velocityEvery(ctx, zt, k2, scratch);
  advanceRange(ctx, z, k1, k2, h, z, 0, n);
  return e;
}

/** Runs `steps` steps (method 0 = Euler, 1 = Heun); returns E before the last one. */
export function run(ctx: usize, method: i32, h: f64, steps: i32): f64 {
  let e: f64 = 0;
  for (let s = 0; s < steps; s++) e = method == 1 ? heunStep(ctx, h) : eulerStep(ctx, h);
  return e;
}
