// The README's ten-line API example runs and shows what the README says it shows.
import { expect, it } from "vitest";
import { defineProblem, solve } from "../src/index.js";

it("README example: RoPE keeps G_x > 0 while G_z and the energy gap go to 0", async () => {
  const problem = defineProblem({
    dim: 3, beta: 1,
    kernel: { name: "rope", omega: 2 * Math.PI, plane: [0, 1] },
    labels: { count: 64, perLabel: 4 },
    init: { seed: 7, law: "uniform" },
  });
  const sol = await solve(problem, { method: "heun", step: 0.01, time: 30, record: 0.5, engine: "wasm" });
  const gx = sol.collapseGap.at(-1)!, gz = sol.gaugeGap.at(-1)!, gap = sol.energyGap!.at(-1)!;
  console.log(`README example: G_x = ${gx}, G_z = ${gz}, energy gap = ${gap}`);
  expect(gx).toBeGreaterThan(0.3);
  expect(gz).toBeLessThan(1e-12);
  expect(Math.abs(gap)).toBeLessThan(1e-12);
  expect(sol.times.length).toBe(61);
});
