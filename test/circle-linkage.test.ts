// Single-linkage clusters on the circle (d = 2) by angle bins (assembly/circle-linkage.ts) against
// the O(n^2) pair loop (linkageStatistics): random, clustered, collapsed and gauged states, states
// built with a gap at the threshold to within 1e-14 (the certificate must send them to the k-d
// tree), states off the circle, and the unit split.
import { describe, expect, it } from "vitest";
import { linkageStatistics } from "../src/diagnostics/linkage.js";
import { StateDiagnostics } from "../src/diagnostics/standalone.js";
import { chordLimit } from "../src/diagnostics/core.js";
import { circleAtAngles, circleClusters, configuration, gaugedCircle, randomGauges, type Shape } from "./diagnostics-configs.js";
import { createRecordDiagnostics } from "../src/diagnostics/record.js";
import { WasmEngine } from "../src/engines/wasm.js";
import { defineProblem } from "../src/problem.js";

const d = 2;
const core = (x: Float64Array, gauges: Float64Array | null = null, L = 1, labels = new Int32Array(x.length / d)) =>
  StateDiagnostics.create({ n: x.length / d, dim: d, labelCount: L, labels, gauges }).setState(x);
/** The pair loop's count on x (original frame). */
const reference = (x: Float64Array, angle: number) => linkageStatistics(x, x.length / d, d, angle).clusters;


describe("d = 2 clusters by angle bins equal the pair loop", () => {
  it.each(["uniform", "clusters", "cap", "collapsed", "tiny"] as Shape[])("%s states, several angles, by the bins", (shape) => {
    for (const seed of [1, 2]) {
      const n = 1200;
      const x = configuration(shape, n, d, 1, seed).x;
      const c = core(x);
      for (const angle of [0.05, 0.01, 0.3, 2]) {
        expect(c.linkage(angle, false).clusters, `${shape}, seed ${seed}, angle ${angle}`).toBe(reference(x, angle));
        expect(c.linkagePath, `${shape}, seed ${seed}, angle ${angle}`).toBe("circle");
      }
    }
  });

  it("several clusters, some closer than the angle and some farther, and sparse uniform states (many gaps)", () => {
    let counted = 0;
    for (const seed of [3, 4, 5, 6]) {
      for (const x of [circleClusters(12, 40, 0.01, seed), circleClusters(5, 100, 0.2, seed), configuration("uniform", 150, d, 1, seed).x]) {
        const c = core(x);
        for (const angle of [0.02, 0.05, 0.1]) {
          const ref = reference(x, angle);
          expect(c.linkage(angle, false).clusters, `seed ${seed}, angle ${angle}`).toBe(ref);
          expect(c.linkagePath).toBe("circle");
          if (ref > 2) counted++;
        }
      }
    }
    // the count of cuts is exercised, not only the one-cluster answer
    expect(counted).toBeGreaterThan(10);
  });

  it("with gauges: on x = G^T z", () => {
    const n = 900, L = 5;
    const { z, x, labels, gauges } = gaugedCircle(n, L);
    const c = core(z, gauges, L, labels);
    for (const angle of [0.05, 0.5]) {
      expect(c.linkage(angle, false).clusters).toBe(reference(x, angle));
      expect(c.linkagePath).toBe("circle");
    }
    expect(c.linkage(0.05, false).clusters).not.toBe(reference(new Float64Array(z), 0.05));
  });

  it("points on the axes, with signed zeros (the quadrants' borders)", () => {
    const x = Float64Array.of(1, 0, 1, -0, -0, 1, 0, 1, -1, 0, -1, -0, 0, -1, -0, -1, 1, 1e-3, 1, -1e-3, -1e-3, 1, 1e-3, -1, -1, 2e-3);
    const c = core(x);
    for (const angle of [0.0005, 0.01, 0.05, 1.6]) {
      expect(c.linkage(angle, false).clusters, `angle ${angle}`).toBe(reference(x, angle));
    }
    expect(c.linkagePath).toBe("circle");
  });

  it("n = 1, 2 and 3", () => {
    for (const x of [Float64Array.of(1, 0), Float64Array.of(1, 0, -1, 0), Float64Array.of(1, 0, 0, 1, 1, 1e-3)]) {
      const c = core(x);
      expect(c.linkage(0.05, false).clusters).toBe(reference(x, 0.05));
      expect(c.linkage(3, false).clusters).toBe(reference(x, 3));
    }
  });
});

describe("the certificates send doubtful states to the k-d tree, which counts them exactly", () => {
  /**
   * Two points p, q on the circle whose computed |p - q|^2 lies in (limit, limit (1 + 1e-14)]: q at
   * the threshold's angle from p by bisection, then its coordinates moved by single units in the
   * last place (the state's own rounding) until the distance lands in the band.
   */
  function gapAtThreshold(t0: number, angle: number): number[] {
    const limit = chordLimit(angle);
    const p = [Math.cos(t0), Math.sin(t0)];
    const at = (u: number) => [Math.cos(t0 + u), Math.sin(t0 + u)];
    const dist2 = (q: number[]) => (p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2;
    let lo = 0.99 * angle, t = 1.01 * angle;
    for (let k = 0; k < 200; k++) {
      const mid = 0.5 * (lo + t);
      if (dist2(at(mid)) > limit) t = mid; else lo = mid;
    }
    const q = at(t);
    // the coordinate that moves the distance most, one unit at a time towards p or away from it
    const k = Math.abs(p[0] - q[0]) > Math.abs(p[1] - q[1]) ? 0 : 1;
    const towards = Math.sign(p[k] - q[k]);
    for (let step = 0; step < 1000; step++) {
      const s = dist2(q);
      if (s > limit && s <= limit * (1 + 1e-14)) break;
      const ulp = Math.abs(q[k]) * 2 ** -52;
      q[k] += (s > limit ? towards : -towards) * ulp;
    }
    const s = dist2(q);
    expect(s).toBeGreaterThan(limit);
    expect(s).toBeLessThanOrEqual(limit * (1 + 1e-14));
    return [...p, ...q];
  }

  it("a gap within 1e-14 relative above the threshold between clusters: the tree counts", () => {
    const angle = 0.05;
    for (const t0 of [0.3, 2.1, -1.2]) {
      const pq = gapAtThreshold(t0, angle);
      const a = Math.atan2(pq[1], pq[0]), b = Math.atan2(pq[3], pq[2]);
      // cluster A ends at p, cluster B starts at q, a third cluster far off: 3 gaps, one at the threshold
      const angles: number[] = [];
      for (let i = 1; i <= 30; i++) { angles.push(a - 0.001 * i); angles.push(b + 0.001 * i); angles.push(a + 2.5 + 0.001 * i); }
      const x = Float64Array.from([...pq, ...circleAtAngles(angles, 7)]);
      const c = core(x);
      const ref = reference(x, angle);
      expect(ref).toBe(3);
      expect(c.linkage(angle, false).clusters).toBe(ref);
      expect(c.linkagePath, `t0 ${t0}`).toBe("tree");
      // the same state at a slightly larger angle has its gaps well clear: the bins count it
      expect(c.linkage(angle * 1.01, false).clusters).toBe(reference(x, angle * 1.01));
      expect(c.linkagePath).toBe("circle");
    }
  });

  it("points off the circle (a spread of radii): a pair linked across a cut is found by the tree", () => {
    // a and c are within the angle, b between them in angle but far out: the pair loop links a and c
    // (2 clusters), consecutive neighbours alone would not (3)
    const angle = 0.05, th = 0.04;
    const x = Float64Array.of(1, 0, 1.5 * Math.cos(th / 2), 1.5 * Math.sin(th / 2), Math.cos(th), Math.sin(th), -1, 0);
    const c = core(x);
    expect(reference(x, angle)).toBe(3);
    expect(c.linkage(angle, false).clusters).toBe(3);
    expect(c.linkagePath).toBe("tree");
  });

  it("angles too small for the bins, a point at the origin: the tree", () => {
    const x = configuration("clusters", 600, d, 1, 3).x;
    const c = core(x);
    expect(c.linkage(1e-4, false).clusters).toBe(reference(x, 1e-4));
    expect(c.linkagePath).toBe("tree");
    const y = x.slice();
    y[0] = 0; y[1] = 0;
    expect(c.setState(y).linkage(0.05, false).clusters).toBe(reference(y, 0.05));
    expect(c.linkagePath).toBe("tree");
  });
});

describe("the unit split", () => {
  it("gives the same bits for any number of ranges, in any order", () => {
    const x = circleClusters(9, 700, 0.03, 12);
    const c = core(x);
    const one = c.linkage(0.05, false).clusters;
    const w1 = c.work.linkage;
    for (const pieces of [2, 3, 7, 64]) {
      c.pieces = pieces;
      expect(c.linkage(0.05, false).clusters).toBe(one);
      expect(c.linkagePath).toBe("circle");
      expect(c.work.linkage).toBe(w1);
    }
  });
});

describe("the record's phases on the engine's threads", () => {
  // four chunks of DG_CHUNK, the last one short; every phase of more than one unit on every thread
  const n = 3 * 4096 + 517;
  const cases = [
    ["W = 1, clusters", { name: "usa" }, null, "clusters", 0.05],
    ["rope (gauges), 8 labels, clusters", { name: "rope", omega: 2 * Math.PI }, 8, "clusters", 0.05],
    ["W = 1, uniform, an angle below the bins' reach (the tree)", { name: "usa" }, null, "uniform", 1e-4],
  ] as const;
  it.each(cases)("%s: the same bits on 1, 2 and 3 threads, and as the host's units", async (_label, kernel, L, shape, angle) => {
    const labels = L ? { assign: Array.from({ length: n }, (_, i) => (i * 5) % L), count: L } : undefined;
    const p = defineProblem({ dim: d, beta: 1, n, kernel, labels, init: { law: "uniform", seed: 2 } });
    const state = configuration(shape, n, d, 1, 6).x;
    const results = [];
    for (const threads of [1, 2, 3]) {
      const e = await WasmEngine.create(p, { threads, phaseThreads: "all" });
      e.setState(state);
      expect(e.threads).toBe(threads);
      if (threads > 1) for (const q of e.plan.phases.slice(e.plan.diagnostics.gaps.first)) expect(q.threads).toBe(Math.min(threads, q.units));
      const diag = createRecordDiagnostics(e);
      const z = e.getGaugeState();
      const m = diag.measure(state, z, angle);
      const exact = createRecordDiagnostics(e, 0).measure(state, z, angle);
      results.push({ ...m, exact: exact.conditionalDiameter, z });
      e.dispose();
    }
    for (const r of results.slice(1)) {
      for (const k of ["collapseGap", "gaugeGap", "conditionalDiameter", "conditionalDiameterUpper", "clusters", "exact"] as const) {
        expect(Object.is(r[k], results[0][k]), k).toBe(true);
      }
    }
    // the host's units on the same state give the same bits
    const host = StateDiagnostics.create({ n, dim: d, labelCount: p.labelCount, labels: p.labels, gauges: p.gauges }).setState(results[0].z);
    const g = host.gaps(), b = host.diameter(), c = host.linkage(angle, false);
    expect(Object.is(g.collapseGap, results[0].collapseGap) && Object.is(g.gaugeGap, results[0].gaugeGap)).toBe(true);
    expect(Object.is(b.value, results[0].conditionalDiameter) && Object.is(b.upper, results[0].conditionalDiameterUpper)).toBe(true);
    expect(Object.is(host.diameter(0).value, results[0].exact)).toBe(true);
    expect(c.clusters).toBe(results[0].clusters);
    expect(host.linkagePath).toBe(angle < 1e-3 ? "tree" : "circle");
    // and the pair loop's count on x
    expect(results[0].clusters).toBe(reference(state, angle));
  });
});
