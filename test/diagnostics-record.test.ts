// The records of a run (solve.ts) come from the core's diagnostics (src/diagnostics/record.ts):
// every record equals the exact plain-JS references on the states the run passes to
// onRecordState, for the wasm engine on 1, 2 and 3 threads (the same bits) and the JS engine; the
// diameter's interval reaches the result and its JSON only when a record needs one.
import { describe, expect, it } from "vitest";
import { collapseGap, conditionalDiameter, groupByLabel } from "../src/diagnostics/collapse.js";
import { linkageStatistics } from "../src/diagnostics/linkage.js";
import { DIAMETER_TOLERANCE } from "../src/diagnostics/core.js";
import { defineProblem, type ProblemConfig } from "../src/problem.js";
import { createEngine, run, solve, solutionToJSON, type RunCheckpoint, type Solution } from "../src/solve.js";
import { defineSolver } from "../src/solver.js";

/** collapseGap of x translated by its first point: full relative precision near collapse. */
function gapReference(x: Float64Array, n: number, d: number): number {
  const y = x.map((v, j) => v - x[j % d]);
  return collapseGap(y, n, d);
}

const N = 600, D = 3, L = 12;
const labels = { assign: Array.from({ length: N }, (_, i) => (i * 7) % L), count: L };
const config = (kernel: ProblemConfig["kernel"]): ProblemConfig => ({ dim: D, beta: 1, n: N, kernel, labels, init: { seed: 3, law: "uniform" } });
const solver = { method: "heun" as const, step: 0.05, time: 1.5, record: 0.5, clusterAngle: 0.3 };

async function recorded(kernel: ProblemConfig["kernel"], engine: "wasm" | "js", threads?: number): Promise<{ s: Solution; states: { x: Float64Array; z: Float64Array }[] }> {
  const states: { x: Float64Array; z: Float64Array }[] = [];
  const s = await solve(defineProblem(config(kernel)), { ...solver, engine, threads, onRecordState: (z, _t, x) => states.push({ x: x.slice(), z: z.slice() }) });
  return { s, states };
}

describe.each([
  ["usa", { name: "usa" }],
  ["rope", { name: "rope", omega: 2 * Math.PI }],
] as const)("%s: every record equals the references on its states", (_name, kernel) => {
  it.each([["wasm", 1], ["wasm", 2], ["js", undefined]] as const)("engine %s, threads %s", async (engine, threads) => {
    const { s, states } = await recorded(kernel, engine, threads);
    expect(states.length).toBe(s.times.length);
    const groups = groupByLabel(defineProblem(config(kernel)).labels, L);
    states.forEach(({ x, z }, r) => {
      const gx = gapReference(x, N, D), gz = gapReference(z, N, D);
      expect(Math.abs(s.collapseGap[r] - gx), `G_x at record ${r}`).toBeLessThanOrEqual(1e-12 + 1e-10 * gx);
      expect(Math.abs(s.gaugeGap[r] - gz), `G_z at record ${r}`).toBeLessThanOrEqual(1e-12 + 1e-10 * gz);
      const exact = conditionalDiameter(x, D, groups);
      const upper = s.conditionalDiameterUpper?.[r] ?? s.conditionalDiameter[r];
      expect(s.conditionalDiameter[r], `diameter at record ${r}`).toBeLessThanOrEqual(exact * (1 + 1e-12) + 1e-15);
      expect(upper).toBeGreaterThanOrEqual(exact * (1 - 1e-12) - 1e-15);
      expect(upper / s.conditionalDiameter[r]).toBeLessThanOrEqual(1 + DIAMETER_TOLERANCE);
      expect(s.clusters[r], `clusters at record ${r}`).toBe(linkageStatistics(x, N, D, solver.clusterAngle).clusters);
    });
    // the run moved: the last record is not the first
    expect(s.collapseGap.at(-1)).not.toBe(s.collapseGap[0]);
  });

  it("the wasm engine's records are the same bits on 1, 2 and 3 threads", async () => {
    const runs = await Promise.all([1, 2, 3].map((t) => recorded(kernel, "wasm", t)));
    for (const { s } of runs.slice(1)) {
      for (const key of ["collapseGap", "gaugeGap", "conditionalDiameter", "clusters"] as const) {
        expect(Array.from(s[key]).every((v, r) => Object.is(v, runs[0].s[key][r])), key).toBe(true);
      }
    }
  });
});

describe("the diameter's interval in a result", () => {
  const spread = { dim: 3, beta: 1, n: 3000, kernel: { name: "usa" }, init: { law: "cap", center: [0, 0, 1], radius: 0.4, seed: 2 } } as ProblemConfig;
  it("appears as conditionalDiameterUpper where a record is an interval", async () => {
    const s = await solve(defineProblem(spread), { step: 0.01, time: 0.02, record: 0.01 });
    expect(s.conditionalDiameterUpper).not.toBeNull();
    const up = s.conditionalDiameterUpper!;
    s.conditionalDiameter.forEach((v, r) => {
      expect(up[r]).toBeGreaterThanOrEqual(v);
      expect(up[r] / v).toBeLessThanOrEqual(1 + DIAMETER_TOLERANCE);
    });
    expect(up.some((u, r) => u > s.conditionalDiameter[r])).toBe(true);
    const json = solutionToJSON(s) as { conditionalDiameter: number[]; conditionalDiameterUpper: number[] };
    expect(json.conditionalDiameterUpper).toEqual(Array.from(up));
    expect(json.conditionalDiameter).toEqual(Array.from(s.conditionalDiameter));
  });

  it("is absent when every record is exact", async () => {
    const s = await solve(defineProblem({ ...spread, n: 30 }), { step: 0.01, time: 0.02, record: 0.01 });
    expect(s.conditionalDiameterUpper).toBeNull();
    expect(solutionToJSON(s)).not.toHaveProperty("conditionalDiameterUpper");
  });

  it("a checkpoint written before the upper bounds existed resumes, its records counted exact", async () => {
    const p = defineProblem({ ...spread, n: 30 });
    const sv = defineSolver({ step: 0.01, time: 0.04, record: 0.01 });
    let saved: RunCheckpoint | undefined;
    const first = await createEngine(p);
    await run(first, sv, { checkpointEvery: 2, onCheckpoint: (c) => { saved ??= structuredClone(c); } });
    first.dispose();
    delete saved!.records.conditionalDiameterUpper;
    const engine = await createEngine(p);
    const s = await run(engine, sv, { resume: saved });
    engine.dispose();
    expect(s.conditionalDiameter.length).toBe(s.times.length);
    expect(s.conditionalDiameterUpper).toBeNull();
  });
});
