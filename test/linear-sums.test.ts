// The linear content's label sums (kappa(u) = u, any d): F_i = (1/n) sum_b W[a_i,b] S_b with
// S_b = sum_{j in b} z_j, O(n d + L^2 d) per evaluation and no pair loop. Checked against the row
// loop and the JS reference engine; where they run by default and where they may be forced. The
// thread-count tests are in threads.test.ts.
import { describe, expect, it } from "vitest";
import { createEngine, solve } from "../src/solve.js";
import { WasmEngine } from "../src/engines/wasm.js";
import { sumsChoice } from "../src/engines/plan.js";
import { ConfigError } from "../src/errors.js";
import { defineProblem, type ProblemConfig } from "../src/problem.js";
import { fastRowReference, maxAbsDiff, randomOrthogonal } from "./helpers.js";

const L = 16;
const sym = Array.from({ length: L }, (_, a) => Array.from({ length: L }, (_, b) => 0.5 + 0.5 * Math.cos(a + b) * Math.cos(a - b)));
/** 259 particles over 16 labels, interleaved (neighbouring rows mostly in different labels). */
const labels = { assign: Array.from({ length: 259 }, (_, i) => (i * 7) % L), count: L };

function system(d: number, kernel: ProblemConfig["kernel"], seed: number, extra: Partial<ProblemConfig> = {}) {
  return defineProblem({ dim: d, beta: 1, kernel, labels, init: { seed, law: "uniform" }, ...extra });
}

describe("the engine with the label sums agrees with the row loop and the JS reference", () => {
  const cases: { label: string; d: number; kernel: ProblemConfig["kernel"]; extra?: Partial<ProblemConfig> }[] = [
    { label: "toeplitz, d = 2", d: 2, kernel: { name: "toeplitz", coefficients: [0.2, 1, 0.3] } },
    { label: "toeplitz, d = 3, frozen", d: 3, kernel: { name: "toeplitz", coefficients: [0.5, -1, 0.25, 0.1] }, extra: { frozen: [0, 100, 258] } },
    { label: "custom linear W, d = 8", d: 8, kernel: { name: "custom", weights: sym, content: "linear" } },
    { label: "custom linear W and gauges, d = 5", d: 5, kernel: { name: "custom", weights: sym, content: "linear", gauges: Array.from({ length: L }, (_, a) => randomOrthogonal(5, 400 + a)) } },
    { label: "custom linear, W = 1, d = 4, frozen", d: 4, kernel: { name: "custom", content: "linear" }, extra: { frozen: [7] } },
    { label: "custom linear, one label, d = 33", d: 33, kernel: { name: "custom", content: "linear" }, extra: { labels: { count: 1, perLabel: 259 } } },
    { label: "custom linear W = [[-0.7]] (one label), d = 3", d: 3, kernel: { name: "custom", weights: [[-0.7]], content: "linear" }, extra: { labels: { count: 1, perLabel: 259 } } },
  ];
  it.each(cases)("$label: n = 259, velocity to 1e-13 of its scale, energy, 50 Heun steps to 1e-11", async ({ d, kernel, extra }) => {
    const p = system(d, kernel, 3, extra);
    expect(p.n).toBe(259);
    const { wasm, row, js, vw, vr, vj, ew, er, ej, scale } = await fastRowReference(p, "sums");
    expect(wasm.plan.path).toBe("sums");
    expect(row.plan.path).toBe("rows");
    expect(scale).toBeGreaterThan(0);
    expect(maxAbsDiff(vw, vr)).toBeLessThanOrEqual(1e-13 * scale);
    expect(maxAbsDiff(vw, vj)).toBeLessThanOrEqual(1e-13 * scale);
    // the energy of a linear kernel may be near 0: compare in units of its largest term, max |W| / 2
    for (const e of [er, ej]) {
      expect(Math.abs(ew.energy - e.energy)).toBeLessThanOrEqual(1e-13);
      expect(Math.abs(ew.meanSquaredSpeed - e.meanSquaredSpeed)).toBeLessThanOrEqual(1e-12 * e.meanSquaredSpeed);
    }
    const sw = wasm.step("heun", 0.01, 50), sr = row.step("heun", 0.01, 50), sj = js.step("heun", 0.01, 50);
    expect(Math.abs(sw - sr)).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(sw - sj)).toBeLessThanOrEqual(1e-12);
    expect(maxAbsDiff(wasm.getState(), row.getState())).toBeLessThanOrEqual(1e-11);
    expect(maxAbsDiff(wasm.getState(), js.getState())).toBeLessThanOrEqual(1e-11);
    expect(maxAbsDiff(wasm.getState(), p.initial)).toBeGreaterThan(1e-4);
    wasm.dispose(); row.dispose(); js.dispose();
  });

  it("a frozen particle keeps its place and still pulls the others", async () => {
    const p = system(3, { name: "toeplitz", coefficients: [0.2, 1] }, 4, { frozen: [5] });
    const e = await createEngine(p, { engine: "wasm", threads: 1, pairLoop: "sums" });
    const free = await createEngine(system(3, { name: "toeplitz", coefficients: [0.2, 1] }, 4), { engine: "wasm", threads: 1, pairLoop: "sums" });
    const v = new Float64Array(259 * 3), w = new Float64Array(259 * 3);
    e.evaluate(v); free.evaluate(w);
    expect([v[15], v[16], v[17]].every((x) => x === 0)).toBe(true);
    // the others' velocities are those of the system without the mask
    expect(maxAbsDiff(v.subarray(0, 15), w.subarray(0, 15))).toBe(0);
    e.dispose(); free.dispose();
  });
});

describe("where the label sums run", () => {
  it("by default wherever the content is linear and they cost less than the row loop", async () => {
    expect(sumsChoice(system(3, { name: "toeplitz", coefficients: [0.2, 1] }, 1))).toBe(true);
    expect(sumsChoice(defineProblem({ dim: 3, n: 4, kernel: { name: "custom", content: "linear" }, init: { law: "uniform", seed: 1 } }))).toBe(false);
    expect(sumsChoice(defineProblem({ dim: 3, n: 4, kernel: { name: "custom", content: "linear" }, init: { law: "uniform", seed: 1 } }), true)).toBe(true);
    expect(sumsChoice(system(3, { name: "usa" }, 1), true)).toBe(false);
    const e = (await createEngine(system(3, { name: "toeplitz", coefficients: [0.2, 1] }, 1), { engine: "wasm", threads: 1 })) as WasmEngine;
    expect(e.plan.path).toBe("sums");
    e.dispose();
  });

  it("\"row\" and \"symmetric\" keep the row loop; \"sums\" elsewhere is a ConfigError that names what it covers", async () => {
    const p = system(3, { name: "toeplitz", coefficients: [0.2, 1] }, 1);
    for (const pairLoop of ["row", "symmetric"] as const) {
      const e = (await createEngine(p, { engine: "wasm", threads: 1, pairLoop })) as WasmEngine;
      expect(e.plan.path).toBe("rows");
      e.dispose();
    }
    await expect(createEngine(system(3, { name: "usa" }, 1), { engine: "wasm", pairLoop: "sums" })).rejects.toThrow(ConfigError);
    await expect(createEngine(system(3, { name: "usa" }, 1), { engine: "wasm", pairLoop: "sums" })).rejects.toThrow(/pairLoop.*linear content.*got exp content/);
  });

  it("solve with \"sums\" and \"row\" gives the same run to 1e-12", async () => {
    const p = system(3, { name: "toeplitz", coefficients: [0.2, 1, 0.3] }, 2);
    const a = await solve(p, { pairLoop: "sums", time: 0.5, step: 0.01, record: 0.1, threads: 1 });
    const b = await solve(p, { pairLoop: "row", time: 0.5, step: 0.01, record: 0.1, threads: 1 });
    expect(maxAbsDiff(a.final, b.final)).toBeLessThanOrEqual(1e-12);
    expect(maxAbsDiff(a.energy, b.energy)).toBeLessThanOrEqual(1e-12);
  });
});
