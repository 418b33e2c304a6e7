// WGSL compute shaders of the WebGPU engine, generated per problem with its sizes as constants
// (docs/webgpu.md, "Kernels"). Every buffer is f32 (or u32), particle-major: x[i*D + k].
//
// Bindings shared by all shaders: binding 0 is the uniform Params {n, hh}. Row i of a pair pass
// is handled by invocation (i mod WG) of workgroup floor(i / (WG R)), rows r*WG + lid of its block,
// so that loads and stores of neighbouring invocations are neighbours in memory.

/** Bit of a particle's tag that marks it frozen; the low bits hold its label. */
export const FROZEN_BIT = 0x80000000;

/** Sizes a pair shader is compiled for. */
export interface PairShape {
  /** dimension d */
  readonly dim: number;
  /** invocations per workgroup (a power of two) */
  readonly workgroupSize: number;
  /** rows each invocation accumulates (register blocking) */
  readonly rowsPerThread: number;
  /** columns per tile held in workgroup memory */
  readonly tile: number;
}

/** An f32 literal for a finite number. */
function f32(x: number): string {
  const v = Math.fround(x);
  if (!Number.isFinite(v)) throw new RangeError(`not a finite f32: ${x}`);
  return `${v}f`;
}

const HEADER = `
struct Params { n: u32, hh: f32, p0: u32, p1: u32 }
@group(0) @binding(0) var<uniform> P: Params;
const LABEL_MASK: u32 = 0x7fffffffu;
const FROZEN_BIT: u32 = 0x80000000u;`;

/** The constants of a pair shader and its fixed-order workgroup sum. */
function pairPrelude(s: PairShape): string {
  return `${HEADER}
const D: u32 = ${s.dim}u;
const R: u32 = ${s.rowsPerThread}u;
const WG: u32 = ${s.workgroupSize}u;
const T: u32 = ${s.tile}u;
var<workgroup> red: array<f32, ${s.workgroupSize}>;

// the sum of value over the workgroup's invocations, by a fixed tree (the same order every run)
fn workgroupSum(lid: u32, value: f32) -> f32 {
  red[lid] = value;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s = s / 2u) {
    if (lid < s) { red[lid] = red[lid] + red[lid + s]; }
    workgroupBarrier();
  }
  let total = red[0];
  workgroupBarrier();
  return total;
}`;
}

/** What the label-table pair shader computes. */
export interface LabelKernelShape extends PairShape {
  /** "exp": kappa'(u) = exp(beta (u - 1)) (shifted); "linear": kappa'(u) = 1 */
  readonly content: "exp" | "linear";
  readonly beta: number;
  /** true: divide each row by its weight sum (softmax, "sa") */
  readonly softmax: boolean;
  /** the number of labels L when a W table is bound, else null (W = 1) */
  readonly labelCount: number | null;
}

/**
 * The fused pair pass of the label-table kernels, in the gauge frame z (docs/model.md "Dynamics"):
 *   S_i = sum_j W[a_i,a_j] kappa'_s(<z_i,z_j>) z_j,  N_i = sum_j W kappa'_s,
 *   v_i = c_i P_{z_i}(S_i), c_i = 1 (usa: the factor e^beta / n is the host's) or 1 / N_i (sa),
 * with kappa'_s(u) = exp(beta (u - 1)) <= 1, the exponent shifted by its maximum at u = 1.
 * Columns come in tiles of T through workgroup memory; each tile's terms are summed first and
 * the tile sums then added (blocked summation). Each workgroup writes two partial sums: the
 * energy's row sums (N_i for exp, sum_j W u for linear) and sum |v_i|^2.
 */
export function labelPairShader(s: LabelKernelShape): string {
  const weighted = s.labelCount !== null;
  const linear = s.content === "linear";
  const weight = weighted ? "W[ai[r] * LC + tl[c]]" : "1.0f";
  const term = linear ? weight : `${weighted ? "w * " : ""}exp(BETA * u - BETA)`;
  return `${pairPrelude(s)}
const BETA: f32 = ${f32(s.beta)};
${weighted ? `const LC: u32 = ${s.labelCount}u;` : ""}
@group(0) @binding(1) var<storage, read> src: array<f32>;
@group(0) @binding(2) var<storage, read_write> vel: array<f32>;
@group(0) @binding(3) var<storage, read_write> part: array<f32>;
@group(0) @binding(4) var<storage, read> tags: array<u32>;
${weighted ? "@group(0) @binding(5) var<storage, read> W: array<f32>;" : ""}
var<workgroup> tz: array<f32, ${s.tile * s.dim}>;
${weighted ? `var<workgroup> tl: array<u32, ${s.tile}>;` : ""}

@compute @workgroup_size(${s.workgroupSize})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let n = P.n;
  let g = wid.y * nwg.x + wid.x;
  let base = g * (WG * R);
  var zi: array<array<f32, D>, R>;
  var acc: array<array<f32, D>, R>;
  var rs: array<f32, R>;
  ${linear ? "var es: array<f32, R>;" : ""}
  ${weighted ? "var ai: array<u32, R>;" : ""}
  for (var r = 0u; r < R; r++) {
    let i = base + r * WG + lid;
    if (i < n) {
      for (var k = 0u; k < D; k++) { zi[r][k] = src[i * D + k]; }
      ${weighted ? "ai[r] = tags[i] & LABEL_MASK;" : ""}
    }
  }
  for (var j0 = 0u; j0 < n; j0 = j0 + T) {
    let cnt = min(T, n - j0);
    workgroupBarrier();
    for (var q = lid; q < cnt * D; q = q + WG) { tz[q] = src[j0 * D + q]; }
    ${weighted ? "for (var q = lid; q < cnt; q = q + WG) { tl[q] = tags[j0 + q] & LABEL_MASK; }" : ""}
    workgroupBarrier();
    // the tile's sums, zeroed explicitly each tile (declarations inside a loop are not re-zeroed everywhere)
    var tacc: array<array<f32, D>, R>;
    var trs: array<f32, R>;
    ${linear ? "var tes: array<f32, R>;" : ""}
    for (var r = 0u; r < R; r++) {
      for (var k = 0u; k < D; k++) { tacc[r][k] = 0.0f; }
      trs[r] = 0.0f;
      ${linear ? "tes[r] = 0.0f;" : ""}
    }
    for (var c = 0u; c < cnt; c++) {
      for (var r = 0u; r < R; r++) {
        var u = 0.0f;
        for (var k = 0u; k < D; k++) { u = u + zi[r][k] * tz[c * D + k]; }
        ${weighted && !linear ? `let w = ${weight};` : ""}
        let e = ${term};
        for (var k = 0u; k < D; k++) { tacc[r][k] = tacc[r][k] + e * tz[c * D + k]; }
        trs[r] = trs[r] + e;
        ${linear ? "tes[r] = tes[r] + e * u;" : ""}
      }
    }
    for (var r = 0u; r < R; r++) {
      for (var k = 0u; k < D; k++) { acc[r][k] = acc[r][k] + tacc[r][k]; }
      rs[r] = rs[r] + trs[r];
      ${linear ? "es[r] = es[r] + tes[r];" : ""}
    }
  }
  var eSum = 0.0f;
  var vSum = 0.0f;
  for (var r = 0u; r < R; r++) {
    let i = base + r * WG + lid;
    if (i < n) {
      let frozen = (tags[i] & FROZEN_BIT) != 0u;
      let c = ${s.softmax ? "1.0f / rs[r]" : "1.0f"};
      var fz = 0.0f;
      for (var k = 0u; k < D; k++) { fz = fz + acc[r][k] * zi[r][k]; }
      var v2 = 0.0f;
      for (var k = 0u; k < D; k++) {
        let v = select(c * (acc[r][k] - fz * zi[r][k]), 0.0f, frozen);
        vel[i * D + k] = v;
        v2 = v2 + v * v;
      }
      eSum = eSum + ${linear ? "es[r]" : "rs[r]"};
      vSum = vSum + v2;
    }
  }
  let eTotal = workgroupSum(lid, eSum);
  let vTotal = workgroupSum(lid, vSum);
  if (lid == 0u && base < n) {
    part[g * 2u] = eTotal;
    part[g * 2u + 1u] = vTotal;
  }
}
`;
}

/** What the attention pair shader computes. */
export interface AttentionShape extends PairShape {
  /** number of heads H */
  readonly heads: number;
}

/**
 * The fused pair pass of attention heads (docs/kernels.md "Attention, masks and heads"), over q = beta Q x,
 * k = K x, v = V x of every head (buffers of H n d, head-major):
 *   A_i^h = sum_j w_ij exp(<q_i, k_j> - shift_h) v_j,  Z_i^h = sum_j w_ij exp(<q_i, k_j> - shift_h),
 *   F_i = sum_h c_i^h A_i^h,  c = e^shift / n (usa) or 1 / Z (sa),  dx_i/dt = P_{x_i}(F_i),
 * w_ij = 1, or j <= i only (causal) with the ALiBi factor exp(-rate (i - j)), rate = lambda / n.
 * shift_h = beta ||Q^T K||_2 bounds the exponent, so every term lies in [e^{-2 shift}, 1].
 * Head table (uniform): per head (e^shift / n or -1 for sa, shift, rate, 1 if causal).
 * Partial sums per workgroup: Z summed over its rows for each head, then sum |v_i|^2.
 */
export function attentionPairShader(s: AttentionShape): string {
  const H = s.heads;
  return `${pairPrelude(s)}
const H: u32 = ${H}u;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> qb: array<f32>;
@group(0) @binding(3) var<storage, read> kb: array<f32>;
@group(0) @binding(4) var<storage, read> vb: array<f32>;
@group(0) @binding(5) var<storage, read_write> vel: array<f32>;
@group(0) @binding(6) var<storage, read_write> part: array<f32>;
@group(0) @binding(7) var<storage, read> tags: array<u32>;
@group(0) @binding(8) var<uniform> heads: array<vec4<f32>, ${H}>;
var<workgroup> tk: array<f32, ${s.tile * s.dim}>;
var<workgroup> tv: array<f32, ${s.tile * s.dim}>;

@compute @workgroup_size(${s.workgroupSize})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let n = P.n;
  let g = wid.y * nwg.x + wid.x;
  let base = g * (WG * R);
  var f: array<array<f32, D>, R>;
  for (var h = 0u; h < H; h++) {
    let head = heads[h];
    let causal = head.w > 0.5f;
    let shift = head.y;
    let rate = head.z;
    let hb = h * n;
    var qi: array<array<f32, D>, R>;
    var acc: array<array<f32, D>, R>;
    var zs: array<f32, R>;
    for (var r = 0u; r < R; r++) {
      let i = base + r * WG + lid;
      for (var k = 0u; k < D; k++) {
        qi[r][k] = select(0.0f, qb[(hb + min(i, n - 1u)) * D + k], i < n);
        acc[r][k] = 0.0f;
      }
      zs[r] = 0.0f;
    }
    // a causal head needs the columns up to the block's last row only
    let jEnd = select(n, min(n, base + WG * R), causal);
    for (var j0 = 0u; j0 < jEnd; j0 = j0 + T) {
      let cnt = min(T, jEnd - j0);
      workgroupBarrier();
      for (var q = lid; q < cnt * D; q = q + WG) {
        tk[q] = kb[(hb + j0) * D + q];
        tv[q] = vb[(hb + j0) * D + q];
      }
      workgroupBarrier();
      var tacc: array<array<f32, D>, R>;
      var tzs: array<f32, R>;
      for (var r = 0u; r < R; r++) {
        for (var k = 0u; k < D; k++) { tacc[r][k] = 0.0f; }
        tzs[r] = 0.0f;
      }
      for (var c = 0u; c < cnt; c++) {
        let j = j0 + c;
        for (var r = 0u; r < R; r++) {
          let i = base + r * WG + lid;
          if (!causal || j <= i) {
            var s = 0.0f;
            for (var k = 0u; k < D; k++) { s = s + qi[r][k] * tk[c * D + k]; }
            let e = exp(s - shift - select(0.0f, rate * f32(i - j), causal));
            for (var k = 0u; k < D; k++) { tacc[r][k] = tacc[r][k] + e * tv[c * D + k]; }
            tzs[r] = tzs[r] + e;
          }
        }
      }
      for (var r = 0u; r < R; r++) {
        for (var k = 0u; k < D; k++) { acc[r][k] = acc[r][k] + tacc[r][k]; }
        zs[r] = zs[r] + tzs[r];
      }
    }
    var zSum = 0.0f;
    for (var r = 0u; r < R; r++) {
      let i = base + r * WG + lid;
      if (i < n) {
        let c = select(head.x, 1.0f / zs[r], head.x < 0.0f);
        for (var k = 0u; k < D; k++) { f[r][k] = f[r][k] + c * acc[r][k]; }
        zSum = zSum + zs[r];
      }
    }
    let zTotal = workgroupSum(lid, zSum);
    if (lid == 0u && base < n) { part[g * (H + 1u) + h] = zTotal; }
  }
  var vSum = 0.0f;
  for (var r = 0u; r < R; r++) {
    let i = base + r * WG + lid;
    if (i < n) {
      let frozen = (tags[i] & FROZEN_BIT) != 0u;
      var fx = 0.0f;
      for (var k = 0u; k < D; k++) { fx = fx + f[r][k] * x[i * D + k]; }
      var v2 = 0.0f;
      for (var k = 0u; k < D; k++) {
        let v = select(f[r][k] - fx * x[i * D + k], 0.0f, frozen);
        vel[i * D + k] = v;
        v2 = v2 + v * v;
      }
      vSum = vSum + v2;
    }
  }
  let vTotal = workgroupSum(lid, vSum);
  if (lid == 0u && base < n) { part[g * (H + 1u) + H] = vTotal; }
}
`;
}

/** Invocations per workgroup of the per-particle shaders (projection, advance). */
export const PARTICLE_WORKGROUP = 64;

/**
 * q = (beta Q) x, k = K x, v = V x of every head for every particle; the matrices (beta folded
 * into Q) at mats[(3 h + m) D D], row-major.
 */
export function projectShader(dim: number, heads: number): string {
  return `${HEADER}
const D: u32 = ${dim}u;
const H: u32 = ${heads}u;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> mats: array<f32>;
@group(0) @binding(3) var<storage, read_write> qb: array<f32>;
@group(0) @binding(4) var<storage, read_write> kb: array<f32>;
@group(0) @binding(5) var<storage, read_write> vb: array<f32>;

@compute @workgroup_size(${PARTICLE_WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = (wid.y * nwg.x + wid.x) * ${PARTICLE_WORKGROUP}u + lid;
  if (i >= P.n) { return; }
  var xi: array<f32, D>;
  for (var c = 0u; c < D; c++) { xi[c] = x[i * D + c]; }
  for (var h = 0u; h < H; h++) {
    let o = (h * P.n + i) * D;
    let mq = 3u * h * D * D;
    for (var r = 0u; r < D; r++) {
      var sq = 0.0f;
      var sk = 0.0f;
      var sv = 0.0f;
      for (var c = 0u; c < D; c++) {
        sq = sq + mats[mq + r * D + c] * xi[c];
        sk = sk + mats[mq + D * D + r * D + c] * xi[c];
        sv = sv + mats[mq + 2u * D * D + r * D + c] * xi[c];
      }
      qb[o + r] = sq;
      kb[o + r] = sk;
      vb[o + r] = sv;
    }
  }
}
`;
}

/**
 * y_i <- normalize(y_i + hh (a_i + b_i)) in place (frozen particles keep y_i): the projected
 * Euler step with b = a and hh = h sigma / 2, Heun's predictor (y a copy of x) and corrector.
 */
export function advanceShader(dim: number): string {
  return `${HEADER}
const D: u32 = ${dim}u;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<storage, read> a: array<f32>;
@group(0) @binding(3) var<storage, read> b: array<f32>;
@group(0) @binding(4) var<storage, read> tags: array<u32>;

@compute @workgroup_size(${PARTICLE_WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = (wid.y * nwg.x + wid.x) * ${PARTICLE_WORKGROUP}u + lid;
  if (i >= P.n || (tags[i] & FROZEN_BIT) != 0u) { return; }
  var t: array<f32, D>;
  var s = 0.0f;
  for (var k = 0u; k < D; k++) {
    t[k] = y[i * D + k] + P.hh * (a[i * D + k] + b[i * D + k]);
    s = s + t[k] * t[k];
  }
  let inv = 1.0f / sqrt(s);
  for (var k = 0u; k < D; k++) { y[i * D + k] = t[k] * inv; }
}
`;
}
