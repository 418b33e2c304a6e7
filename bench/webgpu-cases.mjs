// The WebGPU engine's measurements, through the library's own API only, so that the same code runs
// in Node (bench/webgpu.mjs, Dawn) and in a page. Pairs per second count n^2 pair terms per
// evaluation; each timed call is a run of Euler steps (one evaluation each, one submission per
// step) read back once at the end, the best of REPEATS.

/** Seconds one timed call should last (the step count is sized to it). */
const TARGET_S = 0.5;
const REPEATS = 3;
const MAX_STEPS = 400;

/**
 * Runs every measurement: pairs/s of the USA kernel at d = 3 over n, a tuning sweep, the d = 64
 * Heun step beside the PyTorch figures, an attention head at d = 64, and the error against the wasm
 * f64 engine. `lib` is the package's module; `log` prints a line. Returns the results as JSON.
 */
export async function runWebGpuBench(lib, { quick = false, log = () => {}, allowSoftware = false, smoke = false } = {}) {
  // smoke: tiny sizes that only check that every measurement runs (a software adapter's figures mean nothing)
  const sizes = smoke ? { pairs: [256], tune: 256, d64: 128, accuracy: 256 }
    : quick ? { pairs: [4096, 16384], tune: 16384, d64: 4096, accuracy: 1024 }
      : { pairs: [4096, 16384, 65536, 262144, 1048576], tune: 65536, d64: 65536, accuracy: 4096 };
  const now = () => performance.now() / 1000;
  const problemOf = (n, dim, kernel = { name: "usa" }) => lib.defineProblem({ dim, n, beta: 1, kernel, init: { law: "uniform", seed: 1 } });
  const open = (p, tuning = {}) => lib.createEngine(p, { engine: "webgpu", webgpu: tuning });

  const probe = await open(problemOf(64, 3));
  const adapter = probe.adapter;
  probe.dispose();
  log(`adapter: ${adapter.name}${adapter.software ? " (software: its timings are not a GPU's)" : ""}`);
  if (adapter.software && !allowSoftware) throw new Error(`${adapter.name} is a software adapter: no speed can be measured on it`);

  /** Seconds per evaluation (Euler steps of one evaluation each), best of REPEATS. */
  async function secondsPerEvaluation(engine) {
    await engine.step("euler", 1e-4, 1); // compiles and warms up
    let t = now();
    await engine.step("euler", 1e-4, 1);
    const one = Math.max(now() - t, 1e-6);
    const steps = Math.max(1, Math.min(MAX_STEPS, Math.round(TARGET_S / one)));
    let best = Infinity;
    for (let r = 0; r < REPEATS; r++) {
      t = now();
      await engine.step("euler", 1e-4, steps);
      best = Math.min(best, (now() - t) / steps);
    }
    return best;
  }

  const results = { adapter, pairs: [], tuning: [], heun64: null, attention64: null, accuracy: null };

  for (const n of sizes.pairs) {
    const e = await open(problemOf(n, 3));
    const s = await secondsPerEvaluation(e);
    results.pairs.push({ n, dim: 3, shape: e.shape, msPerEvaluation: s * 1e3, pairsPerSecond: (n * n) / s });
    log(`usa d = 3, n = ${n}: ${(s * 1e3).toPrecision(4)} ms an evaluation, ${((n * n) / s).toExponential(3)} pairs/s (${JSON.stringify(e.shape)})`);
    e.dispose();
  }

  const tuneN = sizes.tune;
  for (const workgroupSize of [64, 128, 256]) {
    for (const rowsPerThread of [1, 2, 4, 8]) {
      const e = await open(problemOf(tuneN, 3), { workgroupSize, rowsPerThread });
      const s = await secondsPerEvaluation(e);
      results.tuning.push({ n: tuneN, dim: 3, workgroupSize, rowsPerThread, tile: e.shape.tile, pairsPerSecond: (tuneN * tuneN) / s });
      log(`tuning n = ${tuneN}: workgroup ${workgroupSize}, ${rowsPerThread} rows a thread: ${((tuneN * tuneN) / s).toExponential(3)} pairs/s`);
      e.dispose();
    }
  }

  // a Heun step at d = 64 (two evaluations), beside the PyTorch script's 54 ms an evaluation at n = 65,536
  const n64 = sizes.d64;
  {
    const e = await open(problemOf(n64, 64));
    await e.step("heun", 1e-4, 1);
    let best = Infinity;
    for (let r = 0; r < REPEATS; r++) {
      const t = now();
      await e.step("heun", 1e-4, 1);
      best = Math.min(best, now() - t);
    }
    results.heun64 = { n: n64, dim: 64, msPerHeunStep: best * 1e3, pairsPerSecond: (2 * n64 * n64) / best, shape: e.shape };
    log(`usa d = 64, n = ${n64}: ${(best * 1e3).toPrecision(4)} ms a Heun step (${((2 * n64 * n64) / best).toExponential(3)} pairs/s)`);
    e.dispose();
  }
  {
    const e = await open(problemOf(n64, 64, { name: "attention", query: "gaussian", key: "gaussian", value: "spd", normalize: "sa" }));
    const s = await secondsPerEvaluation(e);
    results.attention64 = { n: n64, dim: 64, msPerEvaluation: s * 1e3, pairsPerSecond: (n64 * n64) / s, shape: e.shape };
    log(`attention head d = 64, n = ${n64}: ${(s * 1e3).toPrecision(4)} ms an evaluation (${((n64 * n64) / s).toExponential(3)} pairs/s)`);
    e.dispose();
  }

  // error of one evaluation against the wasm f64 engine (max over entries, relative to max |v|)
  {
    const p = problemOf(sizes.accuracy, 3);
    const wasm = await lib.createEngine(p, { engine: "wasm" }), gpu = await open(p);
    const vw = new Float64Array(p.n * 3), vg = new Float64Array(p.n * 3);
    const ew = wasm.evaluate(vw), eg = await gpu.evaluate(vg);
    let dv = 0, vmax = 0;
    for (let q = 0; q < vw.length; q++) { dv = Math.max(dv, Math.abs(vw[q] - vg[q])); vmax = Math.max(vmax, Math.abs(vw[q])); }
    results.accuracy = { n: p.n, dim: 3, velocity: dv / vmax, energy: Math.abs(ew.energy - eg.energy) / ew.energy };
    log(`error against wasm f64 at n = ${p.n}: velocity ${(dv / vmax).toExponential(2)}, energy ${results.accuracy.energy.toExponential(2)}`);
    wasm.dispose();
    gpu.dispose();
  }
  return results;
}
