// The built package: ESM, CJS and type declarations, as `npm install meanfield-transformer` gives them.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(__dirname, "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const script = (load: string) => `${load}
const p = m.defineProblem({ dim: 3, kernel: { name: "rope" }, labels: { count: 4, perLabel: 2 }, init: { seed: 1, law: "uniform" } });
m.solve(p, { time: 0.1, record: 0.05 }).then((s) => console.log(JSON.stringify({ n: s.final.length, t: Array.from(s.times) })));`;

describe("package", () => {
  it("names the package and the bin as the contract says", () => {
    expect(pkg.name).toBe("meanfield-transformer");
    expect(pkg.bin).toEqual({ mft: "./dist/cli.js" });
    for (const f of ["dist/index.js", "dist/index.cjs", "dist/index.d.ts", "dist/cli.js"]) expect(existsSync(join(root, f)), f).toBe(true);
  });

  it("the ESM entry imports nothing by bare name, so a browser loads it as it is", () => {
    const text = readFileSync(join(root, "dist/index.js"), "utf8");
    const bare = [...text.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s*["']([^"']+)["']/gm)].map((m) => m[1]).filter((s) => !s.startsWith("./") && !s.startsWith("../"));
    expect(bare).toEqual([]);
  });

  it("imports as ESM and requires as CJS, and both solve", () => {
    const esm = execFileSync(process.execPath, ["--input-type=module", "-e", script(`import * as m from ${JSON.stringify(join(root, "dist/index.js"))};`)], { encoding: "utf8" });
    const cjs = execFileSync(process.execPath, ["-e", script(`const m = require(${JSON.stringify(join(root, "dist/index.cjs"))});`)], { encoding: "utf8" });
    expect(JSON.parse(esm)).toEqual({ n: 24, t: [0, 0.05, 0.1] });
    expect(JSON.parse(cjs)).toEqual(JSON.parse(esm));
  });
});
