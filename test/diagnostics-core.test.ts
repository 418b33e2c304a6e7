// The core's record diagnostics (assembly/moments.ts, diameter.ts, linkage.ts) against the exact
// O(n^2) plain-JS references (diagnostics/collapse.ts, linkage.ts): random, clustered, partly and
// fully collapsed configurations in d = 2, 3, 5 with one label, a few and many; the diameter's
// certified interval; bitwise independence of the unit split; and the work, counted, growing like
// n log n at most.
import { describe, expect, it } from "vitest";
import { collapseGap, conditionalDiameter, groupByLabel } from "../src/diagnostics/collapse.js";
import { linkageStatistics } from "../src/diagnostics/linkage.js";
import { StateDiagnostics } from "../src/diagnostics/standalone.js";
import { DIAMETER_TOLERANCE } from "../src/diagnostics/core.js";
import { DG, DG_CHUNK, DG_LEAF, DG_SCRATCH_BYTES, nodeBytes } from "../src/diagnostics/core-layout.js";
import { WasmEngine } from "../src/engines/wasm.js";
import { defineProblem } from "../src/problem.js";
import { applyTranspose } from "../src/linalg.js";
import { configuration, randomGauges, type Shape } from "./diagnostics-configs.js";
import { createRandom } from "../src/random.js";
import { createRecordDiagnostics } from "../src/diagnostics/record.js";

const SHAPES: Shape[] = ["uniform", "clusters", "cap", "collapsed", "tiny"];

/** x_i = G_{a_i}^T z_i, as the engines map the gauge frame back. */
function toOriginal(z: Float64Array, labels: Int32Array, gauges: Float64Array, d: number): Float64Array {
  const x = new Float64Array(z.length);
  for (let i = 0; i < labels.length; i++) applyTranspose(d, gauges, labels[i] * d * d, z, i * d, x, i * d);
  return x;
}

/**
 * collapseGap of x translated by its first point (the spread is translation invariant): near
 * collapse the translated coordinates are small and exact, so this keeps full relative precision
 * where collapseGap(x) itself loses it (its mean's rounding, 1e-16, is the size of the spread).
 */
function gapReference(x: Float64Array, n: number, d: number): number {
  const y = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) y[i * d + k] = x[i * d + k] - x[k];
  return collapseGap(y, n, d);
}

/** Asserts the diameter bounds against the exact value D: exact to 1e-12, or an interval holding D of relative width <= tol. */
function expectDiameter(b: { value: number; upper: number | null }, D: number, what: string): void {
  if (b.upper === null) {
    expect(Math.abs(b.value - D), `${what}: exact ${b.value} vs ${D}`).toBeLessThanOrEqual(1e-12 * D);
  } else {
    expect(b.value, `${what}: lower end`).toBeLessThanOrEqual(D * (1 + 1e-12));
    expect(b.upper, `${what}: upper end`).toBeGreaterThanOrEqual(D * (1 - 1e-12));
    expect(b.upper / b.value, `${what}: relative width`).toBeLessThanOrEqual(1 + DIAMETER_TOLERANCE);
  }
}

describe("the host's mirror of the core's sizes", () => {
  it("matches assembly/diag-layout.ts", async () => {
    const p = defineProblem({ dim: 5, beta: 1, n: 40, kernel: { name: "usa" }, init: { law: "uniform", seed: 1 } });
    const e = await WasmEngine.create(p, { threads: 1 });
    const out = e.layout.diag.vecs;
    e.core.diagSizes(5, out);
    expect(Array.from(new Int32Array(e.memory.buffer, out, 5))).toEqual([DG.BYTES, DG_SCRATCH_BYTES, nodeBytes(5), DG_CHUNK, DG_LEAF]);
    e.dispose();
  });
});

describe.each([2, 3, 5])("d = %i: the core equals the exact references", (d) => {
  const n = 1500;
  describe.each([1, 6, 250])("%i labels", (L) => {
    it.each(SHAPES)("%s", (shape) => {
      const c = configuration(shape, n, d, L, 10 * d + L);
      const core = StateDiagnostics.create({ n, dim: d, labelCount: L, labels: c.labels, gauges: null }).setState(c.x);
      const g = core.gaps();
      const ref = gapReference(c.x, n, d);
      expect(Math.abs(g.collapseGap - ref), `G: ${g.collapseGap} vs ${ref}`).toBeLessThanOrEqual(1e-10 * ref);
      if (shape !== "tiny") expect(Math.abs(collapseGap(c.x, n, d) - ref)).toBeLessThanOrEqual(1e-10 * ref);
      expect(g.gaugeGap).toBe(g.collapseGap);
      expectDiameter(core.diameter(), conditionalDiameter(c.x, d, groupByLabel(c.labels, L)), "diameter");
      for (const angle of [0.05, Math.acos(0.999), 0.4]) {
        const ref = linkageStatistics(c.x, n, d, angle);
        expect(core.linkageStatistics(angle), `angle ${angle}`).toEqual(ref);
        expect(core.linkage(angle, false).clusters, `clusters alone, angle ${angle}`).toBe(ref.clusters);
      }
    });
  });

  it.each(["clusters", "collapsed"] as Shape[])("with gauges (%s): G_x and the clusters on x = G^T z, G_z and the diameter on z", (shape) => {
    // z collapsed or clustered as one label, then spread over 9 labels: G_z small, G_x not
    const L = 9;
    const z = configuration(shape, n, d, 1, 7 + d).x, labels = configuration("uniform", n, d, L, 8 + d).labels;
    const gauges = randomGauges(d, L, 3 + d);
    const x = toOriginal(z, labels, gauges, d);
    const c = { labels };
    const core = StateDiagnostics.create({ n, dim: d, labelCount: L, labels: c.labels, gauges }).setState(z);
    const g = core.gaps();
    const gx = collapseGap(x, n, d), gz = gapReference(z, n, d);
    expect(Math.abs(g.collapseGap - gx)).toBeLessThanOrEqual(1e-10 * gx);
    expect(Math.abs(g.gaugeGap - gz)).toBeLessThanOrEqual(1e-10 * gz);
    expect(Math.abs(gx - gz), "the gauges matter here").toBeGreaterThan(0.1 * gx);
    expectDiameter(core.diameter(), conditionalDiameter(z, d, groupByLabel(c.labels, L)), "diameter");
    expect(core.linkageStatistics(0.05)).toEqual(linkageStatistics(x, n, d, 0.05));
    expect(core.linkageStatistics(0.05)).not.toEqual(linkageStatistics(z, n, d, 0.05));
  });
});

describe("the diameter's interval", () => {
  it("is certified where the exact value needs the whole tree: a partly collapsed label in d = 3 and 5", () => {
    let intervals = 0;
    for (const d of [3, 5]) for (const shape of ["cap", "clusters"] as Shape[]) for (const seed of [1, 2, 3]) {
      const n = 3000;
      const c = configuration(shape, n, d, 1, seed);
      const b = StateDiagnostics.create({ n, dim: d, labelCount: 1, labels: c.labels, gauges: null }).setState(c.x).diameter();
      expectDiameter(b, conditionalDiameter(c.x, d, groupByLabel(c.labels, 1)), `d = ${d}, ${shape}, seed ${seed}`);
      if (b.upper !== null) intervals++;
    }
    // the interval branch is exercised, not only the exact one
    expect(intervals).toBeGreaterThan(3);
  });

  it("closes (exact) with tolerance 0, and narrows with the tolerance", () => {
    const n = 2000, d = 3;
    const c = configuration("cap", n, d, 1, 4);
    const D = conditionalDiameter(c.x, d, groupByLabel(c.labels, 1));
    const core = StateDiagnostics.create({ n, dim: d, labelCount: 1, labels: c.labels, gauges: null }).setState(c.x);
    const exact = core.diameter(0);
    expect(exact.upper).toBeNull();
    expect(Math.abs(exact.value - D)).toBeLessThanOrEqual(1e-12 * D);
    for (const tol of [1e-2, 1e-4]) {
      const b = core.diameter(tol);
      expect(b.value).toBeLessThanOrEqual(D * (1 + 1e-12));
      expect((b.upper ?? b.value) / b.value).toBeLessThanOrEqual(1 + tol);
      expect(b.upper ?? b.value).toBeGreaterThanOrEqual(D * (1 - 1e-12));
    }
  });

  it("keeps full precision on a collapsed circle (sorted angles) and on collapsed labels in d = 3", () => {
    for (const d of [2, 3]) {
      const n = 400;
      const c = configuration("collapsed", n, d, 4, 5);
      const D = conditionalDiameter(c.x, d, groupByLabel(c.labels, 4));
      expect(D).toBeLessThan(3e-9);
      const b = StateDiagnostics.create({ n, dim: d, labelCount: 4, labels: c.labels, gauges: null }).setState(c.x).diameter(0);
      expect(b.upper).toBeNull();
      expect(Math.abs(b.value - D)).toBeLessThanOrEqual(1e-12 * D);
    }
  });
});

describe("the circle's diameter (d = 2): bounds first, the sorted angles where they do not close", () => {
  const m = 5000;
  /** m points on the unit circle at the angles f(k), k = 0..m-1, one label. */
  const circle = (f: (k: number) => number): Float64Array => {
    const x = new Float64Array(2 * m);
    for (let k = 0; k < m; k++) { const t = f(k); x[2 * k] = Math.cos(t); x[2 * k + 1] = Math.sin(t); }
    return x;
  };
  const labels = new Int32Array(m);
  const measure = (x: Float64Array, tol?: number) => {
    const core = StateDiagnostics.create({ n: m, dim: 2, labelCount: 1, labels, gauges: null }).setState(x);
    const b = core.diameter(tol);
    return { b, work: core.work.diameter, D: conditionalDiameter(x, 2, groupByLabel(labels, 1)) };
  };
  // the sweeps, the sphere and the ball bound read the label at most 7 times (5 sweeps, 2 bounds);
  // the sorted angles add 8 passes (the keys, 6 of the sort, the scan)
  const BOUNDS_ONLY = 7 * m;
  const rng = createRandom(3);
  const uniform = circle(() => 2 * Math.PI * rng.uniform());

  it("a uniform circle: the sphere bound closes the interval in O(m)", () => {
    const { b, work, D } = measure(uniform);
    expectDiameter(b, D, "uniform");
    expect(b.upper, "an interval, not the exact value").not.toBeNull();
    expect(b.value).toBeLessThanOrEqual(D);
    expect(b.upper!).toBeGreaterThanOrEqual(D);
    expect(work).toBeLessThanOrEqual(BOUNDS_ONLY);
  });

  it("a uniform circle with tolerance 0: exact, by the sorted angles", () => {
    const { b, work, D } = measure(uniform, 0);
    expect(b.upper).toBeNull();
    expect(Math.abs(b.value - D)).toBeLessThanOrEqual(1e-12 * D);
    expect(work).toBeGreaterThan(BOUNDS_ONLY + 6 * m);
  });

  it("an arc shorter than a half circle: the ball bound gives the exact value in O(m), at any tolerance", () => {
    const x = circle(() => 1 + 2.5 * rng.uniform());
    for (const tol of [DIAMETER_TOLERANCE, 0]) {
      const { b, work, D } = measure(x, tol);
      expect(b.upper, `tol ${tol}`).toBeNull();
      expect(Math.abs(b.value - D), `tol ${tol}`).toBeLessThanOrEqual(1e-12 * D);
      expect(work, `tol ${tol}`).toBeLessThanOrEqual(BOUNDS_ONLY);
    }
  });

  it("three clusters 120 degrees apart: neither bound closes, the sorted angles give the exact value", () => {
    const x = circle((k) => 0.3 + (2 * Math.PI * (k % 3)) / 3 + 0.01 * (rng.uniform() - 0.5));
    const { b, work, D } = measure(x);
    expect(D).toBeGreaterThan(1.7);
    expect(D).toBeLessThan(1.8);
    expect(b.upper).toBeNull();
    expect(Math.abs(b.value - D)).toBeLessThanOrEqual(1e-12 * D);
    expect(work, "the sorted path ran").toBeGreaterThan(BOUNDS_ONLY + 6 * m);
  });
});

describe("the circle's diameter (d = 2) of a large label: angle bins, O(m)", () => {
  // labels of at least 2 x 4096 points take the bins before the sorted angles
  const m = 10000;
  const labels = new Int32Array(m);
  const rng = createRandom(8);
  const circle = (f: (k: number) => number): Float64Array => {
    const x = new Float64Array(2 * m);
    for (let k = 0; k < m; k++) { const t = f(k); x[2 * k] = Math.cos(t); x[2 * k + 1] = Math.sin(t); }
    return x;
  };
  const measure = (x: Float64Array, tol?: number) => {
    const core = StateDiagnostics.create({ n: m, dim: 2, labelCount: 1, labels, gauges: null }).setState(x);
    const b = core.diameter(tol);
    return { b, work: core.work.diameter, D: conditionalDiameter(x, 2, groupByLabel(labels, 1)) };
  };
  // the bounds (at most 7 passes), the bins (one pass and 4 x 4096 bins): below the sorted angles' 8 more passes
  const BINS = 8 * m + 4 * 4096;

  it.each([
    ["three clusters 120 degrees apart", (k: number) => 0.3 + (2 * Math.PI * (k % 3)) / 3 + 0.01 * (rng.uniform() - 0.5)],
    ["three clusters at 100, 130 and 130 degrees", (k: number) => [0, 1.75, 4.0][k % 3] + 0.02 * (rng.uniform() - 0.5)],
    ["five clusters of different widths", (k: number) => [0.1, 1.4, 2.5, 3.9, 5.1][k % 5] + [0.001, 0.05, 0.2, 0.01, 0.3][k % 5] * (rng.uniform() - 0.5)],
  ])("%s: exact at any tolerance, without the sort", (_label, f) => {
    const x = circle(f);
    for (const tol of [DIAMETER_TOLERANCE, 0]) {
      const { b, work, D } = measure(x, tol);
      expect(b.upper, `tol ${tol}`).toBeNull();
      expect(Math.abs(b.value - D), `tol ${tol}: ${b.value} vs ${D}`).toBeLessThanOrEqual(1e-12 * D);
      expect(work, `tol ${tol}`).toBeLessThanOrEqual(BINS);
    }
  });

  it("a uniform circle at tolerance 0: exact (some pair lies within rounding of antipodal)", () => {
    const x = circle(() => 2 * Math.PI * rng.uniform());
    const { b, D } = measure(x, 0);
    expect(b.upper).toBeNull();
    expect(Math.abs(b.value - D)).toBeLessThanOrEqual(1e-12 * D);
  });

  it("a bin's arc facing an inner point: not closed by the bins, the sorted angles give the exact value", () => {
    // the sweeps start at c (angle 1.5) and stop at its near-antipode e, 2 cos(1e-5) apart; the bin
    // holding angles 0 and 5e-4 faces pi + 2.5e-4 (so its arc meets the antipode: no exact end
    // there), and its inner point at 2.5e-4 is exactly antipodal to it: the diameter, 2, which no
    // end point of a bin realises
    const angles = [1.5, 1.5 + Math.PI - 2e-5, 2.5e-4];
    const x = circle((k) => (k < 3 ? angles[k] : k % 2 === 0 ? Math.PI + 2.5e-4 : k % 4 === 1 ? 0 : 5e-4));
    const { b, work, D } = measure(x, 0);
    expect(D).toBeGreaterThan(2 * (1 - 1e-15));
    expect(b.upper).toBeNull();
    expect(Math.abs(b.value - D), `${b.value} vs ${D}`).toBeLessThanOrEqual(1e-12 * D);
    expect(work, "the sorted path ran").toBeGreaterThan(BINS);
    expectDiameter(measure(x).b, D, "tol 1e-3");
  });

  it("points off the circle (radii 0.5 to 1): an interval holding the exact value, or the exact value", () => {
    const x = new Float64Array(2 * m);
    for (let k = 0; k < m; k++) {
      const t = [0.2, 2.3, 4.4][k % 3] + 0.05 * (rng.uniform() - 0.5), r = 0.5 + 0.5 * rng.uniform();
      x[2 * k] = r * Math.cos(t); x[2 * k + 1] = r * Math.sin(t);
    }
    for (const tol of [DIAMETER_TOLERANCE, 0]) {
      const { b, D } = measure(x, tol);
      expectDiameter(b, D, `tol ${tol}`);
      if (tol === 0) expect(b.upper).toBeNull();
    }
  });
});

describe("bad input", () => {
  it("is refused with the parameter named", () => {
    const labels = new Int32Array([0, 1, 2]);
    expect(() => StateDiagnostics.create({ n: 3, dim: 3, labelCount: 2, labels, gauges: null })).toThrow(/labels\[2\]: got 2/);
    expect(() => StateDiagnostics.create({ n: 3, dim: 3, labelCount: 3, labels, gauges: new Float64Array(9) })).toThrow(/^gauges: /);
    const core = StateDiagnostics.create({ n: 3, dim: 3, labelCount: 3, labels, gauges: null });
    expect(() => core.setState(new Float64Array(8))).toThrow(/^state: /);
    core.setState(Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1));
    expect(() => core.linkage(-0.1, false)).toThrow(/angle: got -0.1/);
    expect(() => core.diameter(Number.NaN)).toThrow(/tol: got NaN/);
  });
});

describe("the unit split", () => {
  it("gives the same bits for any number of ranges, in any order", () => {
    // more than three chunks of DG_CHUNK in member order, labels across chunk boundaries, gauges
    const n = 3 * DG_CHUNK + 517, d = 3, L = 37;
    const c = configuration("clusters", n, d, L, 8);
    const core = StateDiagnostics.create({ n, dim: d, labelCount: L, labels: c.labels, gauges: randomGauges(d, L, 9) }).setState(c.x);
    const measure = (pieces: number) => {
      core.pieces = pieces;
      return { ...core.gaps(), ...core.diameter(), ...core.linkage(0.05, true) };
    };
    const one = measure(1);
    for (const pieces of [2, 3, 7, 64]) {
      const m = measure(pieces);
      for (const k of Object.keys(one) as (keyof typeof one)[]) expect(Object.is(m[k], one[k]), `${k} with ${pieces} ranges`).toBe(true);
    }
  });
});

describe("the clusters alone (the linkage's threaded units) equal the pair loop", () => {
  // n large enough that the top of the tree has many leaves above DG_LEAF rows, and many node pairs
  it.each([3, 5])("d = %i: every shape and angle, in 1 to 64 ranges run last first", (d) => {
    const n = 6000;
    for (const shape of SHAPES) {
      const c = configuration(shape, n, d, 1, 40 + d);
      const core = StateDiagnostics.create({ n, dim: d, labelCount: 1, labels: c.labels, gauges: null }).setState(c.x);
      for (const angle of [0.02, 0.05, 0.2, 0.6]) {
        const ref = linkageStatistics(c.x, n, d, angle).clusters;
        for (const pieces of [1, 2, 7, 64]) {
          core.pieces = pieces;
          expect(core.linkage(angle, false).clusters, `${shape}, angle ${angle}, ${pieces} ranges`).toBe(ref);
        }
      }
    }
  });

  it("a chain of small clusters with gaps just above and just below the angle", () => {
    // clusters along a great circle, 0.999 and 1.001 angles apart alternately: the pair loop sees
    // half of the gaps as links
    const n = 4000, d = 3, angle = 0.01, per = 20, k = n / per;
    const rng = createRandom(5);
    const x = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      const j = Math.floor(i / per);
      let t = 0;
      for (let q = 0; q < j; q++) t += q % 2 === 0 ? 0.999 * angle : 1.001 * angle;
      t += 1e-6 * rng.uniform();
      const z = 1e-6 * (rng.uniform() - 0.5);
      const r = Math.sqrt(1 - z * z);
      x[i * d] = r * Math.cos(t); x[i * d + 1] = r * Math.sin(t); x[i * d + 2] = z;
    }
    const ref = linkageStatistics(x, n, d, angle).clusters;
    expect(ref).toBeGreaterThan(k / 4);
    expect(ref).toBeLessThan(k);
    const core = StateDiagnostics.create({ n, dim: d, labelCount: 1, labels: new Int32Array(n), gauges: null }).setState(x);
    for (const pieces of [1, 3, 64]) {
      core.pieces = pieces;
      expect(core.linkage(angle, false).clusters, `${pieces} ranges`).toBe(ref);
    }
  });

  it.each(["uniform", "clusters", "cap"] as Shape[])("%s at d = 3: the same count on 1, 2 and 3 of the engine's threads, and the pair loop's", async (shape) => {
    const n = 3 * DG_CHUNK + 517, d = 3;
    const p = defineProblem({ dim: d, beta: 1, n, kernel: { name: "usa" }, init: { law: "uniform", seed: 2 } });
    const state = configuration(shape, n, d, 1, 6).x;
    const ref = linkageStatistics(state, n, d, 0.05).clusters;
    for (const threads of [1, 2, 3]) {
      const e = await WasmEngine.create(p, { threads, phaseThreads: "all" });
      e.setState(state);
      if (threads > 1) for (const q of e.plan.phases.slice(e.plan.diagnostics.tree.first)) expect(q.threads).toBe(Math.min(threads, q.units));
      const m = createRecordDiagnostics(e).measure(state, e.getGaugeState(), 0.05);
      e.dispose();
      expect(m.clusters, `${threads} threads`).toBe(ref);
    }
  });
});

describe("the work", () => {
  // Counted by the core (rows, pairs and node pairs visited), not timed. From n to 16 n a method in
  // O(n log n) grows by 16 log(16 n) / log(n); the bound allows twice that. A pair loop grows by 256.
  const grows = (w: number[], ns: number[]) => w[1] / w[0] <= 2 * (ns[1] / ns[0]) * (Math.log2(ns[1]) / Math.log2(ns[0]));
  it("the bound itself rejects quadratic growth", () => {
    expect(grows([1, 256], [4096, 65536])).toBe(false);
    expect(grows([1, 16], [4096, 65536])).toBe(true);
  });
  it.each(["uniform", "clusters", "cap", "collapsed"] as Shape[])("grows like n log n at d = 3 (%s, one label and n/64 labels)", (shape) => {
    const ns = [4096, 65536], d = 3;
    for (const perLabel of [0, 64]) {
      const work = ns.map((n) => {
        const L = perLabel ? n / perLabel : 1;
        const c = configuration(shape, n, d, L, 11);
        const core = StateDiagnostics.create({ n, dim: d, labelCount: L, labels: c.labels, gauges: null }).setState(c.x);
        core.gaps();
        core.diameter();
        core.linkage(0.05, false);
        return core.work.gaps + core.work.diameter + core.work.linkage;
      });
      expect(grows(work, ns), `${shape}, ${perLabel ? `${perLabel} per label` : "one label"}: work ${work.join(" -> ")}`).toBe(true);
    }
  });
});
