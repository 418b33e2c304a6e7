import { createEngine } from "../src/solve.js";
import { defineProblem } from "../src/problem.js";
import { CTX, FLAG } from "../src/engines/wasm-layout.js";
for (const n of [256, 1024, 4096]) {
  const p = defineProblem({ dim: 3, beta: 1, kernel: { name: "usa" }, labels: { count: 1, perLabel: n }, init: { seed: 3, law: "uniform" } } as any);
  const res: Record<string, number> = {};
  for (const mode of ["row", "sym", "row", "sym"]) {
    const w: any = await createEngine(p, { engine: "wasm", threads: 1 });
    if (mode === "row") { const i32 = new Int32Array(w.memory.buffer); i32[(w.layout.ctx + CTX.FLAGS) >> 2] &= ~FLAG.SYM; }
    const steps = Math.max(1, Math.round(2e8 / (n * n)));
    w.step("heun", 0.001, 1);
    let best = Infinity;
    for (let r = 0; r < 5; r++) { const t0 = performance.now(); w.step("heun", 0.001, steps); best = Math.min(best, (performance.now() - t0) / steps); }
    const mp = 2 * n * n / best / 1e3;
    res[mode] = Math.max(res[mode] ?? 0, mp);
  }
  console.log(n, "row", res.row.toFixed(0), "sym", res.sym.toFixed(0), "Mpairs/s ratio", (res.sym / res.row).toFixed(2));
}
