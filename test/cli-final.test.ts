// `mft simulate --final F.npy`: the final state as NPY (float64, n x d) and {"npy": F} in the
// result instead of the rows; without the flag the result's `final` stays the array of rows.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main, type CliIO } from "../src/cli/main.js";
import { parseNpy } from "./trajectory-files.js";

const dir = mkdtempSync(join(tmpdir(), "mft-cli-final-"));
const config = {
  dim: 3, beta: 1,
  kernel: { name: "rope", omega: 6.283185307179586, plane: [0, 1] },
  labels: { count: 5, perLabel: 3 },
  init: { seed: 2, law: "uniform" },
  solver: { method: "heun", step: 0.01, time: 0.5, record: 0.1 },
};

async function mft(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [], err: string[] = [];
  const io: CliIO = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), readStdin: () => "" };
  const code = await main(argv, io);
  return { code, out: out.join(""), err: err.join("") };
}

describe("mft simulate --final", () => {
  const cfg = join(dir, "cfg.json");
  writeFileSync(cfg, JSON.stringify(config));

  it("writes the final state as an n x d float64 NPY, bitwise the rows of a run without it, and names it in the result", async () => {
    const plain = await mft("simulate", cfg, "--out", join(dir, "plain.json"));
    expect(plain.code, plain.err).toBe(0);
    const rows: number[][] = JSON.parse(readFileSync(join(dir, "plain.json"), "utf8")).final;
    expect(rows).toHaveLength(15);

    const finalPath = join(dir, "final.npy");
    const r = await mft("simulate", cfg, "--out", join(dir, "r.json"), "--final", finalPath);
    expect(r.code, r.err).toBe(0);
    const result = JSON.parse(readFileSync(join(dir, "r.json"), "utf8"));
    expect(result.final).toEqual({ npy: finalPath });
    const npy = parseNpy(readFileSync(finalPath));
    expect(npy.header).toEqual({ descr: "<f8", fortran_order: false, shape: [15, 3] });
    expect(Array.from(npy.values)).toEqual(rows.flat());
    // everything else of the result is the same
    const other = JSON.parse(readFileSync(join(dir, "plain.json"), "utf8"));
    expect({ ...result, final: null }).toEqual({ ...other, final: null });
  });

  it("refuses a name without .npy, the input, or the --out file, before any work (exit 2)", async () => {
    // a configuration whose own name ends in .npy, so that only the same-file check can refuse it
    const input = join(dir, "config.npy");
    writeFileSync(input, JSON.stringify(config));
    const before = readFileSync(input);
    for (const [args, match] of [
      [["--final", join(dir, "f.txt")], /--final: got ".*f\.txt"; allowed: a file name ending in \.npy/],
      [["--final", input], /--final: .*config\.npy.*(input|same)/],
      [["--out", join(dir, "x.npy"), "--final", join(dir, "x.npy")], /--final: .*x\.npy/],
    ] as const) {
      const r = await mft("simulate", input, ...args);
      expect(r.code, r.err).toBe(2);
      expect(r.err).toMatch(match);
    }
    expect(readFileSync(input)).toEqual(before);
  });
});
