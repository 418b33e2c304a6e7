// The content profile kappa of the kernel family K = W[a,b] kappa(<G_a x, G_b y>) (docs/model.md
// "Dynamics"): kappa(u) = exp(beta u) / beta ("exp") or kappa(u) = u ("linear"). The one place
// where the engines ask which content a problem has: the JS engine for kappa and kappa', the wasm
// engine for the constants its core multiplies by, the step plan for which fast paths apply.
import type { Content } from "./types.js";

/** What the engines need to know about kappa for one problem. */
export interface KappaProfile {
  readonly content: Content;
  /**
   * true for the exp content: the pair terms are exp(beta (u - 1)) times a constant, which the
   * core's exp paths (symmetric loop, harmonic expansion, f32 lanes) evaluate
   */
  readonly exponential: boolean;
  /** kappa'(u) in the flow's time: exp(beta u) (natural), exp(beta (u - 1)) (fast: tau = e^beta t), 1 (linear) */
  prime(u: number): number;
  /** kappa(u) in the reported units, given kappa'(u) as prime returns it: kappa'/beta (exp) or u (linear) */
  fromPrime(u: number, kp: number): number;
  /** kappa(1) in the reported units: e^beta / beta (natural), 1 / beta (fast), 1 (linear) */
  readonly one: number;
  /**
   * The core's force factor: it sums exp(beta (u - 1)) (exp) or 1 (linear), so kappa' = coreScale
   * times that: e^beta (natural), 1 (fast), 1 (linear)
   */
  readonly coreScale: number;
  /**
   * The core's energy factor: its per-particle energy sums are sum_j W exp(beta (u - 1)) (exp) or
   * sum_j W u (linear), so E = energyScale / (2 n^2) times their total: coreScale / beta, or 1
   */
  readonly energyScale: number;
}

/** The profile of `content` at inverse temperature beta on the given time scale. */
export function kappaProfile(content: Content, beta: number, timeScale: "natural" | "fast"): KappaProfile {
  if (content !== "exp") {
    return { content, exponential: false, prime: () => 1, fromPrime: (u) => u, one: 1, coreScale: 1, energyScale: 1 };
  }
  // on the fast scale kappa'(u) e^{-beta} = exp(beta (u - 1)): the change of time tau = e^beta t
  const fast = timeScale === "fast";
  const coreScale = fast ? 1 : Math.exp(beta);
  return {
    content,
    exponential: true,
    prime: fast ? (u) => Math.exp(beta * u - beta) : (u) => Math.exp(beta * u),
    fromPrime: (_u, kp) => kp / beta,
    one: coreScale / beta,
    coreScale,
    energyScale: coreScale / beta,
  };
}
