// Exact realisation (Theorem 2 (ii), Theorem 4 (ii)-(iii)): the output law approaches the
// target, the distance within a stated tolerance and shrinking as n grows.
import { describe, expect, it } from "vitest";
import { ConfigError } from "../src/errors.js";
import { phaseFieldFor, promptGaugesFor } from "../src/realise.js";
import { bimodalAngles, orbitRealisation } from "../src/theorems/phaseField.js";
import { sphereRealisation } from "../src/theorems/prompt.js";

describe("phase field realising a law on the orbit (Theorem 2 (ii))", () => {
  it("circular W1 to the target is below 2 pi / L and shrinks as L grows", async () => {
    const target = bimodalAngles(8192);
    const w: number[] = [];
    for (const L of [8, 32, 128]) {
      const r = await orbitRealisation(target, L, 2, 3, 1);
      // the flow reaches the discrete prediction to round-off; what is left is the quantile grid
      expect(r.residual).toBeLessThan(1e-9);
      expect(r.w1).toBeLessThan(r.bound);
      w.push(r.w1);
    }
    expect(w[1]).toBeLessThan(w[0] / 2);
    expect(w[2]).toBeLessThan(w[1] / 2);
  }, 120_000);
});

describe("prompt gauges realising a law on the sphere (Theorem 4 (iii))", () => {
  it("the output law equals T#pi exactly; its sliced W1 to nu falls as the number of prompts grows", async () => {
    const dist: number[] = [];
    for (const L of [16, 48, 144]) {
      const r = await sphereRealisation(L, 2, 3, 2);
      expect(r.toTargets).toBeLessThan(1e-9);
      dist.push(r.toLaw);
    }
    // Monte-Carlo rate L^{-1/2}: a factor 9 in L should about divide the distance by 3
    expect(dist[2]).toBeLessThan(dist[0] * 0.75);
    expect(dist[2]).toBeLessThan(0.1);
  }, 120_000);
});

describe("builder input errors name the parameter", () => {
  it("rejects non-unit targets and empty angle lists", () => {
    expect(() => promptGaugesFor(3, [1, 0, 0, 0, 2, 0], [1, 0, 0])).toThrow(ConfigError);
    expect(() => promptGaugesFor(3, [1, 0, 0, 0, 2, 0], [1, 0, 0])).toThrow(/targets\[1\]/);
    expect(() => promptGaugesFor(3, [1, 0], [1, 0, 0])).toThrow(/targets/);
    expect(() => promptGaugesFor(3, [1, 0, 0], [0, 0, 0])).toThrow(/^v:/);
    expect(() => phaseFieldFor([])).toThrow(/angles/);
    expect(() => phaseFieldFor([0, Number.NaN])).toThrow(/angles\[1\]/);
  });
});
