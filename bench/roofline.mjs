// d = 64 at the roofline (docs/performance.md, "Large d: the tiled pair loop"): the wasm core's Heun
// step at n = 4096 on all threads (and on one), NumPy's Heun step (bench/numpy_peer.py heun), the
// native C peer's force evaluation on all threads, and the f64x2 multiply-add ceiling of one core
// (bench/ceiling.ts), in interleaved rounds of one measurement each, best of the rounds (the machine
// may be shared: other load only adds time). The fraction of the ceiling counts the arithmetic of
// the pair terms alone: 2d multiply-adds for each dot product and 2d for each accumulation, that is
// 4d flops per ordered pair, or 3d where one dot product and one exp serve both orders (the tiled
// loop's tile pairs), against threads x the one-core ceiling. The exp and the O(n d) work are not
// counted, so the fraction is a lower bound of how busy the multiply and add units are.
//   Usage: npm run build && node bench/roofline.mjs [--rounds 5] [--n 4096] [--d 64]
import { availableParallelism, loadavg } from "node:os";
import { pathToFileURL } from "node:url";
import { createEngine, defineProblem } from "../dist/index.js";
import { bestOf } from "./best-of.mjs";
import { buildNativePeer, ceilingLoop, nativeSeconds, numpySeconds, numpyVersion } from "./peers.mjs";

/** Best (largest) GFLOP/s of one core over `calls` timed calls of the ceiling loop of about 0.1 s each. */
function ceilingGflops(loop, calls) {
  const iters = 1e8 / loop.CHAINS_FLOPS.value;
  let best = 0;
  for (let c = 0; c < calls; c++) {
    const t0 = performance.now();
    loop.chains(iters, 1);
    best = Math.max(best, (iters * loop.CHAINS_FLOPS.value) / ((performance.now() - t0) / 1e3) / 1e9);
  }
  return best;
}

/** Seconds of one call of fn. */
const timeOnce = (fn) => bestOf(fn, 1) / 1e3;

/**
 * Runs the comparison and prints its table; returns the figures. threads: the wasm team and the C
 * peer's threads; numpy: whether the NumPy peer runs; nativeBin: the built native peer, or null.
 */
export async function roofline({ n = 4096, d = 64, rounds = 5, threads = availableParallelism(), numpy = true, nativeBin = null } = {}) {
  const load0 = loadavg();
  const loop = await ceilingLoop();
  const problem = defineProblem({ dim: d, beta: 1, n, kernel: { name: "usa" }, init: { seed: 1, law: "uniform" } });
  const all = await createEngine(problem, { engine: "wasm", threads });
  const one = await createEngine(problem, { engine: "wasm", threads: 1 });
  // the tile pairs take one dot product and one exp for both orders of a pair
  const flopsPerPair = all.plan.path === "tiles" ? 3 * d : 4 * d;
  // attention heads at the same n and d: Q = K = I (tile pairs) and a causal head with Gaussian Q, K (row units)
  const heads = [
    ["attention, Q = K = I, V = B", { name: "attention", value: "B" }, false],
    ["attention, causal, Gaussian Q, K", { name: "attention", query: "gaussian", key: "gaussian", value: "B", mask: "causal", seed: 3 }, true],
  ];
  const attn = [];
  for (const [label, kernel, causal] of heads) {
    const engine = await createEngine(defineProblem({ dim: d, beta: 1, n, kernel, init: { seed: 1, law: "uniform" } }), { engine: "wasm", threads });
    attn.push({ label, engine, causal, best: Infinity });
  }
  let sink = all.step("heun", 1e-4) + one.step("heun", 1e-4) + attn.reduce((t, a) => t + a.engine.step("heun", 1e-4), 0);
  const best = { ceiling: 0, all: Infinity, one: Infinity, numpy: Infinity, c: Infinity };
  for (let r = 0; r < rounds; r++) {
    if (loop) best.ceiling = Math.max(best.ceiling, ceilingGflops(loop, 3));
    best.all = Math.min(best.all, timeOnce(() => { sink += all.step("heun", 1e-4); }));
    best.one = Math.min(best.one, timeOnce(() => { sink += one.step("heun", 1e-4); }));
    for (const a of attn) a.best = Math.min(a.best, timeOnce(() => { sink += a.engine.step("heun", 1e-4); }));
    if (numpy) best.numpy = Math.min(best.numpy, numpySeconds(n, d, 1, "heun"));
    if (nativeBin) best.c = Math.min(best.c, nativeSeconds(nativeBin, n, d, 1, threads));
  }
  if (!Number.isFinite(sink)) throw new Error("non-finite energy in the roofline benchmark");
  const path = all.plan.path;
  const teamThreads = all.threads;
  all.dispose();
  one.dispose();
  for (const a of attn) a.engine.dispose();
  const load1 = loadavg();
  const stepPairs = 2 * n * n;
  const row = (label, k, seconds, pairs = stepPairs, flops = flopsPerPair) => {
    const gflops = (pairs * flops) / seconds / 1e9;
    return { label, threads: k, heunSeconds: seconds, mpairsPerSec: pairs / seconds / 1e6, flopsPerPair: flops, gflops, ceilingFraction: best.ceiling ? gflops / (k * best.ceiling) : null };
  };
  const res = {
    n, d, path, flopsPerPair, rounds,
    ceilingGflopsPerCore: best.ceiling || null,
    wasmAll: row("wasm all", teamThreads, best.all),
    wasmOne: row("wasm 1", 1, best.one),
    // a causal head sums n (n + 1) / 2 ordered pairs per evaluation; the q, k, v (O(n d^2)) are not counted
    attention: attn.map((a) => ({ ...row(a.label, a.engine.threads, a.best, 2 * (a.causal ? (n * (n + 1)) / 2 : n * n), a.engine.plan.path === "tiles" ? 3 * d : 4 * d), path: a.engine.plan.path })),
    numpyHeunSeconds: numpy ? best.numpy : null,
    cAllMpairsPerSec: nativeBin ? (n * n) / best.c / 1e6 : null,
    loadAverage: { start: load0[0], end: load1[0] },
  };
  const pct = (x) => (x === null ? "—" : `${(100 * x).toFixed(0)}%`);
  console.log(`\nd = ${d} at the roofline: n = ${n}, Heun steps (USA, beta = 1), best of ${rounds} interleaved rounds; path "${path}", ${flopsPerPair} flops per ordered pair counted`);
  console.log(`f64x2 multiply-add ceiling of one core (bench/ceiling.ts): ${best.ceiling ? `${best.ceiling.toFixed(1)} GFLOP/s` : "not measured (asc failed)"}; load average ${load0[0].toFixed(2)} at start, ${load1[0].toFixed(2)} at end`);
  console.log("| engine | threads | Heun step (s) | Mpairs/s | GFLOP/s | of the ceiling | vs NumPy (Heun step) | vs C all (pairs/s) |");
  console.log("|---|---|---|---|---|---|---|---|");
  for (const w of [res.wasmAll, res.wasmOne]) {
    const vsNumpy = numpy ? `${(best.numpy / w.heunSeconds).toFixed(2)}×` : "—";
    const vsC = nativeBin ? `${(w.mpairsPerSec / res.cAllMpairsPerSec).toFixed(2)}×` : "—";
    console.log(`| ${w.label} | ${w.threads} | ${w.heunSeconds.toFixed(3)} | ${w.mpairsPerSec.toFixed(0)} | ${w.gflops.toFixed(1)} | ${pct(w.ceilingFraction)} | ${vsNumpy} | ${vsC} |`);
  }
  for (const a of res.attention) {
    console.log(`| wasm ${a.label} (path "${a.path}", ${a.flopsPerPair} flops per pair) | ${a.threads} | ${a.heunSeconds.toFixed(3)} | ${a.mpairsPerSec.toFixed(0)} | ${a.gflops.toFixed(1)} | ${pct(a.ceilingFraction)} | | |`);
  }
  if (numpy) console.log(`| NumPy | (BLAS threads) | ${best.numpy.toFixed(3)} | ${(stepPairs / best.numpy / 1e6).toFixed(0)} | | | 1× | |`);
  if (nativeBin) console.log(`| C (one evaluation) | ${threads} | ${(2 * best.c).toFixed(3)} (2 evaluations) | ${res.cAllMpairsPerSec.toFixed(0)} | | | | 1× |`);
  return res;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (name, fallback) => {
    const at = process.argv.indexOf(name);
    return at > 0 ? Number(process.argv[at + 1]) : fallback;
  };
  const native = buildNativePeer();
  await roofline({ n: arg("--n", 4096), d: arg("--d", 64), rounds: arg("--rounds", 5), numpy: numpyVersion() !== null, nativeBin: native?.bin ?? null });
}
