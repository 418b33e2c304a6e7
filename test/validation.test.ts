// Bad input gets a ConfigError that names the parameter and the allowed range; nothing is clamped.
import { describe, expect, it } from "vitest";
import { parseSimulationConfig } from "../src/config.js";
import { ConfigError } from "../src/errors.js";
import { defineProblem } from "../src/problem.js";

const ok = { dim: 3, beta: 1, n: 8, init: { seed: 1, law: "uniform" } };

/** [what, config, parameter named, a fragment of the allowed range] */
const cases: [string, Record<string, unknown>, string, string][] = [
  ["d < 2", { ...ok, dim: 1 }, "dim", ">= 2"],
  ["d not an integer", { ...ok, dim: 2.5 }, "dim", "integer"],
  ["n < 1", { ...ok, n: 0 }, "n", ">= 1"],
  ["n missing", { dim: 3, init: { seed: 1, law: "uniform" } }, "n", "integer >= 1"],
  ["beta = 0", { ...ok, beta: 0 }, "beta", "> 0"],
  ["beta < 0", { ...ok, beta: -1 }, "beta", "> 0"],
  ["beta NaN", { ...ok, beta: NaN }, "beta", "finite"],
  ["beta Infinity", { ...ok, beta: Infinity }, "beta", "finite"],
  ["beta too large", { ...ok, beta: 800 }, "beta", "<= 700"],
  ["beta a string", { ...ok, beta: "1" }, "beta", "finite number"],
  ["zero vector", { dim: 3, init: { points: [[1, 0, 0], [0, 0, 0]] } }, "init.points[1]", "non-zero"],
  ["non-finite vector", { dim: 3, init: { points: [[1, 0, 0], [0, NaN, 1]] } }, "init.points[1][1]", "finite"],
  ["infinite vector", { dim: 3, init: { points: [[Infinity, 0, 0]] } }, "init.points[0][0]", "finite"],
  ["non-unit vector", { dim: 3, init: { points: [[1, 1, 0]] } }, "init.points[0]", "unit vector"],
  ["wrong point length", { dim: 3, init: { points: [[1, 0]] } }, "init.points[0]", "3 numbers"],
  ["n disagrees with points", { dim: 3, n: 3, init: { points: [[1, 0, 0]] } }, "init.points", "same particle count"],
  ["n disagrees with labels", { ...ok, labels: { count: 3, perLabel: 2 } }, "labels (count x perLabel)", "same particle count"],
  ["label count < 1", { dim: 3, labels: { count: 0, perLabel: 2 } }, "labels.count", ">= 1"],
  ["assign length wrong", { ...ok, labels: { assign: [0, 1, 2] } }, "labels.assign", "n = 8"],
  ["assign beyond count", { ...ok, labels: { assign: [0, 1, 2, 3, 0, 1, 2, 3], count: 2 } }, "labels.count", ">= 4"],
  ["prompt phases per label", { ...ok, labels: { count: 4, perLabel: 2 }, n: undefined, kernel: { name: "prompt", phases: [0, 1] } }, "kernel.phases", "array of 4"],
  ["non-orthogonal gauge", { dim: 2, n: 2, labels: { count: 2, perLabel: 1 }, init: { seed: 1 }, kernel: { name: "prompt", gauges: [[[1, 0], [0, 1]], [[1, 0.1], [0, 1]]] } }, "kernel.gauges[1]", "orthogonal"],
  ["non-symmetric weights", { dim: 2, n: 2, labels: { count: 2, perLabel: 1 }, init: { seed: 1 }, kernel: { name: "custom", weights: [[1, 0.5], [0.4, 1]] } }, "kernel.weights[0][1]", "symmetric"],
  ["weights not L x L", { dim: 2, n: 2, labels: { count: 2, perLabel: 1 }, init: { seed: 1 }, kernel: { name: "custom", weights: [[1, 0.5]] } }, "kernel.weights", "L x L"],
  ["unknown kernel", { ...ok, kernel: { name: "ropee" } }, "kernel.name", "one of \"usa\""],
  ["kernel without name", { ...ok, kernel: {} }, "kernel.name", "one of"],
  ["unknown kernel field", { ...ok, kernel: { name: "rope", omgea: 1 } }, "kernel.omgea", "known fields"],
  ["bad plane", { ...ok, kernel: { name: "rope", plane: [0, 3] } }, "kernel.plane[1]", "<= 2"],
  ["same-axis plane", { ...ok, kernel: { name: "rope", plane: [1, 1] } }, "kernel.plane", "distinct"],
  ["distance length 0", { ...ok, kernel: { name: "distanceBias", length: 0 } }, "kernel.length", "> 0"],
  ["sa on a signed table", { dim: 2, n: 2, labels: { count: 2, perLabel: 1 }, init: { seed: 1 }, kernel: { name: "custom", weights: [[1, -1], [-1, 1]], normalize: "sa" } }, "kernel.normalize", "W >= 0"],
  ["unknown top-level field", { ...ok, bta: 2 }, "bta", "known fields"],
  ["unknown law", { ...ok, init: { law: "gaussian" } }, "init.law", "\"uniform\""],
  ["cap radius", { ...ok, init: { law: "cap", center: [0, 0, 1], radius: 4 } }, "init.radius", "<= 3.14"],
  ["frozen index", { ...ok, frozen: [8] }, "frozen[0]", "<= 7"],
  ["positions outside [0,1)", { ...ok, labels: { count: 2, perLabel: 4, positions: [0, 1] } }, "labels.positions[1]", "[0, 1)"],
];

describe("defineProblem rejects bad input, naming the parameter and the allowed range", () => {
  it.each(cases)("%s", (_what, config, parameter, allowed) => {
    let err: unknown;
    try {
      defineProblem(config as never);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const ce = err as ConfigError;
    expect(ce.parameter).toBe(parameter);
    expect(ce.message.startsWith(`${parameter}: got `)).toBe(true);
    expect(ce.message).toContain(allowed);
  });
});

describe("solver options", () => {
  const sim = (solver: Record<string, unknown>) => () => parseSimulationConfig({ ...ok, solver });
  it.each([
    [{ step: 0 }, "solver.step", "> 0"],
    [{ step: -0.01 }, "solver.step", "> 0"],
    [{ step: NaN }, "solver.step", "finite"],
    [{ method: "rk45" }, "solver.method", "\"heun\""],
    [{ time: 1, step: 0.3 }, "solver.time", "multiple of solver.step"],
    [{ record: 0.015, step: 0.01 }, "solver.record", "multiple of solver.step"],
    [{ stop: { window: 0.7, tol: 1e-8 }, record: 0.5 }, "solver.stop.window", "multiple of solver.record"],
    [{ stop: { window: 1, tol: 0 } }, "solver.stop.tol", "> 0"],
  ])("%j -> %s", (solver, parameter, allowed) => {
    expect(sim(solver)).toThrowError(ConfigError);
    try { sim(solver)(); } catch (e) {
      expect((e as ConfigError).parameter).toBe(parameter);
      expect((e as ConfigError).message).toContain(allowed);
    }
  });
  it("rejects an unknown engine", () => {
    expect(() => parseSimulationConfig({ ...ok, engine: "gpu" })).toThrowError(/engine: got "gpu"; allowed: one of "wasm", "js"/);
  });
});

describe("valid input is taken as given", () => {
  it("explicit points: n from their count, normalised only when asked", () => {
    const p = defineProblem({ dim: 3, init: { points: [[3, 0, 4]], normalize: true } });
    expect(p.n).toBe(1);
    expect(Array.from(p.initial)).toEqual([0.6, 0, 0.8]);
  });
  it("a seed fixes every draw; another seed changes them", () => {
    const cfg = { dim: 4, labels: { count: 8, perLabel: 2, positions: "random" as const }, init: { seed: 3, law: "caps" as const, k: 3, radius: 0.2, minSeparation: 1 } };
    const a = defineProblem(cfg), b = defineProblem(cfg), c = defineProblem({ ...cfg, init: { ...cfg.init, seed: 4 } });
    expect(Array.from(a.initial)).toEqual(Array.from(b.initial));
    expect(Array.from(a.positions)).toEqual(Array.from(b.positions));
    expect(Array.from(a.initial)).not.toEqual(Array.from(c.initial));
  });
  it("the problem is frozen", () => {
    const p = defineProblem(ok as never);
    expect(Object.isFrozen(p)).toBe(true);
  });
});
