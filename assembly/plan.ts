// The step plan's phase table and the one entry point every thread runs (host: src/engines/plan.ts,
// which writes the table once per engine; docs/step-plan.md).
//
// Phase p sits at ctx plan + p PHASE_BYTES (i32 fields):
//   + 0   op       OP_* below
//   + 4   units    the phase's fixed units, 0 .. units - 1 (from n and d alone)
//   + 8   threads  how many threads take its units (the host's choice; unused here)
//   + 12  rows     rows per unit (row phases), harmonics per unit (OP_EXP_COMBINE), rows per
//                  chunk (OP_EXP_MOMENTS), frequencies per unit (OP_FOURIER_COMBINE), coordinates
//                  per unit (OP_SUMS_COMBINE)
//   + 16  src      the state evaluated
//   + 20  dst      the velocity written
//   + 24  mode     MODE_* below (finishing phases and OP_ADVANCE)
//   + 28  from, + 32 a, + 36 b, + 40 to   the advance to = normalize(from + (h/2)(a + b)), h at ctx h
//   + 44  arg      OP_SYM_TILES, OP_TILE_UNITS: the number of tiles; OP_EXP_COMBINE: moment chunks;
//                  OP_EXP_MOMENTS: m ranges per chunk; OP_FOURIER_COMBINE, OP_SUMS_COMBINE:
//                  moment units; reductions: units of the phase whose unit sums they add
//   + 48  arg2     OP_EXP_COMBINE: the number of harmonics (K+1)^2; OP_FOURIER_COMBINE: the
//                  frequencies K + 2; OP_SUMS_COMBINE: d
//   + 52  next     MODE_PREPASS: the row pre-pass op of the next evaluation (OP_F32_COPY,
//                  OP_ATTN_PROJECT, OP_EXP_MOMENTS, OP_FOURIER_MOMENTS, OP_SUMS_MOMENTS), run on
//                  the advanced rows of `to`
// A finishing phase (OP_ROWS, OP_ATTN_ROWS, OP_SYM_FINISH, OP_EXP_FINISH, OP_FOURIER_FINISH,
// OP_SUMS_FINISH, OP_TILE_ROWS, OP_TILE_FINISH) writes V and energyPart
// for its unit's rows, then the unit's energy sum, then what its mode asks for on the same rows.
// Every unit touches its own particles (or its own unit sums), so units of one phase may run on
// any threads in any order, and the sums that cross units (unit sums, the expansion's moments) are
// added in unit order by later phases. The one exception, the tile pairs of the symmetric and the
// tiled loops, adds
// into particles that other units of its phase also touch; the host then starts a unit only after
// the earlier units it shares particles with, so each sum still adds in unit order.

import {
  CTX_N, CTX_H, CTX_ENERGY, CTX_SPEED, CTX_ERROR, CTX_EFACTOR, CTX_INVN, CTX_PLAN, CTX_UNITSUMS,
  CTX_SCRATCH, CTX_SYMPAIRS, MAX_UNITS,
} from "./layout";
import { velocityRange, f32Copy } from "./forces";
import { attnProject, attnRows } from "./attention";
import { symDiag, symPair, symFinish } from "./symmetric";
import { expMomentUnits, expMomentsAll, expCombine, expFinish } from "./expansion";
import { circleMoments, circleCombine, circleFinish } from "./circle";
import { linearSums, linearCombine, linearFinish } from "./linear";
import { tileUnit, tileRows, tileFinish } from "./tiles";
import { advanceRange, energyRange, speedRange, distanceRange } from "./integrate";
import { diagPhase } from "./diag-phases";

export const PHASE_BYTES: usize = 64;
const PH_OP: usize = 0;
const PH_UNITS: usize = 4;
const PH_ROWS: usize = 12;
const PH_SRC: usize = 16;
const PH_DST: usize = 20;
const PH_MODE: usize = 24;
const PH_FROM: usize = 28;
const PH_A: usize = 32;
const PH_B: usize = 36;
const PH_TO: usize = 40;
const PH_ARG: usize = 44;
const PH_ARG2: usize = 48;
const PH_NEXT: usize = 52;

/** The pair loop's rows (forces.ts): finishing. */
export const OP_ROWS: i32 = 1;
/** Attention rows over q, k, v (attention.ts): finishing. */
export const OP_ATTN_ROWS: i32 = 2;
/** q, k, v of every head for the unit's particles. */
export const OP_ATTN_PROJECT: i32 = 3;
/** The f32 copy of src for the unit's particles (precision "f32"). */
export const OP_F32_COPY: i32 = 4;
/**
 * The symmetric loop's tiles and tile pairs: unit u < arg (the number of tiles) is tile u alone
 * (it clears its sums), unit arg + k is the pair k of the pair table (rounds one after another).
 * A unit must not start before the earlier units that touched its tiles are done (the host's
 * dependency table); in unit order that always holds.
 */
export const OP_SYM_TILES: i32 = 5;
/** V from the symmetric loop's sums: finishing. */
export const OP_SYM_FINISH: i32 = 6;
/**
 * The expansion's moments: unit u is row chunk u / arg and m range u % arg, into the chunk's
 * buffer. As a fused pre-pass (arg = 1), a finishing unit's rows, every order.
 */
export const OP_EXP_MOMENTS: i32 = 7;
/** The expansion's totals for the unit's harmonics. */
export const OP_EXP_COMBINE: i32 = 8;
/** V from the expansion's totals: finishing. */
export const OP_EXP_FINISH: i32 = 9;
/** The advance alone on the unit's rows (when the finishing phase reads every row of the state it advances). */
export const OP_ADVANCE: i32 = 10;
/** ctx energy = eFactor * (the unit energy sums, in unit order); one unit. */
export const OP_ENERGY: i32 = 11;
/** ctx speed = (1/n) (the unit speed sums, in unit order); one unit. */
export const OP_SPEED: i32 = 12;
/** ctx error = sqrt(max of the unit error maxima); one unit. */
export const OP_ERROR: i32 = 13;
/** The circle's Fourier moments of the unit's rows into unit u's buffer (circle.ts). */
export const OP_FOURIER_MOMENTS: i32 = 20;
/** The circle's totals for the unit's frequencies. */
export const OP_FOURIER_COMBINE: i32 = 21;
/** V from the circle's totals: finishing. */
export const OP_FOURIER_FINISH: i32 = 22;
/** The linear content's label sums of the unit's rows into unit u's buffer (linear.ts). */
export const OP_SUMS_MOMENTS: i32 = 23;
/** The label sums mixed by W for the unit's coordinates. */
export const OP_SUMS_COMBINE: i32 = 24;
/** V from the mixed label sums: finishing. */
export const OP_SUMS_FINISH: i32 = 25;
/**
 * The tiled loop's tiles and tile pairs (tiles.ts, d >= 16, symmetric terms): as OP_SYM_TILES,
 * unit u < arg is tile u alone, unit arg + k the pair k of the pair table.
 */
export const OP_TILE_UNITS: i32 = 26;
/** V from the tiled loop's sums: finishing. */
export const OP_TILE_FINISH: i32 = 27;
/** The tiled loop's rows, each with every column it takes (tiles.ts): finishing. */
export const OP_TILE_ROWS: i32 = 28;

/**
 * A record diagnostics phase (diag-phases.ts): arg is the diagnostics block, arg2 the phase's kind
 * (DIAG_*), rows the labels per unit of the diameters; its units are chunks of particles, labels, or one.
 */
export const OP_DIAG: i32 = 29;

/** Finishing: the unit's sum_i |dst_i|^2 into its second unit sum. */
export const MODE_SPEED: i32 = 1;
/** Finishing and OP_ADVANCE: to_i = normalize(from_i + (h/2)(a_i + b_i)) on the unit's rows. */
export const MODE_ADVANCE: i32 = 2;
/** With MODE_ADVANCE: the unit's max_i |to_i - src_i|^2 into its second unit sum. */
export const MODE_ERROR: i32 = 4;
/**
 * With MODE_ADVANCE: the next evaluation's row pre-pass (op at next) on the unit's rows of `to`,
 * as its own phase would run it with the same units.
 */
export const MODE_PREPASS: i32 = 8;

/** Units [u0, u1) of phase p; scratch: this thread's scratch (layout.ts scratchBytes). */
export function phase(ctx: usize, p: i32, u0: i32, u1: i32, scratch: usize): void {
  const ph = load<usize>(ctx + CTX_PLAN) + <usize>p * PHASE_BYTES;
  const op = load<i32>(ph + PH_OP);
  const src = <usize>load<u32>(ph + PH_SRC);
  if (op >= OP_ENERGY && op <= OP_ERROR) {
    reduce(ctx, op, load<i32>(ph + PH_ARG));
    return;
  }
  if (op == OP_DIAG) {
    diagPhase(load<i32>(ph + PH_ARG2), <usize>load<u32>(ph + PH_ARG), u0, u1, load<i32>(ph + PH_ROWS), scratch);
    return;
  }
  if (op == OP_SYM_TILES || op == OP_TILE_UNITS) {
    const tiles = load<i32>(ph + PH_ARG);
    const pairs = load<usize>(ctx + CTX_SYMPAIRS);
    for (let u = u0; u < u1; u++) {
      if (u < tiles) {
        if (op == OP_SYM_TILES) symDiag(ctx, src, u);
        else tileUnit(ctx, src, u, -1, scratch);
      } else {
        const at = pairs + (<usize>(u - tiles) << 3);
        if (op == OP_SYM_TILES) symPair(ctx, src, load<i32>(at), load<i32>(at, 4));
        else tileUnit(ctx, src, load<i32>(at), load<i32>(at, 4), scratch);
      }
    }
    return;
  }
  const per = load<i32>(ph + PH_ROWS);
  if (op == OP_EXP_MOMENTS) {
    expMomentUnits(ctx, src, u0, u1, per, load<i32>(ph + PH_ARG));
    return;
  }
  if (op == OP_EXP_COMBINE) {
    const H = load<i32>(ph + PH_ARG2);
    expCombine(ctx, u0 * per, min(H, u1 * per), load<i32>(ph + PH_ARG), scratch);
    return;
  }
  if (op == OP_FOURIER_COMBINE || op == OP_SUMS_COMBINE) {
    const F = load<i32>(ph + PH_ARG2);
    if (op == OP_FOURIER_COMBINE) circleCombine(ctx, u0 * per, min(F, u1 * per), load<i32>(ph + PH_ARG));
    else linearCombine(ctx, u0 * per, min(F, u1 * per), load<i32>(ph + PH_ARG));
    return;
  }
  const n = load<i32>(ctx + CTX_N);
  for (let u = u0; u < u1; u++) {
    const i0 = u * per, i1 = min(n, i0 + per);
    if (op == OP_ATTN_PROJECT || op == OP_F32_COPY || op == OP_FOURIER_MOMENTS || op == OP_SUMS_MOMENTS) prepass(ctx, op, src, u, i0, i1, scratch);
    else if (op == OP_ADVANCE) after(ctx, ph, u, i0, i1, scratch);
    else {
      const dst = <usize>load<u32>(ph + PH_DST);
      if (op == OP_ROWS) velocityRange(ctx, src, dst, i0, i1, scratch);
      else if (op == OP_ATTN_ROWS) attnRows(ctx, src, dst, i0, i1, scratch);
      else if (op == OP_SYM_FINISH) symFinish(ctx, src, dst, i0, i1);
      else if (op == OP_FOURIER_FINISH) circleFinish(ctx, src, dst, i0, i1);
      else if (op == OP_SUMS_FINISH) linearFinish(ctx, src, dst, i0, i1);
      else if (op == OP_TILE_ROWS) tileRows(ctx, src, dst, i0, i1, per, scratch);
      else if (op == OP_TILE_FINISH) tileFinish(ctx, src, dst, i0, i1);
      else expFinish(ctx, src, dst, i0, i1, scratch);
      store<f64>(load<usize>(ctx + CTX_UNITSUMS) + (<usize>u << 3), energyRange(ctx, i0, i1));
      after(ctx, ph, u, i0, i1, scratch);
    }
  }
}

/** A row pre-pass of an evaluation: unit u, rows [i0, i1) of the state src. */
// @ts-ignore: decorator
@inline
function prepass(ctx: usize, op: i32, src: usize, u: i32, i0: i32, i1: i32, scratch: usize): void {
  if (op == OP_ATTN_PROJECT) attnProject(ctx, src, i0, i1, scratch);
  else if (op == OP_F32_COPY) f32Copy(ctx, src, i0, i1);
  else if (op == OP_FOURIER_MOMENTS) circleMoments(ctx, src, u, i0, i1);
  else if (op == OP_SUMS_MOMENTS) linearSums(ctx, src, u, i0, i1);
  else expMomentsAll(ctx, src, u, i0, i1);
}

/** What the phase's mode asks for on unit u's rows [i0, i1), after its velocities. */
// @ts-ignore: decorator
@inline
function after(ctx: usize, ph: usize, u: i32, i0: i32, i1: i32, scratch: usize): void {
  const mode = load<i32>(ph + PH_MODE);
  const aux = load<usize>(ctx + CTX_UNITSUMS) + (<usize>(MAX_UNITS + u) << 3);
  if ((mode & MODE_SPEED) != 0) store<f64>(aux, speedRange(ctx, <usize>load<u32>(ph + PH_DST), i0, i1));
  if ((mode & MODE_ADVANCE) != 0) {
    const to = <usize>load<u32>(ph + PH_TO);
    advanceRange(ctx, <usize>load<u32>(ph + PH_FROM), <usize>load<u32>(ph + PH_A), <usize>load<u32>(ph + PH_B), load<f64>(ctx + CTX_H), to, i0, i1);
    if ((mode & MODE_ERROR) != 0) store<f64>(aux, distanceRange(ctx, to, <usize>load<u32>(ph + PH_SRC), i0, i1));
    if ((mode & MODE_PREPASS) != 0) prepass(ctx, load<i32>(ph + PH_NEXT), to, u, i0, i1, scratch);
  }
}

/** The reductions: the first `units` unit sums of one kind, in unit order, into their ctx result. */
function reduce(ctx: usize, op: i32, units: i32): void {
  const sums = load<usize>(ctx + CTX_UNITSUMS);
  if (op == OP_ENERGY) {
    let s: f64 = 0;
    for (let u = 0; u < units; u++) s += load<f64>(sums + (<usize>u << 3));
    store<f64>(ctx + CTX_ENERGY, load<f64>(ctx + CTX_EFACTOR) * s);
    return;
  }
  const aux = sums + (<usize>MAX_UNITS << 3);
  if (op == OP_SPEED) {
    let s: f64 = 0;
    for (let u = 0; u < units; u++) s += load<f64>(aux + (<usize>u << 3));
    store<f64>(ctx + CTX_SPEED, s * load<f64>(ctx + CTX_INVN));
    return;
  }
  let worst: f64 = 0;
  for (let u = 0; u < units; u++) {
    const s = load<f64>(aux + (<usize>u << 3));
    if (!(s <= worst)) worst = s;
  }
  store<f64>(ctx + CTX_ERROR, Math.sqrt(worst));
}

/**
 * The one-thread path: `steps` times, phases [first, first + count) of the plan, every unit on the
 * calling thread (thread 0's scratch), in phase then unit order. A program that begins with a
 * row pre-pass (lead = 1) skips it where the state's pre-pass is already done: when `prepared`,
 * and from the second step on (each step's last advance does it for the next).
 */
export function runPhases(ctx: usize, first: i32, count: i32, steps: i32, lead: i32, prepared: bool): void {
  const table = load<usize>(ctx + CTX_PLAN);
  const scratch = load<usize>(ctx + CTX_SCRATCH);
  for (let s = 0; s < steps; s++) {
    const from = first + (prepared || s > 0 ? lead : 0);
    for (let p = from; p < first + count; p++) {
      phase(ctx, p, 0, load<i32>(table + <usize>p * PHASE_BYTES + PH_UNITS), scratch);
    }
  }
}
