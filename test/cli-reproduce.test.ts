// `mft check` and `mft reproduce` (issue contract: --json with "name" and "pass"; files in --out,
// named in the output; progress bars; bad input names the parameter).
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main, type CliIO } from "../src/cli/main.js";
import { progressBar } from "../src/cli/progress.js";

const CLI = join(__dirname, "..", "dist", "cli.js");
const dir = mkdtempSync(join(tmpdir(), "mft-reproduce-"));

function capture(): CliIO & { out: string[]; err: string[] } {
  const out: string[] = [], err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), readStdin: () => "" };
}

describe("mft check", () => {
  it("--json prints an array of reports with name and a boolean pass (built bin)", () => {
    const text = execFileSync(process.execPath, [CLI, "check", "--json", "--only", "theorem1,corollary2,proposition8"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    const reports = JSON.parse(text);
    expect(reports.map((r: { name: string }) => r.name)).toEqual(["theorem1", "corollary2", "proposition8"]);
    for (const r of reports) {
      expect(typeof r.pass).toBe("boolean");
      expect(r.pass).toBe(true);
      for (const key of ["claim", "prediction", "measurement", "tolerance", "criteria"]) expect(r).toHaveProperty(key);
    }
  }, 60_000);

  it("prints a table and exits 0 when every check passes", async () => {
    const io = capture();
    expect(await main(["check", "--only", "theorem4-construction", "--dim", "5", "--seed", "4"], io)).toBe(0);
    expect(io.out.join("")).toMatch(/PASS\s+theorem4-construction/);
    expect(io.out.join("")).toMatch(/1\/1 checks pass \(seed 4, d = 5\)/);
  });

  it("bad flags name the parameter and the allowed range", async () => {
    for (const [argv, pattern] of [
      [["check", "--only", "theorem9"], /--only: got "theorem9"; allowed: check names/],
      [["check", "--dim", "2"], /--dim: got 2; allowed:/],
      [["check", "--engine", "gpu"], /--engine/],
    ] as [string[], RegExp][]) {
      const io = capture();
      expect(await main(argv, io)).toBe(2);
      expect(io.err.join("")).toMatch(pattern);
    }
  });
});

describe("mft reproduce", () => {
  it("fig3 --quick writes fig3.json and fig3.svg to --out and names them", async () => {
    const io = capture();
    const out = join(dir, "f3");
    expect(await main(["reproduce", "fig3", "--quick", "--out", out], io)).toBe(0);
    for (const f of ["fig3.json", "fig3.svg"]) {
      expect(existsSync(join(out, f))).toBe(true);
      expect(io.err.join("")).toContain(join(out, f));
    }
    const panels = JSON.parse(readFileSync(join(out, "fig3.json"), "utf8"));
    expect(panels.map((p: { scenario: string }) => p.scenario)).toEqual(["baseline", "distanceBias", "toeplitz", "rope", "phaseField", "prompt"]);
    expect(Array.isArray(panels[0].points)).toBe(true);
    expect(readFileSync(join(out, "fig3.svg"), "utf8")).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    // a progress bar ran (not a terminal: one line per 10%)
    expect(io.err.join("")).toMatch(/fig3 \[#+\] 100% 6\/6/);
  }, 60_000);

  it("fig2 with --seeds --sizes --time writes json, csv and svg", async () => {
    const io = capture();
    const out = join(dir, "f2");
    // by T = 5 the baseline has not collapsed to 1e-6: a FAIL line, yet the run itself succeeded
    expect(await main(["reproduce", "fig2", "--seeds", "2", "--sizes", "32", "--time", "5", "--out", out], io)).toBe(0);
    expect(io.out.join("")).toMatch(/FAIL/);
    const r = JSON.parse(readFileSync(join(out, "fig2.json"), "utf8"));
    expect(r.options).toMatchObject({ seeds: 2, sizes: [32], time: 5 });
    expect(r.series).toHaveLength(3);
    expect(readFileSync(join(out, "fig2.csv"), "utf8").split("\n")[0]).toMatch(/^model,n,t,collapseGap_mean/);
    expect(readFileSync(join(out, "fig2.svg"), "utf8")).toContain("<svg");
  }, 60_000);

  it("rejects an unknown experiment and bad sizes, naming the parameter", async () => {
    let io = capture();
    expect(await main(["reproduce", "fig9"], io)).toBe(2);
    expect(io.err.join("")).toMatch(/reproduce <experiment>: got "fig9"; allowed: one of fig2, fig3, metastability, meanfield, mean-field-limit, lost-in-the-middle, phase-diagram, all/);
    io = capture();
    expect(await main(["reproduce", "fig2", "--sizes", "32,abc", "--out", join(dir, "bad")], io)).toBe(2);
    expect(io.err.join("")).toMatch(/--sizes\[1\]/);
  });
});

describe("progress bars", () => {
  it("redraw in place on a terminal and print one line per 10% otherwise", () => {
    let t = 0;
    const tty: string[] = [], log: string[] = [];
    const a = progressBar("run", { stderr: (s) => tty.push(s), isTTY: true }, () => (t += 1000));
    const b = progressBar("run", { stderr: (s) => log.push(s), isTTY: false }, () => (t += 1000));
    for (let k = 0; k <= 20; k++) { a.update(k, 20); b.update(k, 20); }
    a.finish("done");
    expect(tty.every((s) => s.startsWith("\r"))).toBe(true);
    expect(tty[tty.length - 1]).toContain("done");
    expect(log.length).toBe(11);
    expect(log[10]).toMatch(/run \[#{28}\] 100% 20\/20/);
  });
});
