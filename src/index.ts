// meanfield-transformer: the public API.
export { defineProblem, BETA_MAX, N_MAX, DIM_MAX } from "./problem.js";
export type { Problem } from "./problem.js";
export type { ProblemConfig, LabelSpec, InitSpec, SolverConfig, SimulationConfig } from "./schema/config.js";
export type { KernelSpec, KernelSpecs } from "./kernels/specs.js";
// the JSON Schema of a simulate configuration (also meanfield-transformer/schema.json)
export { simulationConfigSchema } from "./schema/config.js";
export { defineSolver } from "./solver.js";
export type { Solver } from "./solver.js";
export { solve, solveWith, run, createEngine, solutionToJSON } from "./solve.js";
export type { Solution, SolveOptions, EngineOptions, SolutionJSONOptions } from "./solve.js";
export { parseSimulationConfig } from "./config.js";
export type { ParsedSimulation } from "./config.js";
export type { Engine, EngineKind, AsyncEngine, AnyEngine, AnyEngineKind, Method, Evaluation, Precision } from "./engines/engine.js";
export type { WebGpuEngine, WebGpuEngineOptions } from "./engines/webgpu/engine.js";
export { GpuUnavailableError, type GpuAdapterSummary, type GpuProvider } from "./engines/webgpu/gpu.js";
export { ReferenceEngine } from "./engines/reference.js";
export { WasmEngine, vectorExp, sharedMemoryAvailable, THREAD_MIN_N, THREADS_MAX } from "./engines/wasm.js";
export type { WasmEngineOptions } from "./engines/wasm.js";
export { SYM_MIN_N } from "./engines/plan.js";
export { kernelNames, getKernel, registerKernel, buildKernel } from "./kernels/registry.js";
export type { KernelDefinition, KernelTables, KernelContext, Content, Normalization } from "./kernels/types.js";
export { empiricalQuantile } from "./kernels/phaseField.js";
export type { PhaseSpec } from "./kernels/phaseField.js";
export { collapseGap, conditionalDiameter, clusterCount, leaderClusters, groupByLabel } from "./diagnostics/collapse.js";
// the record diagnostics in the wasm core (docs/diagnostics.md)
export { createRecordDiagnostics } from "./diagnostics/record.js";
export type { RecordDiagnostics, RecordMeasures } from "./diagnostics/record.js";
export { StateDiagnostics } from "./diagnostics/standalone.js";
export { CoreDiagnostics, DIAMETER_TOLERANCE } from "./diagnostics/core.js";
export type { DiameterBounds } from "./diagnostics/core.js";
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
// Trajectories out: recorder, NPY / raw ".f64" encoders and Node file writers
export * from "./trajectory/index.js";
// attention heads, masks and ALiBi (docs/kernels.md "Attention, masks and heads")
export { ATTENTION_EXPONENT_MAX, HEADS_MAX, QK_PRESETS, V_PRESETS } from "./kernels/attention.js";
export type { AttentionHead, AttentionMask } from "./kernels/types.js";
export { runLostInTheMiddle, lostInTheMiddleCSV, uShape } from "./experiments/lostInTheMiddle.js";
export type { LostInTheMiddleOptions, LostInTheMiddleProfile, LostInTheMiddleResult } from "./experiments/lostInTheMiddle.js";
// Phase diagrams and the equiangular reduction
export { equiangularRate, solveEquiangular, equiangularHittingTime, equiangularConfiguration, equiangularMin, pairwiseInnerProducts } from "./equiangular.js";
export type { EquiangularModel, EquiangularSolveOptions } from "./equiangular.js";
export { linkageStatistics, clusterCountUnionFind } from "./diagnostics/linkage.js";
export type { LinkageStatistics } from "./diagnostics/linkage.js";
export { runPhaseDiagram, phaseDiagramSweep, phaseDiagramCSV, PHASE_ANGLE } from "./experiments/phaseDiagram.js";
export type { PhaseDiagramOptions, PhaseDiagramResult } from "./experiments/phaseDiagram.js";
// The bounds every input is checked against, and the result check (docs/limits.md)
export { isProblem } from "./problem.js";
export { STEPS_MAX, RECORDS_MAX } from "./solver.js";
export { HOST_BYTES_MAX, CORE_BYTES_MAX, SETUP_WORK_MAX } from "./setup-cost.js";
export { ANGLE_MAX, MAGNITUDE_MAX, MATRIX_ENTRY_MAX } from "./kernels/common.js";
export { checkFiniteResult } from "./result-check.js";
// The mean-field limit on the circle (docs/meanfield.md)
export { defineMeanFieldProblem, PANEL_POINTS_MAX, GRID_MAX } from "./meanfield/problem.js";
export type { MeanFieldConfig, MeanFieldGridConfig, MeanFieldProblem, Arc } from "./meanfield/problem.js";
export { solveMeanField, resolveMeanFieldSolver, meanFieldSolutionToJSON, MASS_TOLERANCE } from "./meanfield/solve.js";
export type { MeanFieldSolution, MeanFieldSolveOptions, MeanFieldState, MeanFieldInvariants, MeanFieldDensity, MeanFieldMethod } from "./meanfield/solve.js";
export type { MeanFieldFrame } from "./meanfield/laws.js";
export type { QuantileLayout } from "./meanfield/quantile.js";
export type { KernelProfile } from "./meanfield/bessel.js";
export { scaledBesselI } from "./meanfield/bessel.js";
export { circleW1, circleCdf, cellDensity, empiricalCircleLaw, ATOM_LENGTH } from "./diagnostics/circleLaw.js";
export type { PiecewiseUniformLaw, CircleCdf } from "./diagnostics/circleLaw.js";
export { runMeanFieldLimit, meanFieldLimitCSV, meanFieldLimitConfig } from "./experiments/meanFieldLimit.js";
export type { MeanFieldLimitOptions, MeanFieldLimitResult, MeanFieldLimitModel, MeanFieldLimitPanel, MeanFieldLimitCheck, RefinementStudy, W1Series } from "./experiments/meanFieldLimit.js";
