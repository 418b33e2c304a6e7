// The README's "API in ten lines" runs as printed (against the built package) and shows what its
// comment says it shows.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { expect, it } from "vitest";

const root = join(__dirname, "..");

it("README example: RoPE keeps G_x > 0 while G_z and the energy gap go to 0, as the comment says", () => {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const block = /## API in ten lines\n\n```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(block, "the README has an \"API in ten lines\" TypeScript block").toBeDefined();
  expect(block!.split("\n").filter((l) => l.trim() !== "").length).toBeLessThanOrEqual(10);
  const from = 'from "meanfield-transformer"';
  expect(block).toContain(from);
  // the block is TypeScript without annotations, so Node runs it as a module once the import points at dist/
  const code = block!.replace(from, `from ${JSON.stringify(pathToFileURL(join(root, "dist", "index.js")).href)}`);
  const printed = execFileSync(process.execPath, ["--input-type=module", "-e", code], { encoding: "utf8" }).trim().split(/\s+/).map(Number);
  expect(printed).toHaveLength(3);
  const [gx, gz, gap] = printed;
  console.log(`README example: G_x = ${gx}, G_z = ${gz}, energy gap = ${gap}`);
  // the comment's claims: "≈ 0.93, ≈ 0, ≈ 0"
  const claimed = /\/\/ ≈ ([\d.]+), ≈ 0, ≈ 0/.exec(block!);
  expect(claimed, "the comment states the printed values").not.toBeNull();
  expect(Math.abs(gx - Number(claimed![1]))).toBeLessThan(0.005);
  expect(gz).toBeLessThan(1e-12);
  expect(Math.abs(gap)).toBeLessThan(1e-12);
});
