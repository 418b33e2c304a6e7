// Hostile input against the built command as a real process (node dist/cli.js): what only a
// process shows. No stack trace on a case that used to crash, a reader that closes the pipe
// early, a full disk, a hang stopped by the time bound, and the input files untouched.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI, expectClean, expectUnchanged, runProcess, snapshot, STACK_LINE, tempDir } from "./hostile-helpers.js";

const dir = tempDir("process");
const write = (name: string, value: unknown): string => {
  const p = join(dir, name);
  writeFileSync(p, typeof value === "string" ? value : JSON.stringify(value));
  return p;
};

/** A configuration whose result JSON is about 150 kB: large enough to outrun a pipe or a size limit. */
const bigResult = { dim: 3, n: 2000, init: { law: "uniform", seed: 1 }, solver: { time: 0.01, record: 0.01 }, threads: 1 };

describe("the built command as a process", () => {
  it("is built", () => {
    expect(existsSync(CLI), "dist/cli.js is built by `npm test` (pretest: npm run build)").toBe(true);
  });

  it.each([
    ["a label table past the set-up bound (was a RangeError with a stack)", { dim: 3, labels: { assign: [0, 1], count: 16777216 }, kernel: { name: "distanceBias", length: 0.1 } }, 2, "labels.count"],
    ["an adaptive maxStep that cannot advance the clock (was a hang)", { dim: 3, n: 4, solver: { time: 1, adaptive: { maxStep: 5e-324 } } }, 2, "solver.adaptive.maxStep"],
    ["2^53 + 1 steps (was a hang)", { dim: 3, n: 4, solver: { time: 9007199254740993 } }, 2, "solver.time"],
    ["JSON nested 5000 deep (was a stack overflow in the error message)", "[".repeat(5000) + "]".repeat(5000), 2, null],
  ] as const)("%s: a clean exit, no stack trace, input untouched", (_what, config, code, named) => {
    const cfg = write("case.json", config);
    const before = snapshot(dir);
    const o = runProcess(["simulate", cfg]);
    expectClean(o, code, named);
    expectUnchanged(dir, before);
  });

  it("`mft kernels | head -1` and `mft simulate ... | head -c 10` stop quietly", () => {
    const cfg = write("big.json", bigResult);
    for (const line of [`node ${CLI} kernels 2>err.txt | head -1`, `node ${CLI} simulate ${cfg} 2>err.txt | head -c 10`]) {
      const o = runProcess([], { cwd: dir, shell: `set -o pipefail; ${line}; echo "exit $?" >&2` });
      expect(o.err).toMatch(/^exit 0\n$/);
      const err = readFileSync(join(dir, "err.txt"), "utf8");
      expect(err).not.toMatch(STACK_LINE);
      expect(err).not.toMatch(/EPIPE|Error/);
    }
  });

  it("a full file-size limit (EFBIG): one line, exit 1, the old --out intact, no temporary file left", () => {
    const d = tempDir("full");
    const cfg = join(d, "cfg.json"), out = join(d, "result.json");
    writeFileSync(cfg, JSON.stringify(bigResult));
    writeFileSync(out, "the previous result\n");
    const before = snapshot(d);
    // 64 KiB (bash counts 1024-byte blocks): the result does not fit; SIGXFSZ ignored, so the write fails with EFBIG
    const o = runProcess([], { cwd: d, shell: `trap '' XFSZ; ulimit -f 64; exec node ${CLI} simulate cfg.json --out result.json` });
    expectClean(o, 1, /could not write result\.json: EFBIG/);
    expectUnchanged(d, before);
    expect(readdirSync(d).sort()).toEqual(["cfg.json", "result.json"]);
  });

  // a real full disk needs a small file system; root in a container can often mount a tmpfs
  const mountable = (() => {
    const probe = join(dir, "probe-mount");
    mkdirSync(probe);
    const ok = spawnSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", probe]).status === 0;
    if (ok) spawnSync("umount", [probe]);
    rmdirSync(probe);
    return ok;
  })();
  it.skipIf(!mountable)("a full disk (ENOSPC on a 64 KiB tmpfs): one line, exit 1, the old --out intact, no temporary file left", () => {
    const disk = join(dir, "disk");
    mkdirSync(disk);
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", disk]);
    try {
      const cfg = write("big-disk.json", bigResult);
      writeFileSync(join(disk, "result.json"), "the previous result\n");
      const before = snapshot(disk);
      const o = runProcess(["simulate", cfg, "--out", join(disk, "result.json")]);
      expectClean(o, 1, /could not write .*result\.json: ENOSPC/);
      expectUnchanged(disk, before);
      expect(readdirSync(disk)).toEqual(["result.json"]);
    } finally {
      execFileSync("umount", [disk]);
    }
  });

  it("a checkpoint write that fails (EFBIG) stops the run with one line and keeps the previous checkpoint", () => {
    const d = tempDir("ckpt-full");
    writeFileSync(join(d, "cfg.json"), JSON.stringify({ ...bigResult, n: 1500, solver: { time: 0.04, record: 0.01 } }));
    writeFileSync(join(d, "state.bin"), "the previous checkpoint");
    const o = runProcess([], { cwd: d, shell: `trap '' XFSZ; ulimit -f 32; exec node ${CLI} simulate cfg.json --checkpoint state.bin --checkpoint-every 1 --out /dev/null` });
    expectClean(o, 1, /could not write state\.bin: EFBIG/);
    expect(readFileSync(join(d, "state.bin"), "utf8")).toBe("the previous checkpoint");
    expect(readdirSync(d).sort()).toEqual(["cfg.json", "state.bin"]);
  });

});
