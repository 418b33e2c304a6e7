// The WebGPU engine's Node path: Dawn (the optional `webgpu` package) loaded only when asked for,
// a clear error where it finds no adapter (these machines: Dawn refuses Debian's lavapipe), and
// the checks that refuse what the engine does not run before any device is requested. The engine's
// arithmetic is tested in Chromium (test/e2e/webgpu.e2e.ts).
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main, type CliIO } from "../src/cli/main.js";
import { parseSimulationConfig } from "../src/config.js";
import { ConfigError, SimulationError } from "../src/errors.js";
import { GpuUnavailableError, loadNodeGpu, type GpuProvider } from "../src/engines/webgpu/gpu.js";
import { defineProblem } from "../src/problem.js";
import { createEngine } from "../src/solve.js";

const CLI = join(__dirname, "..", "dist", "cli.js");
const small = () => defineProblem({ dim: 3, n: 8, init: { law: "uniform", seed: 1 } });
/** A GPU entry point that offers no adapter, as navigator.gpu does on a machine without one. */
const noAdapter: GpuProvider = { requestAdapter: async () => null };

describe("engine webgpu in Node", () => {
  it("loads Dawn only when asked for, and without an adapter says so in a GpuUnavailableError (a SimulationError)", async () => {
    let engine: Awaited<ReturnType<typeof createEngine>> | null = null;
    let error: unknown = null;
    try {
      engine = await createEngine(small(), { engine: "webgpu" });
    } catch (e) {
      error = e;
    }
    if (engine) {
      // a machine with a GPU: the engine runs and names its adapter
      expect(engine.kind).toBe("webgpu");
      expect((await engine.evaluate()).energy).toBeGreaterThan(0);
      engine.dispose();
      return;
    }
    expect(error).toBeInstanceOf(GpuUnavailableError);
    expect(error).toBeInstanceOf(SimulationError);
    expect((error as Error).message).toMatch(/^engine "webgpu": no WebGPU adapter: Dawn found no GPU driver .*; use engine "wasm"$/);
  });

  it("names the optional package and how to install it when it cannot be loaded", async () => {
    const e = await loadNodeGpu("meanfield-transformer-no-such-package").catch((x: unknown) => x);
    expect(e).toBeInstanceOf(GpuUnavailableError);
    expect((e as Error).message).toMatch(/needs the optional package "meanfield-transformer-no-such-package" .*npm install meanfield-transformer-no-such-package, or use engine "wasm"/);
  });

  it("takes a GPU entry point (options.webgpu.gpu) and reports an absent adapter", async () => {
    await expect(createEngine(small(), { engine: "webgpu", webgpu: { gpu: noAdapter } })).rejects.toThrow(/no WebGPU adapter/);
    const failing: GpuProvider = { requestAdapter: async () => { throw new Error("blocked by policy"); } };
    await expect(createEngine(small(), { engine: "webgpu", webgpu: { gpu: failing } })).rejects.toThrow(/the adapter request failed \(blocked by policy\)/);
  });

  it("refuses, before any device is asked for, what it does not run (a ConfigError naming the field)", async () => {
    const cases: [() => Promise<unknown>, RegExp][] = [
      [() => createEngine(defineProblem({ dim: 300, n: 4 }), { engine: "webgpu", webgpu: { gpu: noAdapter } }), /^dim: got 300; allowed: at most 256/],
      [() => createEngine(defineProblem({ dim: 3, n: 4, kernel: { name: "attention", beta: 60 } }), { engine: "webgpu", webgpu: { gpu: noAdapter } }), /^kernel\.beta: got 60; allowed: a head with beta \|\|Q\^T K\|\|_2 <= 40/],
      [() => createEngine(defineProblem({ dim: 3, n: 4, kernel: { name: "multihead", heads: [{}, { beta: 45 }] } }), { engine: "webgpu", webgpu: { gpu: noAdapter } }), /^kernel\.heads\[1\]\.beta: got 45/],
      [() => createEngine(small(), { engine: "webgpu", precision: "f64" }), /^precision: got "f64"; allowed: "f32" or absent/],
      [() => createEngine(small(), { engine: "webgpu", pairLoop: "row" }), /^pairLoop: got "row"; allowed: absent with engine "webgpu"/],
      [() => createEngine(small(), { engine: "webgpu", webgpu: { gpu: noAdapter, workgroupSize: 48 } }), /^workgroupSize: got 48; allowed: one of 32, 64, 128, 256/],
      [() => createEngine(small(), { engine: "webgpu", webgpu: { gpu: noAdapter, rowsPerThread: 9 } }), /^rowsPerThread: got 9/],
    ];
    for (const [attempt, message] of cases) {
      const e = await attempt().catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as Error).message).toMatch(message);
    }
  });

  it("the configuration accepts engine webgpu (f32) and refuses precision f64 with it", () => {
    const parsed = parseSimulationConfig({ dim: 3, n: 4, engine: "webgpu" });
    expect(parsed.engine).toBe("webgpu");
    expect(parsed.precision).toBe("f32");
    expect(() => parseSimulationConfig({ dim: 3, n: 4, engine: "webgpu", precision: "f64" })).toThrow(/^precision: got "f64"/);
    expect(() => parseSimulationConfig({ dim: 3, n: 4, engine: "cuda" })).toThrow(/^engine: got "cuda"; allowed: .*"webgpu"/);
  });
});

describe("mft simulate with engine webgpu and no adapter", () => {
  const dir = mkdtempSync(join(tmpdir(), "mft-webgpu-"));
  const cfg = join(dir, "cfg.json");
  writeFileSync(cfg, JSON.stringify({ dim: 3, n: 16, engine: "webgpu", solver: { time: 0.1, record: 0.05 } }));

  it("main() returns 1 with one line on stderr", async () => {
    const err: string[] = [];
    const io: CliIO = { stdout: () => {}, stderr: (t) => err.push(t), readStdin: () => "" };
    const code = await main(["simulate", cfg], io);
    if (code === 0) return; // a machine with a GPU
    expect(code).toBe(1);
    expect(err.join("")).toMatch(/^mft: simulation stopped: engine "webgpu": no WebGPU adapter: .*use engine "wasm"\n$/);
  });

  it("the built bin exits 1 without a stack trace", () => {
    const r = spawnSync(process.execPath, [CLI, "simulate", cfg], { encoding: "utf8" });
    if (r.status === 0) return; // a machine with a GPU
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/mft: simulation stopped: engine "webgpu": no WebGPU adapter/);
    // Dawn itself may print a native warning (a missing Vulkan loader, with its C++ source line); no JavaScript stack
    expect(r.stderr).not.toMatch(/^\s+at .*(\.[cm]?[jt]s|node:internal)/m);
    expect(r.stdout).toBe("");
  });
});
