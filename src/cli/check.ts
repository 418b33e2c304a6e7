// `mft check`: every theorem check, as a table or as JSON.
import { ConfigError } from "../errors.js";
import { didYouMean } from "../suggest.js";
import { readEngineKind } from "../solver.js";
import { runChecks, theoremChecks, type CheckReport } from "../theorems/index.js";
import { requireNumber } from "../validate.js";
import type { CliIO } from "./main.js";
import { progressBar } from "./progress.js";

export async function checkCommand(flags: Map<string, string>, bools: Set<string>, io: CliIO): Promise<number> {
  const seed = flags.has("seed") ? requireNumber("--seed", Number(flags.get("seed")), { integer: true, min: 0 }) : 1;
  const dim = flags.has("dim") ? requireNumber("--dim", Number(flags.get("dim")), { integer: true, min: 3, max: 64 }) : 3;
  const engine = readEngineKind(flags.get("engine") ?? "wasm", "--engine");
  const only = flags.get("only")?.split(",").map((s) => s.trim()).filter(Boolean);
  if (only) for (const name of only) if (!theoremChecks.some((c) => c.name === name)) throw new ConfigError("--only", name, `check names among ${theoremChecks.map((c) => c.name).join(", ")}${didYouMean(name, theoremChecks.map((c) => c.name))}`);
  const bar = progressBar("mft check", io);
  const total = only?.length ?? theoremChecks.length;
  bar.update(0, total);
  const reports = await runChecks({ seed, dim, engine, only, onDone: (_, k) => bar.update(k, total) });
  bar.finish();
  io.stdout(bools.has("json") ? JSON.stringify(reports, null, 2) + "\n" : table(reports));
  return reports.every((r) => r.pass) ? 0 : 1;
}

function table(reports: CheckReport[]): string {
  const lines: string[] = [];
  const w = Math.max(...reports.map((r) => r.name.length));
  for (const r of reports) {
    lines.push(`${r.pass ? "PASS" : "FAIL"}  ${r.name.padEnd(w)}  ${r.claim}`);
    lines.push(`      ${" ".repeat(w)}  predicts: ${r.prediction}`);
    for (const c of r.criteria) {
      lines.push(`      ${" ".repeat(w)}  ${c.pass ? "ok " : "NO "} ${c.quantity} = ${fmt(c.value)} (${c.relation} ${fmt(c.bound)})`);
    }
  }
  const passed = reports.filter((r) => r.pass).length;
  lines.push(`${passed}/${reports.length} checks pass (seed ${reports[0]?.seed}, d = ${reports[0]?.dim})`);
  return lines.join("\n") + "\n";
}

function fmt(v: number): string {
  return Number.isInteger(v) && Math.abs(v) < 1e6 ? String(v) : v.toExponential(2);
}
