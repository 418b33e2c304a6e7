// The WebGPU engine: the state in f32 on the device (gauge frame z_i = G_{a_i} x_i, as the wasm
// core), the pair sums in one fused tiled pass per evaluation, the step on the device, and every
// host-side quantity (gauges, scales, energies, the state handed out) in f64 (docs/webgpu.md).
/// <reference types="@webgpu/types" />
import { ConfigError, SimulationError } from "../../errors.js";
import { applyMatrix, applyTranspose } from "../../linalg.js";
import type { Problem } from "../../problem.js";
import { checkSnapshot, checkStateInput, checkStepArguments, type AsyncEngine, type Evaluation, type HeunStep, type Method } from "../engine.js";
import { maxRowDistance } from "../../sphere.js";
import { ERROR_AGAINST, STEP_STAGES, type StateName, type VelocityName } from "../schedule.js";
import { requestDevice, type GpuAdapterSummary, type GpuProvider } from "./gpu.js";
import { checkSupported, pairShape, type PairTuning } from "./plan.js";
import {
  FROZEN_BIT, PARTICLE_WORKGROUP, advanceShader, attentionPairShader, labelPairShader, projectShader, type PairShape,
} from "./shaders.js";

/** GPUBufferUsage flags (numeric, so that no WebGPU global is needed). */
const USE = { MAP_READ: 0x1, COPY_SRC: 0x4, COPY_DST: 0x8, UNIFORM: 0x40, STORAGE: 0x80 } as const;
/** GPUMapMode.READ */
const MAP_READ = 0x1;
const STORAGE = USE.STORAGE | USE.COPY_SRC | USE.COPY_DST;

/**
 * Relative round-off of the energies the engine reports: each row's sum is f32 (blocked by tiles),
 * the sums over rows f64. The run loop's energy-drop guard is widened to it.
 */
export const WEBGPU_ENERGY_ROUNDOFF = 1e-5;

/** Options of the WebGPU engine. */
export interface WebGpuEngineOptions extends PairTuning {
  /**
   * the GPU entry point (default: navigator.gpu in a browser or worker, the `webgpu` package in
   * Node); anything with requestAdapter(), e.g. Dawn's create([...flags])
   */
  gpu?: GpuProvider;
}

interface Pipelines {
  pairs: GPUComputePipeline;
  advance: GPUComputePipeline;
  project: GPUComputePipeline | null;
}

interface Buffers {
  params: GPUBuffer;
  z: GPUBuffer; zt: GPUBuffer; k1: GPUBuffer; k2: GPUBuffer;
  tags: GPUBuffer;
  part1: GPUBuffer; part2: GPUBuffer;
  weights: GPUBuffer | null;
  q: GPUBuffer | null; k: GPUBuffer | null; v: GPUBuffer | null;
  mats: GPUBuffer | null; heads: GPUBuffer | null;
}

interface BindGroups {
  pairsZ: GPUBindGroup; pairsZt: GPUBindGroup;
  projectZ: GPUBindGroup | null; projectZt: GPUBindGroup | null;

}

/** Workgroup grid for `groups` workgroups within the per-dimension limit (the shaders flatten it back). */
function grid(groups: number, maxPerDim: number): [number, number] {
  const x = Math.min(groups, maxPerDim);
  return [x, Math.ceil(groups / x)];
}

/** The WebGPU engine: f32 compute shaders, one fused tiled pair pass per evaluation, asynchronous results (docs/webgpu.md). */
export class WebGpuEngine implements AsyncEngine {
  readonly kind = "webgpu" as const;
  readonly problem: Problem;
  /** the adapter the engine runs on */
  readonly adapter: GpuAdapterSummary;
  /** the pair pass's workgroup size, rows per invocation and tile */
  readonly shape: PairShape;
  readonly energyRoundoff = WEBGPU_ENERGY_ROUNDOFF;
  private readonly device: GPUDevice;
  private readonly pipelines: Pipelines;
  private readonly buffers: Buffers;
  private readonly bind: BindGroups;
  /** dx/dt = sigma * (the device's velocity): e^beta / n, 1 / n or 1 (see velocityScale) */
  private readonly sigma: number;
  /** E = sum_s energyFactors[s] * (sum of partial sums of slot s) */
  private readonly energyFactors: Float64Array;
  /** partial sums per workgroup: the energy slots, then sum |v|^2 */
  private readonly slots: number;
  private readonly pairGroups: number;
  private readonly pairGrid: [number, number];
  private readonly particleGrid: [number, number];
  /** mappable buffers for read-back, with their sizes; `busy` while a read uses one */
  private readonly stages = new Map<GPUBuffer, number>();
  private readonly busy = new Set<GPUBuffer>();
  /** advance bind groups by target state and velocities (advanceGroup) */
  private readonly advanceGroups = new Map<string, GPUBindGroup>();
  /** the device state read back, while no step or write has changed it */
  private hostZ: Float32Array | null = null;
  private version = 0;
  private failure: string | null = null;
  /** the GPU entry point, held while the engine lives (Dawn in Node keeps the process up while referenced) */
  private provider: GpuProvider | null;

  private constructor(problem: Problem, device: GPUDevice, adapter: GpuAdapterSummary, provider: GpuProvider, shape: PairShape, pipelines: Pipelines) {
    this.problem = problem;
    this.provider = provider;
    this.device = device;
    this.adapter = adapter;
    this.shape = shape;
    this.pipelines = pipelines;
    const { n, dim: d } = problem;
    const heads = problem.attention;
    this.slots = heads ? heads.length + 1 : 2;
    this.pairGroups = Math.ceil(n / (shape.workgroupSize * shape.rowsPerThread));
    const maxPerDim = device.limits.maxComputeWorkgroupsPerDimension;
    this.pairGrid = grid(this.pairGroups, maxPerDim);
    this.particleGrid = grid(Math.ceil(n / PARTICLE_WORKGROUP), maxPerDim);
    this.sigma = velocityScale(problem);
    this.energyFactors = energyFactors(problem);
    const storage = (bytes: number, usage = STORAGE) => device.createBuffer({ size: Math.max(16, bytes), usage });
    const nd = n * d * 4;
    const H = heads?.length ?? 0;
    this.buffers = {
      params: storage(16, USE.UNIFORM | USE.COPY_DST),
      z: storage(nd), zt: storage(nd), k1: storage(nd), k2: storage(nd),
      tags: storage(n * 4),
      part1: storage(this.pairGroups * this.slots * 4), part2: storage(this.pairGroups * this.slots * 4),
      weights: problem.weights && !heads ? storage(problem.weights.length * 4) : null,
      q: heads ? storage(H * nd) : null, k: heads ? storage(H * nd) : null, v: heads ? storage(H * nd) : null,
      mats: heads ? storage(3 * H * d * d * 4) : null,
      heads: heads ? storage(H * 16, USE.UNIFORM | USE.COPY_DST) : null,
    };
    this.writeTables();
    this.bind = this.makeBindGroups();
    device.lost.then((info) => {
      if (info.reason !== "destroyed") this.failure = `the GPU device was lost (${info.message || info.reason})`;
    }, () => {});
    this.setState(problem.initial);
  }

  /**
   * An engine on this platform's GPU (or options.gpu's), holding the problem's initial state.
   * Throws ConfigError for a problem or option it does not run (naming the field), and
   * GpuUnavailableError (a SimulationError) where no WebGPU device can be had.
   */
  static async create(problem: Problem, options: WebGpuEngineOptions = {}): Promise<WebGpuEngine> {
    checkSupported(problem);
    const shape = pairShape(problem, options);
    const { device, adapter, provider } = await requestDevice(options.gpu);
    try {
      checkSizes(problem, device.limits);
      const pipelines = await makePipelines(device, problem, shape);
      device.pushErrorScope("out-of-memory");
      device.pushErrorScope("validation");
      const engine = new WebGpuEngine(problem, device, adapter, provider, shape, pipelines);
      const invalid = await device.popErrorScope();
      const oom = await device.popErrorScope();
      if (oom || invalid) throw new SimulationError(`engine "webgpu" could not set up this system on ${adapter.name}: ${(oom ?? invalid)!.message}`);
      return engine;
    } catch (e) {
      device.destroy();
      throw e;
    }
  }

  private writeTables(): void {
    const p = this.problem, q = this.device.queue, b = this.buffers, d = p.dim;
    const tags = new Uint32Array(p.n);
    for (let i = 0; i < p.n; i++) tags[i] = (p.labels[i] | (p.frozen?.[i] ? FROZEN_BIT : 0)) >>> 0;
    q.writeBuffer(b.tags, 0, tags);
    q.writeBuffer(b.params, 0, new Uint32Array([p.n, 0, 0, 0]));
    if (b.weights) q.writeBuffer(b.weights, 0, Float32Array.from(p.weights!));
    const heads = p.attention;
    if (heads) {
      const mats = new Float32Array(3 * heads.length * d * d), table = new Float32Array(4 * heads.length);
      heads.forEach((h, k) => {
        // beta folded into Q: q = beta Q x
        mats.set(h.query.map((v) => h.beta * v), 3 * k * d * d);
        mats.set(h.key, (3 * k + 1) * d * d);
        mats.set(h.value, (3 * k + 2) * d * d);
        table.set([h.normalize === "sa" ? -1 : Math.exp(h.shift) / p.n, h.shift, h.alibi / p.n, h.mask === "causal" ? 1 : 0], 4 * k);
      });
      q.writeBuffer(b.mats!, 0, mats);
      q.writeBuffer(b.heads!, 0, table);
    }
  }

  private makeBindGroups(): BindGroups {
    const dev = this.device, b = this.buffers, pl = this.pipelines;
    const group = (pipeline: GPUComputePipeline, list: (GPUBuffer | null)[]): GPUBindGroup => dev.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: list.flatMap((buffer, binding) => (buffer ? [{ binding, resource: { buffer } }] : [])),
    });
    const attention = this.problem.attention !== null;
    const pairs = (src: GPUBuffer, vel: GPUBuffer, part: GPUBuffer) => attention
      ? group(pl.pairs, [b.params, src, b.q, b.k, b.v, vel, part, b.tags, b.heads])
      : group(pl.pairs, [b.params, src, vel, part, b.tags, b.weights]);
    const project = (src: GPUBuffer) => (pl.project ? group(pl.project, [b.params, src, b.mats, b.q, b.k, b.v]) : null);
    return {
      pairsZ: pairs(b.z, b.k1, b.part1), pairsZt: pairs(b.zt, b.k2, b.part2),
      projectZ: project(b.z), projectZt: project(b.zt),
    };
  }

  private alive(): void {
    if (this.failure) throw new SimulationError(`engine "webgpu": ${this.failure}`);
  }

  /** One evaluation of the velocity at z (or zt) into k1 (k2), with its partial sums. */
  private velocityPass(pass: GPUComputePassEncoder, predicted: boolean): void {
    const pl = this.pipelines, bg = this.bind;
    if (pl.project) {
      pass.setPipeline(pl.project);
      pass.setBindGroup(0, predicted ? bg.projectZt! : bg.projectZ!);
      pass.dispatchWorkgroups(...this.particleGrid);
    }
    pass.setPipeline(pl.pairs);
    pass.setBindGroup(0, predicted ? bg.pairsZt : bg.pairsZ);
    pass.dispatchWorkgroups(...this.pairGrid);
  }

  private advancePass(pass: GPUComputePassEncoder, group: GPUBindGroup): void {
    pass.setPipeline(this.pipelines.advance);
    pass.setBindGroup(0, group);
    pass.dispatchWorkgroups(...this.particleGrid);
  }

  /**
   * Encodes one step, stage by stage as engines/schedule.ts lists them (the one statement of the
   * schedule); the last step also copies the first evaluation's partial sums to `stage`. The
   * advance shader works in place, so an advance into another state first copies its source there.
   */
  private encodeStep(method: Method, stage: GPUBuffer | null): GPUCommandBuffer {
    const enc = this.device.createCommandEncoder();
    const b = this.buffers, states: Record<StateName, GPUBuffer> = { x: b.z, xt: b.zt };
    let pass: GPUComputePassEncoder | null = null;
    for (const s of STEP_STAGES[method]) {
      if (s.kind === "velocity") {
        // the pair pass at z writes k1, at zt k2 (its bind groups), as the schedule names them
        if (s.into !== (s.at === "x" ? "k1" : "k2")) throw new Error(`engine "webgpu": no pair pass from ${s.at} into ${s.into}`);
        pass ??= enc.beginComputePass();
        this.velocityPass(pass, s.at === "xt");
      } else {
        if (s.from !== s.into) {
          pass?.end();
          pass = null;
          enc.copyBufferToBuffer(states[s.from], 0, states[s.into], 0, states[s.from].size);
        }
        pass ??= enc.beginComputePass();
        this.advancePass(pass, this.advanceGroup(s.into, s.a, s.b));
      }
    }
    pass?.end();
    if (stage) enc.copyBufferToBuffer(b.part1, 0, stage, 0, b.part1.size);
    return enc.finish();
  }

  /** The advance shader's bind group for y = into, updated by velocities a and b (made once each). */
  private advanceGroup(into: StateName, a: VelocityName, b: VelocityName): GPUBindGroup {
    const key = `${into} ${a} ${b}`;
    let group = this.advanceGroups.get(key);
    if (!group) {
      const bufs = this.buffers, states = { x: bufs.z, xt: bufs.zt }, velocities = { k1: bufs.k1, k2: bufs.k2 };
      group = this.device.createBindGroup({
        layout: this.pipelines.advance.getBindGroupLayout(0),
        entries: [bufs.params, states[into], velocities[a], velocities[b], bufs.tags].map((buffer, binding) => ({ binding, resource: { buffer } })),
      });
      this.advanceGroups.set(key, group);
    }
    return group;
  }

  /** A mappable buffer of at least `bytes` (reused when idle). */
  private stage(bytes: number): GPUBuffer {
    for (const [buf, size] of this.stages) if (size >= bytes && buf.mapState === "unmapped" && !this.busy.has(buf)) return this.claim(buf);
    const buf = this.device.createBuffer({ size: Math.max(16, bytes), usage: USE.MAP_READ | USE.COPY_DST });
    this.stages.set(buf, bytes);
    return this.claim(buf);
  }

  private claim(buf: GPUBuffer): GPUBuffer {
    this.busy.add(buf);
    return buf;
  }

  /** Submits the command buffers and reads `bytes` of `stage` back once they are done. */
  private async submitAndRead(commands: GPUCommandBuffer[], reads: [GPUBuffer, number][]): Promise<Float32Array[]> {
    const dev = this.device;
    dev.pushErrorScope("out-of-memory");
    dev.pushErrorScope("validation");
    // short submissions: one per step
    for (const c of commands) dev.queue.submit([c]);
    const invalid = dev.popErrorScope(), oom = dev.popErrorScope();
    try {
      const out: Float32Array[] = [];
      for (const [buf, bytes] of reads) {
        await buf.mapAsync(MAP_READ, 0, Math.ceil(bytes / 4) * 4);
        out.push(new Float32Array(buf.getMappedRange(0, bytes).slice(0)));
        buf.unmap();
      }
      const err = (await invalid) ?? (await oom);
      if (err) throw new SimulationError(`engine "webgpu": the device refused the work: ${err.message}`);
      return out;
    } catch (e) {
      this.alive();
      if (e instanceof SimulationError) throw e;
      throw new SimulationError(`engine "webgpu": reading back from the device failed: ${(e as Error).message}`);
    } finally {
      for (const [buf] of reads) this.busy.delete(buf);
    }
  }

  /** E from one evaluation's partial sums: f64 sums over workgroups in index order. */
  private energyOf(part: Float32Array): number {
    let e = 0;
    for (let s = 0; s < this.slots - 1; s++) {
      let sum = 0;
      for (let g = 0; g < this.pairGroups; g++) sum += part[g * this.slots + s];
      e += this.energyFactors[s] * sum;
    }
    return e;
  }

  private speedOf(part: Float32Array): number {
    let sum = 0;
    for (let g = 0; g < this.pairGroups; g++) sum += part[g * this.slots + this.slots - 1];
    return (this.sigma * this.sigma * sum) / this.problem.n;
  }

  setState(x: Float64Array): void {
    const { n, dim: d, gauges, labels } = this.problem;
    checkStateInput(x, n, d);
    const z = new Float32Array(n * d), t = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      if (gauges) {
        applyMatrix(d, gauges, labels[i] * d * d, x, i * d, t, 0);
        for (let k = 0; k < d; k++) z[i * d + k] = t[k];
      } else {
        for (let k = 0; k < d; k++) z[i * d + k] = x[i * d + k];
      }
    }
    this.writeState(z);
  }

  restore(state: Float64Array): void {
    checkSnapshot(state, this.problem.n, this.problem.dim);
    this.writeState(Float32Array.from(state));
  }

  private writeState(z: Float32Array<ArrayBuffer>): void {
    this.alive();
    this.device.queue.writeBuffer(this.buffers.z, 0, z);
    this.version++;
    this.hostZ = null;
  }

  /** The device state z, f32 (read back once per state). */
  private async deviceState(): Promise<Float32Array> {
    this.alive();
    if (this.hostZ) return this.hostZ;
    const version = this.version, bytes = this.buffers.z.size, stage = this.stage(bytes);
    const enc = this.device.createCommandEncoder();
    enc.copyBufferToBuffer(this.buffers.z, 0, stage, 0, bytes);
    const [z] = await this.submitAndRead([enc.finish()], [[stage, bytes]]);
    const state = z.subarray(0, this.problem.n * this.problem.dim);
    if (version === this.version) this.hostZ = state;
    return state;
  }

  /** The device's f32 state z widened to f64, exactly: restore(snapshot()) continues bit for bit. */
  async snapshot(): Promise<Float64Array> {
    return Float64Array.from(await this.deviceState());
  }

  /** z_i renormalised in f64 (|z_i| = 1 to f64 round-off; the device keeps it to f32's). */
  async getGaugeState(out = new Float64Array(this.problem.n * this.problem.dim)): Promise<Float64Array> {
    const z = await this.deviceState(), d = this.problem.dim;
    for (let i = 0; i < this.problem.n; i++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += z[i * d + k] * z[i * d + k];
      const inv = 1 / Math.sqrt(s);
      for (let k = 0; k < d; k++) out[i * d + k] = z[i * d + k] * inv;
    }
    return out;
  }

  /** x_i = G_{a_i}^T z_i in f64, from the renormalised z_i. */
  async getState(out = new Float64Array(this.problem.n * this.problem.dim)): Promise<Float64Array> {
    const { n, dim: d, gauges, labels } = this.problem;
    if (!gauges) return this.getGaugeState(out);
    const z = await this.getGaugeState();
    for (let i = 0; i < n; i++) applyTranspose(d, gauges, labels[i] * d * d, z, i * d, out, i * d);
    return out;
  }

  async step(method: Method, h: number, count = 1): Promise<number> {
    checkStepArguments(method, h, count);
    this.alive();
    // the device advances by hh (a + b) with hh = h sigma / 2 (f32)
    const hh = Math.fround((h * this.sigma) / 2);
    if (!Number.isFinite(hh) || hh === 0) {
      throw new SimulationError(`engine "webgpu": the step's scaled size h e^beta / (2 n) = ${(h * this.sigma) / 2} is outside f32's range (h = ${h}); use a smaller h or "timeScale": "fast", or engine "wasm"`);
    }
    this.device.queue.writeBuffer(this.buffers.params, 4, Float32Array.of(hh));
    const part = this.stage(this.buffers.part1.size);
    const commands: GPUCommandBuffer[] = [];
    for (let s = 0; s < count; s++) commands.push(this.encodeStep(method, s === count - 1 ? part : null));
    this.version++;
    this.hostZ = null;
    const [p] = await this.submitAndRead(commands, [[part, this.buffers.part1.size]]);
    return this.energyOf(p);
  }

  /**
   * One Heun step with its embedded error estimate (adaptive runs): the step's result against its
   * predictor (engines/schedule.ts ERROR_AGAINST), which the step leaves in its buffer; both are
   * read back and compared on the host in f64. Two evaluations, as on the CPU engines.
   */
  async heunStep(h: number): Promise<HeunStep> {
    const energy = await this.step("heun", h, 1);
    const predictor = ERROR_AGAINST === "xt" ? this.buffers.zt : this.buffers.z;
    const bytes = predictor.size, stage = this.stage(bytes), enc = this.device.createCommandEncoder();
    enc.copyBufferToBuffer(predictor, 0, stage, 0, bytes);
    const [p] = await this.submitAndRead([enc.finish()], [[stage, bytes]]);
    const nd = this.problem.n * this.problem.dim;
    return { energy, error: maxRowDistance(await this.snapshot(), this.problem.dim, Float64Array.from(p.subarray(0, nd))) };
  }

  async evaluate(velocityOut?: Float64Array): Promise<Evaluation> {
    this.alive();
    const b = this.buffers, enc = this.device.createCommandEncoder();
    const pass = enc.beginComputePass();
    this.velocityPass(pass, false);
    pass.end();
    const part = this.stage(b.part1.size);
    enc.copyBufferToBuffer(b.part1, 0, part, 0, b.part1.size);
    const reads: [GPUBuffer, number][] = [[part, b.part1.size]];
    if (velocityOut) {
      const v = this.stage(b.k1.size);
      enc.copyBufferToBuffer(b.k1, 0, v, 0, b.k1.size);
      reads.push([v, b.k1.size]);
    }
    const [p, v] = await this.submitAndRead([enc.finish()], reads);
    if (velocityOut) this.velocityToOriginal(v, velocityOut);
    return { energy: this.energyOf(p), meanSquaredSpeed: this.speedOf(p) };
  }

  /** dx_i/dt = sigma G_{a_i}^T v_i in f64. */
  private velocityToOriginal(v: Float32Array, out: Float64Array): void {
    const { n, dim: d, gauges, labels } = this.problem;
    const t = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < d; k++) t[k] = this.sigma * v[i * d + k];
      if (gauges) applyTranspose(d, gauges, labels[i] * d * d, t, 0, out, i * d);
      else out.set(t, i * d);
    }
  }

  /** Releases the device and every buffer; the engine cannot be used afterwards. */
  dispose(): void {
    if (this.failure === null) this.failure = "the engine was disposed";
    this.device.destroy();
    this.provider = null;
  }
}

/** sigma with dx/dt = sigma * (device velocity): the factor the device leaves out of each row. */
function velocityScale(p: Problem): number {
  if (p.attention || p.normalize === "sa") return 1;
  // the device sums exp(beta (u - 1)); kappa' = e^beta exp(beta (u - 1)) on the natural scale
  return (p.content === "exp" && p.timeScale === "natural" ? Math.exp(p.beta) : 1) / p.n;
}

/** The factor of each energy slot's sum: E = 1/(2 n^2) sum_ij K (Definitions 4 and 8). */
function energyFactors(p: Problem): Float64Array {
  const nn = 2 * p.n * p.n;
  // attention: E = sum_h e^shift_h / (2 n^2 beta_h) sum_i Z_i^h
  if (p.attention) return Float64Array.from(p.attention, (h) => Math.exp(h.shift) / (nn * h.beta));
  if (p.content === "linear") return Float64Array.of(1 / nn);
  // kappa(u) = e^beta exp(beta (u - 1)) / beta; the fast scale reports E e^{-beta}
  return Float64Array.of((p.timeScale === "natural" ? Math.exp(p.beta) : 1) / (nn * p.beta));
}

/** Refuses a system whose buffers exceed what this device binds. */
function checkSizes(p: Problem, limits: GPUSupportedLimits): void {
  const max = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  const largest = 4 * p.n * p.dim * (p.attention?.length ?? 1);
  if (largest > max) {
    throw new ConfigError("n", p.n, `a system whose largest device buffer (${largest} bytes: n d${p.attention ? " H" : ""} f32) fits this adapter's limit of ${max} bytes`);
  }
  if (p.weights && !p.attention && 4 * p.weights.length > max) {
    throw new ConfigError("labels", `${p.labelCount} labels`, `a weight table of L^2 f32 within this adapter's limit of ${max} bytes`);
  }
}

/** Compiles the engine's shaders, turning a compilation failure into a SimulationError with the compiler's messages. */
async function makePipelines(device: GPUDevice, p: Problem, shape: PairShape): Promise<Pipelines> {
  const compile = async (label: string, code: string): Promise<GPUComputePipeline> => {
    const module = device.createShaderModule({ label, code });
    try {
      return await device.createComputePipelineAsync({ label, layout: "auto", compute: { module, entryPoint: "main" } });
    } catch (e) {
      const info = await module.getCompilationInfo();
      const lines = info.messages.map((m) => `${m.type} at ${m.lineNum}:${m.linePos}: ${m.message}`).join("; ");
      throw new SimulationError(`engine "webgpu": the ${label} shader did not compile on this device: ${lines || (e as Error).message}`);
    }
  };
  const heads = p.attention;
  const pairs = heads
    ? attentionPairShader({ ...shape, heads: heads.length })
    : labelPairShader({ ...shape, content: p.content, beta: p.beta, softmax: p.normalize === "sa", labelCount: p.weights ? p.labelCount : null });
  const [pairPipeline, advance, project] = await Promise.all([
    compile("pair", pairs),
    compile("advance", advanceShader(p.dim)),
    heads ? compile("projection", projectShader(p.dim, heads.length)) : Promise.resolve(null),
  ]);
  return { pairs: pairPipeline, advance, project };
}
