// What the demo page draws from a frame (demo/src/clusters.ts, demo/src/plot.ts): collapsed
// clusters become markers with their particle counts, and a plot's range is the data's own.
import { describe, expect, it } from "vitest";
import { clusterCount, createRandom } from "../src/index.js";
import { COLLAPSED_ANGLE, summariseClusters } from "../demo/src/clusters.js";
import { valueRange } from "../demo/src/plot.js";
import { CLUSTER_ANGLE } from "../demo/src/protocol.js";

/** `count` unit points within `radius` radians of the unit vector c (random directions, seeded). */
function cap(c: number[], radius: number, count: number, seed: number): number[][] {
  const rng = createRandom(seed);
  // u, w: an orthonormal basis of the plane orthogonal to c
  const a = Math.abs(c[0]) < 0.9 ? [1, 0, 0] : [0, 1, 0];
  const ac = a[0] * c[0] + a[1] * c[1] + a[2] * c[2];
  const u0 = a.map((v, k) => v - ac * c[k]), u = u0.map((v) => v / Math.hypot(...u0));
  const w = [c[1] * u[2] - c[2] * u[1], c[2] * u[0] - c[0] * u[2], c[0] * u[1] - c[1] * u[0]];
  return Array.from({ length: count }, () => {
    const r = radius * rng.uniform(), phi = 2 * Math.PI * rng.uniform();
    return c.map((v, k) => Math.cos(r) * v + Math.sin(r) * (Math.cos(phi) * u[k] + Math.sin(phi) * w[k]));
  });
}

describe("demo: collapsed clusters", () => {
  it("marks each cluster tighter than COLLAPSED_ANGLE with its centre and particle count; a loose cluster gets no marker", () => {
    const centres = [[1, 0, 0], [0, 1, 0], [0, 0.6, 0.8]];
    const points = [
      ...cap(centres[0], 1e-5, 40, 1),
      ...cap(centres[1], 0.5 * COLLAPSED_ANGLE, 20, 2),
      ...cap(centres[2], 0.02, 30, 3), // inside CLUSTER_ANGLE, not collapsed
      [0, 0, -1], [0, -1, 0], // two lone particles
    ];
    const x = Float64Array.from(points.flat());
    const s = summariseClusters(x, points.length, CLUSTER_ANGLE);
    expect(s.count).toBe(clusterCount(x, points.length, 3, CLUSTER_ANGLE));
    expect(s.count).toBe(5);
    expect(Array.from(s.masses)).toEqual([40, 20]);
    for (let k = 0; k < 2; k++) {
      const c = Array.from(s.centres.subarray(3 * k, 3 * k + 3));
      expect(Math.hypot(...c)).toBeCloseTo(1, 12);
      expect(Math.acos(Math.min(1, c[0] * centres[k][0] + c[1] * centres[k][1] + c[2] * centres[k][2]))).toBeLessThan(COLLAPSED_ANGLE);
    }
  });

  it("a full collapse is one marker holding every particle; independent uniform points give almost none", () => {
    const n = 1024;
    const one = Float64Array.from(cap([0.6, 0, 0.8], 1e-9, n, 4).flat());
    const s = summariseClusters(one, n, CLUSTER_ANGLE);
    expect([s.count, Array.from(s.masses)]).toEqual([1, [n]]);
    const rng = createRandom(5);
    const u = new Float64Array(4096 * 3);
    for (let i = 0; i < 4096; i++) {
      const z = 2 * rng.uniform() - 1, phi = 2 * Math.PI * rng.uniform(), r = Math.sqrt(1 - z * z);
      u.set([r * Math.cos(phi), r * Math.sin(phi), z], 3 * i);
    }
    // about 1.25e-7 n^2 = 2 chance pairs within COLLAPSED_ANGLE, fewer still as whole leader clusters
    const chance = summariseClusters(u, 4096, CLUSTER_ANGLE);
    expect(chance.masses.length).toBeLessThanOrEqual(4);
    expect(Array.from(chance.masses).every((m) => m === 2)).toBe(true);
  });
});

describe("demo: plot ranges", () => {
  it("no values, no range; one value or a flat series is flat at that value; otherwise min to max", () => {
    expect(valueRange([])).toBeNull();
    expect(valueRange([NaN, -Infinity])).toBeNull();
    expect(valueRange([1.359])).toEqual({ lo: 1.359, hi: 1.359, flat: true });
    expect(valueRange([1.359, 1.359 + 1e-15])).toMatchObject({ lo: 1.359, flat: true });
    expect(valueRange([0.591, 1.359, 1.2])).toEqual({ lo: 0.591, hi: 1.359, flat: false });
    // log scale: zeros map to -Infinity and are left out, not floored
    expect(valueRange([0, 1e-3, 1e-29].map((v) => (v > 0 ? Math.log10(v) : NaN)))).toEqual({ lo: -29, hi: -3, flat: false });
  });
});
