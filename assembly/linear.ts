// The linear content's label sums (kappa(u) = u, any d, W = 1 or a label table): O(n d + L^2 d)
// per evaluation, no pair loop (docs/performance.md, "Label sums (linear content)").
//
// With kappa' = 1 the force is F_i = (1/n) sum_j W[a_i,a_j] z_j = (1/n) C_{a_i}, where
// S_b = sum_{j in b} z_j and C_a = sum_b W[a,b] S_b (C = S when W = 1), and the energy sum is
// sum_j W <z_i, z_j> = <z_i, C_{a_i}>. The sums per unit: assembly/label-moments.ts, features
// the d coordinates.

import { CTX_D, CTX_STRIDE, CTX_L, CTX_FLAGS, CTX_LABELS, CTX_WEIGHTS, CTX_SYMBUF, CTX_EXPTAB, FLAG_WEIGHTED } from "./layout";
import { finish } from "./forces";
import { labelCombine, labelMix } from "./label-moments";

// table from CTX_EXPTAB (f64): S[Le][d] | C[Le][d]

/** Labels of the sums: L when a weight table is present, else 1. */
// @ts-ignore: decorator
@inline
function tableLabels(ctx: usize): i32 {
  return (load<i32>(ctx + CTX_FLAGS) & FLAG_WEIGHTED) != 0 ? load<i32>(ctx + CTX_L) : 1;
}

/** Unit u's label sums of rows [i0, i1) of the state src (i0 even) into unit u's buffer, cleared first. */
export function linearSums(ctx: usize, src: usize, u: i32, i0: i32, i1: i32): void {
  const strideB = <usize>load<i32>(ctx + CTX_STRIDE) << 3;
  const d = load<i32>(ctx + CTX_D);
  const Le = tableLabels(ctx);
  const labelBytes = <usize>d << 4;
  const unitBytes = <usize>Le * labelBytes;
  const buf = load<usize>(ctx + CTX_SYMBUF) + <usize>u * unitBytes;
  const labels = load<usize>(ctx + CTX_LABELS);
  const odd = ((i1 - i0) & 1) != 0;
  const last = i1 - 1;
  if (Le == 1) {
    // one coordinate row at a time, lanes by row parity
    for (let k = 0; k < d; k++) {
      const row = src + <usize>k * strideB;
      let acc = f64x2.splat(0.0);
      for (let i = i0; i + 1 < i1; i += 2) acc = f64x2.add(acc, v128.load(row + (<usize>i << 3)));
      if (odd) acc = f64x2.add(acc, v128.and(v128.load(row + (<usize>last << 3)), i64x2(-1, 0)));
      v128.store(buf + (<usize>k << 4), acc);
    }
    return;
  }
  memory.fill(buf, 0, unitBytes);
  const l0 = i64x2(-1, 0), l1 = i64x2(0, -1);
  for (let k = 0; k < d; k++) {
    const row = src + <usize>k * strideB;
    const col = buf + (<usize>k << 4);
    for (let i = i0; i + 1 < i1; i += 2) {
      const v = v128.load(row + (<usize>i << 3));
      const pa = col + <usize>load<i32>(labels + (<usize>i << 2)) * labelBytes;
      const pb = col + <usize>load<i32>(labels + (<usize>(i + 1) << 2)) * labelBytes;
      // one label: both lanes at once (the same sums: a masked lane adds +0 to a sum that is never -0)
      if (pa == pb) {
        v128.store(pa, f64x2.add(v128.load(pa), v));
      } else {
        v128.store(pa, f64x2.add(v128.load(pa), v128.and(v, l0)));
        v128.store(pb, f64x2.add(v128.load(pb), v128.and(v, l1)));
      }
    }
    if (odd) {
      const pa = col + <usize>load<i32>(labels + (<usize>last << 2)) * labelBytes;
      v128.store(pa, f64x2.add(v128.load(pa), v128.and(v128.load(row + (<usize>last << 3)), l0)));
    }
  }
}

/** Coordinates [k0, k1): the label sums over the `units` buffers in unit order, mixed by W, into C. */
export function linearCombine(ctx: usize, k0: i32, k1: i32, units: i32): void {
  const d = load<i32>(ctx + CTX_D);
  const Le = tableLabels(ctx);
  const S = load<usize>(ctx + CTX_EXPTAB), C = S + (<usize>(Le * d) << 3);
  labelCombine(load<usize>(ctx + CTX_SYMBUF), <usize>Le * (<usize>d << 4), units, Le, d, k0, k1, S);
  const L = <usize>load<i32>(ctx + CTX_L);
  const weights = load<usize>(ctx + CTX_WEIGHTS);
  const weighted = (load<i32>(ctx + CTX_FLAGS) & FLAG_WEIGHTED) != 0;
  for (let a = 0; a < Le; a++) {
    const wrow = weights + ((<usize>a * L) << 3);
    for (let k = k0; k < k1; k++) {
      const o = <usize>(a * d + k) << 3;
      store<f64>(C + o, weighted ? labelMix(wrow, S, Le, d, k) : load<f64>(S + o));
    }
  }
}

/** V_i into dst for i in [i0, i1) from C (after linearCombine): V_i = (1/n) (C_a - <C_a, z_i> z_i). */
export function linearFinish(ctx: usize, src: usize, dst: usize, i0: i32, i1: i32): void {
  const strideB = <usize>load<i32>(ctx + CTX_STRIDE) << 3;
  const d = load<i32>(ctx + CTX_D);
  const Le = tableLabels(ctx);
  const labels = load<usize>(ctx + CTX_LABELS);
  const C = load<usize>(ctx + CTX_EXPTAB) + (<usize>(Le * d) << 3);
  for (let i = i0; i < i1; i++) {
    const oi = <usize>i << 3;
    const ca = C + (<usize>((Le == 1 ? 0 : load<i32>(labels + (<usize>i << 2))) * d) << 3);
    let dot: f64 = 0;
    for (let k = 0; k < d; k++) dot += load<f64>(src + <usize>k * strideB + oi) * load<f64>(ca + (<usize>k << 3));
    const c = finish(ctx, i, 0.0, dot);
    for (let k = 0; k < d; k++) {
      const at = <usize>k * strideB + oi;
      store<f64>(dst + at, c * (load<f64>(ca + (<usize>k << 3)) - dot * load<f64>(src + at)));
    }
  }
}
