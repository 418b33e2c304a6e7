// The projected integrators (docs/model.md "Integrator", Appendix B.1) as an ordered list of stages:
// the one statement of the step schedule, read by the JS engine and compiled into the wasm
// engine's step plan (plan.ts).
//   Euler: k1 = V(X);  X' = normalize(X + h k1)
//   Heun:  k1 = V(X);  X~ = normalize(X + h k1);  k2 = V(X~);  X' = normalize(X + (h/2)(k1 + k2))
// An advance writes into = normalize(from + (h/2)(a + b)); with b = a that is exactly
// normalize(from + h a) (halving and doubling are exact).
import type { Method } from "./engine.js";

/** The states of a step: x, and the Heun predictor xt. */
export type StateName = "x" | "xt";
/** The velocities of a step. */
export type VelocityName = "k1" | "k2";

/** One stage of a step. */
export type Stage =
  | { readonly kind: "velocity"; readonly at: StateName; readonly into: VelocityName }
  | { readonly kind: "advance"; readonly from: StateName; readonly a: VelocityName; readonly b: VelocityName; readonly into: StateName };

/** The stages of one step of each method; E before the step is that of the first velocity. */
export const STEP_STAGES: { readonly [m in Method]: readonly Stage[] } = {
  euler: [
    { kind: "velocity", at: "x", into: "k1" },
    { kind: "advance", from: "x", a: "k1", b: "k1", into: "x" },
  ],
  heun: [
    { kind: "velocity", at: "x", into: "k1" },
    { kind: "advance", from: "x", a: "k1", b: "k1", into: "xt" },
    { kind: "velocity", at: "xt", into: "k2" },
    { kind: "advance", from: "x", a: "k1", b: "k2", into: "x" },
  ],
};

/**
 * Adaptive Heun's error estimate: max_i |X'_i - X~_i|, the step's result against the predictor
 * X~ = normalize(X + h k1), which is the Euler step (it shares k1); before renormalisation the gap
 * is (h/2)|k2_i - k1_i|.
 */
export const ERROR_AGAINST: StateName = "xt";
