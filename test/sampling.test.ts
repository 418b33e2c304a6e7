// Seeded initial laws land where they should.
import { describe, expect, it } from "vitest";
import { defineProblem } from "../src/problem.js";
import { angleBetween } from "../src/sphere.js";
import { collapseGap } from "../src/diagnostics/collapse.js";

describe("initial laws", () => {
  it.each([2, 3, 7])("cap (d = %i): every point within the radius, spread over it", (d) => {
    const center = Array.from({ length: d }, (_, k) => (k === d - 1 ? 1 : 0));
    const p = defineProblem({ dim: d, n: 4000, init: { seed: 2, law: "cap", center, radius: 0.3 } });
    let maxAngle = 0;
    for (let i = 0; i < p.n; i++) maxAngle = Math.max(maxAngle, angleBetween(d, p.initial, i * d, center, 0));
    expect(maxAngle).toBeLessThanOrEqual(0.3 + 1e-12);
    expect(maxAngle).toBeGreaterThan(0.29);
  });

  it("uniform: the mean of many points is near 0 (G_x near 1)", () => {
    const p = defineProblem({ dim: 3, n: 20000, init: { seed: 5, law: "uniform" } });
    // E|mean|^2 = 1/n for the uniform law; 10 standard deviations of slack
    expect(1 - collapseGap(p.initial, p.n, 3)).toBeLessThan(10 / p.n);
  });

  it("caps: k separated centres, each particle in its cap", () => {
    const p = defineProblem({ dim: 3, n: 300, init: { seed: 9, law: "caps", k: 3, radius: 0.1, minSeparation: 1.2 } });
    const x = p.initial;
    // particles of one cap are within 0.2 of each other; of different caps at least 1.2 - 0.2 apart
    for (const [i, j, same] of [[0, 99, true], [100, 199, true], [0, 100, false], [150, 299, false]] as const) {
      const a = angleBetween(3, x, i * 3, x, j * 3);
      if (same) expect(a).toBeLessThanOrEqual(0.2 + 1e-12);
      else expect(a).toBeGreaterThanOrEqual(1.0);
    }
  });
});
