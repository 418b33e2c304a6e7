// Memory limits: a system that cannot fit the wasm memory maximum is refused before anything is
// allocated, with the computed size in the message.
import { describe, expect, it } from "vitest";
import { ConfigError } from "../src/errors.js";
import { defineProblem } from "../src/problem.js";
import { planLayout } from "../src/engines/wasm-layout.js";
import { buildPlan } from "../src/engines/plan.js";

describe("memory limits", () => {
  it("n d beyond 4 GiB of state fails in defineProblem, naming n and the size", () => {
    const t = Date.now();
    expect(() => defineProblem({ dim: 64, n: 16_000_000 })).toThrow(ConfigError);
    expect(() => defineProblem({ dim: 64, n: 16_000_000 })).toThrow(/^n: got 16000000; allowed: .*need at least 30\.52 GiB.*n <= 2097152 at d = 64/);
    // refused before the initial state is drawn (drawing 1e9 coordinates would take seconds)
    expect(Date.now() - t).toBeLessThan(5000);
  });
  it("the core's layout refuses more than 65536 pages with its own computed size", () => {
    const p = defineProblem({ dim: 2, n: 4 });
    const huge = { ...p, n: 200_000_000, dim: 2 };
    expect(() => planLayout(huge, 1024, 4096, 1, buildPlan(huge, "rows", null, 1))).toThrow(/^n: got 200000000; allowed: a system that fits in 4 GiB of wasm memory \(n = 200000000, d = 2, L = \d+ needs \d+\.\d+ GiB\)/);
  });
});
