// The step plan of the wasm engine (docs/step-plan.md): built once per engine from the problem and
// options, it lists the phases of an evaluation, a Heun step and an Euler step, each split into
// fixed units that depend on n and d alone. One thread runs every phase's units in order
// (assembly/plan.ts runPhases); a team runs the same phases, each thread taking whole units
// (team.ts), through the same core entry point phase(ctx, p, u0, u1, scratch). The host side of
// assembly/plan.ts: op codes and the phase table written into wasm memory.
import type { Problem } from "../problem.js";
import { kappaProfile } from "../kernels/kappa.js";
import { STEP_STAGES, ERROR_AGAINST, type Stage, type StateName, type VelocityName } from "./schedule.js";
import type { Method } from "./engine.js";
import { FLAG } from "./wasm-layout.js";
import { FOURIER_FIXED_NS, fourierApplies, fourierDegree, fourierLabels, fourierUnitBytes, fourierWorkNs } from "./circle.js";
import { MOMENT_BYTES_MAX, SUMS_FIXED_NS, sumsApply, sumsUnitBytes, sumsWorkNs } from "./linear.js";
import { appendDiagnosticsPhases, type DiagnosticsPrograms } from "./diag-plan.js";

/** assembly/plan.ts OP_*. */
export const OP = {
  ROWS: 1, ATTN_ROWS: 2, ATTN_PROJECT: 3, F32_COPY: 4, SYM_TILES: 5, SYM_FINISH: 6,
  EXP_MOMENTS: 7, EXP_COMBINE: 8, EXP_FINISH: 9, ADVANCE: 10, ENERGY: 11, SPEED: 12, ERROR: 13,
  FOURIER_MOMENTS: 20, FOURIER_COMBINE: 21, FOURIER_FINISH: 22, SUMS_MOMENTS: 23, SUMS_COMBINE: 24, SUMS_FINISH: 25,
  TILE_UNITS: 26, TILE_FINISH: 27, TILE_ROWS: 28,
} as const;
/** assembly/plan.ts MODE_*. */
export const MODE = { SPEED: 1, ADVANCE: 2, ERROR: 4, PREPASS: 8 } as const;
/** Bytes of one phase in the core's table (assembly/plan.ts PHASE_BYTES). */
export const PHASE_BYTES = 64;
/** Most units of a phase that writes unit sums (assembly/layout.ts MAX_UNITS). */
export const MAX_UNITS = 4096;
/** Most units of any phase: the team's claim word holds unit indices below 2^14 (team-protocol.ts). */
export const MAX_PHASE_UNITS = 16383;
/** The symmetric loop's sub-tile (assembly/layout.ts SYM_TILE): tiles are whole multiples of it. */
export const SYM_TILE = 64;
/** Most tiles of the symmetric loop: 128 tiles, 8128 tile pairs. */
export const SYM_TILES_MAX = 128;
/** Smallest n that runs the symmetric loop (below, the own-sub-tile pairs, computed twice, dominate). */
export const SYM_MIN_N = 128;
/** Most row chunks of the expansion's moments (each holds L_m (K+1)^2 x 64 bytes of sums). */
export const EXP_MOMENT_UNITS_MAX = 128;
/** Estimated one-thread cost below which the expansion's moment units are not cut smaller. */
export const EXP_MOMENT_UNIT_MIN_NS = 50_000;
/** Bytes the expansion's moment buffers may take together (at least one chunk's, whatever its size). */
export const EXP_MOMENT_BYTES_MAX = 16 * 2 ** 20;
/** Row chunks that keep a moment unit per chunk (fused into the advance); fewer chunks split their orders m. */
export const EXP_FUSED_CHUNKS_MIN = 32;
/**
 * The expansion's cost model, one-thread ns (measured side by side with the pair loops:
 * bench/expansion.mjs, docs/performance.md): per particle and harmonic of the moments and of the
 * finish, and per harmonic and (chunk x label + label^2) of the combine.
 */
export const EXP_COST = { momentNs: 0.5, finishNs: 0.65, combineNs: 5 } as const;

/**
 * Estimated one-thread cost of a unit, below which units are not cut smaller (the claim of a unit
 * costs well under a microsecond), and above which a unit is cut smaller (a worker's heartbeat
 * moves once per claim, and a claim takes at least one unit: docs/performance.md).
 */
export const UNIT_MIN_NS = 10_000;
/**
 * UNIT_MIN_NS of the moment paths' row units (the Fourier series, the label sums): their steps are
 * short, so their phases' last units (a phase's tail) are kept short too.
 */
export const MOMENT_UNIT_MIN_NS = 1_500;
export const UNIT_MAX_NS = 50_000_000;
/** Units a phase aims at when its work allows: enough that 16 threads each take several. */
export const UNITS_TARGET = 256;
/**
 * Estimated one-thread work of a phase per thread that takes part: a shorter phase takes fewer
 * threads. A hand-over costs microseconds on idle cores, but a worker that the system deschedules
 * in the middle of a unit makes the others wait for it; in a browser that also renders on the same
 * cores, phases of 0.3 ms lost with two threads while phases of 1 ms gained (docs/performance.md
 * "Threads and the step plan").
 */
export const THREAD_MIN_NS = 150_000;
/**
 * THREAD_MIN_NS in Node, where nothing else is expected on the engine's cores: a hand-over to a
 * polling worker costs a few microseconds, so phases of 60 µs and more are shared (docs/performance.md
 * "Serial fraction").
 */
export const THREAD_MIN_NS_NODE = 30_000;

/** Smallest d that runs the tiled pair loop (assembly/tiles.ts). */
export const TILE_MIN_D = 16;
/** Rows and columns of one block of the tiled loop (assembly/tiles.ts TB): its row units are multiples of 8 rows, at least this many where n allows. */
export const TILE_BLOCK = 64;

/**
 * How the engine evaluates V: the kernel path of the plan ("fourier": the circle's Fourier series,
 * d = 2; "sums": the linear content's label sums; "tiles": the tiled loop in tiles and tile pairs,
 * d >= TILE_MIN_D with symmetric terms; "tileRows": the tiled loop in row units, d >= TILE_MIN_D
 * otherwise).
 */
export type PathKind = "rows" | "f32" | "attention" | "symmetric" | "expansion" | "fourier" | "sums" | "tiles" | "tileRows";

/** A state or velocity buffer of the core (gauge frame: z is the state x, zt the predictor). */
export type Buffer = "z" | "zt" | "k1" | "k2";

/** One phase: its op, its fixed units and what they read and write. */
export interface Phase {
  /** for messages and profiles */
  readonly name: string;
  readonly op: number;
  readonly units: number;
  /** rows per unit (row phases) or harmonics per unit (the expansion's combine) */
  readonly per: number;
  /** true when unit u is the particles [u per, (u + 1) per) */
  readonly rows: boolean;
  /** threads that take its units (1: the calling thread alone) */
  threads: number;
  /** estimated one-thread time, ns */
  readonly workNs: number;
  readonly src: Buffer | null;
  readonly dst: Buffer | null;
  mode: number;
  from: Buffer | null; a: Buffer | null; b: Buffer | null; to: Buffer | null;
  readonly arg: number;
  readonly arg2: number;
  /** MODE.PREPASS: the op of the next evaluation's row pre-pass, run on the advanced rows */
  next: number;
  /**
   * Units that share particles with earlier units of the phase: unit u starts only after units
   * after[2u] and after[2u + 1] (-1: none) are done. Null: the units are independent.
   */
  readonly after: Int32Array | null;
}

/**
 * A contiguous run of phases: one evaluation, one step. With lead = 1 its first phase is the row
 * pre-pass of the state, which the engine skips when the previous step's last advance did it.
 */
export interface Program {
  readonly first: number;
  readonly count: number;
  readonly lead: 0 | 1;
}

/** Everything an engine runs, and the sizes of what its phases need in memory. */
export interface StepPlan {
  readonly path: PathKind;
  readonly phases: readonly Phase[];
  readonly programs: { readonly evaluate: Program } & { readonly [m in Method]: Program };
  /** symmetric loop and tiled loop: rows per tile, and the tile pairs (P, Q) of every round, round after round */
  readonly symTile: number;
  readonly symPairs: Int32Array | null;
  /** expansion: the harmonic degree, and how its moments are cut (null on other paths) */
  readonly expansionDegree: number | null;
  readonly expansion: ExpansionShape | null;
  /** fourier: the degree K of the series */
  readonly fourierDegree: number | null;
  /** fourier, sums: the moment units (one buffer each) */
  readonly momentUnits: number;
  /** tiled loop: the most particles one unit packs into a panel (rows per tile or per row unit; tileScratchBytes), else 0 */
  readonly tileParticles: number;
  /** the record diagnostics' programs (diag-plan.ts) */
  readonly diagnostics: DiagnosticsPrograms;
}

/**
 * How the expansion's work is cut, from n, K and the labels alone. The moments go to one buffer
 * per row chunk (L_m labels x H harmonics x 64 bytes); where memory allows EXP_FUSED_CHUNKS_MIN
 * chunks, a moment unit is one chunk (then the step's advance takes the next state's moments on
 * its rows), else fewer chunks, each split into `ranges` ranges of orders m.
 */
export interface ExpansionShape {
  readonly K: number;
  /** harmonics, (K+1)^2 */
  readonly H: number;
  /** labels whose moments are kept apart: L with a weight table, else 1 */
  readonly labels: number;
  /** row chunks (one moment buffer each) and rows per chunk (even) */
  readonly chunks: number;
  readonly per: number;
  /** ranges of orders m per chunk, and their first orders, then K + 1 */
  readonly ranges: number;
  readonly cuts: Int32Array;
  /** bytes of one chunk's moment buffer */
  readonly chunkBytes: number;
}

/** The expansion's shape for the problem at degree K (see ExpansionShape). */
export function expansionShape(problem: Problem, K: number): ExpansionShape {
  const n = problem.n, K1 = K + 1, H = K1 * K1;
  const labels = problem.weights ? problem.labelCount : 1;
  const chunkBytes = labels * H * 64;
  const momentNs = n * H * EXP_COST.momentNs;
  const wanted = rowUnits(n, momentNs, EXP_MOMENT_UNITS_MAX, EXP_MOMENT_UNIT_MIN_NS);
  const room = Math.max(1, Math.floor(EXP_MOMENT_BYTES_MAX / chunkBytes));
  const per = wanted.units <= room ? wanted.per : 2 * Math.ceil(n / (2 * room));
  const chunks = Math.ceil(n / per);
  // each range keeps at least two orders (a unit first raises (x + i y) to its first order)
  const ranges = chunks >= Math.min(wanted.units, EXP_FUSED_CHUNKS_MIN) ? 1 : Math.max(1, Math.min(Math.ceil(wanted.units / chunks), Math.floor(K1 / 2)));
  // ranges of about equal harmonics: order 0 has K + 1, order m > 0 has 2 (K + 1 - m)
  const cuts = new Int32Array(ranges + 1);
  let m = 0, k = 0;
  for (let r = 1; r < ranges; r++) {
    while (k < (r * H) / ranges) k += m === 0 ? K1 : 2 * (K1 - m), m++;
    cuts[r] = m;
  }
  cuts[ranges] = K1;
  return { K, H, labels, chunks, per, ranges, cuts, chunkBytes };
}

/**
 * How a phase's work is split: units of rows from its estimated one-thread time (at most `cap`
 * units whatever the work: a phase whose units each hold a buffer).
 */
function rowUnits(n: number, workNs: number, most = UNITS_TARGET, least = UNIT_MIN_NS, cap = MAX_UNITS - 1): { units: number; per: number } {
  let u = Math.min(most, Math.ceil(workNs / least));
  u = Math.min(cap, Math.max(u, Math.ceil(workNs / UNIT_MAX_NS)));
  u = Math.max(1, Math.min(u, MAX_UNITS - 1, Math.ceil(n / 2)));
  const per = 2 * Math.ceil(n / (2 * u));
  return { units: Math.ceil(n / per), per };
}

/** Estimated one-thread ns of one pair term of the f64 row loop in dimension d (docs/performance.md). */
const pairNs = (d: number): number => 2.5 + 0.5 * d;
/** Estimated one-thread ns of one ordered pair of the tiled loop in dimension d: symmetric terms (one Gram entry and exp for two), or not. */
const tilePairNs = (d: number, symmetric: boolean): number => (symmetric ? 1 + 0.12 * d : 1.5 + 0.16 * d);

/** The tiled loop's row units: as rowUnits, with rows per unit a multiple of 8 and at least TILE_BLOCK where n allows. */
function tileRowUnits(n: number, workNs: number): { units: number; per: number } {
  const { per } = rowUnits(n, workNs);
  const rows = Math.max(Math.min(TILE_BLOCK, n), 8 * Math.ceil(per / 8));
  const r8 = 8 * Math.ceil(rows / 8);
  return { units: Math.ceil(n / r8), per: r8 };
}

/**
 * The row units of a path's moments, each with a buffer of unitBytes: at most
 * EXP_MOMENT_UNITS_MAX, and no more than MOMENT_BYTES_MAX of buffers in all.
 */
function momentUnits(n: number, workNs: number, unitBytes: number): { units: number; per: number } {
  const cap = Math.max(1, Math.min(UNITS_TARGET, Math.floor(MOMENT_BYTES_MAX / unitBytes)));
  return rowUnits(n, workNs, UNITS_TARGET, MOMENT_UNIT_MIN_NS, cap);
}

/**
 * The three phases of a path of per-label moments (the Fourier series, the label sums): moments
 * (a row pre-pass), combine (units of `features` frequencies or coordinates) and finish (the
 * moments' units). Their buffers are small (a few KiB at most for the usual degrees), so their
 * moment units are cut down to UNIT_MIN_NS of work.
 */
function momentPhases(name: string, ops: [number, number, number], n: number, features: number, unitBytes: number,
  work: (units: number) => { moments: number; combine: number; finish: number }): PathPhases {
  const moments = momentUnits(n, work(1).moments, unitBytes);
  const w = work(moments.units);
  const cu = Math.max(1, Math.min(features, EXP_MOMENT_UNITS_MAX, Math.ceil(w.combine / UNIT_MIN_NS)));
  const perC = Math.ceil(features / cu);
  return {
    finishesOwnRows: true,
    fusesPrepass: true,
    evaluation: (src, dst) => [
      phase({ name: `${name} moments`, op: ops[0], units: moments.units, per: moments.per, rows: true, workNs: w.moments, src }),
      phase({ name: `${name} combine`, op: ops[1], units: Math.ceil(features / perC), per: perC, workNs: w.combine, arg: moments.units, arg2: features }),
      phase({ name: `${name} finish`, op: ops[2], units: moments.units, per: moments.per, rows: true, workNs: w.finish, src, dst }),
    ],
  };
}

const VELOCITY_OF: Record<VelocityName, Buffer> = { k1: "k1", k2: "k2" };
const STATE_OF: Record<StateName, Buffer> = { x: "z", xt: "zt" };

interface PathPhases {
  /** the phases that evaluate V(src) into dst; the last one finishes each row */
  evaluation(src: Buffer, dst: Buffer): Phase[];
  /** true when the finishing phase reads only its own rows of src (an advance may then overwrite src there) */
  finishesOwnRows: boolean;
  /**
   * true when the evaluation's first phase is a row pre-pass with the finishing phase's units, and
   * the finishing phase does not read what it writes: the advance before an evaluation then runs
   * the pre-pass on its own rows (MODE.PREPASS), one hand-over fewer per evaluation
   */
  fusesPrepass: boolean;
}

function phase(p: Partial<Phase> & Pick<Phase, "name" | "op" | "units" | "workNs">): Phase {
  return { per: 1, rows: false, threads: 1, src: null, dst: null, mode: 0, from: null, a: null, b: null, to: null, arg: 0, arg2: 0, next: 0, after: null, ...p };
}

function rowPhase(name: string, op: number, n: number, workNs: number, src: Buffer, dst: Buffer | null = null): Phase {
  const { units, per } = rowUnits(n, workNs);
  return phase({ name, op, units, per, rows: true, workNs, src, dst });
}

/**
 * The symmetric loop's units after their rounds: tile P alone is unit P; the pairs follow round
 * after round. Each unit waits for the last earlier unit of each of its tiles, so every tile's sums
 * take their terms in unit order, and a pair of the next round starts as soon as its two tiles
 * are free: no thread waits for a whole round.
 */
export function tileDependencies(T: number, rounds: [number, number][][]): Int32Array {
  const pairs = rounds.reduce((c, r) => c + r.length, 0);
  const after = new Int32Array(2 * (T + pairs)).fill(-1);
  const last = Int32Array.from({ length: T }, (_, p) => p);
  let u = T;
  for (const round of rounds) {
    for (const [p, q] of round) {
      after[2 * u] = last[p];
      after[2 * u + 1] = last[q];
      last[p] = last[q] = u++;
    }
  }
  return after;
}

/** The tile-pair rounds of the symmetric loop: the circle method over T tiles (a bye where T is odd). */
export function tileRounds(T: number): [number, number][][] {
  const players = T + (T & 1);
  const rounds: [number, number][][] = [];
  for (let r = 0; r < players - 1; r++) {
    const round: [number, number][] = [];
    const add = (p: number, q: number): void => {
      if (p < T && q < T) round.push(p < q ? [p, q] : [q, p]);
    };
    add(players - 1, r);
    for (let k = 1; k < players / 2; k++) add((r + k) % (players - 1), (r - k + players - 1) % (players - 1));
    rounds.push(round);
  }
  return rounds;
}

/** Rows per tile of the symmetric loop at n: a multiple of SYM_TILE, at most SYM_TILES_MAX tiles. */
export function symmetricTile(n: number): number {
  return Math.max(SYM_TILE, SYM_TILE * Math.ceil(Math.ceil(n / SYM_TILES_MAX) / SYM_TILE));
}

function pathPhases(kind: PathKind, problem: Problem, K: number | null, symPairs: { rounds: [number, number][][]; tile: number }): PathPhases {
  const { n, dim: d } = problem;
  switch (kind) {
    case "rows":
      return { finishesOwnRows: false, fusesPrepass: false, evaluation: (src, dst) => [rowPhase("rows", OP.ROWS, n, n * n * pairNs(d), src, dst)] };
    case "f32":
      // the rows read the copy of every particle: the next state's copy cannot be made while they run
      return {
        finishesOwnRows: true,
        fusesPrepass: false,
        evaluation: (src, dst) => [rowPhase("f32 copy", OP.F32_COPY, n, n * 2, src), rowPhase("rows f32", OP.ROWS, n, n * n * 1.2, src, dst)],
      };
    case "attention": {
      const heads = problem.attention!;
      const causal = heads.filter((h) => h.mask === "causal").length;
      const rowsNs = n * n * pairNs(d) * (heads.length - causal / 2);
      // the rows read q, k, v of every particle: the next state's cannot be written while they run
      return {
        finishesOwnRows: true,
        fusesPrepass: false,
        evaluation: (src, dst) => [
          rowPhase("attention q k v", OP.ATTN_PROJECT, n, n * heads.length * 3 * d * d * 0.5, src),
          rowPhase("attention rows", OP.ATTN_ROWS, n, rowsNs, src, dst),
        ],
      };
    }
    case "symmetric": {
      const R = symPairs.tile, T = Math.ceil(n / R);
      const after = tileDependencies(T, symPairs.rounds);
      const units = after.length / 2;
      // an unordered pair costs about 3.5 ns (one exp for both sides)
      const workNs = T * R * R * 2.5 + (units - T) * R * R * 3.5;
      return {
        finishesOwnRows: true,
        fusesPrepass: false,
        evaluation: (src, dst) => [
          phase({ name: "symmetric tiles", op: OP.SYM_TILES, units, workNs, src, arg: T, after }),
          rowPhase("symmetric finish", OP.SYM_FINISH, n, n * 15, src, dst),
        ],
      };
    }
    case "tiles":
    case "tileRows": {
      const heads = problem.attention;
      const H = heads ? heads.length : 1;
      const causal = heads ? heads.filter((h) => h.mask === "causal").length : 0;
      const project = (src: Buffer): Phase[] => (heads ? [rowPhase("attention q k v", OP.ATTN_PROJECT, n, n * H * 3 * d * d * 0.5, src)] : []);
      if (kind === "tiles") {
        const R = symPairs.tile, T = Math.ceil(n / R);
        const after = tileDependencies(T, symPairs.rounds);
        return {
          finishesOwnRows: true,
          fusesPrepass: false,
          evaluation: (src, dst) => [
            ...project(src),
            phase({ name: "tiles", op: OP.TILE_UNITS, units: after.length / 2, workNs: n * n * H * tilePairNs(d, true), src, arg: T, after }),
            rowPhase("tiles finish", OP.TILE_FINISH, n, n * (d + 1) * H * 2, src, dst),
          ],
        };
      }
      const workNs = n * n * tilePairNs(d, false) * (H - causal / 2);
      const { units, per } = tileRowUnits(n, workNs);
      // without heads the rows read every particle of the state, so an advance may not overwrite it
      return {
        finishesOwnRows: heads !== null,
        fusesPrepass: false,
        evaluation: (src, dst) => [...project(src), phase({ name: "tile rows", op: OP.TILE_ROWS, units, per, rows: true, workNs, src, dst })],
      };
    }
    case "expansion": {
      const e = expansionShape(problem, K!);
      const { H, labels: Lm, chunks, per, ranges } = e;
      // a moment unit also clears and later adds its chunk's sums, so it takes more rows
      const combineNs = (chunks * Lm + Lm * Lm) * H * EXP_COST.combineNs;
      const cu = Math.max(1, Math.min(H, EXP_MOMENT_UNITS_MAX, Math.ceil(combineNs / UNIT_MIN_NS)));
      const perC = Math.ceil(H / cu);
      const finishNs = n * H * EXP_COST.finishNs;
      // the finish reads the totals, not the moments: with one range per chunk, the next state's
      // moments fuse into its advance (the finish then takes the chunks as units, so that fused
      // or not they are the same sums)
      const fused = ranges === 1;
      const finish = fused ? { units: chunks, per } : rowUnits(n, finishNs);
      return {
        finishesOwnRows: true,
        fusesPrepass: fused,
        evaluation: (src, dst) => [
          phase({ name: "expansion moments", op: OP.EXP_MOMENTS, units: chunks * ranges, per, rows: fused, workNs: n * H * EXP_COST.momentNs, src, arg: ranges }),
          phase({ name: "expansion combine", op: OP.EXP_COMBINE, units: Math.ceil(H / perC), per: perC, workNs: combineNs, arg: chunks, arg2: H }),
          phase({ name: "expansion finish", op: OP.EXP_FINISH, units: finish.units, per: finish.per, rows: true, workNs: finishNs, src, dst }),
        ],
      };
    }
    case "fourier": {
      const Le = fourierLabels(problem);
      return momentPhases("fourier", [OP.FOURIER_MOMENTS, OP.FOURIER_COMBINE, OP.FOURIER_FINISH], n, K! + 2, fourierUnitBytes(K!, Le), (u) => fourierWorkNs(problem, K!, u));
    }
    case "sums":
      return momentPhases("sums", [OP.SUMS_MOMENTS, OP.SUMS_COMBINE, OP.SUMS_FINISH], n, d, sumsUnitBytes(problem), (u) => sumsWorkNs(problem, u));
  }
}

/**
 * How many threads a phase takes: "work" (default) as many as its estimated work pays for
 * (THREAD_MIN_NS each), "all" every thread on every phase of more than one unit (tests: every
 * phase kind then runs on every thread count).
 */
export type PhaseThreads = "work" | "all";

/**
 * The plan of an engine: `kind` evaluates V, K is the expansion's or the Fourier series' degree (else null), `threads`
 * the team size (1: one thread). Units depend on n, d and the path alone; only each phase's
 * thread count depends on `threads` (and `rule`).
 */
export function buildPlan(problem: Problem, kind: PathKind, K: number | null, threads: number, rule: PhaseThreads = "work", threadMinNs = THREAD_MIN_NS): StepPlan {
  const paired = kind === "symmetric" || kind === "tiles";
  const tile = paired ? symmetricTile(problem.n) : 0;
  const rounds = paired ? tileRounds(Math.ceil(problem.n / tile)) : [];
  const path = pathPhases(kind, problem, K, { rounds, tile });
  const phases: Phase[] = [];
  /** The phase whose advance last wrote each state in the program being built (its pre-pass may fuse there). */
  let wrote: Partial<Record<Buffer, Phase>> = {};
  /** Appends one evaluation of V(src) into dst; returns the finishing phase. */
  const evaluate = (src: Buffer, dst: Buffer): Phase => {
    const ps = path.evaluation(src, dst);
    const before = wrote[src];
    if (path.fusesPrepass && before) {
      // the advance that wrote src runs this evaluation's pre-pass on its rows
      before.mode |= MODE.PREPASS;
      before.next = ps[0].op;
      ps.shift();
    }
    phases.push(...ps);
    return ps[ps.length - 1];
  };
  const reduce = (name: string, op: number, of: Phase): void => {
    phases.push(phase({ name, op, units: 1, workNs: of.units, arg: of.units }));
  };
  const program = (build: () => void): Program => {
    const first = phases.length;
    wrote = {};
    build();
    return { first, count: phases.length - first, lead: path.fusesPrepass ? 1 : 0 };
  };
  const evaluateProgram = program(() => {
    const fin = evaluate("z", "k1");
    fin.mode |= MODE.SPEED;
    reduce("energy", OP.ENERGY, fin);
    reduce("speed", OP.SPEED, fin);
  });
  const stepProgram = (method: Method): Program => program(() => {
    const stages = STEP_STAGES[method];
    let fin: Phase | null = null;
    let evaluated: Buffer | null = null;
    let evaluations = 0;
    stages.forEach((s: Stage, k: number) => {
      if (s.kind === "velocity") {
        evaluated = STATE_OF[s.at];
        fin = evaluate(evaluated, VELOCITY_OF[s.into]);
        // E before the step: the first evaluation's energy, before the next one overwrites its unit sums
        if (evaluations++ === 0) reduce("energy", OP.ENERGY, fin);
        return;
      }
      const into = STATE_OF[s.into];
      const last = k === stages.length - 1;
      const estimate = method === "heun" && last;
      const target: Phase = fin !== null && (path.finishesOwnRows || into !== evaluated) ? fin : rowPhase("advance", OP.ADVANCE, problem.n, problem.n * problem.dim * 2, evaluated ?? into);
      if (target !== fin) phases.push(target);
      target.mode |= MODE.ADVANCE | (estimate ? MODE.ERROR : 0);
      target.from = STATE_OF[s.from];
      target.a = VELOCITY_OF[s.a];
      target.b = VELOCITY_OF[s.b];
      target.to = into;
      wrote[into] = target;
      if (last && path.fusesPrepass) {
        // the next program's first evaluation is of x: its pre-pass runs here (the program's lead)
        target.mode |= MODE.PREPASS;
        target.next = path.evaluation(into, "k1")[0].op;
      }
      if (estimate) {
        // the error phase compares the result with the state the finishing phase evaluated: the predictor
        if (evaluated !== STATE_OF[ERROR_AGAINST]) throw new Error("the error estimate needs the predictor's evaluation last");
        reduce("error", OP.ERROR, target);
      }
    });
  });
  const heun = stepProgram("heun");
  const euler = stepProgram("euler");
  const diagnostics = appendDiagnosticsPhases(problem, phases);
  for (const p of phases) p.threads = Math.max(1, Math.min(threads, p.units, rule === "all" ? threads : Math.floor(p.workNs / threadMinNs)));
  let symPairs: Int32Array | null = null;
  if (paired) {
    symPairs = new Int32Array(rounds.flat(2));
  }
  return {
    path: kind,
    phases,
    programs: { evaluate: evaluateProgram, heun, euler },
    symTile: tile,
    symPairs,
    expansionDegree: kind === "expansion" ? K : null,
    expansion: kind === "expansion" ? expansionShape(problem, K!) : null,
    fourierDegree: kind === "fourier" ? K : null,
    momentUnits: phases.find((p) => p.op === OP.FOURIER_MOMENTS || p.op === OP.SUMS_MOMENTS)?.units ?? 0,
    tileParticles: kind === "tiles" ? tile : kind === "tileRows" ? phases.find((p) => p.op === OP.TILE_ROWS)!.per : 0,
    diagnostics,
  };
}

/**
 * The estimated one-thread time of one evaluation of V on path `kind` (K: the expansion's degree),
 * ns: the sum of its phases' estimates. The engine compares the expansion's with the pair loop's.
 */
export function evaluationNs(problem: Problem, kind: PathKind, K: number | null): number {
  const tile = kind === "symmetric" ? symmetricTile(problem.n) : 0;
  const rounds = kind === "symmetric" ? tileRounds(Math.ceil(problem.n / tile)) : [];
  return pathPhases(kind, problem, K, { rounds, tile }).evaluation("z", "k1").reduce((t, p) => t + p.workNs, 0);
}

/** The estimated one-thread time of the plan's longest unit, ns. */
export function longestUnitNs(plan: StepPlan): number {
  let most = 0;
  for (const p of plan.phases) most = Math.max(most, p.workNs / p.units);
  return most;
}

/** Writes the plan's phase table at byte `at` of the memory (i32 views), buffers resolved by `pointer`. */
export function writePlan(plan: StepPlan, i32: Int32Array, at: number, pointer: (b: Buffer) => number): void {
  plan.phases.forEach((p, k) => {
    const o = (at + k * PHASE_BYTES) >> 2;
    const ptr = (b: Buffer | null): number => (b === null ? 0 : pointer(b));
    i32.set([p.op, p.units, p.threads, p.per, ptr(p.src), ptr(p.dst), p.mode, ptr(p.from), ptr(p.a), ptr(p.b), ptr(p.to), p.arg, p.arg2, p.next, 0, 0], o);
  });
}

/** True when the problem's pair terms are exp(beta (u - 1)) times a constant (the core's exp paths apply). */
export function exponentialContent(problem: Problem): boolean {
  return !problem.attention && kappaProfile(problem.content, problem.beta, problem.timeScale).exponential;
}

/** True when precision "f32" applies: d = 3 with an exp kernel (the f32 path's lanes hold three coordinates). */
export function f32Applies(problem: Problem): boolean {
  return problem.dim === 3 && exponentialContent(problem);
}

/**
 * The core's flags word (assembly/layout.ts FLAG_*) for the problem on this plan: the content
 * (attention heads carry their own exp, so their pair flags stay clear), SA, W, frozen particles,
 * f32 lanes.
 */
export function coreFlags(problem: Problem, plan: StepPlan): number {
  let flags = 0;
  if (exponentialContent(problem)) flags |= FLAG.EXP;
  if (problem.normalize === "sa" && !problem.attention) flags |= FLAG.SA;
  if (problem.weights) flags |= FLAG.WEIGHTED;
  if (problem.frozen) flags |= FLAG.FROZEN;
  if (plan.path === "f32") flags |= FLAG.F32;
  return flags;
}

/**
 * True when the core can run the symmetric pair loop (assembly/symmetric.ts): d = 3, f64, exp
 * content, n >= SYM_MIN_N, and W absent or symmetric bit for bit. It depends on the problem alone,
 * never on the thread count.
 */
export function usesSymmetricLoop(problem: Problem, precision: "f64" | "f32"): boolean {
  if (problem.dim !== 3 || precision !== "f64" || problem.n < SYM_MIN_N || !exponentialContent(problem)) return false;
  return weightsSymmetric(problem);
}

/** True when W is absent or symmetric bit for bit (e_ij = e_ji: one exp serves both orders). */
function weightsSymmetric(problem: Problem): boolean {
  const W = problem.weights, L = problem.labelCount;
  if (W) for (let a = 0; a < L; a++) for (let b = a + 1; b < L; b++) if (W[a * L + b] !== W[b * L + a]) return false;
  return true;
}

/**
 * The degree of the circle's Fourier series (src/engines/circle.ts) when it applies and, unless
 * forced, costs less than the row loop by the cost model; else null. It depends on the problem
 * alone, never on the thread count.
 */
export function fourierChoice(problem: Problem, precision: "f64" | "f32", force = false): number | null {
  if (!fourierApplies(problem, precision)) return null;
  const K = fourierDegree(problem.beta)!;
  if (force) return K;
  const w = fourierWorkNs(problem, K, EXP_MOMENT_UNITS_MAX);
  return w.moments + w.combine + w.finish + FOURIER_FIXED_NS < problem.n * problem.n * pairNs(2) ? K : null;
}

/**
 * True when the linear content's label sums (src/engines/linear.ts) apply and, unless forced, cost
 * less than the row loop by the cost model. It depends on the problem alone.
 */
export function sumsChoice(problem: Problem, force = false): boolean {
  if (!sumsApply(problem)) return false;
  if (force) return true;
  const w = sumsWorkNs(problem, EXP_MOMENT_UNITS_MAX);
  return w.moments + w.combine + w.finish + SUMS_FIXED_NS < problem.n * problem.n * pairNs(problem.dim);
}

/**
 * The tiled loop's path for the problem, or null where it does not apply (d < TILE_MIN_D, or
 * linear content). "tiles" where e_ij = e_ji bit for bit: W absent or symmetric, or every
 * attention head unmasked, without ALiBi and with Q = K bit for bit; "tileRows" otherwise. It
 * depends on the problem alone, never on the thread count.
 */
export function tiledPath(problem: Problem): "tiles" | "tileRows" | null {
  if (problem.dim < TILE_MIN_D) return null;
  const heads = problem.attention;
  if (heads) return heads.every((h) => h.mask === "none" && h.alibi === 0 && h.query.every((q, k) => Object.is(q, h.key[k]))) ? "tiles" : "tileRows";
  if (!exponentialContent(problem)) return null;
  return weightsSymmetric(problem) ? "tiles" : "tileRows";
}
