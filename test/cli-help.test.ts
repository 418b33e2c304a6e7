// The command line helps: every command has --help with its flags and an example, --version,
// suggestions for mistyped commands, flags, fields and kernel names, and warnings for settings
// that do nothing. Exit codes: 0 done, 2 bad input.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../src/cli/commands.js";
import { main, type CliIO } from "../src/cli/main.js";
import type { KernelSpec } from "../src/kernels/specs.js";
import { defineProblem } from "../src/problem.js";
import { solve } from "../src/solve.js";
import { closestName, editDistance } from "../src/suggest.js";

const root = join(__dirname, "..");
const CLI = join(root, "dist", "cli.js");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

async function run(argv: string[], stdin = ""): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [], err: string[] = [];
  const io: CliIO = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), readStdin: () => stdin };
  const code = await main(argv, io);
  return { code, out: out.join(""), err: err.join("") };
}

describe("mft --help and mft <command> --help", () => {
  it("lists every command with its summary", async () => {
    const r = await run(["--help"]);
    expect(r.code).toBe(0);
    for (const c of COMMANDS) expect(r.out).toMatch(new RegExp(`\\n  ${c.name} .*${c.summary.slice(0, 20).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
    expect(r.out).toContain("Exit codes: 0 done, 2 bad input, 1 a failed run");
  });

  it.each(COMMANDS.map((c) => [c.name]))("mft %s --help names every flag and shows an example", async (name) => {
    const def = COMMANDS.find((c) => c.name === name)!;
    for (const argv of [[name, "--help"], ["help", name]]) {
      const r = await run(argv);
      expect(r.code).toBe(0);
      expect(r.err).toBe("");
      expect(r.out).toMatch(new RegExp(`^Usage: mft ${name} `));
      for (const [flag] of def.flags ?? []) expect(r.out).toContain(flag.split(" ")[0]);
      expect(r.out).toMatch(/\nExamples?:\n {2}mft /);
      for (const e of def.examples) expect(e.startsWith(`mft ${name}`) || e.includes(`mft ${name} `) || e.includes(`&& mft ${name}`), e).toBe(true);
    }
  });

  it("the built bin: mft simulate --help and mft --version", () => {
    const help = execFileSync(process.execPath, [CLI, "simulate", "--help"], { encoding: "utf8" });
    for (const flag of ["--out", "--checkpoint", "--checkpoint-every", "--resume", "--trajectory", "--trajectory-every", "--trajectory-interval"]) expect(help).toContain(flag);
    expect(execFileSync(process.execPath, [CLI, "--version"], { encoding: "utf8" }).trim()).toBe(pkg.version);
    // no command: the help on stderr, exit 2
    const none = spawnSync(process.execPath, [CLI], { encoding: "utf8" });
    expect(none.status).toBe(2);
    expect(none.stderr).toContain("Usage: mft");
  });
});

describe("did you mean", () => {
  it.each([
    [["simulat", "x.json"], /^mft: unknown command 'simulat' \(did you mean simulate\?\); see mft --help\n$/],
    [["reproduse", "fig2"], /did you mean reproduce\?/],
    [["simulate", "x.json", "--outt", "y.json"], /^mft: unknown option '--outt' \(did you mean --out\?\); see mft simulate --help\n$/],
    [["reproduce", "fig2", "--quik"], /unknown option '--quik' \(did you mean --quick\?\)/],
    [["reproduce", "fig22"], /reproduce <experiment>: got "fig22"; allowed: one of .* \(did you mean "fig2"\?\)/],
    [["check", "--only", "theorem11"], /--only: got "theorem11".*\(did you mean "theorem1"\?\)/],
    [["simulate"], /^mft: missing required argument 'config'; see mft simulate --help\n$/],
    [["simulate", "a.json", "b.json"], /too many arguments/],
    [["frobnicate"], /^mft: unknown command 'frobnicate'; see mft --help\n$/],
  ])("mft %j: exit 2, one line", async (argv, message) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).toMatch(message);
  });

  it.each([
    [{ dim: 3, n: 8, solvr: { time: 1 } }, 'solvr: got {"time":1}; allowed: no such field here (did you mean "solver"?); known fields: dim, beta, n, kernel, labels, init, frozen, seed, timeScale, solver, engine, threads, precision, pairLoop'],
    [{ dim: 3, n: 8, Beta: 2 }, '(did you mean "beta"?)'],
    [{ dim: 3, n: 8, kernel: { name: "Rope" } }, '(did you mean "rope"?)'],
    [{ dim: 3, n: 8, kernel: { name: "rope", omgea: 2 } }, 'kernel.omgea: got 2; allowed: no such field here (did you mean "omega"?)'],
    [{ dim: 3, n: 8, pairloop: "row" }, '(did you mean "pairLoop"?)'],
    [{ dim: 3, n: 8, precison: "f32" }, '(did you mean "precision"?)'],
  ])("configuration %j: exit 2 and the suggestion", async (config, message) => {
    const r = await run(["simulate", "-"], JSON.stringify(config));
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
  });

  it("edit distance: swaps count once, nothing far off is suggested", () => {
    expect(editDistance("omgea", "omega")).toBe(1);
    expect(editDistance("solvr", "solver")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(closestName("Rope", ["usa", "rope"])).toBe("rope");
    expect(closestName("wsam", ["wasm", "js", "webgpu"])).toBe("wasm");
    expect(closestName("zzzz", ["wasm", "js", "webgpu"])).toBeUndefined();
    expect(closestName("temperature", ["dim", "beta", "n"])).toBeUndefined();
    expect(closestName(42, ["dim"])).toBeUndefined();
  });
});

describe("warnings for settings that do nothing", () => {
  const oneLabel = { dim: 3, n: 16, kernel: { name: "rope" as const }, init: { seed: 1 } };

  it("a positional kernel with one label: Problem.warnings and Solution.warnings say so; with labels, no warning", async () => {
    const kernels: KernelSpec[] = [{ name: "rope" }, { name: "phaseField", phase: [0.3] }, { name: "distanceBias", length: 0.1 }, { name: "toeplitz", coefficients: [0, 1] }];
    for (const kernel of kernels) {
      const p = defineProblem({ ...oneLabel, kernel });
      expect(p.warnings, kernel.name).toHaveLength(1);
      expect(p.warnings[0]).toMatch(new RegExp(`kernel "${kernel.name}" with one label does nothing positional`));
    }
    const s = await solve(defineProblem(oneLabel), { time: 0.1, record: 0.1 });
    expect(s.warnings).toEqual(defineProblem(oneLabel).warnings);
    expect(defineProblem({ ...oneLabel, labels: { count: 4, perLabel: 4 } }).warnings).toEqual([]);
    expect(defineProblem({ dim: 3, n: 16 }).warnings).toEqual([]);
    expect(defineProblem({ dim: 3, n: 16, kernel: { name: "prompt", phases: [1] } }).warnings).toEqual([]);
  });

  it("mft simulate prints the warning on stderr, and the result is unchanged", () => {
    const dir = mkdtempSync(join(tmpdir(), "mft-warn-"));
    const cfg = join(dir, "cfg.json");
    writeFileSync(cfg, JSON.stringify({ ...oneLabel, solver: { time: 0.1, record: 0.1 } }));
    const r = spawnSync(process.execPath, [CLI, "simulate", cfg], { encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^mft: warning: kernel "rope" with one label does nothing positional/m);
    const result = JSON.parse(r.stdout);
    expect(result).not.toHaveProperty("warnings");
    expect(result.kernel).toBe("rope");
  });
});
