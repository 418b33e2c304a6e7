// "Lost in the middle" (src/experiments/lostInTheMiddle.ts): the last token's retrieval profile on
// the circle is U-shaped at an intermediate time, after a recency-only profile at early times.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../src/cli/main.js";
import { runLostInTheMiddle, uShape } from "../src/experiments/lostInTheMiddle.js";
import { ConfigError } from "../src/errors.js";

describe("lost in the middle", () => {
  it("n = 32, lambda = 1, sa, 192 seeds: rising at t = 1, U-shaped at t = 2 (both ends above the valley by 10% and 2 SE)", async () => {
    const r = await runLostInTheMiddle({ seeds: 192, times: [1, 2] });
    const [early, mid] = r.profiles.map(uShape);
    console.log(`lost in the middle: t = 1 ${JSON.stringify(early)}; t = 2 ${JSON.stringify(mid)}`);
    // t = 1: recency only, the last bin far above the first
    expect(early.last - early.first).toBeGreaterThan(3 * Math.hypot(r.profiles[0].bins[0].se, r.profiles[0].bins.at(-1)!.se));
    // t = 2: primacy and recency, a valley inside
    expect(mid.valleyPosition).toBeGreaterThan(0.1);
    expect(mid.valleyPosition).toBeLessThan(0.9);
    expect(mid.margin).toBeGreaterThan(0.1 * mid.valley);
    expect(mid.margin).toBeGreaterThan(2 * mid.se);
  }, 60000);

  it("bad options name the field", async () => {
    await expect(runLostInTheMiddle({ times: [2, 1] })).rejects.toThrow(/times\[1\]/);
    await expect(runLostInTheMiddle({ times: [0.33] })).rejects.toThrow(/multiple of step/);
    await expect(runLostInTheMiddle({ n: 4 })).rejects.toThrow(ConfigError);
  });

  it("mft reproduce lost-in-the-middle writes JSON, CSV and SVG to --out", async () => {
    const out = mkdtempSync(join(tmpdir(), "mft-litm-"));
    const text: string[] = [], err: string[] = [];
    const io = { stdout: (s: string) => { text.push(s); }, stderr: (s: string) => { err.push(s); }, readStdin: () => "" };
    expect(await main(["reproduce", "lost-in-the-middle", "--seeds", "4", "--sizes", "16", "--time", "1", "--out", out], io)).toBe(0);
    const json = JSON.parse(readFileSync(join(out, "lost-in-the-middle.json"), "utf8"));
    expect(json.options.n).toBe(16);
    expect(json.profiles[0].positions.length).toBe(15);
    expect(readFileSync(join(out, "lost-in-the-middle.csv"), "utf8").split("\n")[0]).toBe("t,token,position,mean,se");
    expect(readFileSync(join(out, "lost-in-the-middle.svg"), "utf8")).toMatch(/^<svg/);
    expect(text.join("")).toMatch(/lost-in-the-middle t = 1: first bin/);
    expect(err.join("")).toMatch(/lost-in-the-middle \[/);
  });
});
