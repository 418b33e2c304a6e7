// Type-level checks of the configuration types: checked by `tsc --noEmit` (npm run typecheck) and by
// test/api-docs.test.ts. Every `@ts-expect-error` line must be an error; an unused one is an error too.
import type { InitSpec, KernelSpec, ProblemConfig, SimulationConfig } from "../../src/index.js";

// valid kernels of several kinds
export const rope: KernelSpec = { name: "rope", omega: 2 * Math.PI, plane: [0, 1] };
export const multiFrequency: KernelSpec = { name: "rope", base: 10000, scale: 1 };
export const phase: KernelSpec = { name: "phaseField", phase: (s) => 2 * Math.PI * s, plane: [0, 2] };
export const heads: KernelSpec = { name: "multihead", heads: [{ query: "goe", value: "spd", mask: "causal" }, { name: "attention", alibi: 1 }] };
export const problem: ProblemConfig = { dim: 3, kernel: { name: "toeplitz", coefficients: [0, 1] }, labels: { count: 16, perLabel: 4 } };
export const run: SimulationConfig = { dim: 3, n: 64, solver: { method: "heun", time: 5 }, engine: "js", threads: 2, precision: "f64", pairLoop: "row" };

// @ts-expect-error: "rop" is not a kernel name
export const badName: KernelSpec = { name: "rop" };
// @ts-expect-error: rope has no field "omgea"
export const badField: KernelSpec = { name: "rope", omgea: 1 };
// @ts-expect-error: distanceBias needs its length
export const missingLength: KernelSpec = { name: "distanceBias" };
// @ts-expect-error: toeplitz coefficients are numbers
export const badCoefficients: KernelSpec = { name: "toeplitz", coefficients: ["1"] };
// @ts-expect-error: a plane is two axes
export const badPlane: KernelSpec = { name: "rope", plane: [0, 1, 2] };
// @ts-expect-error: "Rope" is not "rope"
export const badCase: ProblemConfig = { dim: 3, kernel: { name: "Rope" } };
// @ts-expect-error: "Beta" is not a field of a problem
export const badTop: ProblemConfig = { dim: 3, Beta: 2 };
// @ts-expect-error: "solvr" is not a field of a configuration
export const badSolver: SimulationConfig = { dim: 3, solvr: {} };
// @ts-expect-error: the engines are "wasm", "js" and "webgpu"
export const badEngine: SimulationConfig = { dim: 3, engine: "gpu" };
// @ts-expect-error: a cap needs its radius
export const badInit: InitSpec = { law: "cap", center: [1, 0, 0] };
