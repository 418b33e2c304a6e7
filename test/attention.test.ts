// Attention heads (kernels "attention" and "multihead"): engines agree, threads keep every bit,
// presets are seeded and scaled as documented, Q = K = V = I is the baseline, masks are causal,
// heads add up, bad input names its field, and the gradient-flow property is exact.
import { describe, expect, it } from "vitest";
import { defineProblem, solve, type ProblemConfig } from "../src/index.js";
import { createEngine } from "../src/solve.js";
import type { Engine } from "../src/engines/engine.js";
import { ConfigError } from "../src/errors.js";
import { ATTENTION_EXPONENT_MAX } from "../src/kernels/attention.js";
import { expectClose } from "./helpers.js";

type Kernel = NonNullable<ProblemConfig["kernel"]>;

const problem = (d: number, n: number, kernel: Kernel, seed = 7, beta = 1.5) =>
  defineProblem({ dim: d, n, beta, kernel, init: { law: "uniform", seed } });

const CASES: { label: string; kernel: Kernel }[] = [
  { label: "gaussian Q, K, V = -B, usa", kernel: { name: "attention", query: "gaussian", key: "gaussian", value: "-B", normalize: "usa", seed: 3 } },
  { label: "goe Q, gaussian K, V spd, sa", kernel: { name: "attention", query: "goe", key: "gaussian", value: "spd", normalize: "sa", seed: 4 } },
  { label: "causal usa", kernel: { name: "attention", mask: "causal", value: "spd", normalize: "usa" } },
  { label: "ALiBi sa", kernel: { name: "attention", query: "gaussian", key: "goe", value: "B", normalize: "sa", alibi: 2 } },
  { label: "two heads", kernel: { name: "multihead", heads: [{ query: "gaussian", key: "gaussian", value: "B" }, { query: "goe", key: "goe", value: "spd", normalize: "sa", beta: 2, alibi: 1 }] } },
];

/** (1/n) sum_i |v_i|^2 of a velocity. */
function velocityOf(e: Engine): { v: Float64Array; energy: number } {
  const v = new Float64Array(e.problem.n * e.problem.dim);
  const { energy } = e.evaluate(v);
  return { v, energy };
}

describe("attention: wasm core vs the JS reference (tolerance 1e-13 on V, 1e-12 after 100 Heun steps)", () => {
  for (const d of [2, 3, 5]) {
    it.each(CASES)(`d = ${d}, n = 33: $label`, async ({ kernel }) => {
      const p = problem(d, 33, kernel);
      const js = await createEngine(p, { engine: "js" });
      const wasm = await createEngine(p, { engine: "wasm", threads: 1 });
      const a = velocityOf(js), b = velocityOf(wasm);
      expectClose(b.v, a.v, 1e-13, "velocity");
      expectClose(b.energy, a.energy, 1e-13 * Math.abs(a.energy), "energy");
      js.step("heun", 0.01, 100);
      wasm.step("heun", 0.01, 100);
      expectClose(wasm.getState(), js.getState(), 1e-12, "state after 100 steps");
      wasm.dispose();
    });
  }
});

it("frozen particles keep their state and still attract (both engines agree to 1e-12 after 100 steps)", async () => {
  const frozen = [0, 5, 17];
  const p = defineProblem({ dim: 3, n: 40, beta: 1, frozen, kernel: { name: "multihead", heads: [{ query: "gaussian", key: "gaussian", value: "spd" }, { alibi: 1, normalize: "sa" }] }, init: { law: "uniform", seed: 2 } });
  const states: Float64Array[] = [];
  for (const engine of ["js", "wasm"] as const) {
    const e = await createEngine(p, { engine, threads: 1 });
    e.step("heun", 0.01, 100);
    states.push(e.getState());
    e.dispose();
  }
  expectClose(states[1], states[0], 1e-12, "state");
  for (const i of frozen) expectClose(states[1].subarray(3 * i, 3 * i + 3), p.initial.subarray(3 * i, 3 * i + 3), 1e-15, `frozen particle ${i}`);
});

describe("attention: thread count changes no bit", () => {
  it.each(CASES)("n = 600, d = 3, threads 1 vs 2, Heun then Euler: $label", async ({ kernel }) => {
    const p = problem(3, 600, kernel, 11, 1);
    const states: Float64Array[] = [];
    const energies: number[] = [];
    for (const threads of [1, 2]) {
      const e = await createEngine(p, { engine: "wasm", threads });
      e.step("heun", 0.02, 5);
      e.step("euler", 0.02, 2);
      energies.push(e.evaluate().energy);
      states.push(e.getState());
      e.dispose();
    }
    expect(Array.from(states[1])).toEqual(Array.from(states[0]));
    expect(energies[1]).toBe(energies[0]);
  });
});

describe("attention presets", () => {
  const headOf = (kernel: Kernel, d = 4) => problem(d, 8, kernel).attention![0];

  it("the same seed draws the same matrices; another seed others; each matrix has its own stream", () => {
    const a = headOf({ name: "attention", query: "gaussian", key: "goe", value: "spd", seed: 5 });
    const b = headOf({ name: "attention", query: "gaussian", key: "goe", value: "spd", seed: 5 });
    const c = headOf({ name: "attention", query: "gaussian", key: "goe", value: "spd", seed: 6 });
    expect(Array.from(b.query)).toEqual(Array.from(a.query));
    expect(Array.from(b.key)).toEqual(Array.from(a.key));
    expect(Array.from(b.value)).toEqual(Array.from(a.value));
    expect(Array.from(c.query)).not.toEqual(Array.from(a.query));
    // K does not depend on whether Q was drawn
    const e = headOf({ name: "attention", query: "identity", key: "goe", value: "spd", seed: 5 });
    expect(Array.from(e.key)).toEqual(Array.from(a.key));
    expect(Array.from(e.value)).toEqual(Array.from(a.value));
  });

  it("gaussian entries have mean 0 and variance 1/d; goe is symmetric with off-diagonal variance 1/d", () => {
    const d = 120;
    const q = headOf({ name: "attention", query: "gaussian", key: "goe", seed: 1 }, d);
    let s = 0, s2 = 0;
    for (const x of q.query) { s += x; s2 += x * x; }
    const N = d * d;
    expect(Math.abs(s / N)).toBeLessThan(4 / Math.sqrt(N * d));
    expect(Math.abs((s2 / N) * d - 1)).toBeLessThan(0.05);
    let off = 0, count = 0;
    for (let r = 0; r < d; r++) {
      for (let c = 0; c < d; c++) {
        expect(q.key[r * d + c]).toBe(q.key[c * d + r]);
        if (r !== c) { off += q.key[r * d + c] ** 2; count++; }
      }
    }
    expect(Math.abs((off / count) * d - 1)).toBeLessThan(0.05);
  });

  it("B = Q^T K, -B its negative, spd symmetric with x^T V x >= |x|^2 / 2", () => {
    const d = 4;
    const h = headOf({ name: "attention", query: "gaussian", key: "goe", value: "B", seed: 2 }, d);
    const m = headOf({ name: "attention", query: "gaussian", key: "goe", value: "-B", seed: 2 }, d);
    for (let r = 0; r < d; r++) {
      for (let c = 0; c < d; c++) {
        let b = 0;
        for (let k = 0; k < d; k++) b += h.query[k * d + r] * h.key[k * d + c];
        expect(h.value[r * d + c]).toBeCloseTo(b, 14);
        expect(m.value[r * d + c]).toBe(-h.value[r * d + c]);
      }
    }
    const spd = headOf({ name: "attention", value: "spd", seed: 9 }, d).value;
    for (let t = 0; t < 50; t++) {
      const x = Array.from({ length: d }, (_, k) => Math.sin(7 * t + 3 * k + 1));
      let q = 0, nx = 0;
      for (let r = 0; r < d; r++) { nx += x[r] ** 2; for (let c = 0; c < d; c++) q += x[r] * spd[r * d + c] * x[c]; }
      expect(q).toBeGreaterThanOrEqual(0.5 * nx - 1e-12);
    }
    for (let r = 0; r < d; r++) for (let c = 0; c < d; c++) expect(spd[r * d + c]).toBe(spd[c * d + r]);
  });

  it("explicit matrices are taken as rows (Q[r][c] at r d + c)", () => {
    const h = headOf({ name: "attention", query: [[1, 2], [3, 4]], key: [[0, 1], [1, 0]], value: [[2, 0], [0, 3]] }, 2);
    expect(Array.from(h.query)).toEqual([1, 2, 3, 4]);
    expect(Array.from(h.value)).toEqual([2, 0, 0, 3]);
    // ||Q^T K||_2 = ||Q||_2 for K a permutation: the largest singular value of [[1,2],[3,4]], 5.4649857
    expect(h.shift / 1.5).toBeCloseTo(5.464985704219043, 10);
  });
});

describe("attention with Q = K = V = I is the baseline", () => {
  for (const [normalize, base] of [["usa", "usa"], ["sa", "sa"]] as const) {
    it.each(["js", "wasm"] as const)(`${normalize} equals the "${base}" kernel (%s engine, 200 Heun steps, 1e-12)`, async (engine) => {
      const runs: { x: Float64Array; e: number }[] = [];
      for (const kernel of [{ name: base }, { name: "attention", query: "identity", key: "identity", value: "identity", normalize }]) {
        const e = await createEngine(problem(3, 40, kernel as Kernel, 3, 2), { engine, threads: 1 });
        e.step("heun", 0.01, 200);
        runs.push({ x: e.getState(), e: e.evaluate().energy });
        e.dispose();
      }
      expectClose(runs[1].x, runs[0].x, 1e-12, "state");
      expectClose(runs[1].e, runs[0].e, 1e-12 * Math.abs(runs[0].e), "energy");
    });
  }
});

describe("attention: gradient flow or not", () => {
  it("gradientFlow: usa yes, sa no, V = Q^T K symmetric yes, -B no, masks no", () => {
    const g = (kernel: Kernel) => problem(3, 8, kernel).gradientFlow;
    expect(g({ name: "usa" })).toBe(true);
    expect(g({ name: "sa" })).toBe(false);
    expect(g({ name: "toeplitz", coefficients: [0.2, 1] })).toBe(true);
    expect(g({ name: "attention" })).toBe(true);
    const Q = [[0.3, -1.2, 0.4], [0.9, 0.1, 0.2], [0.5, 0.6, -0.7]];
    expect(g({ name: "attention", query: Q, key: Q, value: "B" })).toBe(true);
    expect(g({ name: "attention", query: Q, key: Q, value: "-B" })).toBe(false);
    expect(g({ name: "attention", query: "gaussian", key: "gaussian", value: "B", seed: 1 })).toBe(false); // Q^T K not symmetric
    expect(g({ name: "attention", query: Q, key: Q, value: "B", normalize: "sa" })).toBe(false);
    expect(g({ name: "attention", mask: "causal" })).toBe(false);
    expect(g({ name: "attention", alibi: 1 })).toBe(false);
    expect(g({ name: "multihead", heads: [{}, { query: Q, key: Q, value: "B" }] })).toBe(true);
    expect(g({ name: "multihead", heads: [{}, { mask: "causal" }] })).toBe(false);
  });

  it("V = Q^T K with Q = K: dE/dt = (1/n) sum |v_i|^2 (finite difference, JS engine, relative 1e-4)", async () => {
    const Q = [[0.3, -1.2, 0.4], [0.9, 0.1, 0.2], [0.5, 0.6, -0.7]];
    const e = await createEngine(problem(3, 24, { name: "attention", query: Q, key: Q, value: "B" }, 5, 1), { engine: "js" });
    const h = 1e-6;
    const a = e.evaluate();
    e.step("euler", h);
    const b = e.evaluate();
    const rate = (b.energy - a.energy) / h;
    expect(Math.abs(rate - a.meanSquaredSpeed)).toBeLessThan(1e-4 * a.meanSquaredSpeed);
  });

  it("V = -B (not a gradient flow): solve runs without the energy guard while E falls", async () => {
    const Q = [[0.3, -1.2, 0.4], [0.9, 0.1, 0.2], [0.5, 0.6, -0.7]];
    const p = problem(3, 32, { name: "attention", query: Q, key: Q, value: "-B" }, 5, 1);
    const sol = await solve(p, { engine: "wasm", step: 0.05, time: 5, record: 0.5, threads: 1 });
    expect(sol.energy.at(-1)!).toBeLessThan(sol.energy[0]);
    expect(sol.energyMax).toBeNull();
  });
});

describe("causal mask and ALiBi", () => {
  it("no token feels a later one; with V = I the first token never moves (both engines, bitwise)", async () => {
    for (const engine of ["js", "wasm"] as const) {
      for (const kernel of [{ name: "attention", mask: "causal", query: "gaussian", key: "gaussian", value: "spd" }, { name: "attention", alibi: 3, normalize: "sa" }] as Kernel[]) {
        const p = problem(3, 31, kernel);
        const e = await createEngine(p, { engine, threads: 1 });
        const v1 = velocityOf(e).v;
        // token 0 sees only itself: V_0 = P_{x_0}(c V x_0), which is 0 for V = I
        if (!("value" in kernel)) expect(Array.from(v1.subarray(0, 3))).toEqual([0, 0, 0]);
        const x = e.getState();
        x.set([0, 0, 1], 30 * 3);
        e.setState(x);
        const v2 = velocityOf(e).v;
        expect(Array.from(v2.subarray(0, 30 * 3))).toEqual(Array.from(v1.subarray(0, 30 * 3)));
        e.dispose();
      }
    }
  });

  it("ALiBi weights: three tokens on the circle, V by hand (both engines, 1e-14)", async () => {
    const th = [0.3, 1.4, 2.0], lam = 1.7, beta = 0.8, n = 3;
    const points = th.map((t) => [Math.cos(t), Math.sin(t)]);
    for (const normalize of ["usa", "sa"] as const) {
      const p = defineProblem({ dim: 2, beta, kernel: { name: "attention", alibi: lam, normalize }, init: { points } });
      // token i moves along its tangent (-sin, cos) at the rate sum_j w_ij e^{beta cos(th_j - th_i)} sin(th_j - th_i) / Z_i
      const expected: number[] = [];
      for (let i = 0; i < n; i++) {
        let s = 0, z = 0;
        for (let j = 0; j <= i; j++) {
          const e = Math.exp(-lam * (i - j) / n) * Math.exp(beta * Math.cos(th[j] - th[i]));
          s += e * Math.sin(th[j] - th[i]);
          z += e;
        }
        const rate = s / (normalize === "sa" ? z : n);
        expected.push(-rate * Math.sin(th[i]), rate * Math.cos(th[i]));
      }
      for (const engine of ["js", "wasm"] as const) {
        const e = await createEngine(p, { engine, threads: 1 });
        expectClose(velocityOf(e).v, expected, 1e-14, `${normalize} ${engine}`);
        e.dispose();
      }
    }
  });
});

describe("multihead", () => {
  const h1 = { query: "gaussian", key: "gaussian", value: "-B", seed: 4 } as const;
  const h2 = { query: "goe", key: "identity", value: "spd", normalize: "sa", beta: 0.7, alibi: 1.5, seed: 8 } as const;

  it.each(["js", "wasm"] as const)("one head equals the attention kernel, bit for bit (%s)", async (engine) => {
    const a = await createEngine(problem(3, 45, { name: "multihead", heads: [h1] }), { engine, threads: 1 });
    const b = await createEngine(problem(3, 45, { name: "attention", ...h1 }), { engine, threads: 1 });
    a.step("heun", 0.01, 20);
    b.step("heun", 0.01, 20);
    expect(Array.from(a.getState())).toEqual(Array.from(b.getState()));
    a.dispose(); b.dispose();
  });

  it.each(["js", "wasm"] as const)("two heads: V and E are the sums of the single heads' (%s, 1e-14)", async (engine) => {
    const [both, one, two] = await Promise.all([
      createEngine(problem(4, 37, { name: "multihead", heads: [h1, h2] }), { engine, threads: 1 }),
      createEngine(problem(4, 37, { name: "attention", ...h1 }), { engine, threads: 1 }),
      createEngine(problem(4, 37, { name: "attention", ...h2 }), { engine, threads: 1 }),
    ]);
    const a = velocityOf(both), b = velocityOf(one), c = velocityOf(two);
    expectClose(a.v, b.v.map((x, q) => x + c.v[q]), 1e-14, "velocity");
    expectClose(a.energy, b.energy + c.energy, 1e-14, "energy");
    for (const e of [both, one, two]) e.dispose();
  });
});

describe("attention: the exponent bound", () => {
  it(`beta ||Q^T K||_2 up to ${ATTENTION_EXPONENT_MAX}: finite, engines agree (relative 1e-12)`, async () => {
    const s = Math.sqrt(340);
    const Q = [[s, 0], [0, s]];
    for (const normalize of ["usa", "sa"] as const) {
      const p = problem(2, 16, { name: "attention", query: Q, key: [[1, 0], [0, 1]], normalize, alibi: normalize === "sa" ? 5 : undefined } as Kernel, 2, 1);
      const js = await createEngine(p, { engine: "js" });
      const wasm = await createEngine(p, { engine: "wasm", threads: 1 });
      const a = velocityOf(js), b = velocityOf(wasm);
      const scale = Math.max(...a.v.map(Math.abs));
      expect(Number.isFinite(scale) && scale > 0).toBe(true);
      expectClose(b.v, a.v, 1e-12 * scale, `${normalize} velocity`);
      expect(Math.abs(b.energy - a.energy)).toBeLessThanOrEqual(1e-12 * a.energy);
      wasm.dispose();
    }
  });
});

describe("attention: bad input names the field", () => {
  // deliberately ill-typed: the runtime checks are under test
  const bad: [string, unknown, RegExp][] = [
    ["kernel.query[1]", { name: "attention", query: [[1, 0, 0], [0, 1], [0, 0, 1]] }, /kernel\.query\[1\]/],
    ["kernel.query", { name: "attention", query: "wigner" }, /kernel\.query.*"gaussian"/],
    ["kernel.value", { name: "attention", value: "C" }, /kernel\.value.*"spd"/],
    ["kernel.normalize", { name: "attention", normalize: "softmax" }, /kernel\.normalize/],
    ["kernel.mask", { name: "attention", mask: "none", alibi: 1 }, /kernel\.mask.*causal/],
    ["kernel.alibi", { name: "attention", alibi: -1 }, /kernel\.alibi.*>= 0/],
    ["kernel.seed", { name: "attention", seed: 1.5 }, /kernel\.seed/],
    ["kernel.beta", { name: "attention", beta: 0 }, /kernel\.beta/],
    ["kernel.query (bound)", { name: "attention", beta: 351 }, /kernel\.query.*350/],
    ["kernel.heads", { name: "multihead", heads: [] }, /kernel\.heads/],
    ["kernel.heads[1].foo", { name: "multihead", heads: [{}, { foo: 1 }] }, /kernel\.heads\[1\]\.foo/],
    ["kernel.heads[0].name", { name: "multihead", heads: [{ name: "usa" }] }, /kernel\.heads\[0\]\.name/],
    ["kernel.extra", { name: "attention", weights: [[1]] }, /kernel\.weights/],
  ];
  it.each(bad)("%s", (_, kernel, message) => {
    expect(() => problem(3, 8, kernel as never)).toThrow(ConfigError);
    expect(() => problem(3, 8, kernel as never)).toThrow(message);
  });

  it("timeScale fast and precision f32 are refused for attention", async () => {
    expect(() => defineProblem({ dim: 3, n: 8, beta: 800, timeScale: "fast", kernel: { name: "attention" } })).toThrow(/timeScale/);
    await expect(createEngine(problem(3, 8, { name: "attention" }), { engine: "wasm", precision: "f32" })).rejects.toThrow(/precision/);
  });
});
