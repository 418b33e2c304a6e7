// `mft simulate --trajectory` and `mft animate` through the built bin (node dist/cli.js).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../src/cli/main.js";
import { parseF64, parseNpy, walkGif } from "./trajectory-files.js";
import { parseXml } from "./xml.js";

const CLI = join(__dirname, "..", "dist", "cli.js");
const dir = mkdtempSync(join(tmpdir(), "mft-cli-traj-"));
const mft = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", cwd: dir });

const config = {
  dim: 3, beta: 1,
  kernel: { name: "rope", omega: 6.283185307179586, plane: [0, 1] },
  labels: { count: 4, perLabel: 3 },
  init: { seed: 5, law: "uniform" },
  // 13 records: t = 0, 0.1, ..., 1.2
  solver: { method: "heun", step: 0.01, time: 1.2, record: 0.1 },
  engine: "wasm",
};

describe("mft simulate --trajectory, mft animate", () => {
  it("NPY every 3rd record (with the times sidecar), raw layout at an interval; both animate to SVG and GIF", () => {
    expect(existsSync(CLI), "dist/cli.js is built by `npm test` (pretest: npm run build)").toBe(true);
    const cfg = join(dir, "cfg.json");
    writeFileSync(cfg, JSON.stringify(config));
    const a = mft("simulate", cfg, "--out", "result.json", "--trajectory", "run.npy", "--trajectory-every", "3");
    expect(a.status, a.stderr).toBe(0);
    expect(a.stderr).toContain("wrote 5 trajectory frames to run.npy and run.times.npy");
    const result = JSON.parse(readFileSync(join(dir, "result.json"), "utf8"));
    const npy = parseNpy(readFileSync(join(dir, "run.npy")));
    expect(npy.header).toEqual({ descr: "<f8", fortran_order: false, shape: [5, 12, 3] });
    const times = parseNpy(readFileSync(join(dir, "run.times.npy")));
    expect(Array.from(times.values)).toEqual([0, 3, 6, 9, 12].map((r) => result.times[r]));
    // the last frame is the result's final state (record 12 is kept)
    expect(Array.from(npy.values.subarray(4 * 36))).toEqual(result.final.flat());

    const b = mft("simulate", cfg, "--out", "result2.json", "--trajectory", "run.f64", "--trajectory-interval", "0.6");
    expect(b.status, b.stderr).toBe(0);
    const raw = parseF64(readFileSync(join(dir, "run.f64")));
    expect([raw.frames, raw.n, raw.d]).toEqual([3, 12, 3]);
    expect(Array.from(raw.times)).toEqual([0, 6, 12].map((r) => result.times[r]));
    expect(raw.x.subarray(0, 36)).toEqual(npy.values.subarray(0, 36));
    expect(raw.x.subarray(2 * 36)).toEqual(npy.values.subarray(4 * 36));

    const c = mft("animate", "run.npy", "--out", "anim.svg", "--fps", "8", "--config", "cfg.json", "--trail", "2");
    expect(c.status, c.stderr).toBe(0);
    const svg = parseXml(readFileSync(join(dir, "anim.svg"), "utf8"));
    const groups = svg.children.find((e) => e.attrs.class === "frames")!.children;
    expect(groups.filter((g) => g.name === "g" && g.attrs.class === "frame")).toHaveLength(5);
    // --config colours by label: 4 labels
    const classes = new Set(groups[0].children.filter((e) => e.name === "path").map((e) => e.attrs.class));
    expect([...classes].filter((k) => /^c\d$/.test(k)).sort()).toEqual(["c0", "c1", "c2", "c3"]);

    const d = mft("animate", "run.f64", "--out", "anim.gif", "--size", "160", "--fps", "10");
    expect(d.status, d.stderr).toBe(0);
    const gif = walkGif(readFileSync(join(dir, "anim.gif")));
    expect([gif.signature, gif.width, gif.images.length]).toEqual(["GIF89a", 160, 3]);
    expect(gif.delays).toEqual([10, 10, 10]);
  });

  it("bad options exit 2 naming the option, the value and what is allowed", async () => {
    const cfg = join(dir, "cfg.json");
    writeFileSync(cfg, JSON.stringify(config));
    const cases: [string[], RegExp][] = [
      [["simulate", cfg, "--trajectory", "run.csv"], /--trajectory: got ".*run\.csv"; allowed: a file name ending in "\.npy"/],
      [["simulate", cfg, "--trajectory", "x.npy", "--trajectory-every", "0"], /--trajectory-every: got "0"; allowed: an integer >= 1/],
      [["simulate", cfg, "--trajectory-every", "2"], /--trajectory-every: got 2; allowed: only together with --trajectory/],
      [["simulate", cfg, "--trajectory", "x.npy", "--trajectory-every", "2", "--trajectory-interval", "1"], /--trajectory-interval: .*not together with --trajectory-every/],
      [["animate", "missing.npy", "--out", "a.svg"], /animate <trajectory>: got ".*missing\.npy"; allowed: a readable file/],
      [["animate", "run.npy", "--out", "a.webm"], /--out: got "a\.webm"; allowed: a file name ending in \.svg/],
      [["animate", "run.npy", "--out", "a.svg", "--fps", "fast"], /--fps: got "fast"; allowed: a finite number > 0/],
      [["animate", "run.npy", "--out", "a.svg", "--axes", "0,1,7"], /--axes: got "0,1,7"; allowed: 3 distinct coordinate indices in \[0, 2\]/],
    ];
    // in process (main, as the bin calls it), with paths relative to the test directory
    for (const [args, message] of cases) {
      const err: string[] = [];
      const code = await main(args.map((a) => (/^(run|missing)\./.test(a) ? join(dir, a) : a)), { stdout: () => {}, stderr: (t) => err.push(t), readStdin: () => "" });
      expect(code, args.join(" ")).toBe(2);
      expect(err.join(""), args.join(" ")).toMatch(message);
    }
  });
});
