// Theorem 5 (metastability for nonnegative separated kernels), via the experiment of the same name.
import { METASTABILITY_TOLERANCE, runMetastability } from "../experiments/metastability.js";
import { Criteria, type TheoremCheck } from "./report.js";
import { checkMaximiser, defineProblem, resolve } from "./setup.js";
import { gaugeOrbit } from "../theory.js";

export const theorem5: TheoremCheck = {
  name: "theorem5",
  claim: "Theorem 5 (metastability: fast contraction, exp(c beta) plateau, merger)",
  async run(o) {
    const { seed, dim, engine } = resolve(o);
    const r = await runMetastability({ betas: [8, 10, 12], horizon: 500, dim, seed, engine });
    const last = r.runs[r.runs.length - 1];
    const merge = last.firstMerger ?? Infinity;
    let minDiam = Infinity, plateauDrift = 0;
    const eStart = last.energyRatio[last.tau.findIndex((t) => t >= 50)];
    for (let q = 0; q < last.tau.length && last.tau[q] < merge; q++) {
      minDiam = Math.min(minDiam, last.clusterDiameter[q]);
      if (last.tau[q] >= 50 && last.tau[q] <= merge / 2) plateauDrift = Math.max(plateauDrift, Math.abs(last.energyRatio[q] - eStart));
    }
    // the static picture: the constant path (a Dirac mass) is the maximiser the clusters finally reach
    const c = new Criteria();
    const p = defineProblem({ dim, beta: last.beta, kernel: { name: "distanceBias", length: 0.5 }, labels: { count: 12, perLabel: 4 }, timeScale: "fast" });
    await checkMaximiser(c, `beta = ${last.beta}: a constant path`, p, gaugeOrbit(p, Float64Array.from({ length: dim }, (_, q) => (q === 0 ? 1 : 0))), engine);
    c
      .atLeast(`beta = ${last.beta}: fast contraction rate (per unit tau = e^beta t)`, last.contractionRate ?? NaN, METASTABILITY_TOLERANCE.contractionRate)
      .atMost(`beta = ${last.beta}: smallest cluster diameter before the first merger`, minDiam, 1e-2)
      .atMost(`beta = ${last.beta}: drift of E/E* on the plateau [50, merger/2]`, plateauDrift, 1e-2)
      .atLeast("first merger times increase with beta (1 = yes)", r.runs.every((x, q) => q === 0 || (x.firstMerger ?? Infinity) > (r.runs[q - 1].firstMerger ?? Infinity)) ? 1 : 0, 1)
      .atMost(`|slope of log(first merger) vs beta - (1 - cos gap)| / (1 - cos gap), gap = 1.1`, Math.abs((r.mergerSlope ?? NaN) - r.predictedSlope) / r.predictedSlope, METASTABILITY_TOLERANCE.slope);
    return c.report({ ...this, prediction: "three caps under W = exp(-|s - s'|/0.5) >= 0: each cluster contracts on the fast time scale, the 3-cluster state (an energy plateau) persists, and the first merger time grows like exp(beta (1 - cos gap)) up to a prefactor" }, seed, dim);
  },
};
