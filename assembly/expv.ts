// Vector exp for f64x2, used on the shifted exponent beta (u - 1) <= 0.
//
// Method (the classical one, see musl/src/math/exp.c for the scalar form):
//   k = round(x / ln 2) by the 1.5 * 2^52 shifter trick,
//   r = x - k ln2_hi - k ln2_lo   (Cody-Waite, |r| <= ln(2)/2),
//   exp(r) by its degree-12 Taylor polynomial in Estrin form
//     (truncation |r|^13 / 13! < 1.9e-16 relative for |r| <= ln(2)/2),
//   2^k folded in by adding k << 52 to the bit pattern.
// Valid for x in [-708, 709]; below -708 the result is 0 (the true value is
// below 3.3e-308, an absolute error that no sum in this library can see).
// expvNoClamp skips that edge for callers whose x never goes below -708.
// Measured maximal relative error against Math.exp: see test/expv.test.ts
// and docs/performance.md (about 4e-16 over [-708, 709]).

const SHIFTER: f64 = 6755399441055744.0; // 1.5 * 2^52
const LOG2E: f64 = 1.4426950408889634;
const LN2_HI: f64 = 6.93147180369123816490e-01; // musl exp.c ln2hi
const LN2_LO: f64 = 1.90821492927058770002e-10; // musl exp.c ln2lo
const X_MIN: f64 = -708.0;

// 1/k! for k = 2..12
const C2: f64 = 0.5;
const C3: f64 = 1.6666666666666666e-1;
const C4: f64 = 4.1666666666666664e-2;
const C5: f64 = 8.3333333333333332e-3;
const C6: f64 = 1.3888888888888889e-3;
const C7: f64 = 1.9841269841269841e-4;
const C8: f64 = 2.4801587301587302e-5;
const C9: f64 = 2.7557319223985893e-6;
const C10: f64 = 2.7557319223985888e-7;
const C11: f64 = 2.5052108385441720e-8;
const C12: f64 = 2.0876756987868100e-9;

/** exp of both lanes; see the header for the method and range. */
// @ts-ignore: decorator
@inline
export function expv(x: v128): v128 {
  return v128.and(expvNoClamp(x), f64x2.ge(x, f64x2.splat(X_MIN)));
}

/** exp of both lanes for x in [-708, 709] only (no flush to 0 below). */
// @ts-ignore: decorator
@inline
export function expvNoClamp(x: v128): v128 {
  return expvOf(x, f64x2.splat(SHIFTER), f64x2.splat(LOG2E), f64x2.splat(LN2_HI), f64x2.splat(LN2_LO), f64x2.splat(1.0),
    f64x2.splat(C2), f64x2.splat(C3), f64x2.splat(C4), f64x2.splat(C5), f64x2.splat(C6), f64x2.splat(C7),
    f64x2.splat(C8), f64x2.splat(C9), f64x2.splat(C10), f64x2.splat(C11), f64x2.splat(C12));
}

/**
 * The constants of expvNoClamp, in its argument order, as f64 in memory: a loop that calls
 * expvFrom loads each with one instruction where the compiler would rebuild a splat constant at
 * every use (three instructions in V8).
 */
const EXPV_TABLE: usize = memory.data<f64>([SHIFTER, LOG2E, LN2_HI, LN2_LO, 1.0, C2, C3, C4, C5, C6, C7, C8, C9, C10, C11, C12]);

/** expvNoClamp with its constants loaded from memory (the same operations: the same bits). */
// @ts-ignore: decorator
@inline
export function expvFrom(x: v128): v128 {
  const t = EXPV_TABLE;
  return expvOf(x, v128.load64_splat(t), v128.load64_splat(t, 8), v128.load64_splat(t, 16), v128.load64_splat(t, 24),
    v128.load64_splat(t, 32), v128.load64_splat(t, 40), v128.load64_splat(t, 48), v128.load64_splat(t, 56),
    v128.load64_splat(t, 64), v128.load64_splat(t, 72), v128.load64_splat(t, 80), v128.load64_splat(t, 88),
    v128.load64_splat(t, 96), v128.load64_splat(t, 104), v128.load64_splat(t, 112), v128.load64_splat(t, 120));
}

/** expv with its constants loaded from memory (expvFrom; the same bits as expv). */
// @ts-ignore: decorator
@inline
export function expvFromClamped(x: v128): v128 {
  return v128.and(expvFrom(x), f64x2.ge(x, f64x2.splat(X_MIN)));
}

/** The method of the header with its constants given (expvNoClamp, expvFrom). */
// @ts-ignore: decorator
@inline
function expvOf(x: v128, sh: v128, log2e: v128, ln2hi: v128, ln2lo: v128, one: v128, c2: v128, c3: v128, c4: v128, c5: v128,
  c6: v128, c7: v128, c8: v128, c9: v128, c10: v128, c11: v128, c12: v128): v128 {
  const t = f64x2.add(f64x2.mul(x, log2e), sh);
  const k = f64x2.sub(t, sh);
  let r = f64x2.sub(x, f64x2.mul(k, ln2hi));
  r = f64x2.sub(r, f64x2.mul(k, ln2lo));
  const r2 = f64x2.mul(r, r);
  const r4 = f64x2.mul(r2, r2);
  const r8 = f64x2.mul(r4, r4);
  // Estrin: pairs, then quads, then octets
  const p01 = f64x2.add(one, r);
  const p23 = f64x2.add(c2, f64x2.mul(c3, r));
  const p45 = f64x2.add(c4, f64x2.mul(c5, r));
  const p67 = f64x2.add(c6, f64x2.mul(c7, r));
  const p89 = f64x2.add(c8, f64x2.mul(c9, r));
  const pab = f64x2.add(c10, f64x2.mul(c11, r));
  const q0 = f64x2.add(p01, f64x2.mul(p23, r2));
  const q1 = f64x2.add(p45, f64x2.mul(p67, r2));
  const q2 = f64x2.add(p89, f64x2.mul(pab, r2));
  const s0 = f64x2.add(q0, f64x2.mul(q1, r4));
  const s1 = f64x2.add(q2, f64x2.mul(c12, r4));
  const p = f64x2.add(s0, f64x2.mul(s1, r8));
  // t's low mantissa bits hold k (two's complement); shifting by 52 leaves k << 52.
  return i64x2.add(p, i64x2.shl(t, 52));
}

/** Scalar exp through the same vector path (for remainders), so every term has one accuracy. */
// @ts-ignore: decorator
@inline
export function exps(x: f64): f64 {
  return f64x2.extract_lane(expv(f64x2.splat(x)), 0);
}

// f32x4 exp for the f32 pair kernel (precision "f32"): Cephes expf (cephes/single/expf.c):
//   k = round(x log2 e) by the 1.5 * 2^23 shifter, r = x - k C1 - k C2 (C1 + C2 = ln 2),
//   exp(r) = 1 + r + r^2 P(r), P of degree 5 (Cephes' coefficients), in Estrin form,
//   2^k added as k << 23 to the bits.
// Relative error about 1e-7 (a few f32 ulps) for x in [-87, 0]; below -87 the result is 0.
const SHIFTER32: f32 = 12582912.0; // 1.5 * 2^23
const LOG2E32: f32 = 1.44269504;
const C1_32: f32 = 0.693359375;
const C2_32: f32 = -2.12194440e-4;
const X_MIN32: f32 = -87.0;
const P0: f32 = 5.0000001201e-1;
const P1: f32 = 1.6666665459e-1;
const P2: f32 = 4.1665795894e-2;
const P3: f32 = 8.3334519073e-3;
const P4: f32 = 1.3981999507e-3;
const P5: f32 = 1.9875691500e-4;

/** exp of four f32 lanes; see above for the method and range. */
// @ts-ignore: decorator
@inline
export function expv32(x: v128): v128 {
  const sh = f32x4.splat(SHIFTER32);
  const t = f32x4.add(f32x4.mul(x, f32x4.splat(LOG2E32)), sh);
  const k = f32x4.sub(t, sh);
  let r = f32x4.sub(x, f32x4.mul(k, f32x4.splat(C1_32)));
  r = f32x4.sub(r, f32x4.mul(k, f32x4.splat(C2_32)));
  const r2 = f32x4.mul(r, r);
  const r4 = f32x4.mul(r2, r2);
  const p01 = f32x4.add(f32x4.splat(P0), f32x4.mul(f32x4.splat(P1), r));
  const p23 = f32x4.add(f32x4.splat(P2), f32x4.mul(f32x4.splat(P3), r));
  const p45 = f32x4.add(f32x4.splat(P4), f32x4.mul(f32x4.splat(P5), r));
  const p = f32x4.add(f32x4.add(p01, f32x4.mul(p23, r2)), f32x4.mul(p45, r4));
  const y = f32x4.add(f32x4.add(f32x4.splat(1.0), r), f32x4.mul(r2, p));
  return v128.and(i32x4.add(y, i32x4.shl(t, 23)), f32x4.ge(x, f32x4.splat(X_MIN32)));
}
