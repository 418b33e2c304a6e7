// Set-up bounds: every table is sized from the configuration and refused before it is allocated,
// with the largest value that fits; the O(d) Givens form of the gauges is the full product's bits.
import { describe, expect, it } from "vitest";
import { ConfigError } from "../src/errors.js";
import { productGauges } from "../src/kernels/common.js";
import { matMul, planeRotation } from "../src/linalg.js";
import { defineProblem } from "../src/problem.js";
import { HOST_BYTES_MAX, SetupBudget } from "../src/setup-cost.js";

describe("refused before anything is allocated", () => {
  it.each([
    ["a 2^24-label weight table", { dim: 3, labels: { assign: [0, 1], count: 16777216 }, kernel: { name: "distanceBias", length: 0.1 } }, "labels.count"],
    ["a 50000-label toeplitz table", { dim: 3, labels: { assign: [0, 1], count: 50000 }, kernel: { name: "toeplitz", coefficients: [1, 2] } }, "labels.count"],
    ["gauges of 100k labels at d = 4096", { dim: 4096, labels: { assign: [0, 1], count: 100000 }, kernel: { name: "rope", base: 10000 } }, "labels.count"],
    ["d = 4096, n = 32768 (exactly 4 GiB of state, plus the core's other arrays)", { dim: 4096, n: 32768 }, "n"],
    ["attention at d = 4096", { dim: 4096, n: 2, kernel: { name: "attention" } }, "dim"],
  ])("%s: a ConfigError naming %s, with no large allocation", (_what, config, field) => {
    const before = process.memoryUsage().arrayBuffers;
    let err: unknown = null;
    try {
      defineProblem(config as never);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).parameter).toBe(field);
    expect((err as Error).message).toMatch(/allowed: at most \d+ here: .* needs [\d.e+]+ ([KMGTPE]iB|multiply-adds)/);
    // the refused tables are gigabytes; what was allocated before the refusal is the small rest
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(300 * 2 ** 20);
  });

  it("the largest value named fits and the next one does not", () => {
    const budget = new SetupBudget();
    budget.reserve({ field: "n", value: 1000, what: "something first", host: (v) => 1000 * v });
    const item = { field: "labels.count", value: 1e6, what: "an L x L table", host: (L: number) => 8 * L * L };
    let message = "";
    try {
      budget.reserve(item);
    } catch (e) {
      message = (e as Error).message;
    }
    const largest = Number(/at most (\d+) here/.exec(message)?.[1]);
    const room = HOST_BYTES_MAX - 1000 * 1000;
    expect(8 * largest * largest).toBeLessThanOrEqual(room);
    expect(8 * (largest + 1) * (largest + 1)).toBeGreaterThan(room);
    expect(message).toMatch(/needs 7\.28 TiB of JavaScript memory/);
  });
});

describe("gauges by Givens updates", () => {
  it.each([
    ["overlapping planes, either order", [[0, 1], [1, 2], [4, 0], [2, 3], [3, 1], [0, 4]]],
    // the first factor at angle 0 leaves -sin 0 = -0 in a column no later factor touches
    ["a first rotation by 0 in columns no later factor touches", [[0, 1], [2, 3], [3, 4]]],
  ] as [string, [number, number][]][])("equal the full products of plane rotations bit for bit: %s", (_what, planes) => {
    const d = 5, L = 7;
    const positions = Float64Array.from({ length: L }, (_, a) => a / L);
    const factors = planes.map((plane, f) => ({ plane, theta: (a: number) => (f === 0 ? 0 : (f + 1) * 2.1 * positions[a] - 0.3 * f) }));
    const ctx = { dim: d, beta: 1, labelCount: L, positions, labelSizes: new Int32Array(L).fill(1), path: "kernel" };
    const g = productGauges(ctx, factors);
    for (let a = 0; a < L; a++) {
      // the product as it used to be formed: R_1 R_2 ... with full matrix products
      let acc = planeRotation(d, planes[0][0], planes[0][1], factors[0].theta(a));
      for (let f = 1; f < factors.length; f++) acc = matMul(d, acc, planeRotation(d, planes[f][0], planes[f][1], factors[f].theta(a)));
      for (let q = 0; q < d * d; q++) expect(Object.is(g[a * d * d + q], acc[q]), `label ${a}, entry ${q}`).toBe(true);
    }
  });
});
