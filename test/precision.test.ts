// precision "f32": dot products and exp in f32x4 lanes, sums and state in f64 (d = 3, exp kernels).
// Stated tolerances against the f64 core (beta = 1): velocities 1e-6 absolute, energy 1e-7
// relative, states after 100 Heun steps (h = 0.01) 1e-6. Measured: about 2e-8, 2e-8 and 3e-9.
import { describe, expect, it } from "vitest";
import { createEngine } from "../src/solve.js";
import { parseSimulationConfig } from "../src/config.js";
import { ConfigError } from "../src/errors.js";
import type { WasmEngine } from "../src/engines/wasm.js";
import { expectClose, kernelCases, problemFor } from "./helpers.js";

const F32_VELOCITY = 1e-6;
const F32_ENERGY = 1e-7;
const F32_STATE = 1e-6;

const cases = kernelCases(3).filter((c) => ["usa", "sa", "distanceBias", "rope (block rotations)", "prompt (gauges)", "custom (exp)"].includes(c.label));

describe("precision f32 against f64", () => {
  it.each(cases)("$label: n = 7, 64 and 1023 (masked last quad), velocities, energy, 100 Heun steps", async ({ kernel }) => {
    for (const n of [7, 64, 1023]) {
      const p = problemFor(3, kernel, 5, { labels: { assign: Array.from({ length: n }, (_, i) => i % 16), count: 16 } });
      const a = await createEngine(p, { engine: "wasm", threads: 1 });
      const b = (await createEngine(p, { engine: "wasm", threads: 1, precision: "f32" })) as WasmEngine;
      expect(b.precision).toBe("f32");
      const va = new Float64Array(n * 3), vb = new Float64Array(n * 3);
      const ea = a.evaluate(va), eb = b.evaluate(vb);
      expectClose(vb, va, F32_VELOCITY, `velocities, n = ${n}`);
      expect(Math.abs(eb.energy - ea.energy)).toBeLessThanOrEqual(F32_ENERGY * Math.abs(ea.energy));
      // f32 really differs from f64 (the flag reaches the core)
      expect(va.some((v, q) => v !== vb[q])).toBe(true);
      a.step("heun", 0.01, 100);
      b.step("heun", 0.01, 100);
      expectClose(b.getState(), a.getState(), F32_STATE, `states after 100 steps, n = ${n}`);
    }
  });

  it("is bitwise the same for threads 1, 2, 3 (n = 519)", async () => {
    const p = problemFor(3, { name: "distanceBias", length: 0.3 }, 9, { labels: { assign: Array.from({ length: 519 }, (_, i) => i % 16), count: 16 } });
    const states: Float64Array[] = [];
    for (const threads of [1, 2, 3]) {
      const e = (await createEngine(p, { engine: "wasm", threads, precision: "f32" })) as WasmEngine;
      expect(e.threads).toBe(threads);
      e.step("heun", 0.01, 5);
      states.push(e.getState());
      e.dispose();
    }
    for (const s of states.slice(1)) expect(s.every((v, q) => Object.is(v, states[0][q]))).toBe(true);
  });
});

describe("the precision option", () => {
  it("f32 is refused where it is not implemented, naming the option", async () => {
    await expect(createEngine(problemFor(5, { name: "usa" }), { engine: "wasm", precision: "f32" })).rejects.toThrow(/^precision: got "f32"; allowed: "f64" for this problem/);
    const sym = Array.from({ length: 16 }, () => Array.from({ length: 16 }, () => 1));
    await expect(createEngine(problemFor(3, { name: "custom", weights: sym, content: "linear" }), { engine: "wasm", precision: "f32" })).rejects.toThrow(ConfigError);
    await expect(createEngine(problemFor(3, { name: "usa" }), { engine: "js", precision: "f32" })).rejects.toThrow(/^precision: got "f32"; allowed: "f64" with engine "js"/);
    await expect(createEngine(problemFor(3, { name: "usa" }), { engine: "wasm", precision: "f16" as never })).rejects.toThrow(/^precision: got "f16"/);
  });

  it("the simulate config accepts a top-level precision", () => {
    const base = { dim: 3, n: 8, init: { seed: 1, law: "uniform" } };
    expect(parseSimulationConfig({ ...base, precision: "f32" }).precision).toBe("f32");
    expect(parseSimulationConfig(base).precision).toBe("f64");
    expect(() => parseSimulationConfig({ ...base, precision: 32 })).toThrow(/^precision: got 32/);
  });
});
