// Regenerates the figures of the README and docs/ (docs/*.svg): the paper's experiments from
// `mft reproduce all --quick`, and the lost-in-the-middle profile at its defaults (1024 seeds).
// docs/fig2-full.svg is the full Figure 2 (`mft reproduce fig2`, 900 runs): not remade here.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const out = mkdtempSync(join(tmpdir(), "mft-figures-"));
const mft = (...args) => execFileSync(process.execPath, ["dist/cli.js", "reproduce", ...args, "--out", out], { stdio: "inherit" });
mft("all", "--quick");
mft("lost-in-the-middle");
for (const f of ["fig2.svg", "fig3.svg", "metastability.svg", "meanfield.svg", "lost-in-the-middle.svg"]) {
  copyFileSync(join(out, f), join("docs", f));
  console.log(`docs/${f}`);
}
