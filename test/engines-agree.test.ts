// The wasm core (gauge frame, SIMD) and the JS reference (original frame, plain maths) agree.
import { describe, expect, it } from "vitest";
import { createEngine } from "../src/solve.js";
import { engineFor, expectClose, kernelCases, problemFor } from "./helpers.js";
import type { KernelSpec } from "../src/kernels/specs.js";

/** Stated tolerance: final states after 500 Heun steps (h = 0.01) agree to 1e-10 in every coordinate. */
const AGREEMENT = 1e-10;

describe.each([3, 8])("wasm and js agree, d = %i", (d) => {
  it.each(kernelCases(d))("$label: 500 Heun steps, n = 64", async ({ kernel }) => {
    const wasm = await engineFor("wasm", d, kernel, 11);
    const js = await engineFor("js", d, kernel, 11);
    const ew = wasm.step("heun", 0.01, 500);
    const ej = js.step("heun", 0.01, 500);
    expectClose(wasm.getState(), js.getState(), AGREEMENT, "final states");
    expect(Math.abs(ew - ej)).toBeLessThanOrEqual(1e-10 * Math.abs(ej));
    const vw = new Float64Array(64 * d), vj = new Float64Array(64 * d);
    const a = wasm.evaluate(vw), b = js.evaluate(vj);
    expectClose(vw, vj, AGREEMENT, "velocities");
    expectClose(a.meanSquaredSpeed, b.meanSquaredSpeed, 1e-12, "mean squared speed");
  });
});

describe("wasm and js agree on the paths with remainders and masks", () => {
  it.each([
    { label: "odd n = 63, d = 3 (scalar tail column)", d: 3, n: 63 },
    { label: "odd n = 131, d = 5 (blocked loop, odd last block)", d: 5, n: 131 },
    { label: "n = 1", d: 4, n: 1 },
    { label: "d = 2 (the circle), n = 9", d: 2, n: 9 },
  ])("$label", async ({ d, n }) => {
    const kernel: KernelSpec = { name: "distanceBias", length: 0.2 };
    const p = problemFor(d, kernel, 3, { labels: { assign: Array.from({ length: n }, (_, i) => i % 7), count: 7 } });
    const wasm = await createEngine(p, { engine: "wasm" });
    const js = await createEngine(p, { engine: "js" });
    for (const method of ["heun", "euler"] as const) {
      wasm.step(method, 0.02, 100);
      js.step(method, 0.02, 100);
      expectClose(wasm.getState(), js.getState(), AGREEMENT, `${method} states`);
    }
  });

  it("frozen particles never move and still pull the others", async () => {
    const frozen = [0, 5, 17, 63];
    const p = problemFor(3, { name: "rope" }, 4, { frozen });
    const wasm = await createEngine(p, { engine: "wasm" });
    const js = await createEngine(p, { engine: "js" });
    wasm.step("heun", 0.01, 300);
    js.step("heun", 0.01, 300);
    const xw = wasm.getState();
    expectClose(xw, js.getState(), AGREEMENT, "states");
    for (const i of frozen) expectClose(xw.subarray(i * 3, i * 3 + 3), p.initial.subarray(i * 3, i * 3 + 3), 1e-15, `frozen particle ${i}`);
    const free = await createEngine(problemFor(3, { name: "rope" }, 4), { engine: "wasm" });
    free.step("heun", 0.01, 300);
    expect(Math.abs(free.getState()[3] - xw[3])).toBeGreaterThan(1e-6);
  });
});

describe("the two wasm builds", () => {
  it("plain memory (one thread, no cross-origin isolation) and shared memory give bitwise equal runs", async () => {
    const p = problemFor(5, { name: "distanceBias", length: 0.3 }, 12);
    const plain = await createEngine(p, { engine: "wasm", sharedMemory: false });
    const shared = await createEngine(p, { engine: "wasm", sharedMemory: true });
    expect((plain as unknown as { shared: boolean }).shared).toBe(false);
    expect((shared as unknown as { shared: boolean }).shared).toBe(true);
    plain.step("heun", 0.01, 200);
    shared.step("heun", 0.01, 200);
    expect(Array.from(plain.getState())).toEqual(Array.from(shared.getState()));
  });
});
