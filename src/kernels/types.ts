import type { SetupBudget } from "../setup-cost.js";

/**
 * Every kernel of the library is one member of the family (docs/model.md)
 *   K((x,a),(y,b)) = W[a,b] kappa(<G_a x, G_b y>),
 * kappa(u) = exp(beta u)/beta ("exp") or kappa(u) = u ("linear"),
 * so a kernel definition only has to produce the label table W, the gauges G_a and kappa.
 */
export type Content = "exp" | "linear";
/** The force's normalisation: "usa" (divided by n) or "sa" (divided by the softmax sum). */
export type Normalization = "usa" | "sa";

/** What a kernel needs to know about the problem to build its tables. */
export interface KernelContext {
  readonly dim: number;
  readonly beta: number;
  /** number of labels L */
  readonly labelCount: number;
  /** s_a in [0, 1) for each label a */
  readonly positions: Float64Array;
  /** number of particles carrying each label */
  readonly labelSizes: Int32Array;
  /** the path of the kernel spec in the configuration, for error messages */
  readonly path: string;
  /** the problem's time scale (absent: "natural") */
  readonly timeScale?: "natural" | "fast";
  /**
   * the problem's set-up budget: a kernel reserves each table's size here before allocating it
   * (absent: a fresh budget for this kernel alone)
   */
  readonly budget?: SetupBudget;
  /** the configuration field that sets the label count, for messages (absent: "labels.count") */
  readonly labelCountPath?: string;
  /** the particle count n (absent: unknown; attention heads size their per-particle arrays with it) */
  readonly n?: number;
  /**
   * true when the labels are the quadrature nodes of the uniform label law on [0, 1) (the
   * mean-field solver's continuous labels) rather than finitely many labels; absent: false
   */
  readonly continuum?: boolean;
}

/** The core's view of a kernel. */
export interface KernelTables {
  readonly content: Content;
  readonly normalize: Normalization;
  /** W[a * L + b], symmetric; null means W = 1 */
  readonly weights: Float64Array | null;
  /** G_a at gauges[a * d * d], row-major, orthogonal; null means every G_a = I */
  readonly gauges: Float64Array | null;
  /**
   * E* = max E when the theory gives it and the generic rule (W >= 0: a conditional
   * Dirac mass in the gauge frame) does not apply; undefined to use the generic rule.
   */
  readonly energyMax?: number | null;
  /**
   * true when the flow is the gradient flow of E (dE/dt = (1/n) sum_i |dx_i/dt|^2 >= 0), so that the
   * run loop may guard against an energy drop; undefined means normalize !== "sa"
   */
  readonly gradientFlow?: boolean;
  /** attention heads (kernels "attention" and "multihead"), which replace W, G and kappa; null or absent otherwise */
  readonly attention?: readonly AttentionHead[] | null;
  /** the field of the kernel spec the weights come from, for messages (e.g. "coefficients"; absent: "weights") */
  readonly weightsSource?: string;
}

/** Mask of an attention head: every pair, or j <= i only (token positions = particle indices). */
export type AttentionMask = "none" | "causal";

/**
 * One attention head (docs/kernels.md "Attention, masks and heads"):
 *   F_i += (1/Z_i) sum_j w_ij exp(beta <Q x_i, K x_j>) V x_j,
 * w_ij = 1, or for a causal head w_ij = exp(-alibi (i - j) / n) for j <= i and 0 for j > i;
 * Z_i = n ("usa") or sum_j w_ij exp(beta <Q x_i, K x_j>) ("sa").
 */
export interface AttentionHead {
  /** Q, K, V: d x d, row-major */
  readonly query: Float64Array;
  readonly key: Float64Array;
  readonly value: Float64Array;
  readonly normalize: Normalization;
  readonly beta: number;
  readonly mask: AttentionMask;
  /** ALiBi slope lambda >= 0 (0: no bias) */
  readonly alibi: number;
  /** beta ||Q^T K||_2, an upper bound of |beta <Q x, K y>| over unit x, y: the exponent shift of the wasm core */
  readonly shift: number;
}

/** One entry of the kernel registry. */
export interface KernelDefinition {
  readonly name: string;
  /** one line: the formula and where the paper uses it */
  readonly summary: string;
  /**
   * true when the tables depend on the label positions s_a (rope, phaseField, distanceBias,
   * toeplitz): with one label every particle has the same position, and the kernel does nothing
   * positional (defineProblem then says so in Problem.warnings)
   */
  readonly positional?: boolean;
  /** Builds W, the gauges and kappa for one spec of this kernel (throws ConfigError naming the field). */
  build(spec: Record<string, unknown>, ctx: KernelContext): KernelTables;
}
