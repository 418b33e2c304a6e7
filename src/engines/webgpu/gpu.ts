// Finding a WebGPU device: navigator.gpu in a browser (or a worker), the optional `webgpu` package
// (Dawn) in Node, loaded only when the WebGPU engine is asked for.
/// <reference types="@webgpu/types" />
import { SimulationError } from "../../errors.js";

/**
 * No WebGPU device could be had here: no `navigator.gpu`, no adapter, the `webgpu` package
 * missing in Node, or a device request refused. A SimulationError (the CLI exits 1), so that a
 * caller can fall back to another engine (the demo falls back to "wasm").
 */
export class GpuUnavailableError extends SimulationError {
  constructor(message: string) {
    super(message);
    this.name = "GpuUnavailableError";
  }
}

/** What the engine reports about the adapter it runs on. */
export interface GpuAdapterSummary {
  /** a readable name: the adapter's description, else vendor, architecture and device */
  readonly name: string;
  readonly vendor: string;
  readonly architecture: string;
  /**
   * true for a software or fallback adapter (SwiftShader, lavapipe, llvmpipe, WARP): it computes
   * correctly but slowly, so its timings say nothing about a GPU
   */
  readonly software: boolean;
}

/** The minimal view of a GPU entry point (navigator.gpu, or Dawn's `create()`): a way to ask for an adapter. */
export interface GpuProvider {
  requestAdapter(options?: { powerPreference?: "low-power" | "high-performance" }): Promise<unknown>;
}

/** The name under which Node resolves Dawn's bindings (an optional dependency of this package). */
export const NODE_WEBGPU_PACKAGE = "webgpu";

/** True in Node (not in a browser or a worker). */
function inNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === "string" && typeof (globalThis as { window?: unknown }).window === "undefined";
}

/**
 * Loads Dawn's bindings from the package `specifier` (default "webgpu") and makes a GPU entry
 * point. The specifier is a variable so that bundlers leave the import alone: browser bundles
 * never include Dawn. Dawn keeps Node running while an entry point is referenced, so none is
 * cached here: each engine holds its own and drops it on dispose().
 */
export async function loadNodeGpu(specifier: string = NODE_WEBGPU_PACKAGE): Promise<GpuProvider> {
  let mod: { create?: (flags: string[]) => GpuProvider };
  try {
    mod = (await import(/* @vite-ignore */ specifier)) as typeof mod;
  } catch (e) {
    throw new GpuUnavailableError(`engine "webgpu" in Node needs the optional package "${specifier}" (Dawn's WebGPU for Node), which could not be loaded: ${(e as Error).message.split("\n")[0]}; install it with npm install ${specifier}, or use engine "wasm"`);
  }
  if (typeof mod.create !== "function") throw new GpuUnavailableError(`the package "${specifier}" has no create() function: not Dawn's WebGPU for Node`);
  return mod.create([]);
}

/** The GPU entry point of this platform: the one given, navigator.gpu, or Dawn in Node. */
export async function gpuProvider(given?: GpuProvider): Promise<GpuProvider> {
  if (given) return given;
  const nav = (globalThis as { navigator?: { gpu?: GpuProvider } }).navigator;
  if (nav?.gpu) return nav.gpu;
  if (inNode()) return loadNodeGpu();
  throw new GpuUnavailableError(`engine "webgpu": this page has no WebGPU (navigator.gpu is undefined: a browser without WebGPU, WebGPU switched off, or a page outside a secure context such as http://localhost or https); use engine "wasm"`);
}

const SOFTWARE = /swiftshader|lavapipe|llvmpipe|software|warp|microsoft basic render|cpu/i;

/** A summary of an adapter's info (GPUAdapterInfo, or the older adapter fields). */
export function summariseAdapter(adapter: GPUAdapter): GpuAdapterSummary {
  const info = (adapter.info ?? {}) as Partial<GPUAdapterInfo> & { isFallbackAdapter?: boolean };
  const vendor = info.vendor ?? "", architecture = info.architecture ?? "", device = info.device ?? "", description = info.description ?? "";
  const name = description || [vendor, architecture, device].filter((s) => s !== "").join(" ") || "unnamed adapter";
  const fallback = info.isFallbackAdapter === true || (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter === true;
  return { name, vendor, architecture, software: fallback || SOFTWARE.test(`${vendor} ${architecture} ${device} ${description}`) };
}

/** A device with the largest buffer limits its adapter allows, the adapter's summary and the entry point used. */
export async function requestDevice(given?: GpuProvider): Promise<{ device: GPUDevice; adapter: GpuAdapterSummary; provider: GpuProvider }> {
  const gpu = await gpuProvider(given);
  let adapter: GPUAdapter | null;
  try {
    adapter = (await gpu.requestAdapter({ powerPreference: "high-performance" })) as GPUAdapter | null;
  } catch (e) {
    throw new GpuUnavailableError(`engine "webgpu": the adapter request failed (${(e as Error).message}); use engine "wasm"`);
  }
  if (!adapter) {
    const where = inNode() ? "Dawn found no GPU driver it can use (Vulkan, Metal or D3D12; a software Vulkan such as lavapipe may be refused)" : "the browser offers none (no GPU, a blocked driver, or WebGPU disabled)";
    throw new GpuUnavailableError(`engine "webgpu": no WebGPU adapter: ${where}; use engine "wasm"`);
  }
  const a = adapter.limits;
  try {
    const device = await adapter.requestDevice({
      requiredLimits: {
        maxStorageBufferBindingSize: a.maxStorageBufferBindingSize,
        maxBufferSize: a.maxBufferSize,
        maxComputeWorkgroupsPerDimension: a.maxComputeWorkgroupsPerDimension,
      },
    });
    return { device, adapter: summariseAdapter(adapter), provider: gpu };
  } catch (e) {
    throw new GpuUnavailableError(`engine "webgpu": the adapter refused a device (${(e as Error).message}); use engine "wasm"`);
  }
}
