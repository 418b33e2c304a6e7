// vega, vega-lite and @resvg/resvg-js are optional peer dependencies: without them the library, the
// plot entry and every command that draws nothing work, and what draws says which package to
// install. The packages are hidden from Node's resolver (test/fixtures/hide-packages.mjs), as if
// they were not installed.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const root = join(__dirname, "..");
const CLI = join(root, "dist", "cli.js");
const HIDE = join(__dirname, "fixtures", "hide-packages.mjs");
const ALL = "vega,vega-lite,@resvg/resvg-js";
const STACK_LINE = /\n\s+at /;

/** Runs node with `hidden` packages unresolvable. */
function node(hidden: string, args: string[], options: { cwd?: string; input?: string } = {}) {
  const r = spawnSync(process.execPath, ["--import", HIDE, ...args], { cwd: options.cwd, input: options.input, encoding: "utf8", env: { ...process.env, HIDDEN_PACKAGES: hidden }, timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const CONFIG = JSON.stringify({ dim: 3, labels: { count: 4, perLabel: 2 }, init: { seed: 1, law: "uniform" }, solver: { time: 0.2, record: 0.1 } });

describe("without the optional peers", () => {
  let dir: string;
  beforeAll(() => {
    expect(existsSync(CLI), "dist/cli.js is built by `npm test` (pretest: npm run build)").toBe(true);
    dir = mkdtempSync(join(tmpdir(), "mft-peers-"));
    writeFileSync(join(dir, "cfg.json"), CONFIG);
  });

  it("the hiding works: vega cannot be imported", () => {
    const r = node("vega", ["--input-type=module", "-e", `import("vega").then(() => console.log("found"), (e) => console.log(e.code))`]);
    expect(r.out.trim()).toBe("ERR_MODULE_NOT_FOUND");
    // and without hiding it is there (the check above can fail)
    expect(node("", ["--input-type=module", "-e", `import("vega").then(() => console.log("found"), (e) => console.log(e.code))`]).out.trim()).toBe("found");
  });

  it("meanfield-transformer/plot imports and requires; what draws without vega or resvg throws MissingPeerError naming the package and the npm command", () => {
    const plot = JSON.stringify(join(root, "dist/plot.js"));
    const r = node(ALL, ["--input-type=module", "-e", `
      const p = await import(${plot});
      const viaRequire = (await import("node:module")).createRequire(import.meta.url)(${plot});
      const sphere = p.sphereFigureSVG([{ title: "s", points: new Float64Array([0, 0, 1]) }]);
      const fail = (f) => f().then(() => null, (e) => ({ name: e.name, isPeer: e instanceof p.MissingPeerError, package: e.package, install: e.install, message: e.message }));
      const chart = await fail(() => p.lineChartSVG({ xLabel: "t", yLabel: "y", series: [{ name: "a", x: [0, 1], y: [0, 1] }] }));
      const png = await fail(() => p.svgToPNG(sphere));
      console.log(JSON.stringify({ required: typeof viaRequire.lineChartSVG, sphere: sphere.startsWith("<svg"), chart, png }));`]);
    expect(r.err).toBe("");
    const o = JSON.parse(r.out);
    expect(o.required).toBe("function");
    expect(o.sphere).toBe(true);
    expect(o.chart).toEqual({
      name: "MissingPeerError", isPeer: true, package: "vega", install: "npm install vega vega-lite",
      message: "charts need vega, an optional peer dependency of meanfield-transformer that is not installed: npm install vega vega-lite",
    });
    expect(o.png).toMatchObject({ name: "MissingPeerError", isPeer: true, package: "@resvg/resvg-js", install: "npm install @resvg/resvg-js" });
    expect(o.png.message).toMatch(/^PNG images need @resvg\/resvg-js, .* not installed: npm install @resvg\/resvg-js$/);
  });

  it("the library and the commands that draw nothing work: --version, simulate (with a trajectory)", () => {
    const v = node(ALL, [CLI, "--version"]);
    expect(v.code).toBe(0);
    expect(v.out.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const s = node(ALL, [CLI, "simulate", "cfg.json", "--trajectory", "run.npy"], { cwd: dir });
    expect(s.code, s.err).toBe(0);
    expect(JSON.parse(s.out).times).toEqual([0, 0.1, 0.2]);
    const a = node(ALL, [CLI, "animate", "run.npy", "--out", "run.svg"], { cwd: dir });
    expect(a.code, a.err).toBe(0);
    expect(existsSync(join(dir, "run.svg"))).toBe(true);
  });

  it("mft reproduce without vega: one line naming the package and the npm command, exit 1, before any run or file", () => {
    const r = node("vega,vega-lite", [CLI, "reproduce", "fig2", "--quick", "--out", "figs"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.err).toBe("mft: the figures of mft reproduce need vega, an optional peer dependency of meanfield-transformer that is not installed: npm install vega vega-lite\n");
    expect(r.out).toBe("");
    expect(existsSync(join(dir, "figs"))).toBe(false);
  });

  it("mft reproduce --png and mft animate --gif without resvg: the same, naming @resvg/resvg-js", () => {
    const r = node("@resvg/resvg-js", [CLI, "reproduce", "fig3", "--quick", "--png", "--out", "figs"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.err).toBe("mft: the figures of mft reproduce need @resvg/resvg-js, an optional peer dependency of meanfield-transformer that is not installed: npm install @resvg/resvg-js\n");
    const g = node("@resvg/resvg-js", [CLI, "animate", "run.npy", "--out", "run.gif"], { cwd: dir });
    expect(g.code).toBe(1);
    expect(g.err).toBe("mft: GIF animations need @resvg/resvg-js, an optional peer dependency of meanfield-transformer that is not installed: npm install @resvg/resvg-js\n");
    expect(g.err).not.toMatch(STACK_LINE);
    expect(readdirSync(dir).filter((f) => f.endsWith(".gif") || f === "figs")).toEqual([]);
  });
});
