// The CLI contract: `mft simulate <config.json> [--out result.json]` (docs/cli.md).
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main, type CliIO } from "../src/cli/main.js";
import { defineProblem } from "../src/problem.js";
import { solve } from "../src/solve.js";
import { expectClose } from "./helpers.js";

const CLI = join(__dirname, "..", "dist", "cli.js");
const dir = mkdtempSync(join(tmpdir(), "mft-cli-"));

function capture(stdin = ""): CliIO & { out: string[]; err: string[] } {
  const out: string[] = [], err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), readStdin: () => stdin };
}

const config = {
  dim: 3,
  beta: 1,
  kernel: { name: "rope", omega: 6.283185307179586, plane: [0, 1] },
  labels: { count: 8, perLabel: 4 },
  init: { seed: 7, law: "uniform" },
  solver: { method: "heun", step: 0.01, time: 2, record: 0.5 },
  engine: "wasm",
};

describe("mft simulate", () => {
  it("the built bin writes the result contract to --out", () => {
    expect(existsSync(CLI), "dist/cli.js is built by `npm test` (pretest: npm run build)").toBe(true);
    const cfg = join(dir, "cfg.json"), out = join(dir, "result.json");
    writeFileSync(cfg, JSON.stringify(config));
    execFileSync(process.execPath, [CLI, "simulate", cfg, "--out", out]);
    const r = JSON.parse(readFileSync(out, "utf8"));
    for (const key of ["times", "energy", "collapseGap", "gaugeGap", "conditionalDiameter", "final"]) expect(r).toHaveProperty(key);
    expect(r.times).toEqual([0, 0.5, 1, 1.5, 2]);
    expect(r.energy).toHaveLength(5);
    expect(r.final).toHaveLength(32);
    expect(r.final[0]).toHaveLength(3);
    // the same run through the library gives the same numbers
    const { solver, engine, ...problemConfig } = config;
    return solve(defineProblem(problemConfig as never), { ...(solver as object), engine: "wasm" }).then((s) => {
      expectClose(r.energy, s.energy, 0, "energy");
      expectClose(r.final.flat(), s.final, 0, "final state");
    });
  });

  it("prints the result to stdout without --out, and reads - from stdin", async () => {
    const io = capture(JSON.stringify({ ...config, engine: "js" }));
    expect(await main(["simulate", "-"], io)).toBe(0);
    const r = JSON.parse(io.out.join(""));
    expect(r.engine).toBe("js");
    expect(r.collapseGap[0]).toBeGreaterThan(0.5);
  });

  it("explicit points: the final state of one point is the point itself (a lone particle feels only itself)", async () => {
    const io = capture(JSON.stringify({ dim: 3, init: { points: [[0, 0.6, 0.8]] }, solver: { time: 1, record: 1 } }));
    expect(await main(["simulate", "-"], io)).toBe(0);
    const r = JSON.parse(io.out.join(""));
    expectClose(r.final[0], [0, 0.6, 0.8], 1e-15, "final point");
  });

  it("bad input: exit code 2 and a message naming the field and the allowed range", () => {
    const cfg = join(dir, "bad.json");
    writeFileSync(cfg, JSON.stringify({ ...config, beta: -2 }));
    const r = spawnSync(process.execPath, [CLI, "simulate", cfg], { encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("beta: got -2; allowed: a finite number > 0");
    expect(r.stdout).toBe("");
  });

  it("unreadable or non-JSON files and unknown flags are errors, not crashes", async () => {
    const notJson = join(dir, "x.json");
    writeFileSync(notJson, "{dim: 3");
    for (const argv of [["simulate", join(dir, "missing.json")], ["simulate", notJson], ["simulate", notJson, "--output", "x"], ["frobnicate"]]) {
      const io = capture();
      expect(await main(argv, io)).toBe(2);
      expect(io.err.join("")).toMatch(/^mft: /);
    }
  });

  it("mft kernels lists every registered kernel", async () => {
    const io = capture();
    expect(await main(["kernels"], io)).toBe(0);
    const text = io.out.join("");
    for (const name of ["usa", "sa", "distanceBias", "rope", "phaseField", "toeplitz", "prompt", "custom"]) expect(text).toContain(name);
  });
});

describe("mft simulate: threads and precision in the configuration", () => {
  it("the built bin gives the same result for threads 1 and 2 (n = 528 is split), and reports bad threads", () => {
    const big = { ...config, labels: { count: 132, perLabel: 4 }, solver: { method: "heun", step: 0.01, time: 0.05, record: 0.05 } };
    const results = [1, 2].map((threads) => {
      const cfg = join(dir, `threads-${threads}.json`);
      writeFileSync(cfg, JSON.stringify({ ...big, threads }));
      return JSON.parse(execFileSync(process.execPath, [CLI, "simulate", cfg], { encoding: "utf8" }));
    });
    expect(results[1].final).toEqual(results[0].final);
    expect(results[1].energy).toEqual(results[0].energy);
    const bad = join(dir, "threads-bad.json");
    writeFileSync(bad, JSON.stringify({ ...big, threads: 0 }));
    const r = spawnSync(process.execPath, [CLI, "simulate", bad], { encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/threads: got 0; allowed: an integer >= 1/);
  });

  it("precision f32 runs through the CLI and stays within its stated tolerance of f64", async () => {
    const io64 = capture(JSON.stringify(config)), io32 = capture(JSON.stringify({ ...config, precision: "f32" }));
    expect(await main(["simulate", "-"], io64)).toBe(0);
    expect(await main(["simulate", "-"], io32)).toBe(0);
    const a = JSON.parse(io64.out.join("")), b = JSON.parse(io32.out.join(""));
    expectClose(b.final.flat(), a.final.flat(), 1e-6, "final states, f32 vs f64");
    expect(b.final.flat()).not.toEqual(a.final.flat());
  });
});
