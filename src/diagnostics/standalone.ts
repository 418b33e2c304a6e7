// The core's record diagnostics for a state held by the host (the JS engine, a batch job's
// trajectory): a plain (non-shared) memory of its own, laid out once per system, into which each
// call copies the state.
import { plainCoreModuleSync } from "../engines/core-binary.js";
import { ConfigError } from "../errors.js";
import { CoreDiagnostics, type DiagnosticsExports } from "./core.js";
import type { LinkageStatistics } from "./linkage.js";
import { planDiagnostics, writeDiagnosticsTables, type DiagSystem } from "./core-layout.js";

const PAGE = 65536;

/**
 * The core's diagnostics over a copy of a host state. States are particle-major (x[i*d + k]).
 * With `gauges` the state given is z (the gauge frame) and G_x, clusters use x_i = G_{a_i}^T z_i;
 * without, the state is taken as x itself.
 */
export class StateDiagnostics extends CoreDiagnostics {
  readonly dim: number;
  private readonly memoryRef: WebAssembly.Memory;
  private readonly statePtr: number;
  private readonly stride: number;

  private constructor(core: DiagnosticsExports, memory: WebAssembly.Memory, system: DiagSystem, base: number) {
    const { n, dim: d, labelCount: L } = system;
    const stride = n + (n & 1);
    const state = Math.ceil(base / 64) * 64;
    const labels = state + d * stride * 8;
    const layout = planDiagnostics(n, d, L, system.gauges !== null, labels + stride * 4);
    const pages = Math.ceil(layout.end / PAGE);
    if (pages > memory.buffer.byteLength / PAGE) memory.grow(pages - memory.buffer.byteLength / PAGE);
    super(core, memory, layout, n, L);
    this.dim = d;
    this.memoryRef = memory;
    this.statePtr = state;
    this.stride = stride;
    new Int32Array(memory.buffer).set(system.labels, labels >> 2);
    writeDiagnosticsTables(memory.buffer, layout, system, state, stride, labels);
  }

  /**
   * Diagnostics for systems like `system` (its labels and gauges are copied). Throws where wasm
   * cannot be compiled synchronously (a page's main thread); see createRecordDiagnostics.
   */
  static create(system: DiagSystem): StateDiagnostics {
    const { n, dim: d, labelCount: L } = system;
    if (!(Number.isInteger(n) && n >= 1)) throw new ConfigError("n", n, "an integer >= 1");
    if (!(Number.isInteger(d) && d >= 2)) throw new ConfigError("dim", d, "an integer >= 2");
    if (!(Number.isInteger(L) && L >= 1)) throw new ConfigError("labelCount", L, "an integer >= 1");
    if (system.labels.length !== n) throw new ConfigError("labels", `${system.labels.length} labels`, `one label per particle (n = ${n})`);
    const bad = system.labels.findIndex((a) => !(a >= 0 && a < L));
    if (bad >= 0) throw new ConfigError(`labels[${bad}]`, system.labels[bad], `an integer in 0..${L - 1} (labelCount = ${L})`);
    if (system.gauges && system.gauges.length !== L * d * d) throw new ConfigError("gauges", `${system.gauges.length} numbers`, `L d^2 = ${L * d * d} numbers (one d x d matrix per label) or null`);
    const memory = new WebAssembly.Memory({ initial: 1 });
    const instance = new WebAssembly.Instance(plainCoreModuleSync(), { env: { memory } });
    const core = instance.exports as unknown as DiagnosticsExports & { heapBase(): number };
    return new StateDiagnostics(core, memory, { ...system, labelCount: L }, Math.max(core.heapBase(), 64));
  }

  /**
   * linkageStatistics (diagnostics/linkage.ts) of the state set last: the same counts, exactly,
   * at O(n log n) for the configurations a run meets instead of O(n^2).
   */
  linkageStatistics(angle: number): LinkageStatistics {
    const { clusters, pairs } = this.linkage(angle, true);
    const all = (this.n * (this.n - 1)) / 2;
    return { clusters, pairFraction: all > 0 ? pairs / all : 1 };
  }

  /** Copies a particle-major state (n*d) into the core's memory; the next measurements read it. */
  setState(x: ArrayLike<number>): this {
    const d = this.dim, n = this.n, s = this.stride;
    if (!(x && x.length === n * d)) throw new ConfigError("state", x?.length, `a state of n*d = ${n * d} coordinates`);
    const f64 = new Float64Array(this.memoryRef.buffer), at = this.statePtr >> 3;
    for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) f64[at + k * s + i] = x[i * d + k];
    return this;
  }
}
