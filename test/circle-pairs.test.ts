// The linked-pair count on the circle (d = 2) by the sorted angles (assembly/circle-pairs.ts)
// against the O(n^2) pair loop (linkageStatistics): exact equality of the clusters and of the pair
// fraction on random, clustered, collapsed, gauged and signed-zero states; pairs within 1e-14
// relative of the threshold (checked one by one in the band); states the certificates must send to
// the k-d tree; points off the circle and points out of order in the quantised keys; the unit split.
import { describe, expect, it } from "vitest";
import { linkageStatistics } from "../src/diagnostics/linkage.js";
import { StateDiagnostics } from "../src/diagnostics/standalone.js";
import { chordLimit } from "../src/diagnostics/core.js";
import { createRandom } from "../src/random.js";
import { circleAtAngles, circleClusters, configuration, gaugedCircle, randomGauges, type Shape } from "./diagnostics-configs.js";

const d = 2;
const core = (x: Float64Array, gauges: Float64Array | null = null, L = 1, labels = new Int32Array(x.length / d)) =>
  StateDiagnostics.create({ n: x.length / d, dim: d, labelCount: L, labels, gauges }).setState(x);
const reference = (x: Float64Array, angle: number) => linkageStatistics(x, x.length / d, d, angle);


/** Asserts the count equals the pair loop's exactly, and returns the path that counted. */
function same(x: Float64Array, angle: number, c = core(x), what = ""): string {
  const want = reference(x, angle);
  const got = c.linkageStatistics(angle);
  expect(got.clusters, `clusters ${what} angle ${angle}`).toBe(want.clusters);
  expect(got.pairFraction, `pairFraction ${what} angle ${angle}`).toBe(want.pairFraction);
  return c.linkagePath;
}

/**
 * Two points p, q on the circle (p at angle t0) whose computed |p - q|^2 lies in (limit, limit (1 +
 * 1e-14)] (above) or [limit (1 - 1e-14), limit] (below): q at the threshold's angle by bisection,
 * then a coordinate moved by units in the last place until the distance lands in the band.
 */
function atThreshold(t0: number, angle: number, above: boolean): number[] {
  const limit = chordLimit(angle);
  const p = [Math.cos(t0), Math.sin(t0)];
  const at = (u: number) => [Math.cos(t0 + u), Math.sin(t0 + u)];
  const dist2 = (q: number[]) => (p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2;
  let lo = 0.99 * angle, t = 1.01 * angle;
  for (let k = 0; k < 200; k++) {
    const mid = 0.5 * (lo + t);
    if (dist2(at(mid)) > limit) t = mid; else lo = mid;
  }
  const q = at(above ? t : lo);
  const k = Math.abs(p[0] - q[0]) > Math.abs(p[1] - q[1]) ? 0 : 1;
  const towards = Math.sign(p[k] - q[k]);
  const inBand = (s: number) => (above ? s > limit && s <= limit * (1 + 1e-14) : s <= limit && s >= limit * (1 - 1e-14));
  for (let step = 0; step < 1000 && !inBand(dist2(q)); step++) {
    const ulp = Math.abs(q[k]) * 2 ** -52;
    q[k] += (dist2(q) > limit ? towards : -towards) * ulp;
  }
  expect(inBand(dist2(q)), `t0 ${t0} ${above ? "above" : "below"}`).toBe(true);
  return [...p, ...q];
}

describe("d = 2 linked pairs by the sorted angles equal the pair loop", () => {
  it.each(["uniform", "clusters", "cap", "collapsed", "tiny"] as Shape[])("%s states, angles 0.01 to 1.2", (shape) => {
    for (const seed of [1, 2]) {
      const x = configuration(shape, 1500, d, 1, seed).x;
      const c = core(x);
      for (const angle of [0.01, 0.05, 0.3, 1.2]) expect(same(x, angle, c, `${shape} seed ${seed}`)).toBe("circle");
    }
  });

  it("several clusters, closer and farther than the angle, and sparse uniform states", () => {
    for (const seed of [3, 4, 5]) {
      for (const x of [circleClusters(12, 40, 0.01, seed), circleClusters(5, 100, 0.2, seed), configuration("uniform", 150, d, 1, seed).x]) {
        for (const angle of [0.02, 0.05, 0.1]) expect(same(x, angle, core(x), `seed ${seed}`)).toBe("circle");
      }
    }
  });

  it("clusters straddling the key's seam (angle 0 = 2 pi) and every pair linked (a collapsed arc)", () => {
    const seam = circleClusters(1, 800, 0.04, 8).map((v, i) => (i % 2 === 0 ? Math.abs(v) : v));
    const x = circleAtAngles(Array.from({ length: 900 }, (_, i) => 1e-3 * (i / 900 - 0.5)), 4);
    for (const angle of [0.01, 0.05]) {
      expect(same(seam, angle, core(seam), "seam")).toBe("circle");
      expect(same(x, angle, core(x), "arc")).toBe("circle");
    }
    expect(reference(x, 0.01).pairFraction).toBe(1);
  });

  it("with gauges: on x = G^T z", () => {
    const n = 900, L = 5;
    const { z, x, labels, gauges } = gaugedCircle(n, L);
    const c = core(z, gauges, L, labels);
    for (const angle of [0.05, 0.5]) expect(same(x, angle, c, "gauged")).toBe("circle");
    expect(c.linkageStatistics(0.05).pairFraction).not.toBe(reference(new Float64Array(z), 0.05).pairFraction);
  });

  it("points on the axes, with signed zeros (the quadrants' borders, keys 0 and 4)", () => {
    const x = Float64Array.of(1, 0, 1, -0, -0, 1, 0, 1, -1, 0, -1, -0, 0, -1, -0, -1, 1, 1e-3, 1, -1e-3, -1e-3, 1, 1e-3, -1, -1, 2e-3);
    const c = core(x);
    for (const angle of [0.01, 0.05, 1.2]) expect(same(x, angle, c, "axes")).toBe("circle");
    // every point is linked to its signed-zero twin
    expect(reference(x, 1e-6).pairFraction * (13 * 12) / 2).toBe(4);
  });

  it("n = 1, 2 and 3", () => {
    for (const x of [Float64Array.of(1, 0), Float64Array.of(1, 0, -1, 0), Float64Array.of(1, 0, 0, 1, 1, 1e-3)]) {
      for (const angle of [0.05, 1.2]) same(x, angle, core(x), `n = ${x.length / 2}`);
    }
  });
});

describe("pairs at the threshold, points off the circle and out of order", () => {
  it("pairs within 1e-14 relative of the threshold, above and below, among uniform points: checked in the band", () => {
    const angle = 0.05;
    const pairs: number[] = [];
    for (const [k, t0] of [0.3, 1.3, 2.3, 3.3, 4.3, 5.3].entries()) pairs.push(...atThreshold(t0, angle, k % 2 === 0));
    const rng = createRandom(11);
    const background = circleAtAngles(Array.from({ length: 400 }, () => 2 * Math.PI * rng.uniform()), 12);
    const x = Float64Array.from([...pairs, ...background]);
    expect(same(x, angle, core(x), "threshold pairs")).toBe("circle");
    // the three pairs just below are linked and the three just above are not: the count sees both
    const alone = Float64Array.from(pairs);
    expect(reference(alone, angle).pairFraction * (12 * 11) / 2).toBe(3);
    // alone, their gaps are cuts at the threshold: the clusters' certificate sends them to the tree
    expect(same(alone, angle, core(alone), "threshold pairs alone")).toBe("tree");
  });

  it("two collapsed clusters exactly the angle apart: too many pairs in the band, the tree counts", () => {
    const angle = 0.05;
    const pq = atThreshold(0.7, angle, false);
    const a = Math.atan2(pq[1], pq[0]), b = Math.atan2(pq[3], pq[2]);
    const angles: number[] = [];
    for (let i = 0; i < 700; i++) { angles.push(a + 1e-16 * i); angles.push(b - 1e-16 * i); }
    const x = circleAtAngles(angles, 5);
    const want = reference(x, angle);
    expect(want.pairFraction).toBeGreaterThan(0.5);
    expect(same(x, angle, core(x), "two clusters at the threshold")).toBe("tree");
  });

  it("a point between two linked points but not linked to the second (radii 1 and 1.06)", () => {
    // a and c are linked; b lies between them in angle and is linked to a but not to c: the linked
    // run from a may not be taken as linked from b. The spread of radii is small enough for the
    // clusters' bins (a point at 0.2 bridges b and c there), so the sorted angles count the pairs
    const angle = 0.3;
    const x = Float64Array.of(1, 0, 1.06 * Math.cos(1e-3), 1.06 * Math.sin(1e-3), Math.cos(0.29), Math.sin(0.29), -1, 0, Math.cos(0.2), Math.sin(0.2));
    const want = reference(x, angle);
    expect(want.pairFraction * 10).toBe(5);
    expect(same(x, angle, core(x), "a, b, c")).toBe("circle");
  });

  it("points off the circle, radii from 0.7 to 1.3", () => {
    const rng = createRandom(21);
    const n = 1500, x = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      const t = 2 * Math.PI * rng.uniform(), r = 0.7 + 0.6 * rng.uniform();
      x[2 * i] = r * Math.cos(t);
      x[2 * i + 1] = r * Math.sin(t);
    }
    const c = core(x);
    for (const angle of [0.01, 0.05, 0.3]) same(x, angle, c, "off the circle");
  });

  it("two points tied in the quantised key but out of true order (0.4 nanoradian apart)", () => {
    // o (index 0) lies 4e-10 past p (index 1) in angle, yet both quantise to key 0: o sorts first. b is
    // linked to o to 1e-10 relative and, 4e-10 farther from p, not linked to p
    const angle = 0.05, limit = chordLimit(angle);
    const o = [Math.cos(4e-10), Math.sin(4e-10)], p = [1, 0];
    let lo = 0.04, hi = 0.06;
    for (let k = 0; k < 200; k++) {
      const mid = 0.5 * (lo + hi);
      if ((o[0] - Math.cos(mid)) ** 2 + (o[1] - Math.sin(mid)) ** 2 > limit * (1 - 1e-10)) hi = mid; else lo = mid;
    }
    const x = Float64Array.of(...o, ...p, Math.cos(lo), Math.sin(lo), -1, 0);
    const want = reference(x, angle);
    expect(want.pairFraction * 6).toBe(2);
    expect(same(x, angle, core(x), "tied keys")).toBe("circle");
  });

  it("a point at the origin, an angle above the windows' reach, an angle below the order's resolution: the tree", () => {
    const x = configuration("clusters", 600, d, 1, 3).x;
    const y = x.slice();
    y[0] = 0; y[1] = 0;
    expect(same(y, 0.05, core(y), "origin")).toBe("tree");
    expect(same(x, 2, core(x), "angle 2")).toBe("tree");
    expect(same(x, 1e-4, core(x), "angle 1e-4")).toBe("tree");
  });
});

describe("the unit split", () => {
  it("gives the same bits for any number of ranges, in any order", () => {
    const x = circleClusters(9, 700, 0.03, 12);
    const c = core(x);
    const one = c.linkageStatistics(0.05);
    const w1 = c.work.linkage;
    expect(c.linkagePath).toBe("circle");
    for (const pieces of [2, 3, 7, 64]) {
      c.pieces = pieces;
      const got = c.linkageStatistics(0.05);
      expect(got.clusters).toBe(one.clusters);
      expect(Object.is(got.pairFraction, one.pairFraction)).toBe(true);
      expect(c.linkagePath).toBe("circle");
      expect(c.work.linkage).toBe(w1);
    }
  });
});
