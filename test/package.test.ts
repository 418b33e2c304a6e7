// The built package: ESM, CJS and type declarations, as `npm install meanfield-transformer` gives
// them, and what `npm pack` puts in the tarball.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { importClosure, staticImports } from "./package-files.js";

const root = join(__dirname, "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const script = (load: string) => `${load}
const p = m.defineProblem({ dim: 3, kernel: { name: "rope" }, labels: { count: 4, perLabel: 2 }, init: { seed: 1, law: "uniform" } });
m.solve(p, { time: 0.1, record: 0.05 }).then((s) => console.log(JSON.stringify({ n: s.final.length, t: Array.from(s.times) })));`;

/** The start of every wasm binary ("\0asm" and version 1) in base64. */
const WASM_BASE64 = "AGFzbQEAAAA";
/** Largest tarball `npm pack` may write, in bytes. */
const PACKED_MAX = 400_000;

interface PackedFile { path: string; size: number }
/** What `npm pack` would put in the tarball (nothing is written). */
function packList(): { size: number; files: PackedFile[] } {
  const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  return JSON.parse(out)[0];
}

const count = (text: string, s: string) => text.split(s).length - 1;

describe("package", () => {
  it("names the package and the bin as the contract says", () => {
    expect(pkg.name).toBe("meanfield-transformer");
    expect(pkg.bin).toEqual({ mft: "./dist/cli.js" });
    for (const f of ["dist/index.js", "dist/index.cjs", "dist/index.d.ts", "dist/cli.js"]) expect(existsSync(join(root, f)), f).toBe(true);
  });

  it("the ESM entry and every chunk it imports import nothing by bare name, so a browser loads them as they are", () => {
    const files = importClosure(join(root, "dist/index.js"));
    expect(files.size).toBeGreaterThan(1);
    for (const [file, text] of files) {
      const bare = staticImports(text).filter((s) => !s.startsWith("./") && !s.startsWith("../"));
      expect(bare, file).toEqual([]);
    }
  });

  it("imports as ESM and requires as CJS, and both solve", () => {
    const esm = execFileSync(process.execPath, ["--input-type=module", "-e", script(`import * as m from ${JSON.stringify(join(root, "dist/index.js"))};`)], { encoding: "utf8" });
    const cjs = execFileSync(process.execPath, ["-e", script(`const m = require(${JSON.stringify(join(root, "dist/index.cjs"))});`)], { encoding: "utf8" });
    expect(JSON.parse(esm)).toEqual({ n: 24, t: [0, 0.05, 0.1] });
    expect(JSON.parse(cjs)).toEqual(JSON.parse(esm));
  });

  it("its workers (a batch pool, a thread team) start from the built entry, also under node --input-type=module -e, and agree with one thread", () => {
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", `
      import * as m from ${JSON.stringify(join(root, "dist/index.js"))};
      const jobs = [1, 2, 3].map((seed) => ({ config: { dim: 3, n: 64, init: { seed, law: "uniform" }, solver: { time: 0.2, record: 0.1 } } }));
      const pool = await m.runBatch(jobs, { threads: 3 }), here = await m.runBatch(jobs, { threads: 1 });
      const p = m.defineProblem({ dim: 3, n: 1024, init: { seed: 2, law: "uniform" } });
      const team = await m.WasmEngine.create(p, { threads: 2 }), one = await m.WasmEngine.create(p, { threads: 1 });
      const a = new Float64Array(p.n * 3), b = new Float64Array(p.n * 3);
      team.step("heun", 0.01, 3); one.step("heun", 0.01, 3); team.getState(a); one.getState(b);
      console.log(JSON.stringify({ pool: pool.map((r, k) => r.final.every((v, i) => Object.is(v, here[k].final[i]))), threads: team.threads, team: a.every((v, i) => Object.is(v, b[i])) }));
      team.dispose(); one.dispose();`], { encoding: "utf8" });
    expect(JSON.parse(out)).toEqual({ pool: [true, true, true], threads: 2, team: true });
  });

  describe("npm pack", () => {
    const packed = packList();
    const paths = packed.files.map((f) => f.path);
    const js = paths.filter((p) => p.endsWith(".js") || p.endsWith(".cjs"));

    it(`is at most ${PACKED_MAX / 1000} kB packed`, () => {
      expect(packed.size).toBeGreaterThan(10_000);
      expect(packed.size).toBeLessThanOrEqual(PACKED_MAX);
    });

    it("holds the entries, their chunks, the declarations and the schema, and no source map", () => {
      for (const f of ["package.json", "README.md", "dist/index.js", "dist/index.cjs", "dist/index.d.ts", "dist/index.d.cts", "dist/cli.js", "dist/plot.js", "dist/plot.d.ts", "dist/schema.json"]) {
        expect(paths, f).toContain(f);
      }
      const entries = /^dist\/(index\.(js|cjs|d\.ts|d\.cts)|cli\.js|plot\.(js|d\.ts)|schema\.json)$/;
      // chunks and declaration chunks, named by esbuild and the declaration bundler with a content hash
      const chunk = /^dist\/[a-z0-9-]+-[A-Za-z0-9_]{8}\.(js|d\.ts)$/;
      const unexpected = paths.filter((p) => !(p === "package.json" || p === "README.md" || entries.test(p) || chunk.test(p)));
      expect(unexpected).toEqual([]);
      expect(paths.filter((p) => p.endsWith(".map"))).toEqual([]);
      for (const [name, path] of Object.entries({ ...pkg.exports, bin: pkg.bin.mft, main: pkg.main, module: pkg.module, types: pkg.types })) {
        const targets = typeof path === "string" ? [path] : Object.values(path as Record<string, string>);
        for (const t of targets) expect(paths, `${name}: ${t}`).toContain(t.replace(/^\.\//, ""));
      }
    });

    it("holds the core's binary once, which the library and the CLI share (workers receive it compiled)", () => {
      const texts = new Map(js.map((p) => [p, readFileSync(join(root, p), "utf8")]));
      const holders = [...texts].filter(([, t]) => t.includes(WASM_BASE64));
      expect(holders.map(([p]) => p)).toHaveLength(1);
      const [binaryFile, binaryText] = holders[0];
      // once in that file too: the worker sources, generated into the same chunk, carry none
      expect(count(binaryText, WASM_BASE64)).toBe(1);
      expect(paths.filter((p) => p.endsWith(".wasm"))).toEqual([]);
      for (const entry of ["dist/index.js", "dist/cli.js"]) expect([...importClosure(join(root, entry)).keys()], entry).toContain(join(root, binaryFile));
    });

    it("the CLI imports the library's chunks instead of bundling the library again", () => {
      const library = importClosure(join(root, "dist/index.js"));
      const cli = importClosure(join(root, "dist/cli.js"));
      const shared = [...cli.keys()].filter((f) => library.has(f));
      const sharedBytes = shared.reduce((s, f) => s + cli.get(f)!.length, 0);
      const cliOnly = [...cli.keys()].filter((f) => !library.has(f)).reduce((s, f) => s + cli.get(f)!.length, 0);
      // nearly all of what the CLI loads is the library's; the commands themselves are a small part
      expect(sharedBytes).toBeGreaterThan(4 * cliOnly);
      expect(readFileSync(join(root, "dist/cli.js"), "utf8").length).toBeLessThan(200_000);
    });

    it("names vega, vega-lite and @resvg/resvg-js as optional peer dependencies only", () => {
      for (const p of ["vega", "vega-lite", "@resvg/resvg-js"]) {
        expect(pkg.dependencies[p], p).toBeUndefined();
        expect(pkg.peerDependencies[p], p).toBeTruthy();
        expect(pkg.peerDependenciesMeta[p], p).toEqual({ optional: true });
      }
    });
  });
});
