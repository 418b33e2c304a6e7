// The symmetric pair loop (d = 3, f64, exp content, W symmetric bit for bit): one exp per pair,
// fixed tiles and rounds of disjoint tile pairs. It must agree with the JS reference and with the row loop, and run
// only where it applies.
import { describe, expect, it } from "vitest";
import { createEngine } from "../src/solve.js";
import { WasmEngine } from "../src/engines/wasm.js";
import { SYM_MIN_N, SYM_TILE, SYM_TILES_MAX, symmetricTile, tileDependencies, tileRounds, usesSymmetricLoop } from "../src/engines/plan.js";
import { expectClose, kernelCases, problemFor } from "./helpers.js";
import type { KernelSpec } from "../src/kernels/specs.js";

/** n = 201: four tiles, the last one of 9 rows (odd: a row without a partner and an odd last column). */
const N = 201;
const labels = { assign: Array.from({ length: N }, (_, i) => (i * 7) % 16), count: 16 };

describe("the tiles and their rounds", () => {
  it.each([128, 200, 201, 1000, 4096, 8192, 8193, 65535, 1 << 20])("n = %i: whole sub-tiles, at most SYM_TILES_MAX tiles covering 0..n-1", (n) => {
    const R = symmetricTile(n);
    expect(R % SYM_TILE).toBe(0);
    expect(Math.ceil(n / R)).toBeLessThanOrEqual(SYM_TILES_MAX);
    // no smaller multiple of SYM_TILE would do
    if (R > SYM_TILE) expect(Math.ceil(n / (R - SYM_TILE))).toBeGreaterThan(SYM_TILES_MAX);
  });

  it.each([2, 3, 4, 7, 16, 63, 128])("T = %i tiles: every pair P < Q once, no tile twice in a round", (T) => {
    const rounds = tileRounds(T);
    expect(rounds).toHaveLength(T - 1 + (T & 1));
    const seen = new Set<number>();
    for (const round of rounds) {
      const inRound = new Set<number>();
      for (const [p, q] of round) {
        expect(p).toBeLessThan(q);
        expect(q).toBeLessThan(T);
        expect(inRound.has(p) || inRound.has(q)).toBe(false);
        inRound.add(p);
        inRound.add(q);
        expect(seen.has(p * T + q)).toBe(false);
        seen.add(p * T + q);
      }
      expect(round.length).toBe(Math.floor(T / 2));
    }
    expect(seen.size).toBe((T * (T - 1)) / 2);
  });
});

describe("the units' dependencies", () => {
  it.each([2, 5, 16, 33])("T = %i: a unit waits for the previous unit of each of its tiles, earlier in unit order", (T) => {
    const rounds = tileRounds(T);
    const after = tileDependencies(T, rounds);
    const tilesOf = (u: number): number[] => (u < T ? [u] : rounds.flat()[u - T]);
    const units = after.length / 2;
    expect(units).toBe(T + (T * (T - 1)) / 2);
    for (let u = 0; u < units; u++) {
      for (const p of tilesOf(u)) {
        // the latest earlier unit that touched tile p, or none
        let prev = -1;
        for (let v = 0; v < u; v++) if (tilesOf(v).includes(p)) prev = v;
        expect([after[2 * u], after[2 * u + 1]]).toContain(prev);
      }
      if (u < T) expect([after[2 * u], after[2 * u + 1]]).toEqual([-1, -1]);
    }
  });
});

describe("where the symmetric loop runs", () => {
  it("d = 3, f64, exp content, n >= SYM_MIN_N, W absent or symmetric bit for bit; nowhere else", () => {
    const big = { count: 16, perLabel: 16 };
    expect(SYM_MIN_N).toBeLessThanOrEqual(256);
    for (const { label, kernel } of kernelCases(3)) {
      const p = problemFor(3, kernel, 1, { labels: big });
      expect(usesSymmetricLoop(p, "f64"), label).toBe(p.content === "exp");
      expect(usesSymmetricLoop(p, "f32"), label).toBe(false);
    }
    expect(usesSymmetricLoop(problemFor(5, { name: "usa" }, 1, { labels: big }), "f64")).toBe(false);
    expect(usesSymmetricLoop(problemFor(3, { name: "usa" }, 1, { labels: { count: 16, perLabel: 4 } }), "f64")).toBe(false);
    // symmetric within the configuration's tolerance, but not bit for bit: the row loop
    const W = Array.from({ length: 16 }, (_, a) => Array.from({ length: 16 }, (_, b) => 1 + 0.1 * Math.abs(a - b)));
    W[2][5] += 1e-15;
    expect(usesSymmetricLoop(problemFor(3, { name: "custom", weights: W, content: "exp" }, 1, { labels: big }), "f64")).toBe(false);
  });
});

describe(`wasm with the symmetric loop and js agree, d = 3, n = ${N}`, () => {
  it.each(kernelCases(3).filter((c) => problemFor(3, c.kernel).content === "exp"))("$label: 100 Heun steps, then 20 Euler", async ({ kernel }) => {
    const p = problemFor(3, kernel, 5, { labels, frozen: [3, 64, 200] });
    const wasm = (await createEngine(p, { engine: "wasm", threads: 1, pairLoop: "symmetric" })) as WasmEngine;
    expect(wasm.symmetric).toBe(true);
    const js = await createEngine(p, { engine: "js" });
    const ew = wasm.step("heun", 0.01, 100), ej = js.step("heun", 0.01, 100);
    expect(Math.abs(ew - ej)).toBeLessThanOrEqual(1e-10 * Math.abs(ej));
    wasm.step("euler", 0.01, 20);
    js.step("euler", 0.01, 20);
    expectClose(wasm.getState(), js.getState(), 1e-10, "final states");
    const vw = new Float64Array(N * 3), vj = new Float64Array(N * 3);
    wasm.evaluate(vw);
    js.evaluate(vj);
    expectClose(vw, vj, 1e-10, "velocities");
  });
});

describe("the pairLoop option", () => {
  it("rejects anything but \"symmetric\" or \"row\", naming the option, in both engines", async () => {
    const p = problemFor(3, { name: "usa" }, 1, { labels: { count: 16, perLabel: 16 } });
    for (const engine of ["wasm", "js"] as const) {
      await expect(createEngine(p, { engine, pairLoop: "fast" as "row" })).rejects.toThrow(/^pairLoop: got "fast"; allowed: one of "symmetric", "row"/);
    }
  });
});

describe("the symmetric loop and the row loop give the same sums up to rounding", () => {
  it.each<{ label: string; kernel: KernelSpec; beta: number }>([
    { label: "usa, beta = 1", kernel: { name: "usa" }, beta: 1 },
    { label: "sa, beta = 5", kernel: { name: "sa" }, beta: 5 },
    { label: "distanceBias (weighted), beta = 2", kernel: { name: "distanceBias", length: 0.3 }, beta: 2 },
    { label: "usa, beta = 500 (the clamped exp)", kernel: { name: "usa" }, beta: 500 },
  ])("$label, n = 1031", async ({ kernel, beta }) => {
    const n = 1031;
    const p = problemFor(3, kernel, 9, { beta, labels: { assign: Array.from({ length: n }, (_, i) => i % 16), count: 16 } });
    const sym = (await createEngine(p, { engine: "wasm", threads: 1, pairLoop: "symmetric" })) as WasmEngine;
    const row = (await createEngine(p, { engine: "wasm", threads: 1, pairLoop: "row" })) as WasmEngine;
    expect(sym.symmetric).toBe(true);
    expect(row.symmetric).toBe(false);
    const vs = new Float64Array(n * 3), vr = new Float64Array(n * 3);
    const a = sym.evaluate(vs), b = row.evaluate(vr);
    expect(Math.abs(a.energy - b.energy)).toBeLessThanOrEqual(1e-13 * Math.abs(b.energy));
    let scale = 0;
    for (const v of vr) scale = Math.max(scale, Math.abs(v));
    expect(scale).toBeGreaterThan(0);
    expectClose(vs, vr, 1e-13 * scale, "velocities");
    // a different summation order: not the same bits
    expect(vs.every((v, k) => Object.is(v, vr[k]))).toBe(false);
  });
});
