// The tiled pair loop (d >= TILE_MIN_D): register-blocked Gram, exp and sum blocks over packed
// tiles, in symmetric tile pairs where e_ij = e_ji bit for bit and in row units otherwise. It must
// agree with the JS reference engine and with the row loop, run where it applies, and keep memory
// a fixed multiple of n d.
import { describe, expect, it } from "vitest";
import { createEngine } from "../src/solve.js";
import { WasmEngine } from "../src/engines/wasm.js";
import { defineProblem, type ProblemConfig } from "../src/problem.js";
import { TILE_MIN_D, tiledPath } from "../src/engines/plan.js";
import { expectClose, randomOrthogonal } from "./helpers.js";

type Kernel = NonNullable<ProblemConfig["kernel"]>;

const L = 16;
const symW = Array.from({ length: L }, (_, a) => Array.from({ length: L }, (_, b) => 0.5 + 0.5 * Math.cos(a + b) * Math.cos(a - b)));
/** W symmetric within the kernel's tolerance (1e-12 relative) but not bit for bit: e_ij != e_ji, so the row units run. */
const nearW = symW.map((row, a) => row.map((w, b) => (a > b ? w * (1 + 1e-13) : w)));

/** One case per kind of term the tiled loop forms, with the unit layout it must take. */
const CASES: { label: string; path: "tiles" | "tileRows"; config: (d: number, n: number) => Partial<ProblemConfig> }[] = [
  { label: "usa", path: "tiles", config: () => ({ kernel: { name: "usa" } }) },
  { label: "sa", path: "tiles", config: () => ({ kernel: { name: "sa" } }) },
  { label: "usa, frozen particles", path: "tiles", config: (d, n) => ({ kernel: { name: "usa" }, frozen: [0, 33, n - 1] }) },
  { label: "weighted (symmetric W) with gauges", path: "tiles", config: (d) => ({ kernel: { name: "custom", content: "exp", weights: symW, gauges: gauges(d) } }) },
  { label: "weighted (W symmetric within 1e-12 only), sa", path: "tileRows", config: () => ({ kernel: { name: "custom", content: "exp", weights: nearW, normalize: "sa" } }) },
  { label: "prompt gauges, frozen", path: "tiles", config: (d, n) => ({ kernel: { name: "prompt", gauges: gauges(d) }, frozen: [1, n - 2] }) },
  { label: "attention, Q = K = I (unmasked)", path: "tiles", config: () => ({ kernel: { name: "attention", value: "spd" } }) },
  { label: "attention, gaussian Q, K (unmasked), frozen", path: "tileRows", config: () => ({ kernel: { name: "attention", query: "gaussian", key: "gaussian", value: "B" }, frozen: [2, 40] }) },
  { label: "attention, causal", path: "tileRows", config: () => ({ kernel: { name: "attention", mask: "causal", value: "spd" } }) },
  { label: "attention, ALiBi, sa", path: "tileRows", config: () => ({ kernel: { name: "attention", query: "goe", key: "goe", alibi: 2, normalize: "sa" } }) },
  { label: "multihead, Q = K in every head", path: "tiles", config: (d) => ({ kernel: { name: "multihead", heads: [{ value: "B" }, { query: randomOrthogonal(d, 9), key: randomOrthogonal(d, 9), normalize: "sa", beta: 2 }] } }) },
  { label: "multihead, causal and ALiBi heads", path: "tileRows", config: () => ({ kernel: { name: "multihead", heads: [{ query: "gaussian", key: "gaussian", value: "B", mask: "causal" }, { query: "goe", key: "goe", value: "spd", normalize: "sa", beta: 2, alibi: 1 }] } }) },
];

function gauges(d: number): number[][][] {
  return Array.from({ length: L }, (_, a) => randomOrthogonal(d, 300 + a));
}

/** n odd: two tiles (the second partial, with a partial last block) at d < 64; at d = 64, n = 75 keeps the JS engine quick. */
const nFor = (d: number): number => (d === 64 ? 75 : 101);

function problemOf(d: number, n: number, config: Partial<ProblemConfig>) {
  const labels = { assign: Array.from({ length: n }, (_, i) => (i * 7) % L), count: L };
  return defineProblem({ dim: d, n, beta: 1, labels, init: { seed: d + n, law: "uniform" }, ...config });
}

describe("the tiled loop vs the JS reference: V to 1e-12, states after 50 Heun steps to 1e-12", () => {
  for (const d of [16, 17, 33, 64]) {
    it.each(CASES)(`d = ${d}: $label`, async ({ path, config }) => {
      const n = nFor(d);
      const p = problemOf(d, n, config(d, n));
      const wasm = (await createEngine(p, { engine: "wasm", threads: 1 })) as WasmEngine;
      expect(wasm.plan.path).toBe(path);
      const js = await createEngine(p, { engine: "js" });
      const vw = new Float64Array(n * d), vj = new Float64Array(n * d);
      const ew = wasm.evaluate(vw), ej = js.evaluate(vj);
      expectClose(vw, vj, 1e-12, "velocity");
      expectClose(ew.energy, ej.energy, 1e-12 * Math.abs(ej.energy), "energy");
      expectClose(ew.meanSquaredSpeed, ej.meanSquaredSpeed, 1e-12 * ej.meanSquaredSpeed, "mean squared speed");
      wasm.step("heun", 0.01, 50);
      js.step("heun", 0.01, 50);
      const x = wasm.getState();
      expectClose(x, js.getState(), 1e-12, "state after 50 Heun steps");
      // the run moved (a comparison of untouched states would prove nothing) and frozen particles did not
      expect(Math.max(...x.map((v, k) => Math.abs(v - p.initial[k])))).toBeGreaterThan(1e-4);
      // (through the gauges and back: to rounding)
      if (p.frozen) for (let i = 0; i < n; i++) if (p.frozen[i]) expectClose(x.subarray(i * d, (i + 1) * d), p.initial.subarray(i * d, (i + 1) * d), 1e-14, `frozen particle ${i}`);
      wasm.dispose();
    });
  }
});

describe("the tiled loop vs the row loop", () => {
  it.each(CASES.filter((c) => !c.label.startsWith("attention") && !c.label.startsWith("multihead")))("d = 33, n = 301 (five tiles): $label, V to 1e-13", async ({ config }) => {
    const n = 301, d = 33;
    const p = problemOf(d, n, config(d, n));
    const v = [new Float64Array(n * d), new Float64Array(n * d)];
    const energies: number[] = [];
    for (const [k, pairLoop] of (["symmetric", "row"] as const).entries()) {
      const e = (await createEngine(p, { engine: "wasm", threads: 1, pairLoop })) as WasmEngine;
      expect(e.plan.path === "rows").toBe(pairLoop === "row");
      energies.push(e.evaluate(v[k]).energy);
      e.dispose();
    }
    expectClose(v[0], v[1], 1e-13, "velocity");
    expectClose(energies[0], energies[1], 1e-13 * Math.abs(energies[1]), "energy");
  });

  // n = 8255: tiles of 128 rows, two blocks each (block pairs inside a tile and across), the last tile of 63 rows
  it.each([
    { d: 16, label: "usa", config: { kernel: { name: "usa" } } as Partial<ProblemConfig> },
    { d: 17, label: "weighted with gauges, frozen", config: { kernel: { name: "custom", content: "exp", weights: symW, gauges: gauges(17) }, frozen: [3, 127, 128, 8254] } as Partial<ProblemConfig> },
  ])("d = $d, n = 8255 (tiles of two blocks): $label, V to 1e-13", async ({ d, config }) => {
    const n = 8255;
    const p = problemOf(d, n, config);
    const v = [new Float64Array(n * d), new Float64Array(n * d)];
    for (const [k, pairLoop] of (["symmetric", "row"] as const).entries()) {
      const e = (await createEngine(p, { engine: "wasm", threads: 1, pairLoop })) as WasmEngine;
      if (k === 0) expect([e.plan.path, e.plan.symTile]).toEqual(["tiles", 128]);
      e.evaluate(v[k]);
      e.dispose();
    }
    expectClose(v[0], v[1], 1e-13, "velocity");
  });
});

describe("where the tiled loop runs", () => {
  const base = { n: 40, beta: 1, init: { seed: 1, law: "uniform" as const } };
  it("d >= TILE_MIN_D with exp content or attention heads; symmetric tiles only where e_ij = e_ji bit for bit", () => {
    expect(TILE_MIN_D).toBe(16);
    expect(tiledPath(defineProblem({ ...base, dim: 15 }))).toBeNull();
    expect(tiledPath(defineProblem({ ...base, dim: 16 }))).toBe("tiles");
    expect(tiledPath(defineProblem({ ...base, dim: 16, kernel: { name: "custom", content: "linear", weights: [[1]] } }))).toBeNull();
    expect(tiledPath(defineProblem({ ...base, dim: 16, kernel: { name: "attention" } }))).toBe("tiles");
    expect(tiledPath(defineProblem({ ...base, dim: 16, kernel: { name: "attention", alibi: 1 } }))).toBe("tileRows");
    expect(tiledPath(defineProblem({ ...base, dim: 16, kernel: { name: "attention", mask: "causal" } }))).toBe("tileRows");
    expect(tiledPath(defineProblem({ ...base, dim: 16, kernel: { name: "attention", query: "gaussian", key: "gaussian" } }))).toBe("tileRows");
  });

  it('pairLoop "row" keeps the row loop (and attention its row passes)', async () => {
    for (const kernel of [{ name: "usa" }, { name: "attention" }] as Kernel[]) {
      const e = (await createEngine(defineProblem({ ...base, dim: 16, kernel }), { engine: "wasm", threads: 1, pairLoop: "row" })) as WasmEngine;
      expect(e.plan.path).toBe(kernel.name === "usa" ? "rows" : "attention");
      e.dispose();
    }
  });

  it("memory stays a fixed multiple of n d: beyond the row loop's layout, d + 1 rows of sums and a scratch per thread of O(n d / 16)", async () => {
    const d = 64;
    for (const n of [8192, 16384]) {
      const p = defineProblem({ ...base, n, dim: d });
      const [tiled, rows] = [await WasmEngine.create(p, { threads: 2 }), await WasmEngine.create(p, { threads: 2, pairLoop: "row" })];
      expect(tiled.plan.path).toBe("tiles");
      const extra = tiled.layout.bytes - rows.layout.bytes;
      expect(extra).toBeGreaterThanOrEqual((d + 1) * n * 8);
      expect(extra).toBeLessThanOrEqual((d + 1) * n * 8 + 2 * ((4 * (d + 1) * (n / 64 + 16) + 4096) * 8));
      tiled.dispose();
      rows.dispose();
    }
  });
});
