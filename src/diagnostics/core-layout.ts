// The host side of assembly/diag-layout.ts: where the record diagnostics' arrays live in linear
// memory, and the tables written once per problem (members sorted by label, label starts, gauges).
import { groupByLabel } from "./collapse.js";

/** Byte offsets of the diagnostics block's fields (assembly/diag-layout.ts DG_*). */
export const DG = {
  N: 0, D: 8, STRIDE: 16, L: 24, STATE: 32, LABELS: 40, MEMBERS: 48, STARTS: 56, GAUGES: 64, CHUNKS: 72,
  CHUNKBUF: 80, LABELSUM: 88, LABELDIAM: 96, ROWS: 104, KEYS: 112, PERM: 120, NODES: 128, PARENT: 136,
  VECS: 144, GAPZ: 152, GAPX: 160, DIAMLO: 168, DIAMUP: 176, CLUSTERS: 184, PAIRS: 192, TOL: 200,
  NODECOUNT: 208, BINS: 216, LIMIT: 224, CERTIFIED: 232, THREADS: 240, SCRATCHES: 248, ENGINE_SCRATCH: 256,
  ENGINE_STRIDE: 264, LINKS: 272, LEAFCOUNT: 280, PAIRCOUNT: 288, BYTES: 296,
} as const;
/** Particles per chunk of the moment passes (DG_CHUNK). */
export const DG_CHUNK = 4096;
/** Most rows in a k-d tree leaf (DG_LEAF). */
export const DG_LEAF = 8;
/**
 * One thread's scratch in bytes (DG_SCRATCH): its traversal stack (4096 pairs of i32) or its angle
 * bins of the d = 2 linkage (a 32-byte head and 4096 bins of 24 bytes).
 */
export const DG_SCRATCH_BYTES = 32 + 4096 * 24;
/** Most leaves of the top of the linkage tree (DG_TOP_LEAVES). */
export const DG_TOP_LEAVES = 128;
/** Nodes reserved for the top of the linkage tree (DG_TOP_NODES). */
export const DG_TOP_NODES = 256;
/** Bytes of the linkage's lists: its top leaves and its node pairs (DG_LINKS_BYTES). */
export const DG_LINKS_BYTES = DG_TOP_LEAVES * 4 + ((DG_TOP_LEAVES * (DG_TOP_LEAVES + 1)) / 2) * 8;
/** Units of the linkage's build and pair phases (DG_LINK_UNITS). */
export const DG_LINK_UNITS = 64;
/** Bytes of one tree node in dimension d (kdtree.ts): a 16-byte head and the box. */
export const nodeBytes = (d: number): number => 16 + 16 * d;

/** The diagnostics' regions (byte offsets; 0 where a region is not needed). */
export interface DiagLayout {
  dg: number;
  members: number; starts: number; gauges: number;
  chunks: number; chunkBuf: number; labelSum: number; labelDiam: number;
  rows: number; keys: number; perm: number; nodes: number; parent: number; vecs: number;
  /** the linkage's top leaves and node pairs */
  links: number;
  /** thread t's scratch (traversal stack, angle bins) at scratch + t * DG_SCRATCH_BYTES */
  scratch: number;
  /** threads with a scratch of their own */
  threads: number;
  /** one past the last byte */
  end: number;
}

const align = (x: number, a = 16): number => Math.ceil(x / a) * a;

/**
 * Lays out the diagnostics of n particles in dimension d with L labels from `base` on: about
 * (8 d + 16 + (2/3) (16 + 16 d)) bytes per particle (rows, parents, members, tree nodes),
 * plus O(L d^2) for gauges, 67 KB for the linkage's lists and one traversal stack per thread.
 */
export function planDiagnostics(n: number, d: number, L: number, gauged: boolean, base: number, threads = 1): DiagLayout {
  let p = align(base, 64);
  const take = (bytes: number, a = 16): number => { const at = p; p = align(p + bytes, a); return at; };
  const dg = take(DG.BYTES);
  const members = take(n * 4);
  const starts = take((L + 1) * 4);
  const gauges = gauged ? take(L * d * d * 8) : 0;
  const chunks = Math.ceil(n / DG_CHUNK);
  const chunkBuf = take(chunks * (3 * d + 2) * 8);
  const labelSum = gauged ? take(L * d * 8) : 0;
  const labelDiam = take(L * 16);
  const rows = take(n * d * 8);
  const keys = d === 2 ? take(n * 8) : 0;
  const perm = d === 2 ? take(n * 4) : 0;
  // per label a: nodes from floor(2 starts[a] / 3) + a on (assembly/diameter.ts nodeBase); the
  // linkage tree: its top, then each top leaf's subtree from DG_TOP_NODES + floor(2 b / 3) on
  const nodes = take((Math.floor((2 * n) / 3) + Math.max(L + 2, DG_TOP_NODES)) * nodeBytes(d));
  const parent = take(n * 4);
  const vecs = take(2 * d * 8);
  const links = take(DG_LINKS_BYTES);
  const scratch = take(threads * DG_SCRATCH_BYTES);
  return { dg, members, starts, gauges, chunks, chunkBuf, labelSum, labelDiam, rows, keys, perm, nodes, parent, vecs, links, scratch, threads, end: p };
}

/** What the tables need to know of a system. */
export interface DiagSystem {
  n: number;
  dim: number;
  labelCount: number;
  labels: Int32Array;
  /** G_a row-major per label, or null (then the state is taken as x itself) */
  gauges: Float64Array | null;
}

/**
 * Writes the block and the per-problem tables: the state at `state` (structure of arrays, `stride`
 * elements per coordinate row) and the labels at `labels` (i32[n]), both owned by the caller.
 */
export function writeDiagnosticsTables(buffer: ArrayBufferLike, l: DiagLayout, s: DiagSystem, state: number, stride: number, labels: number): void {
  const i32 = new Int32Array(buffer), f64 = new Float64Array(buffer);
  const { n, dim: d, labelCount: L } = s;
  const at = (field: number): number => (l.dg + field) >> 2;
  i32[at(DG.N)] = n;
  i32[at(DG.D)] = d;
  i32[at(DG.STRIDE)] = stride;
  i32[at(DG.L)] = L;
  i32[at(DG.CHUNKS)] = l.chunks;
  i32[at(DG.THREADS)] = l.threads;
  // until an engine says where its threads' scratch is, a thread's is found from its own
  i32[at(DG.ENGINE_STRIDE)] = DG_SCRATCH_BYTES;
  const ptrs: [number, number][] = [
    [DG.STATE, state], [DG.LABELS, labels], [DG.MEMBERS, l.members], [DG.STARTS, l.starts], [DG.GAUGES, s.gauges ? l.gauges : 0],
    [DG.CHUNKBUF, l.chunkBuf], [DG.LABELSUM, s.gauges ? l.labelSum : 0], [DG.LABELDIAM, l.labelDiam], [DG.ROWS, l.rows],
    [DG.KEYS, l.keys], [DG.PERM, l.perm], [DG.NODES, l.nodes], [DG.PARENT, l.parent], [DG.VECS, l.vecs], [DG.LINKS, l.links],
    [DG.SCRATCHES, l.scratch], [DG.ENGINE_SCRATCH, l.scratch],
  ];
  for (const [off, ptr] of ptrs) { i32[at(off)] = ptr; i32[at(off) + 1] = 0; }
  const groups = groupByLabel(s.labels, L);
  i32.set(groups.members, l.members >> 2);
  i32.set(groups.start, l.starts >> 2);
  if (s.gauges) {
    f64.set(s.gauges, l.gauges >> 3);
    f64.fill(0, l.labelSum >> 3, (l.labelSum >> 3) + L * d);
  }
}
