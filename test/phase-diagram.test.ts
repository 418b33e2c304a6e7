// Union-find cluster counts (src/diagnostics/linkage.ts) on hand-built configurations, and the
// phase-diagram sweep and command on a tiny grid (issue 7, item 4).
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { clusterCountUnionFind, linkageStatistics } from "../src/diagnostics/linkage.js";
import { clusterCount } from "../src/diagnostics/collapse.js";
import { runBatch } from "../src/batch.js";
import { ConfigError } from "../src/errors.js";
import { createRandom } from "../src/random.js";
import { sampleCap } from "../src/sphere.js";
import { PHASE_ANGLE, phaseDiagramSweep, runPhaseDiagram } from "../src/experiments/phaseDiagram.js";
import { equiangularHittingTime } from "../src/equiangular.js";
import { main, type CliIO } from "../src/cli/main.js";

/** Points on the great circle of e1, e2 at the given angles (d >= 2), particle-major. */
function onCircle(angles: number[], d: number): Float64Array {
  const x = new Float64Array(angles.length * d);
  angles.forEach((a, i) => { x[i * d] = Math.cos(a); x[i * d + 1] = Math.sin(a); });
  return x;
}

describe("clusterCountUnionFind", () => {
  it("k caps of radius 0.01 around well-separated centres give k clusters, in any particle order", () => {
    const rng = createRandom(3);
    for (const [d, k] of [[3, 1], [3, 4], [5, 7], [16, 12]] as const) {
      const per = 9, n = k * per;
      const x = new Float64Array(n * d);
      for (let c = 0; c < k; c++) {
        // centres +-e_m: pairwise angles pi/2 or pi
        const centre = new Float64Array(d);
        centre[c >> 1] = c % 2 === 0 ? 1 : -1;
        for (let p = 0; p < per; p++) sampleCap(rng, d, centre, 0.01, x, (c * per + p) * d);
      }
      expect(clusterCountUnionFind(x, n, d, 0.05), `d = ${d}, k = ${k}`).toBe(k);
      // a permutation of the particles changes nothing
      const order = Array.from({ length: n }, (_, i) => (i * 5 + 3) % n);
      expect(new Set(order).size).toBe(n);
      const y = new Float64Array(n * d);
      order.forEach((i, q) => y.set(x.subarray(i * d, (i + 1) * d), q * d));
      expect(clusterCountUnionFind(y, n, d, 0.05)).toBe(k);
      // pairs within: the k (per choose 2) same-cap pairs out of (n choose 2)
      expect(linkageStatistics(x, n, d, 0.05).pairFraction).toBeCloseTo((k * per * (per - 1)) / (n * (n - 1)), 14);
    }
  });

  it("all particles equal: one cluster and every pair linked, at any angle including 0", () => {
    const x = onCircle(Array(10).fill(0.7), 4);
    for (const angle of [0, 1e-12, 0.05, Math.PI]) {
      expect(linkageStatistics(x, 10, 4, angle)).toEqual({ clusters: 1, pairFraction: 1 });
    }
  });

  it("threshold edges: a pair at angle a is linked just above a and not just below, also for tiny a", () => {
    for (const a of [1e-9, 1e-4, 0.05, 1, 3]) {
      const x = onCircle([0.3, 0.3 + a], 3);
      expect(clusterCountUnionFind(x, 2, 3, a * (1 + 1e-6)), `a = ${a}`).toBe(1);
      expect(clusterCountUnionFind(x, 2, 3, a * (1 - 1e-6)), `a = ${a}`).toBe(2);
    }
    // antipodes are linked only at angle pi
    expect(clusterCountUnionFind(onCircle([0, Math.PI], 2), 2, 2, Math.PI)).toBe(1);
    expect(clusterCountUnionFind(onCircle([0, Math.PI], 2), 2, 2, 3.14)).toBe(2);
    // one particle: one cluster
    expect(linkageStatistics(onCircle([0], 2), 1, 2, 0.1)).toEqual({ clusters: 1, pairFraction: 1 });
  });

  it("single linkage: a chain of steps below the angle is one cluster (leader clustering splits it)", () => {
    const n = 20, step = 0.04;
    const x = onCircle(Array.from({ length: n }, (_, i) => i * step), 3);
    expect(clusterCountUnionFind(x, n, 3, 0.05)).toBe(1);
    expect(clusterCount(x, n, 3, 0.05)).toBeGreaterThan(1);
    expect(linkageStatistics(x, n, 3, 0.05).pairFraction).toBeCloseTo((n - 1) / ((n * (n - 1)) / 2), 14);
  });

  it("refuses a bad angle or a short state with a ConfigError", () => {
    const x = onCircle([0, 1], 2);
    expect(() => clusterCountUnionFind(x, 2, 2, -0.1)).toThrow(/angle: got -0.1/);
    expect(() => clusterCountUnionFind(x, 2, 2, NaN)).toThrow(ConfigError);
    expect(() => clusterCountUnionFind(x, 3, 2, 0.1)).toThrow(/^x: /);
  });
});

describe("phase-diagram sweep", () => {
  const tiny = { betas: [1, 4], seeds: 3, n: 8, dim: 8, time: 12, record: 1 };

  it("on a tiny grid: more clustering at later t, full collapse at beta = 1 after the equiangular time", async () => {
    const r = await runPhaseDiagram({ ...tiny, threads: 2 });
    expect(r.betas).toEqual([1, 4]);
    expect(r.times).toEqual(Array.from({ length: 13 }, (_, q) => q));
    for (let q = 0; q < 2; q++) {
      const pf = r.pairFraction[q], cl = r.clusters[q];
      expect(pf.length).toBe(13);
      for (const v of pf) expect(v >= 0 && v <= 1).toBe(true);
      for (const v of cl) expect(v >= 1 && v <= 8).toBe(true);
      // uniform starts in d = 8 have no pair within 0.045 rad; clustering grows with t
      expect(pf[0]).toBe(0);
      expect(cl[0]).toBe(8);
      expect(pf[12]).toBeGreaterThan(pf[0]);
      expect(cl[12]).toBeLessThan(cl[0]);
      for (let c = 1; c < 13; c++) expect(pf[c] - pf[c - 1], `beta = ${r.betas[q]}, t = ${c}`).toBeGreaterThanOrEqual(-0.1);
    }
    // beta = 1: the equiangular model reaches 0.999 near t = 4.2 (n = 8); every seed has collapsed by T = 12
    expect(r.pairFraction[0][12]).toBe(1);
    expect(r.clusters[0][12]).toBe(1);
    // the boundary is the equiangular hitting time, and beta = 4 clusters later than beta = 1
    expect(r.boundary.time[0]).toBeCloseTo(equiangularHittingTime({ n: 8, beta: 1, normalize: "sa" }, 0, 0.999), 12);
    const half = r.pairFraction.map((row) => row.findIndex((v) => v >= 0.5));
    expect(half[0]).toBeGreaterThan(0);
    expect(half[1] < 0 || half[1] > half[0]).toBe(true);
  });

  it("each job's linkage statistics at its last record equal union-find on its final state", async () => {
    const sweep = phaseDiagramSweep(tiny);
    const jobs = sweep.jobs.slice(0, 2).map((j) => ({ ...j, config: { ...j.config, solver: { ...j.config.solver, time: 3 } } }));
    const results = await runBatch(jobs, { threads: 1 });
    for (const r of results) {
      const last = r.times.length - 1;
      const s = linkageStatistics(r.final, 8, 8, PHASE_ANGLE);
      expect(r.linkage!.clusters[last]).toBe(s.clusters);
      expect(r.linkage!.pairFraction[last]).toBe(s.pairFraction);
      expect(r.linkage!.clusters.length).toBe(r.times.length);
    }
    await expect(runBatch([{ ...jobs[0], linkage: { angle: -1 } }], { threads: 1 })).rejects.toThrow(/jobs\[0\]\.linkage\.angle: got -1/);
  });
});

describe("mft reproduce phase-diagram", () => {
  const dir = mkdtempSync(join(tmpdir(), "mft-phase-"));
  function capture(): CliIO & { out: string[]; err: string[] } {
    const out: string[] = [], err: string[] = [];
    return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), readStdin: () => "" };
  }
  const args = ["--quick", "--betas", "1,3", "--seeds", "2", "--sizes", "6", "--dim", "6", "--time", "8", "--threads", "2"];

  it("writes JSON (with the grid), CSV and SVG with the equiangular overlay; --resume and shards + merge give the same JSON", async () => {
    const out = join(dir, "one");
    const io = capture();
    expect(await main(["reproduce", "phase-diagram", ...args, "--out", out], io)).toBe(0);
    for (const f of ["phase-diagram.json", "phase-diagram.csv", "phase-diagram.svg", "phase-diagram-clusters.svg", "phase-diagram.runs.jsonl"]) {
      expect(existsSync(join(out, f)), f).toBe(true);
      expect(io.err.join("")).toContain(join(out, f));
    }
    const json = JSON.parse(readFileSync(join(out, "phase-diagram.json"), "utf8"));
    expect(json.betas).toEqual([1, 3]);
    expect(json.times).toEqual(Array.from({ length: 17 }, (_, q) => q * 0.5));
    expect(json.pairFraction.length).toBe(2);
    expect(json.pairFraction[0].length).toBe(17);
    expect(json.options).toMatchObject({ model: "sa", n: 6, dim: 6, seeds: 2 });
    const csv = readFileSync(join(out, "phase-diagram.csv"), "utf8").trim().split("\n");
    expect(csv[0]).toBe("beta,t,pair_fraction,clusters_mean,equiangular_rho");
    expect(csv.length).toBe(1 + 2 * 17);
    expect(csv[1].split(",").slice(0, 2)).toEqual(["1", "0"]);
    const svg = readFileSync(join(out, "phase-diagram.svg"), "utf8");
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain("equiangular model");
    expect(io.out.join("")).toMatch(/phase-diagram beta = 1 +half the pairs clustered at t = [\d.]+; the equiangular model/);

    const again = capture();
    expect(await main(["reproduce", "phase-diagram", ...args, "--out", out, "--resume"], again)).toBe(0);
    expect(again.err.join("")).toContain("4 of 4 runs already in");
    expect(JSON.parse(readFileSync(join(out, "phase-diagram.json"), "utf8"))).toEqual(json);

    const sharded = join(dir, "shards");
    for (const s of ["0/2", "1/2"]) expect(await main(["reproduce", "phase-diagram", ...args, "--out", sharded, "--shard", s], capture())).toBe(0);
    const merged = join(dir, "merged");
    expect(await main(["merge", "phase-diagram", join(sharded, "phase-diagram.shard-0-of-2.jsonl"), join(sharded, "phase-diagram.shard-1-of-2.jsonl"), "--out", merged], capture())).toBe(0);
    expect(readFileSync(join(merged, "phase-diagram.json"), "utf8")).toBe(readFileSync(join(out, "phase-diagram.json"), "utf8"));
  });

  it("bad flags name the parameter", async () => {
    for (const [argv, pattern] of [
      [["reproduce", "phase-diagram", "--model", "gpt"], /--model: got "gpt"/],
      [["reproduce", "phase-diagram", "--betas", "1,-2"], /--betas\[1\]: got -2/],
      [["reproduce", "fig2", "--dim", "4"], /--dim: got "4"; allowed: phase-diagram only/],
      [["reproduce", "phase-diagram", "--sizes", "8,16"], /--sizes: got "8,16"; allowed: one system size/],
    ] as [string[], RegExp][]) {
      const io = capture();
      expect(await main([...argv, "--out", join(dir, "bad")], io)).toBe(2);
      expect(io.err.join("")).toMatch(pattern);
    }
  });
});
