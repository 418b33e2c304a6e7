// Property-based tests (fast-check): random valid configurations keep the invariants; random
// invalid ones get an error naming the field, never a crash, a NaN in the output or a hang.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../src/errors.js";
import { defineProblem, type ProblemConfig } from "../src/problem.js";
import { createEngine } from "../src/solve.js";
import { randomOrthogonal } from "./helpers.js";
import type { KernelSpec } from "../src/kernels/specs.js";

/** A random valid configuration: dimension, labels, beta, one of the paper's kernels, a seed. */
const validConfig = fc
  .record({
    dim: fc.integer({ min: 2, max: 6 }),
    count: fc.integer({ min: 1, max: 8 }),
    perLabel: fc.integer({ min: 1, max: 6 }),
    beta: fc.double({ min: 0.05, max: 4, noNaN: true }),
    kind: fc.constantFrom("usa", "sa", "distanceBias", "rope", "phaseField", "toeplitz", "prompt"),
    a: fc.double({ min: -3, max: 3, noNaN: true }),
    b: fc.double({ min: 0.05, max: 2, noNaN: true }),
    seed: fc.integer({ min: 0, max: 1e6 }),
  })
  .map(({ dim, count, perLabel, beta, kind, a, b, seed }): ProblemConfig => {
    const kernels: Record<string, ProblemConfig["kernel"]> = {
      usa: { name: "usa" },
      sa: { name: "sa" },
      distanceBias: { name: "distanceBias", length: b },
      rope: { name: "rope", omega: a * 3, plane: [0, dim - 1] },
      phaseField: { name: "phaseField", phase: { linear: a, sine: { amplitude: b, frequency: 2 } } },
      toeplitz: { name: "toeplitz", coefficients: [b, Math.abs(a), b / 2] },
      prompt: { name: "prompt", gauges: Array.from({ length: count }, (_, q) => randomOrthogonal(dim, seed + q)) },
    };
    return { dim, beta, kernel: kernels[kind], labels: { count, perLabel }, init: { law: "uniform", seed } };
  });

const maxNormDefect = (x: Float64Array, n: number, d: number): number => {
  let w = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += x[i * d + k] ** 2;
    w = Math.max(w, Math.abs(Math.sqrt(s) - 1));
  }
  return w;
};

describe("random valid configurations keep the invariants", () => {
  it("unit norms, a monotone energy for a small step, and wasm equal to JS", async () => {
    await fc.assert(
      fc.asyncProperty(validConfig, async (cfg) => {
        const p = defineProblem(cfg);
        const [w, j] = await Promise.all([createEngine(p, { engine: "wasm", threads: 1 }), createEngine(p, { engine: "js" })]);
        try {
          let prev = w.evaluate().energy;
          for (let s = 0; s < 20; s++) {
            const before = w.step("heun", 0.005, 1);
            j.step("heun", 0.005, 1);
            // dE/dt = (1/n) sum |v|^2 >= 0: up to the O(h^3) Heun error, the energy never falls
            expect(before).toBeGreaterThanOrEqual(prev - 1e-10 * Math.abs(prev) - 1e-14);
            prev = before;
          }
          const xw = w.getState(), xj = j.getState();
          expect(maxNormDefect(xw, p.n, p.dim)).toBeLessThan(1e-14);
          for (let q = 0; q < xw.length; q++) expect(Math.abs(xw[q] - xj[q])).toBeLessThan(1e-10);
          expect(xw.every(Number.isFinite)).toBe(true);
        } finally {
          w.dispose();
          j.dispose();
        }
      }),
      { numRuns: 40, seed: 20261123 },
    );
  }, 120_000);

  it("any thread count gives the state of one thread, bitwise", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 512, max: 700 }), fc.integer({ min: 2, max: 3 }), fc.constantFrom("usa", "rope", "prompt"), fc.integer({ min: 0, max: 1000 }), async (n, threads, kind, seed) => {
        const kernel: KernelSpec = kind === "prompt" ? { name: "prompt", phases: [0, 1, 2, 3], plane: [0, 1] } : { name: kind };
        const labels = kind === "prompt" ? { assign: Array.from({ length: n }, (_, i) => i % 4), count: 4 } : undefined;
        const p = defineProblem({ dim: 3, n, kernel, ...(labels ? { labels } : {}), init: { law: "uniform", seed } });
        const one = await createEngine(p, { threads: 1 }), many = await createEngine(p, { threads });
        try {
          one.step("heun", 0.01, 5);
          many.step("heun", 0.01, 5);
          expect(Buffer.from(many.getState().buffer).equals(Buffer.from(one.getState().buffer))).toBe(true);
        } finally {
          one.dispose();
          many.dispose();
        }
      }),
      { numRuns: 6, seed: 7 },
    );
  }, 120_000);
});

/** One way to break a valid configuration, and the field the error must name. */
const breakage = fc.constantFrom(
  ["dim", (c: Record<string, unknown>) => { c.dim = "three"; }],
  ["dim", (c: Record<string, unknown>) => { c.dim = Number.NaN; }],
  ["dim", (c: Record<string, unknown>) => { c.dim = 1; }],
  ["beta", (c: Record<string, unknown>) => { c.beta = Number.POSITIVE_INFINITY; }],
  ["beta", (c: Record<string, unknown>) => { c.beta = -1; }],
  ["beta", (c: Record<string, unknown>) => { c.beta = Number.NaN; }],
  ["n", (c: Record<string, unknown>) => { delete c.labels; c.n = 1e12; }],
  ["labels", (c: Record<string, unknown>) => { c.labels = { assign: [], count: 1 }; }],
  ["labels.perLabel", (c: Record<string, unknown>) => { c.labels = { count: 2, perLabel: Number.NEGATIVE_INFINITY }; }],
  ["n|labels", (c: Record<string, unknown>) => { c.n = 999; }],
  ["kernel", (c: Record<string, unknown>) => { c.kernel = { name: "nope" }; }],
  ["kernel.gauges", (c: Record<string, unknown>) => { c.kernel = { name: "prompt", gauges: Array.from({ length: (c.labels as { count: number }).count }, () => Array.from({ length: c.dim as number }, () => Array.from({ length: c.dim as number }, () => 0.5))) }; }],
  ["kernel.phases", (c: Record<string, unknown>) => { c.kernel = { name: "prompt", phases: [] }; }],
  ["init", (c: Record<string, unknown>) => { c.init = { law: "cap", center: [Number.NaN], radius: 1 }; }],
  // points that disagree with the labels' count: the error may name either side
  ["init|labels", (c: Record<string, unknown>) => { c.init = { points: [[1, 0]], law: "uniform" }; }],
  ["frozen", (c: Record<string, unknown>) => { c.frozen = [-1]; }],
  ["seed", (c: Record<string, unknown>) => { c.seed = 0.5; delete (c.init as Record<string, unknown>).seed; }],
  ["", (c: Record<string, unknown>) => { c.unknownKey = 1; }],
) as fc.Arbitrary<[string, (c: Record<string, unknown>) => void]>;

describe("random invalid configurations", () => {
  it("get a ConfigError naming the field and the allowed range, never another error", () => {
    fc.assert(
      fc.property(validConfig, breakage, (cfg, [field, mutate]) => {
        const c = structuredClone(cfg) as unknown as Record<string, unknown>;
        mutate(c);
        let err: unknown = null;
        try {
          defineProblem(c as unknown as ProblemConfig);
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(ConfigError);
        const msg = (err as Error).message;
        expect(msg).toMatch(/: got .*; allowed: /);
        const named = (err as ConfigError).parameter;
        expect(field.split("|").some((f) => named.startsWith(f)), `${field} vs ${msg}`).toBe(true);
      }),
      { numRuns: 300, seed: 42 },
    );
  });
});

describe("random invalid solver options", () => {
  it("get a ConfigError naming the solver field", async () => {
    const { defineSolver } = await import("../src/solver.js");
    const bad = fc.constantFrom<[string, unknown]>(["step", Number.NaN], ["step", -0.1], ["step", Number.POSITIVE_INFINITY], ["time", Number.NaN], ["time", "30"], ["record", 0], ["method", "rk9"], ["stop", { window: Number.NaN, tol: 1e-9 }], ["clusterAngle", 7]);
    fc.assert(
      fc.property(bad, ([field, value]) => {
        let err: unknown = null;
        try {
          defineSolver({ [field]: value } as never);
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(ConfigError);
        expect((err as ConfigError).parameter.startsWith(`solver.${field}`)).toBe(true);
        expect((err as Error).message).toMatch(/: got .*; allowed: /);
      }),
      { numRuns: 50, seed: 3 },
    );
  });
});
