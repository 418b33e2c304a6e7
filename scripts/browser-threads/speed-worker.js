// Web Worker side of scripts/browser-threads/speed.mjs: Heun steps per second on the demo's
// baseline (usa, beta = 1, d = 3, h = 0.05), one engine per thread count, timed in interleaved
// rounds so that every thread count sees the same load.
const M = await import("/dist/index.js");
const log = (m) => postMessage(m);
try {
  const counts = [1, 2, Math.max(2, navigator.hardwareConcurrency || 2)].filter((v, i, a) => a.indexOf(v) === i);
  for (const n of [1024, 4096]) {
    const p = M.defineProblem({ dim: 3, beta: 1, n, kernel: { name: "usa" }, init: { seed: 2, law: "uniform" } });
    for (const perCall of [1, 16]) {
      const engines = [];
      for (const threads of counts) engines.push(await M.WasmEngine.create(p, { threads, profile: true }));
      for (const e of engines) e.step("heun", 0.05, 20);
      const best = engines.map(() => 0);
      for (let round = 0; round < 7; round++) {
        engines.forEach((e, k) => {
          let steps = 0;
          const t0 = performance.now();
          let t = t0;
          while (t - t0 < 300) { e.step("heun", 0.05, perCall); steps += perCall; t = performance.now(); }
          best[k] = Math.max(best[k], (steps * 1000) / (t - t0));
        });
      }
      // where the threads' time goes: the share of the wall time in which fewer than two work
      const profiles = engines.slice(1).map((e) => {
        e.profileUnits(true);
        const t0 = performance.timeOrigin + performance.now();
        e.step("heun", 0.05, 100);
        const t1 = performance.timeOrigin + performance.now();
        e.profileUnits(false);
        const busy = e.unitTimes().map((log) => { let b = 0; for (let i = 0; i < log.length; i += 2) b += log[i + 1] - log[i]; return b; });
        return `${e.threads} threads: busy ${busy.map((b) => ((100 * b) / (t1 - t0)).toFixed(0) + "%").join("/")} of the wall time`;
      });
      // the same steps from the same start give the same bits on every thread count
      for (const e of engines) { e.setState(p.initial); e.step("heun", 0.05, 10); }
      const x0 = engines[0].getState();
      const same = engines.every((e) => e.getState().every((v, i) => Object.is(v, x0[i])));
      log(`n = ${n}, ${perCall} step(s) per call, path ${engines[0].plan.path}: ` + engines.map((e, k) => `${e.threads} thread(s) ${best[k].toFixed(0)} steps/s (${(best[k] / best[0]).toFixed(2)}x)`).join(", ") + `; ${profiles.join("; ")}; same bits: ${same}`);
      for (const e of engines) e.dispose();
    }
  }
  log("done");
} catch (err) {
  log("error " + err.message);
}
