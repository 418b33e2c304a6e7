/**
 * Every kernel of the library is one member of the family (MODEL.md)
 *   K((x,a),(y,b)) = W[a,b] kappa(<G_a x, G_b y>),
 * kappa(u) = exp(beta u)/beta ("exp") or kappa(u) = u ("linear"),
 * so a kernel definition only has to produce the label table W, the gauges G_a and kappa.
 */
export type Content = "exp" | "linear";
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
}

/** One entry of the kernel registry. */
export interface KernelDefinition {
  readonly name: string;
  /** one line: the formula and where the paper uses it */
  readonly summary: string;
  build(spec: Record<string, unknown>, ctx: KernelContext): KernelTables;
}
