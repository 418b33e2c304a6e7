// meanfield-transformer: the public API.
export { defineProblem, BETA_MAX, N_MAX, DIM_MAX } from "./problem.js";
export type { Problem, ProblemConfig, LabelSpec, InitSpec, KernelSpec } from "./problem.js";
export { defineSolver } from "./solver.js";
export type { Solver, SolverConfig } from "./solver.js";
export { solve, solveWith, run, createEngine, solutionToJSON } from "./solve.js";
export type { Solution, SolveOptions, EngineOptions } from "./solve.js";
export { parseSimulationConfig } from "./config.js";
export type { SimulationConfig, ParsedSimulation } from "./config.js";
export type { Engine, EngineKind, Method, Evaluation, Precision } from "./engines/engine.js";
export { ReferenceEngine } from "./engines/reference.js";
export { WasmEngine, vectorExp, sharedMemoryAvailable, THREAD_MIN_N, THREADS_MAX } from "./engines/wasm.js";
export type { WasmEngineOptions } from "./engines/wasm.js";
export { SYM_MIN_N } from "./engines/plan.js";
export { kernelNames, getKernel, registerKernel, buildKernel } from "./kernels/registry.js";
export type { KernelDefinition, KernelTables, KernelContext, Content, Normalization } from "./kernels/types.js";
export { empiricalQuantile } from "./kernels/phaseField.js";
export type { PhaseSpec } from "./kernels/phaseField.js";
export { collapseGap, conditionalDiameter, clusterCount, groupByLabel } from "./diagnostics/collapse.js";
export { gaugeOrbit, greatCircle } from "./theory.js";
export { createRandom } from "./random.js";
export type { Random } from "./random.js";
export { planeRotation } from "./linalg.js";
export { ConfigError, SimulationError } from "./errors.js";
export { runBatch, runJob, toBatchResult } from "./batch.js";
export type { BatchJob, BatchResult, BatchOptions } from "./batch.js";
export { gaugeSending, promptGaugesFor, phaseFieldFor } from "./realise.js";
export { theoremChecks, runChecks } from "./theorems/index.js";
export type { CheckOptions, CheckReport, TheoremCheck, Criterion } from "./theorems/index.js";
export { runFig2, runFig3, runMetastability, runMeanField } from "./experiments/index.js";
export type { Fig2Options, Fig2Result, Fig3Options, Fig3Panel, MetastabilityOptions, MetastabilityResult, MeanFieldOptions, MeanFieldResult } from "./experiments/index.js";
export { limitPoint, orbitResidual, planeFitResidual, heightSpread, planeAngles, circularW1, slicedW1, clusterCentres } from "./diagnostics/laws.js";
// Trajectories out (issue 7, item 5): recorder, NPY / raw ".f64" encoders and Node file writers
export * from "./trajectory/index.js";
// attention heads, masks and ALiBi (README "Attention, masks and heads")
export { ATTENTION_EXPONENT_MAX, HEADS_MAX, QK_PRESETS, V_PRESETS } from "./kernels/attention.js";
export type { AttentionHead, AttentionMask } from "./kernels/types.js";
export { runLostInTheMiddle, lostInTheMiddleCSV, uShape } from "./experiments/lostInTheMiddle.js";
export type { LostInTheMiddleOptions, LostInTheMiddleProfile, LostInTheMiddleResult } from "./experiments/lostInTheMiddle.js";
// Phase diagrams and the equiangular reduction (issue 7)
export { equiangularRate, solveEquiangular, equiangularHittingTime, equiangularConfiguration, equiangularMin, pairwiseInnerProducts } from "./equiangular.js";
export type { EquiangularModel, EquiangularSolveOptions } from "./equiangular.js";
export { linkageStatistics, clusterCountUnionFind } from "./diagnostics/linkage.js";
export type { LinkageStatistics } from "./diagnostics/linkage.js";
export { runPhaseDiagram, phaseDiagramSweep, phaseDiagramCSV, PHASE_ANGLE } from "./experiments/phaseDiagram.js";
export type { PhaseDiagramOptions, PhaseDiagramResult } from "./experiments/phaseDiagram.js";
