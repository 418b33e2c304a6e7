// One tolerance helper and the fixtures shared by the test files.
import { expect } from "vitest";
import { defineProblem, type Problem, type ProblemConfig } from "../src/problem.js";
import { createEngine } from "../src/solve.js";
import type { Engine, EngineKind } from "../src/engines/engine.js";
import type { WasmEngine } from "../src/engines/wasm.js";
import { createRandom } from "../src/random.js";
import { randomOrthogonalMatrix } from "../src/linalg.js";

/** max_k |a_k - b_k| */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let k = 0; k < a.length; k++) m = Math.max(m, Math.abs(a[k] - b[k]));
  return m;
}

/** Asserts |a - b| <= tol elementwise (with the worst difference in the failure message). */
export function expectClose(a: ArrayLike<number> | number, b: ArrayLike<number> | number, tol: number, what = "values"): void {
  const aa = typeof a === "number" ? [a] : a, bb = typeof b === "number" ? [b] : b;
  const diff = maxAbsDiff(aa, bb);
  expect(diff, `${what}: max |difference| = ${diff} > ${tol}`).toBeLessThanOrEqual(tol);
}

/** max_i | |x_i| - 1 | */
export function normDrift(x: Float64Array, d: number): number {
  let worst = 0;
  for (let i = 0; i < x.length / d; i++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += x[i * d + k] ** 2;
    worst = Math.max(worst, Math.abs(Math.sqrt(s) - 1));
  }
  return worst;
}

/** A random orthogonal d x d matrix (Gram-Schmidt on Gaussian columns), as rows. */
export function randomOrthogonal(d: number, seed: number): number[][] {
  return randomOrthogonalMatrix(d, createRandom(seed));
}

export const LABELS = { count: 16, perLabel: 4 };

/** Every kernel of the registry in a form valid for dimension d and 16 labels. */
export function kernelCases(d: number): { label: string; kernel: ProblemConfig["kernel"] }[] {
  const L = LABELS.count;
  const sym = Array.from({ length: L }, (_, a) => Array.from({ length: L }, (_, b) => 0.5 + 0.5 * Math.cos(a + b) * Math.cos(a - b)));
  return [
    { label: "usa", kernel: { name: "usa" } },
    { label: "sa", kernel: { name: "sa" } },
    { label: "distanceBias", kernel: { name: "distanceBias", length: 0.3 } },
    { label: "rope (one plane)", kernel: { name: "rope", omega: 2 * Math.PI, plane: [0, d - 1] } },
    { label: "rope (block rotations)", kernel: { name: "rope", base: 10, scale: 2 * Math.PI } },
    { label: "phaseField (sine)", kernel: { name: "phaseField", phase: { linear: 2 * Math.PI, sine: { amplitude: 0.7, frequency: 2 } } } },
    { label: "phaseField (product of rotations)", kernel: { name: "phaseField", rotations: [
      { plane: [0, 1], phase: { linear: 2 * Math.PI } },
      { plane: [1, 2], phase: { sine: { amplitude: 0.5, frequency: 1 } } },
    ] } },
    { label: "toeplitz", kernel: { name: "toeplitz", coefficients: [0.2, 1, 0.3] } },
    { label: "prompt (phases)", kernel: { name: "prompt", phases: Array.from({ length: L }, (_, a) => 0.4 * a), plane: [0, 1] } },
    { label: "prompt (gauges)", kernel: { name: "prompt", gauges: Array.from({ length: L }, (_, a) => randomOrthogonal(d, 100 + a)) } },
    { label: "custom (exp)", kernel: { name: "custom", weights: sym, gauges: Array.from({ length: L }, (_, a) => randomOrthogonal(d, 200 + a)), content: "exp" } },
    { label: "custom (linear)", kernel: { name: "custom", weights: sym, content: "linear" } },
  ];
}

/** A problem with 16 labels x 4 particles and a seeded uniform start. */
export function problemFor(d: number, kernel: ProblemConfig["kernel"], seed = 1, extra: Partial<ProblemConfig> = {}) {
  return defineProblem({ dim: d, beta: 1, kernel, labels: LABELS, init: { seed, law: "uniform" }, ...extra });
}

export const ENGINES: EngineKind[] = ["wasm", "js"];

export async function engineFor(kind: EngineKind, d: number, kernel: ProblemConfig["kernel"], seed = 1, extra: Partial<ProblemConfig> = {}): Promise<Engine> {
  return createEngine(problemFor(d, kernel, seed, extra), { engine: kind });
}

/**
 * A fast path (one thread, `pairLoop`), the row loop and the JS reference on one problem, each
 * evaluated once: the engines, their velocities and evaluations, and the reference's largest
 * velocity component (the scale of the tolerances).
 */
export async function fastRowReference(p: Problem, pairLoop: "expansion" | "sums") {
  const wasm = (await createEngine(p, { engine: "wasm", threads: 1, pairLoop })) as WasmEngine;
  const row = (await createEngine(p, { engine: "wasm", threads: 1, pairLoop: "row" })) as WasmEngine;
  const js = await createEngine(p, { engine: "js" });
  const size = p.n * p.dim;
  const vw = new Float64Array(size), vr = new Float64Array(size), vj = new Float64Array(size);
  const ew = wasm.evaluate(vw), er = row.evaluate(vr), ej = js.evaluate(vj);
  return { wasm, row, js, vw, vr, vj, ew, er, ej, scale: Math.max(...vj.map(Math.abs)) };
}
