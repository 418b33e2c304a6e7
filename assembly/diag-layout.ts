// Memory map of the record diagnostics (diagnostics.ts, kdtree.ts, diameter.ts, linkage.ts). The
// host (src/diagnostics/core-layout.ts) writes this block and every array it points to; the core
// never allocates. Pointers are byte offsets, i32 fields and 64-bit pointer slots 8 bytes apart.
//
//   dg + 0    n          i32   particles
//   dg + 8    d          i32   dimension
//   dg + 16   stride     i32   elements per coordinate row of the state
//   dg + 24   L          i32   labels
//   dg + 32   state      ptr   the state, structure of arrays: state[k * stride + i]
//   dg + 40   labels     ptr   i32[n], label a_i
//   dg + 48   members    ptr   i32[n], the particles sorted by label (stable): "member order"
//   dg + 56   starts     ptr   i32[L + 1], label a's members at positions [starts[a], starts[a+1])
//   dg + 64   gauges     ptr   f64[L d d], G_a row-major (G_a[r][c] at a d^2 + r d + c), or 0: none
//   dg + 72   chunks     i32   ceil(n / DG_CHUNK)
//   dg + 80   chunkBuf   ptr   per chunk c, at c (3 d + 2) f64: total[d] | first[d] | last[d] | sZ | sX
//   dg + 88   labelSum   ptr   f64[L d]: per-label sums of the state, then the shifts G_a m_x
//   dg + 96   labelDiam  ptr   f64[2 L]: per label, the diameter's lower and upper bound
//   dg + 104  rows       ptr   f64[n d], particle-major rows (row p at p d): the tree's points
//   dg + 112  keys       ptr   f64[n], sort keys (d = 2 angles)
//   dg + 120  perm       ptr   i32[n], the permutation sorted with keys
//   dg + 128  nodes      ptr   tree nodes, DG_NODE_HEAD + 16 d bytes each (kdtree.ts)
//   dg + 136  parent     ptr   i32[n], union-find parents (linkage.ts)
//   dg + 144  vecs       ptr   f64[2 d]: the means of z_i - z_r (r: the first member) and of x
//   dg + 152  gapZ       f64   results: G_z = (1/n) sum_i |z_i - m_z|^2
//   dg + 160  gapX       f64   G_x = (1/n) sum_i |x_i - m_x|^2
//   dg + 168  diamLo     f64   max over labels of the lower bounds
//   dg + 176  diamUp     f64   max over labels of the upper bounds (= diamLo: exact)
//   dg + 184  clusters   f64   single-linkage clusters
//   dg + 192  pairs      f64   pairs i < j within the threshold
//   dg + 200  tol        f64   relative tolerance of the diameter's interval (upper <= (1 + tol) lower)
//   dg + 208  nodeCount  i32   nodes of the linkage tree
//   dg + 216  bins       i32   angle bins of the d = 2 linkage (circle-linkage.ts)
//   dg + 224  limit      f64   squared chord of the d = 2 linkage
//   dg + 232  certified  i32   1 when the d = 2 linkage counted the clusters, 0: the k-d tree must
//   dg + 240  threads    i32   threads with a scratch of their own (DG_SCRATCH bytes each)
//   dg + 248  scratch    ptr   thread t's diagnostics scratch at scratch + t DG_SCRATCH
//   dg + 256  engScratch ptr   the engine's per-thread scratch (the phases' scratch argument), or 0
//   dg + 264  engStride  i32   bytes between two threads' engine scratch
//   dg + 272  links      ptr   the linkage's units (linkage.ts): i32[DG_TOP_LEAVES] top leaves, then
//                              DG_LINK_PAIRS node pairs (i32, i32)
//   dg + 280  leafCount  i32   top leaves listed
//   dg + 288  pairCount  i32   node pairs listed

export const DG_N: usize = 0;
export const DG_D: usize = 8;
export const DG_STRIDE: usize = 16;
export const DG_L: usize = 24;
export const DG_STATE: usize = 32;
export const DG_LABELS: usize = 40;
export const DG_MEMBERS: usize = 48;
export const DG_STARTS: usize = 56;
export const DG_GAUGES: usize = 64;
export const DG_CHUNKS: usize = 72;
export const DG_CHUNKBUF: usize = 80;
export const DG_LABELSUM: usize = 88;
export const DG_LABELDIAM: usize = 96;
export const DG_ROWS: usize = 104;
export const DG_KEYS: usize = 112;
export const DG_PERM: usize = 120;
export const DG_NODES: usize = 128;
export const DG_PARENT: usize = 136;
export const DG_VECS: usize = 144;
export const DG_GAPZ: usize = 152;
export const DG_GAPX: usize = 160;
export const DG_DIAMLO: usize = 168;
export const DG_DIAMUP: usize = 176;
export const DG_CLUSTERS: usize = 184;
export const DG_PAIRS: usize = 192;
export const DG_TOL: usize = 200;
export const DG_NODECOUNT: usize = 208;
export const DG_BINS: usize = 216;
export const DG_LIMIT: usize = 224;
export const DG_CERTIFIED: usize = 232;
export const DG_THREADS: usize = 240;
export const DG_SCRATCHES: usize = 248;
export const DG_ENGINE_SCRATCH: usize = 256;
export const DG_ENGINE_STRIDE: usize = 264;
export const DG_LINKS: usize = 272;
export const DG_LEAFCOUNT: usize = 280;
export const DG_PAIRCOUNT: usize = 288;
export const DG_BYTES: usize = 296;

/** Particles per chunk of the moment passes: fixed, so the sums never depend on a thread split. */
export const DG_CHUNK: i32 = 4096;
/** Most points in a tree leaf; a node with more is split (kdtree.ts; leaves hold at least 3). */
export const DG_LEAF: i32 = 8;
/** Labels of at most this many particles take the all-pairs diameter. */
export const DG_SMALL: i32 = 32;
/** Bytes of a tree node before its box: begin, end, right child (0: a leaf), flags (i32 each). */
export const DG_NODE_HEAD: usize = 16;
/**
 * Most leaves of the top of the linkage tree (linkage.ts): it splits nodes of more than
 * ceil(4 n / DG_TOP_LEAVES) rows, whose children hold at least a quarter, so it has fewer leaves.
 */
export const DG_TOP_LEAVES: i32 = 128;
/** Nodes reserved for the top of the linkage tree (at most 2 DG_TOP_LEAVES - 1); the subtrees follow. */
export const DG_TOP_NODES: i32 = 256;
/** Most node pairs the linkage lists: each covers distinct pairs of top leaves. */
export const DG_LINK_PAIRS: i32 = (DG_TOP_LEAVES * (DG_TOP_LEAVES + 1)) >> 1;
/** Bytes of the linkage's lists (the links region). */
export const DG_LINKS_BYTES: usize = (<usize>DG_TOP_LEAVES << 2) + (<usize>DG_LINK_PAIRS << 3);
/** Units of the linkage's build and pair phases: a fixed number, so the split never depends on threads. */
export const DG_LINK_UNITS: i32 = 64;
/** Node-pair entries of one thread's traversal stack (3 per level of two trees is far below). */
export const DG_STACK: i32 = 4096;

/** Most angle bins of the d = 2 linkage (circle-linkage.ts): a thread's bins fill its scratch. */
export const DG_MAX_BINS: i32 = 4096;
/** Bytes of one angle bin: the least and largest key (f64) and their particles (i32). */
export const DG_BIN_BYTES: usize = 24;
/** Bytes before a thread's bins in its scratch: min |x|^2, max |x|^2 (f64), a flag (i32). */
export const DG_BIN_HEAD: usize = 32;
/**
 * Bytes of one thread's scratch: the traversal stack (DG_STACK pairs of i32) or, at d = 2, the
 * linkage's angle bins (never both at once).
 */
export const DG_SCRATCH: usize = max(<usize>DG_STACK << 3, DG_BIN_HEAD + <usize>DG_MAX_BINS * DG_BIN_BYTES);

/** f64 per chunk in chunkBuf. */
// @ts-ignore: decorator
@inline
export function chunkStride(d: i32): i32 {
  return 3 * d + 2;
}
