// Regenerates the README's figures (docs/*.svg) from `mft reproduce all --quick`.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const out = mkdtempSync(join(tmpdir(), "mft-figures-"));
execFileSync(process.execPath, ["dist/cli.js", "reproduce", "all", "--quick", "--out", out], { stdio: "inherit" });
for (const f of ["fig2.svg", "fig3.svg", "metastability.svg", "meanfield.svg"]) {
  copyFileSync(join(out, f), join("docs", f));
  console.log(`docs/${f}`);
}
