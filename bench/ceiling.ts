// The f64x2 multiply-add ceiling of one core for wasm SIMD without fused multiply-add
// (bench/roofline.mjs compiles this with asc and times it): fourteen independent chains, seven of
// multiplies and seven of adds, the most that keep every operand in one of the sixteen vector
// registers, so that the loop is bound by the core's multiply and add throughput alone.

/** iters passes of 7 f64x2 multiplies and 7 f64x2 adds (28 flops a pass); returns a sum so nothing is dropped. */
export function chains(iters: i32, seed: f64): f64 {
  let m0 = f64x2.splat(seed), m1 = f64x2.splat(seed + 1), m2 = f64x2.splat(seed + 2), m3 = f64x2.splat(seed + 3);
  let m4 = f64x2.splat(seed + 4), m5 = f64x2.splat(seed + 5), m6 = f64x2.splat(seed + 6);
  let a0 = f64x2.splat(seed), a1 = f64x2.splat(seed + 1), a2 = f64x2.splat(seed + 2), a3 = f64x2.splat(seed + 3);
  let a4 = f64x2.splat(seed + 4), a5 = f64x2.splat(seed + 5), a6 = f64x2.splat(seed + 6);
  const c = f64x2.splat(0.9999999), b = f64x2.splat(1e-9);
  for (let i = 0; i < iters; i++) {
    m0 = f64x2.mul(m0, c); a0 = f64x2.add(a0, b);
    m1 = f64x2.mul(m1, c); a1 = f64x2.add(a1, b);
    m2 = f64x2.mul(m2, c); a2 = f64x2.add(a2, b);
    m3 = f64x2.mul(m3, c); a3 = f64x2.add(a3, b);
    m4 = f64x2.mul(m4, c); a4 = f64x2.add(a4, b);
    m5 = f64x2.mul(m5, c); a5 = f64x2.add(a5, b);
    m6 = f64x2.mul(m6, c); a6 = f64x2.add(a6, b);
  }
  let s = f64x2.add(f64x2.add(f64x2.add(m0, m1), f64x2.add(m2, m3)), f64x2.add(f64x2.add(m4, m5), m6));
  s = f64x2.add(s, f64x2.add(f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3)), f64x2.add(f64x2.add(a4, a5), a6)));
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
}

/** Flops of one pass of chains. */
export const CHAINS_FLOPS: i32 = 28;
