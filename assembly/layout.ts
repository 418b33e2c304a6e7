// Memory map of one simulation context. The host (src/engines/wasm-layout.ts)
// writes this block and every array it points to; the core never allocates.
//
//   ctx + 0    n          i32   number of particles
//   ctx + 8    d          i32   dimension
//   ctx + 16   stride     i32   elements per coordinate row (n rounded up to even)
//   ctx + 24   L          i32   number of labels
//   ctx + 32   flags      i32   FLAG_* below
//   ctx + 40   beta       f64   inverse temperature of kappa = exp(beta u)/beta
//   ctx + 48   fScale     f64   USA: F_i = fScale * (the raw sum): e^beta / n (exp content, natural time
//                               scale: kappa'(u) = e^beta exp(beta (u - 1))), else 1 / n (set by the host)
//   ctx + 56   z          ptr   state, gauge frame, structure of arrays:
//                               z[k * stride + i] is coordinate k of particle i
//   ctx + 64   zt         ptr   Heun predictor state (same shape)
//   ctx + 72   k1         ptr   velocity at z (same shape)
//   ctx + 80   k2         ptr   velocity at zt (same shape)
//   ctx + 88   labels     ptr   i32[n], label a_i of particle i
//   ctx + 96   weights    ptr   f64[L*L], W[a*L + b]
//   ctx + 104  frozen     ptr   u8[n], 1 = the particle never moves
//   ctx + 112  energyPart ptr   f64[n], per-particle energy sums (see forces.ts)
//   ctx + 120  scratch    ptr   f64 scratch for the blocked general-d loop
//   ctx + 128  invN       f64   1 / n
//   ctx + 136  symBuf     ptr   symmetric loop: its sums, rows x, y, z, s (f64, stride elements each;
//                               symmetric.ts); expansion: per row chunk, L_m x (K+1)^2 x 4 f64x2 moment sums;
//                               Fourier series and label sums: one buffer per moment unit (label-moments.ts)
//   ctx + 144  symTile    i32   symmetric loop: rows per tile (a multiple of SYM_TILE)
//   ctx + 152  expDeg     i32   expansion: the harmonic degree K (expansion.ts); Fourier series: its degree K (circle.ts)
//   ctx + 160  expTab     ptr   expansion: m ranges, recurrence tables, lam_l and the totals (expansion.ts); Fourier
//                               series: coefficients, moments and totals (circle.ts); label sums: sums (linear.ts)
//   ctx + 168  attn       ptr   attention heads: the attention table (attention.ts)
//   ctx + 176  h          f64   the step of the steps being run
//   ctx + 184  energy     f64   result of an energy phase: E at the state evaluated
//   ctx + 192  speed      f64   result of a speed phase: (1/n) sum_i |v_i|^2
//   ctx + 200  error      f64   result of an error phase: max_i |a_i - b_i|
//   ctx + 208  eFactor    f64   E = eFactor * sum_i energyPart[i] (the content profile's constant, set by the host)
//   ctx + 216  plan       ptr   the step plan's phase table (plan.ts), PHASE_BYTES per phase
//   ctx + 224  unitSums   ptr   f64[2 * MAX_UNITS]: per-unit energy sums, then per-unit speed sums or error maxima
//   ctx + 232  f32        ptr   FLAG_F32: the f32 copy of the state being evaluated, 3 rows of n rounded up to 4
//   ctx + 240  symPairs   ptr   symmetric loop: i32 pairs (P, Q), P < Q, of the tile-pair rounds (symmetric.ts)

export const CTX_N: usize = 0;
export const CTX_D: usize = 8;
export const CTX_STRIDE: usize = 16;
export const CTX_L: usize = 24;
export const CTX_FLAGS: usize = 32;
export const CTX_BETA: usize = 40;
export const CTX_FSCALE: usize = 48;
export const CTX_Z: usize = 56;
export const CTX_ZT: usize = 64;
export const CTX_K1: usize = 72;
export const CTX_K2: usize = 80;
export const CTX_LABELS: usize = 88;
export const CTX_WEIGHTS: usize = 96;
export const CTX_FROZEN: usize = 104;
export const CTX_EPART: usize = 112;
export const CTX_SCRATCH: usize = 120;
export const CTX_INVN: usize = 128;
export const CTX_SYMBUF: usize = 136;
export const CTX_SYMTILE: usize = 144;
export const CTX_EXPDEG: usize = 152;
export const CTX_EXPTAB: usize = 160;
export const CTX_ATTN: usize = 168;
export const CTX_H: usize = 176;
export const CTX_ENERGY: usize = 184;
export const CTX_SPEED: usize = 192;
export const CTX_ERROR: usize = 200;
export const CTX_EFACTOR: usize = 208;
export const CTX_PLAN: usize = 216;
export const CTX_UNITSUMS: usize = 224;
export const CTX_F32: usize = 232;
export const CTX_SYMPAIRS: usize = 240;
export const CTX_BYTES: usize = 248;

/** kappa(u) = exp(beta u) / beta; otherwise kappa(u) = u. */
export const FLAG_EXP: i32 = 1;
/** Softmax (SA) normalisation: divide F_i by (1/n) sum_j W kappa'. */
export const FLAG_SA: i32 = 2;
/** A label weight table W is present (otherwise W = 1). */
export const FLAG_WEIGHTED: i32 = 4;
/** A frozen-particle mask is present. */
export const FLAG_FROZEN: i32 = 8;
/**
 * precision "f32" (d = 3, exp content): dot products and exp in f32x4 lanes, sums in f64, over the
 * f32 copy of the state at ctx f32 (made by a copy phase before the rows; forces.ts).
 */
export const FLAG_F32: i32 = 16;

/** Sub-tile of the symmetric loop: inside a tile, row i pairs with columns from the start of its sub-tile of SYM_TILE on. */
export const SYM_TILE: i32 = 64;
/** Most units of one phase (plan.ts): the unit sums hold MAX_UNITS entries of each kind. */
export const MAX_UNITS: i32 = 4096;

/** Number of j columns processed per block in the general-d loop. */
export const BLOCK: i32 = 64;
/**
 * Scratch bytes one thread's velocity pass needs for dimension d: the larger of the general-d
 * loop's one-particle layout (e block | d accumulators | z_i), its two-particle layout (two e
 * blocks | 2 d accumulators | 2 d splatted coordinates), and the attention rows' two-row layout
 * (that, then two rows' forces F: 2 d f64, and two rows' sums: 64 bytes; attention.ts), which
 * also holds the q, k, v pre-pass's eight packed particles (8 d f64).
 */
export function scratchBytes(d: i32): usize {
  return <usize>max(BLOCK * 8 + d * 16 + d * 8, BLOCK * 16 + d * 64 + d * 16 + 64);
}
