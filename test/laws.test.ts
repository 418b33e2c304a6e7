// Law distances and shape measures against values computed by hand.
import { describe, expect, it } from "vitest";
import { circularW1, heightSpread, lineW1, planeFitResidual, slicedW1 } from "../src/diagnostics/laws.js";
import { symmetricEigenvalues } from "../src/linalg.js";
import { createRandom } from "../src/random.js";
import { gaugeSending } from "../src/realise.js";
import { applyTranspose, orthogonalityDefect } from "../src/linalg.js";

describe("circularW1", () => {
  it("two point masses a quarter turn apart are pi/2 apart", () => {
    expect(circularW1([0], [Math.PI / 2])).toBeCloseTo(Math.PI / 2, 14);
  });
  it("takes the short way round: 0.1 and 2 pi - 0.1 are 0.2 apart", () => {
    expect(circularW1([0.1], [2 * Math.PI - 0.1])).toBeCloseTo(0.2, 14);
  });
  it("is invariant under adding 2 pi and is 0 for equal laws", () => {
    expect(circularW1([0.3, 1, 2], [2, 0.3 + 2 * Math.PI, 1 - 2 * Math.PI])).toBeLessThan(1e-14);
  });
  it("L equispaced atoms are pi/(2L) from the uniform law", () => {
    const L = 8;
    const atoms = Array.from({ length: L }, (_, a) => (2 * Math.PI * a) / L);
    const uniform = Array.from({ length: 80000 }, (_, k) => (2 * Math.PI * (k + 0.5)) / 80000);
    expect(circularW1(atoms, uniform)).toBeCloseTo(Math.PI / (2 * L), 4);
  });
});

describe("lineW1 and slicedW1", () => {
  it("W1 of a shift is the shift", () => {
    expect(lineW1(Float64Array.of(0, 1, 2), Float64Array.of(0.5, 1.5, 2.5))).toBeCloseTo(0.5, 14);
  });
  it("sliced W1 of a cloud with itself is 0 and of a translate is E|<u, t>|", () => {
    const rng = createRandom(3);
    const x = Float64Array.from({ length: 300 }, () => rng.normal());
    expect(slicedW1(x, x, 3, createRandom(1))).toBe(0);
    // translate by t = (1, 0, 0): the mean of |u_1| over uniform u on S^2 is 1/2
    const y = x.map((v, i) => (i % 3 === 0 ? v + 1 : v));
    expect(slicedW1(x, y, 3, createRandom(1), 4000)).toBeCloseTo(0.5, 1);
  });
});

describe("shape measures", () => {
  it("planeFitResidual is 0 on a great circle and sqrt(1/3) on the uniform 6-point octahedron", () => {
    const circle = new Float64Array(3 * 12);
    for (let q = 0; q < 12; q++) {
      const t = (2 * Math.PI * q) / 12;
      circle.set([Math.cos(t) / Math.SQRT2, Math.cos(t) / Math.SQRT2, Math.sin(t)], q * 3);
    }
    expect(planeFitResidual(circle, 12, 3)).toBeLessThan(1e-7);
    const octa = Float64Array.of(1, 0, 0, -1, 0, 0, 0, 1, 0, 0, -1, 0, 0, 0, 1, 0, 0, -1);
    expect(planeFitResidual(octa, 6, 3)).toBeCloseTo(Math.sqrt(1 / 3), 12);
  });
  it("heightSpread is 0 on a latitude circle and the height difference otherwise", () => {
    const x = Float64Array.of(0.6, 0, 0.8, 0, 0.6, 0.8, -0.6, 0, 0.8);
    expect(heightSpread(x, 3, 3, [0, 1])).toBe(0);
    x[2] = 0.5;
    expect(heightSpread(x, 3, 3, [0, 1])).toBeCloseTo(0.2, 14);
  });
  it("symmetricEigenvalues of a known matrix", () => {
    // [[2,1],[1,2]] has eigenvalues 1 and 3
    expect(Array.from(symmetricEigenvalues(2, Float64Array.of(2, 1, 1, 2)))).toEqual([expect.closeTo(1, 14), expect.closeTo(3, 14)]);
  });
});

describe("gaugeSending (Theorem 4 (ii) gauges)", () => {
  it("is orthogonal and sends v to t, including t = v and t = -v, for d = 2, 3, 7", () => {
    const rng = createRandom(9);
    for (const d of [2, 3, 7]) {
      for (let trial = 0; trial < 6; trial++) {
        const v = Float64Array.from({ length: d }, () => rng.normal());
        const nv = Math.hypot(...v);
        v.forEach((_, k) => (v[k] /= nv));
        let t = Float64Array.from({ length: d }, () => rng.normal());
        const nt = Math.hypot(...t);
        t = t.map((c) => c / nt);
        if (trial === 0) t = v.slice();
        if (trial === 1) t = v.map((c) => -c);
        const g = gaugeSending(d, v, t);
        expect(orthogonalityDefect(d, g)).toBeLessThan(1e-14);
        const out = new Float64Array(d);
        applyTranspose(d, g, 0, v, 0, out, 0);
        for (let k = 0; k < d; k++) expect(Math.abs(out[k] - t[k])).toBeLessThan(1e-14);
      }
    }
  });
});
