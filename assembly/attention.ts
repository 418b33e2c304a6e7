// Attention heads (kernels "attention" and "multihead"; docs/kernels.md "Attention, masks and heads"):
//   F_i = sum_h (1/Z_i^h) sum_{j in J_h(i)} w_ij exp(beta_h <q_i, k_j>) v_j,   V_i = P_{x_i} F_i,
// q_j = Q_h x_j, k_j = K_h x_j, v_j = V_h x_j; J_h(i) = every j, or j <= i for a causal head;
// w_ij = exp(-r_h (i - j)), r_h = lambda_h / n (ALiBi; r_h = 0 without).
// attnProject writes q, k, v of every head once per evaluation (a phase of its own), O(H n d^2);
// attnRows then runs the pair loop, O(H n^2 d), over them with O(d) scratch per thread: no n x n array.
// Each exponent carries the head's shift c_h = beta_h ||Q_h^T K_h||_2 >= |beta_h <q_i, k_j>|:
//   e_ij = exp(beta_h <q_i, k_j> - c_h - r_h (i - j))  in (0, 1],
//   F_i^h = (e^{c_h} / n) sum_j e_ij v_j  (usa),   sum_j e_ij v_j / sum_j e_ij  (sa: c_h cancels).
// The host admits c_h <= 350 only: without ALiBi the exponent stays >= -700 (no flush to 0); with
// it, a term below e^-708 is 0, and the diagonal term keeps the sa sum >= e^-700.
// energyPart[i] = sum_h (e^{c_h} / beta_h) sum_j e_ij, so E = 1/(2 n^2) sum_i energyPart[i].
// Every row's sums run over j in one fixed order, whatever rows a thread takes.
//
// Table at ctx attn (host: src/engines/wasm-layout.ts); head h at attn + ATTN_HEAD0 + h ATTN_HEAD_BYTES:
//   attn + 0   H      i32   number of heads
//   head + 0   flags  i32   HEAD_SA | HEAD_CAUSAL
//   head + 8   beta   f64
//   head + 16  shift  f64   c_h
//   head + 24  scale  f64   e^{c_h}
//   head + 32  rate   f64   r_h = lambda_h / n
//   head + 40  Q, K, V      ptr x 3   d x d f64, row-major
//   head + 64  q, k, v      ptr x 3   d rows of stride f64 (structure of arrays, like the state)
// Per-thread scratch (within scratchBytes(d)): see the row passes below.

import {
  CTX_N, CTX_D, CTX_STRIDE, CTX_FLAGS, CTX_FROZEN, CTX_EPART, CTX_INVN, CTX_ATTN, FLAG_FROZEN, BLOCK,
} from "./layout";
import { expv, expvNoClamp, exps } from "./expv";
import { hsum } from "./forces";

export const ATTN_HEAD0: usize = 16;
export const ATTN_HEAD_BYTES: usize = 96;
export const HEAD_SA: i32 = 1;
export const HEAD_CAUSAL: i32 = 2;
export const H_BETA: usize = 8;
export const H_SHIFT: usize = 16;
export const H_SCALE: usize = 24;
export const H_RATE: usize = 32;
const H_MATS: usize = 40;
export const H_ARRAYS: usize = 64;

/**
 * q, k, v = Q x, K x, V x of every head for the particles [i0, i1) of the state src (i0 even; pairs
 * of columns, so an odd i1 = n also fills the padding column: stride is even). Every entry is
 * M[r][0] x_0 + M[r][1] x_1 + ... in c order, however the particles are grouped: eight at a time
 * from a packed copy of their coordinates in scratch (8 d f64: one cache line per coordinate row
 * read once, where the rows of one particle lie a row stride apart), then the rest in pairs.
 */
export function attnProject(ctx: usize, src: usize, i0: i32, i1: i32, scratch: usize): void {
  const d = load<i32>(ctx + CTX_D);
  const strideB = <usize>load<i32>(ctx + CTX_STRIDE) << 3;
  const table = load<usize>(ctx + CTX_ATTN);
  const H = load<i32>(table);
  let i = i0;
  for (; i + 8 <= i1; i += 8) {
    for (let c = 0; c < d; c++) {
      const from = src + <usize>c * strideB + (<usize>i << 3), to = scratch + (<usize>c << 6);
      v128.store(to, v128.load(from)); v128.store(to, v128.load(from, 16), 16);
      v128.store(to, v128.load(from, 32), 32); v128.store(to, v128.load(from, 48), 48);
    }
    for (let h = 0; h < H; h++) {
      const head = table + ATTN_HEAD0 + <usize>h * ATTN_HEAD_BYTES;
      for (let m = 0; m < 3; m++) {
        const mat = load<usize>(head + H_MATS + (<usize>m << 3));
        const out = load<usize>(head + H_ARRAYS + (<usize>m << 3)) + (<usize>i << 3);
        for (let r = 0; r < d; r++) projectEight(mat + ((<usize>r * <usize>d) << 3), d, scratch, out + <usize>r * strideB);
      }
    }
  }
  projectPairs(ctx, src, i, i1);
}

/** One output row for eight packed particles: out[0..8) = sum_c mrow[c] x[c][0..8), c in order. */
// @ts-ignore: decorator
@inline
function projectEight(mrow: usize, d: i32, x: usize, out: usize): void {
  let m = v128.load64_splat(mrow);
  let a0 = f64x2.mul(m, v128.load(x)), a1 = f64x2.mul(m, v128.load(x, 16));
  let a2 = f64x2.mul(m, v128.load(x, 32)), a3 = f64x2.mul(m, v128.load(x, 48));
  for (let c = 1; c < d; c++) {
    const xc = x + (<usize>c << 6);
    m = v128.load64_splat(mrow + (<usize>c << 3));
    a0 = f64x2.add(a0, f64x2.mul(m, v128.load(xc))); a1 = f64x2.add(a1, f64x2.mul(m, v128.load(xc, 16)));
    a2 = f64x2.add(a2, f64x2.mul(m, v128.load(xc, 32))); a3 = f64x2.add(a3, f64x2.mul(m, v128.load(xc, 48)));
  }
  v128.store(out, a0); v128.store(out, a1, 16); v128.store(out, a2, 32); v128.store(out, a3, 48);
}

/** attnProject for the particles [i0, i1) in pairs, straight from the state. */
function projectPairs(ctx: usize, src: usize, i0: i32, i1: i32): void {
  const d = load<i32>(ctx + CTX_D);
  const strideB = <usize>load<i32>(ctx + CTX_STRIDE) << 3;
  const table = load<usize>(ctx + CTX_ATTN);
  const H = load<i32>(table);
  for (let h = 0; h < H; h++) {
    const head = table + ATTN_HEAD0 + <usize>h * ATTN_HEAD_BYTES;
    for (let m = 0; m < 3; m++) {
      const mat = load<usize>(head + H_MATS + (<usize>m << 3));
      const out = load<usize>(head + H_ARRAYS + (<usize>m << 3));
      for (let r = 0; r < d; r++) {
        const mrow = mat + ((<usize>r * <usize>d) << 3);
        const orow = out + <usize>r * strideB;
        for (let i = i0; i < i1; i += 2) {
          const oi = <usize>i << 3;
          let a = f64x2.mul(f64x2.splat(load<f64>(mrow)), v128.load(src + oi));
          for (let c = 1; c < d; c++) {
            a = f64x2.add(a, f64x2.mul(f64x2.splat(load<f64>(mrow + (<usize>c << 3))), v128.load(src + <usize>c * strideB + oi)));
          }
          v128.store(orow + oi, a);
        }
      }
    }
  }
}

// Row passes. A row's state: e[BLOCK] f64 (the block's terms) | acc[d] v128 (sum_j e_ij v_j, lane
// sums pending) | bq[d] v128 (beta q_i, splatted) | st: vs v128, tail f64 (sum_j e_ij, lane sums
// and odd columns apart). rowBlocks runs whole blocks of columns from jb0 on, so a row may be
// taken in several calls and in pairs (rowPairBlocks) with the same operations in the same order:
// the same bits however rows are grouped.
// Scratch (scratchBytes(d)): e_a | e_b | acc_a | acc_b | bq_a | bq_b | F_a[d] F_b[d] f64 | st_a | st_b.

/** Row i's bq = beta q_i and zero sums. */
// @ts-ignore: decorator
@inline
function rowInit(head: usize, i: i32, d: i32, strideB: usize, acc: usize, bq: usize, st: usize): void {
  const beta = load<f64>(head + H_BETA);
  const qa = load<usize>(head + H_ARRAYS);
  const oi = <usize>i << 3;
  for (let k = 0; k < d; k++) {
    const ok = <usize>k << 4;
    v128.store(bq + ok, f64x2.splat(beta * load<f64>(qa + <usize>k * strideB + oi)));
    v128.store(acc + ok, f64x2.splat(0));
  }
  v128.store(st, f64x2.splat(0));
  store<f64>(st + 16, 0);
}

/** Row i's sum_j e_ij from its state. */
// @ts-ignore: decorator
@inline
function rowSum(st: usize): f64 {
  return hsum(v128.load(st)) + load<f64>(st + 16);
}

/**
 * e_ij = exp(u_ij - c - r (i - j)) over the block's even part (jlEven columns from jb), in place
 * in e, adding to vs; returns vs.
 */
// @ts-ignore: decorator
@inline
function blockExp(alibi: bool, e: usize, jb: i32, jlEven: i32, i: i32, vc: v128, vr: v128, vs: v128): v128 {
  if (alibi) {
    for (let j = 0; j < jlEven; j += 2) {
      const o = <usize>j << 3;
      const gap = <f64>(i - jb - j);
      const g = f64x2.replace_lane(f64x2.splat(gap), 1, gap - 1.0);
      const x = expv(f64x2.sub(f64x2.sub(v128.load(e + o), vc), f64x2.mul(vr, g)));
      v128.store(e + o, x);
      vs = f64x2.add(vs, x);
    }
  } else {
    for (let j = 0; j < jlEven; j += 2) {
      const o = <usize>j << 3;
      const x = expvNoClamp(f64x2.sub(v128.load(e + o), vc));
      v128.store(e + o, x);
      vs = f64x2.add(vs, x);
    }
  }
  return vs;
}

/** The odd last column jt of a block for row i: u in k order, its term into lane 0 of acc; returns the term. */
// @ts-ignore: decorator
@inline
function oddColumn(alibi: bool, head: usize, i: i32, jt: i32, d: i32, strideB: usize, acc: usize, bq: usize): f64 {
  const shift = load<f64>(head + H_SHIFT), rate = load<f64>(head + H_RATE);
  const ka = load<usize>(head + H_ARRAYS + 8), va = load<usize>(head + H_ARRAYS + 16);
  const ot = <usize>jt << 3;
  let u: f64 = 0;
  for (let k = 0; k < d; k++) {
    const x = f64x2.extract_lane(v128.load(bq + (<usize>k << 4)), 0) * load<f64>(ka + <usize>k * strideB + ot);
    u = k == 0 ? x : u + x;
  }
  let x = u - shift;
  if (alibi) x -= rate * <f64>(i - jt);
  const e = exps(x);
  for (let k = 0; k < d; k++) {
    const ak = acc + (<usize>k << 4);
    const a = v128.load(ak);
    v128.store(ak, f64x2.replace_lane(a, 0, f64x2.extract_lane(a, 0) + e * load<f64>(va + <usize>k * strideB + ot)));
  }
  return e;
}

/** One head, row i, the blocks of columns [jb0, jEnd) (jb0 a multiple of BLOCK), into the row's state. */
// @ts-ignore: decorator
@inline
function rowBlocks(alibi: bool, head: usize, i: i32, jb0: i32, jEnd: i32, d: i32, strideB: usize, e: usize, acc: usize, bq: usize, st: usize): void {
  const vc = f64x2.splat(load<f64>(head + H_SHIFT)), vr = f64x2.splat(load<f64>(head + H_RATE));
  const ka = load<usize>(head + H_ARRAYS + 8), va = load<usize>(head + H_ARRAYS + 16);
  let vs = v128.load(st);
  let tail = load<f64>(st + 16);
  for (let jb = jb0; jb < jEnd; jb += BLOCK) {
    const jl = min(BLOCK, jEnd - jb);
    const jlEven = jl & ~1;
    const colB = <usize>jb << 3;
    // u_ij = sum_k (beta q_ik) k_jk in k order, four column pairs in registers per pass over k
    let j = 0;
    for (; j + 8 <= jlEven; j += 8) {
      const o = <usize>j << 3;
      let r = ka + colB + o;
      let b = v128.load(bq);
      let a0 = f64x2.mul(b, v128.load(r)), a1 = f64x2.mul(b, v128.load(r, 16));
      let a2 = f64x2.mul(b, v128.load(r, 32)), a3 = f64x2.mul(b, v128.load(r, 48));
      for (let k = 1; k < d; k++) {
        r += strideB;
        b = v128.load(bq + (<usize>k << 4));
        a0 = f64x2.add(a0, f64x2.mul(b, v128.load(r)));
        a1 = f64x2.add(a1, f64x2.mul(b, v128.load(r, 16)));
        a2 = f64x2.add(a2, f64x2.mul(b, v128.load(r, 32)));
        a3 = f64x2.add(a3, f64x2.mul(b, v128.load(r, 48)));
      }
      v128.store(e + o, a0); v128.store(e + o, a1, 16); v128.store(e + o, a2, 32); v128.store(e + o, a3, 48);
    }
    for (; j < jlEven; j += 2) {
      const o = <usize>j << 3;
      let r = ka + colB + o;
      let a = f64x2.mul(v128.load(bq), v128.load(r));
      for (let k = 1; k < d; k++) {
        r += strideB;
        a = f64x2.add(a, f64x2.mul(v128.load(bq + (<usize>k << 4)), v128.load(r)));
      }
      v128.store(e + o, a);
    }
    vs = blockExp(alibi, e, jb, jlEven, i, vc, vr, vs);
    for (let k = 0; k < d; k++) {
      const row = va + <usize>k * strideB + colB;
      const ak = acc + (<usize>k << 4);
      let a = v128.load(ak);
      for (let j = 0; j < jlEven; j += 2) {
        const o = <usize>j << 3;
        a = f64x2.add(a, f64x2.mul(v128.load(e + o), v128.load(row + o)));
      }
      v128.store(ak, a);
    }
    if (jlEven < jl) tail += oddColumn(alibi, head, i, jb + jlEven, d, strideB, acc, bq);
  }
  v128.store(st, vs);
  store<f64>(st + 16, tail);
}

/**
 * One head, rows i and i + 1 (state a and b), the blocks of columns [0, jTo) that both rows take
 * whole and alike: rowBlocks' operations for each row in the same order, with each column of k and
 * v loaded once for both rows.
 */
// @ts-ignore: decorator
@inline
function rowPairBlocks(alibi: bool, head: usize, i: i32, jTo: i32, d: i32, strideB: usize, ea: usize, eb: usize, accA: usize, accB: usize, bqA: usize, bqB: usize, stA: usize, stB: usize): void {
  const vc = f64x2.splat(load<f64>(head + H_SHIFT)), vr = f64x2.splat(load<f64>(head + H_RATE));
  const ka = load<usize>(head + H_ARRAYS + 8), va = load<usize>(head + H_ARRAYS + 16);
  let vsA = v128.load(stA), vsB = v128.load(stB);
  let tailA = load<f64>(stA + 16), tailB = load<f64>(stB + 16);
  for (let jb = 0; jb < jTo; jb += BLOCK) {
    const jl = min(BLOCK, jTo - jb);
    const jlEven = jl & ~1;
    const colB = <usize>jb << 3;
    // u for both rows, two column pairs in registers per pass over k
    let j = 0;
    for (; j + 4 <= jlEven; j += 4) {
      const o = <usize>j << 3;
      let r = ka + colB + o;
      let c0 = v128.load(r), c1 = v128.load(r, 16);
      let b = v128.load(bqA), g = v128.load(bqB);
      let a0 = f64x2.mul(b, c0), a1 = f64x2.mul(b, c1);
      let g0 = f64x2.mul(g, c0), g1 = f64x2.mul(g, c1);
      for (let k = 1; k < d; k++) {
        r += strideB;
        c0 = v128.load(r); c1 = v128.load(r, 16);
        b = v128.load(bqA + (<usize>k << 4)); g = v128.load(bqB + (<usize>k << 4));
        a0 = f64x2.add(a0, f64x2.mul(b, c0)); a1 = f64x2.add(a1, f64x2.mul(b, c1));
        g0 = f64x2.add(g0, f64x2.mul(g, c0)); g1 = f64x2.add(g1, f64x2.mul(g, c1));
      }
      v128.store(ea + o, a0); v128.store(ea + o, a1, 16);
      v128.store(eb + o, g0); v128.store(eb + o, g1, 16);
    }
    for (; j < jlEven; j += 2) {
      const o = <usize>j << 3;
      let r = ka + colB + o;
      let c = v128.load(r);
      let a = f64x2.mul(v128.load(bqA), c), g = f64x2.mul(v128.load(bqB), c);
      for (let k = 1; k < d; k++) {
        r += strideB;
        c = v128.load(r);
        a = f64x2.add(a, f64x2.mul(v128.load(bqA + (<usize>k << 4)), c));
        g = f64x2.add(g, f64x2.mul(v128.load(bqB + (<usize>k << 4)), c));
      }
      v128.store(ea + o, a);
      v128.store(eb + o, g);
    }
    vsA = blockExp(alibi, ea, jb, jlEven, i, vc, vr, vsA);
    vsB = blockExp(alibi, eb, jb, jlEven, i + 1, vc, vr, vsB);
    for (let k = 0; k < d; k++) {
      const row = va + <usize>k * strideB + colB;
      const ak = accA + (<usize>k << 4), bk = accB + (<usize>k << 4);
      let a = v128.load(ak), g = v128.load(bk);
      for (let j = 0; j < jlEven; j += 2) {
        const o = <usize>j << 3;
        const v = v128.load(row + o);
        a = f64x2.add(a, f64x2.mul(v128.load(ea + o), v));
        g = f64x2.add(g, f64x2.mul(v128.load(eb + o), v));
      }
      v128.store(ak, a);
      v128.store(bk, g);
    }
    if (jlEven < jl) {
      tailA += oddColumn(alibi, head, i, jb + jlEven, d, strideB, accA, bqA);
      tailB += oddColumn(alibi, head, i + 1, jb + jlEven, d, strideB, accB, bqB);
    }
  }
  v128.store(stA, vsA);
  store<f64>(stA + 16, tailA);
  v128.store(stB, vsB);
  store<f64>(stB + 16, tailB);
}

// one function per variant (see forces.ts range3Exp): row i alone, or rows i and i + 1
function oneAlibi(head: usize, i: i32, jEnd: i32, d: i32, strideB: usize, e: usize, acc: usize, bq: usize, st: usize): void { rowBlocks(true, head, i, 0, jEnd, d, strideB, e, acc, bq, st); }
function onePlain(head: usize, i: i32, jEnd: i32, d: i32, strideB: usize, e: usize, acc: usize, bq: usize, st: usize): void { rowBlocks(false, head, i, 0, jEnd, d, strideB, e, acc, bq, st); }
function pairAlibi(head: usize, i: i32, jTo: i32, jEndA: i32, jEndB: i32, d: i32, strideB: usize, s: usize): void { rowPair(true, head, i, jTo, jEndA, jEndB, d, strideB, s); }
function pairPlain(head: usize, i: i32, jTo: i32, jEndA: i32, jEndB: i32, d: i32, strideB: usize, s: usize): void { rowPair(false, head, i, jTo, jEndA, jEndB, d, strideB, s); }

/** Rows i and i + 1: the common blocks [0, jTo) together, then each row's remaining blocks alone. */
// @ts-ignore: decorator
@inline
function rowPair(alibi: bool, head: usize, i: i32, jTo: i32, jEndA: i32, jEndB: i32, d: i32, strideB: usize, s: usize): void {
  const ea = s, eb = ea + (<usize>BLOCK << 3);
  const accA = eb + (<usize>BLOCK << 3), accB = accA + (<usize>d << 4);
  const bqA = accB + (<usize>d << 4), bqB = bqA + (<usize>d << 4);
  const stA = bqB + (<usize>d << 4) + (<usize>d << 4), stB = stA + 32;
  rowPairBlocks(alibi, head, i, jTo, d, strideB, ea, eb, accA, accB, bqA, bqB, stA, stB);
  if (jTo < jEndA) rowBlocks(alibi, head, i, jTo, jEndA, d, strideB, ea, accA, bqA, stA);
  if (jTo < jEndB) rowBlocks(alibi, head, i + 1, jTo, jEndB, d, strideB, eb, accB, bqB, stB);
}

/** F += c (lane sums of acc), d coordinates. */
// @ts-ignore: decorator
@inline
function addHead(F: usize, acc: usize, d: i32, c: f64): void {
  for (let k = 0; k < d; k++) {
    const fk = F + (<usize>k << 3);
    store<f64>(fk, load<f64>(fk) + c * hsum(v128.load(acc + (<usize>k << 4))));
  }
}

/** Row i's energy part, and V_i = P_{x_i} F (0 when frozen) into dst. */
// @ts-ignore: decorator
@inline
function rowOut(ctx: usize, i: i32, F: usize, energy: f64, d: i32, strideB: usize, src: usize, dst: usize): void {
  const oi = <usize>i << 3;
  store<f64>(load<usize>(ctx + CTX_EPART) + oi, energy);
  if ((load<i32>(ctx + CTX_FLAGS) & FLAG_FROZEN) != 0 && load<u8>(load<usize>(ctx + CTX_FROZEN) + <usize>i) != 0) {
    for (let k = 0; k < d; k++) store<f64>(dst + <usize>k * strideB + oi, 0);
    return;
  }
  let dot: f64 = 0;
  for (let k = 0; k < d; k++) dot += load<f64>(F + (<usize>k << 3)) * load<f64>(src + <usize>k * strideB + oi);
  for (let k = 0; k < d; k++) {
    const o = <usize>k * strideB + oi;
    store<f64>(dst + o, load<f64>(F + (<usize>k << 3)) - dot * load<f64>(src + o));
  }
}

/**
 * V_i into dst for i in [i0, i1) from the q, k, v left by attnProject on the same state src.
 * Rows go in pairs (i, i + 1): each head runs the columns both rows take whole and alike in one
 * pass (every column of an unmasked head; the full blocks below row i's end for a causal one),
 * then each row's rest alone. Every row's operations are those of a row taken alone, in the same
 * order, so how rows pair up (and hence the thread count) changes no bit.
 */
export function attnRows(ctx: usize, src: usize, dst: usize, i0: i32, i1: i32, scratch: usize): void {
  const n = load<i32>(ctx + CTX_N);
  const d = load<i32>(ctx + CTX_D);
  const strideB = <usize>load<i32>(ctx + CTX_STRIDE) << 3;
  const table = load<usize>(ctx + CTX_ATTN);
  const H = load<i32>(table);
  const invN = load<f64>(ctx + CTX_INVN);
  const ea = scratch, eb = ea + (<usize>BLOCK << 3);
  const accA = eb + (<usize>BLOCK << 3), accB = accA + (<usize>d << 4);
  const bqA = accB + (<usize>d << 4), bqB = bqA + (<usize>d << 4);
  const FA = bqB + (<usize>d << 4), FB = FA + (<usize>d << 3);
  const stA = FB + (<usize>d << 3), stB = stA + 32;
  for (let i = i0; i < i1; i += 2) {
    const pair = i + 1 < i1;
    for (let k = 0; k < d; k++) { store<f64>(FA + (<usize>k << 3), 0); store<f64>(FB + (<usize>k << 3), 0); }
    let energyA: f64 = 0, energyB: f64 = 0;
    for (let h = 0; h < H; h++) {
      const head = table + ATTN_HEAD0 + <usize>h * ATTN_HEAD_BYTES;
      const flags = load<i32>(head);
      const scale = load<f64>(head + H_SCALE), beta = load<f64>(head + H_BETA);
      const sa = (flags & HEAD_SA) != 0, causal = (flags & HEAD_CAUSAL) != 0, alibi = load<f64>(head + H_RATE) > 0;
      const jEndA = causal ? i + 1 : n;
      rowInit(head, i, d, strideB, accA, bqA, stA);
      if (pair) {
        const jEndB = causal ? i + 2 : n;
        rowInit(head, i + 1, d, strideB, accB, bqB, stB);
        // blocks both rows take whole and alike: all of them unmasked, the full ones below jEndA causal
        const jTo = causal ? (jEndA / BLOCK) * BLOCK : n;
        if (alibi) pairAlibi(head, i, jTo, jEndA, jEndB, d, strideB, scratch);
        else pairPlain(head, i, jTo, jEndA, jEndB, d, strideB, scratch);
      } else if (alibi) {
        oneAlibi(head, i, jEndA, d, strideB, ea, accA, bqA, stA);
      } else {
        onePlain(head, i, jEndA, d, strideB, ea, accA, bqA, stA);
      }
      const sA = rowSum(stA);
      energyA += (scale / beta) * sA;
      addHead(FA, accA, d, sa ? 1.0 / sA : scale * invN);
      if (pair) {
        const sB = rowSum(stB);
        energyB += (scale / beta) * sB;
        addHead(FB, accB, d, sa ? 1.0 / sB : scale * invN);
      }
    }
    rowOut(ctx, i, FA, energyA, d, strideB, src, dst);
    if (pair) rowOut(ctx, i + 1, FB, energyB, d, strideB, src, dst);
  }
}
