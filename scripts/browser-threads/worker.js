// Web Worker side of scripts/browser-threads: a threaded engine may block here.
const plain = self.location.search.includes("plain") ? "?plain" : "";
const M = await import("/dist/index.js" + plain);
try {
  const p = M.defineProblem({ dim: 3, beta: 1, n: 1023, kernel: { name: "usa" }, init: { seed: 1, law: "uniform" } });
  const res = [];
  for (const threads of [1, 2, 3]) {
    const e = await M.createEngine(p, { threads });
    e.step("heun", 0.01, 5);
    res.push({ threads: e.threads, x: e.getState() });
    e.dispose();
  }
  const same = res.every((r) => r.x.every((v, i) => Object.is(v, res[0].x[i])));
  postMessage(`engine threads ${res.map((r) => r.threads).join(", ")}: bitwise equal ${same}`);
  const jobs = [1, 2, 3].map((seed) => ({ config: { dim: 3, n: 64, init: { seed, law: "uniform" }, solver: { time: 0.5 } } }));
  const a = await M.runBatch(jobs, { threads: 1 }), b = await M.runBatch(jobs, { threads: 2 });
  postMessage(`batch pool of 2 equals the sequential runner: ${a.every((r, k) => r.final.every((v, i) => Object.is(v, b[k].final[i])))}`);
} catch (err) {
  postMessage("error " + err.message);
}
