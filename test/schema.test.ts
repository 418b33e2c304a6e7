// The JSON Schema of a simulate configuration (meanfield-transformer/schema.json, `mft schema`):
// every configuration in docs/, in the test fixtures and in the experiments' sweeps validates, the
// validator accepts what the schema accepts, and typos fail both.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { main, type CliIO } from "../src/cli/main.js";
import { parseSimulationConfig } from "../src/config.js";
import { ConfigError } from "../src/errors.js";
import { fig2Sweep } from "../src/experiments/fig2.js";
import { meanFieldSweep } from "../src/experiments/meanField.js";
import { phaseDiagramSweep } from "../src/experiments/phaseDiagram.js";
import { simulationConfigSchema } from "../src/schema/config.js";
import { DEFAULT_SCENARIO, KERNEL_CHOICES, problemConfig } from "../demo/src/scenario.js";

const root = join(__dirname, "..");
const schema = simulationConfigSchema();
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

function errorsOf(config: unknown): string {
  return validate(config) ? "" : JSON.stringify(validate.errors?.slice(0, 3));
}

/** The JSON code blocks (and shell heredocs) of a markdown file that are simulate configurations (objects with "dim"). */
function markdownConfigs(file: string): { where: string; config: unknown }[] {
  const text = readFileSync(file, "utf8");
  const found: { where: string; config: unknown }[] = [];
  for (const m of text.matchAll(/```json\n([\s\S]*?)```|<<'EOF'\n([\s\S]*?)\nEOF\n/g)) {
    let value: unknown;
    try {
      value = JSON.parse(m[1] ?? m[2]);
    } catch {
      continue; // an excerpt with "..." (a result shown in part), not a configuration
    }
    if (typeof value === "object" && value !== null && "dim" in value) found.push({ where: `${file}:${text.slice(0, m.index).split("\n").length}`, config: value });
  }
  return found;
}

/** Every configuration the docs and the fixtures hold. */
function documentedConfigs(): { where: string; config: unknown }[] {
  const all: { where: string; config: unknown }[] = [];
  const docs = join(root, "docs");
  for (const f of readdirSync(docs)) {
    if (f.endsWith(".json")) all.push({ where: `docs/${f}`, config: JSON.parse(readFileSync(join(docs, f), "utf8")) });
    if (f.endsWith(".md")) all.push(...markdownConfigs(join(docs, f)));
  }
  all.push(...markdownConfigs(join(root, "README.md")));
  const fixtures = join(root, "test", "fixtures", "configs");
  for (const f of readdirSync(fixtures)) all.push({ where: `test/fixtures/configs/${f}`, config: JSON.parse(readFileSync(join(fixtures, f), "utf8")) });
  return all;
}

describe("the JSON Schema of a simulate configuration", () => {
  it("is a valid draft-07 schema naming every top-level field, with the kernel told apart by name", () => {
    expect(schema.$schema).toBe("http://json-schema.org/draft-07/schema#");
    const props = Object.keys(schema.properties as object);
    for (const f of ["dim", "beta", "n", "kernel", "labels", "init", "frozen", "seed", "timeScale", "solver", "engine", "threads", "precision", "pairLoop"]) expect(props).toContain(f);
    expect(schema.additionalProperties).toBe(false);
    const kernels = ((schema.properties as Record<string, { anyOf: { properties: { name: { const: string } } }[] }>).kernel.anyOf).map((k) => k.properties.name.const);
    expect(kernels).toEqual(["usa", "sa", "distanceBias", "rope", "phaseField", "toeplitz", "prompt", "custom", "attention", "multihead"]);
  });

  it("validates every configuration in docs/, the README and the test fixtures, and so does the validator", () => {
    const all = documentedConfigs();
    expect(all.length).toBeGreaterThanOrEqual(15);
    expect(all.some((c) => c.where.startsWith(join(root, "README.md")) && (c.config as { kernel?: { name: string } }).kernel?.name === "prompt"), "the README's own simulation").toBe(true);
    for (const { where, config } of all) {
      expect(errorsOf(config), where).toBe("");
      expect(() => parseSimulationConfig(config), where).not.toThrow();
    }
  });

  it("validates the jobs of every experiment's sweep and the demo page's problems", () => {
    const jobs = [
      ...fig2Sweep({ seeds: 2, sizes: [64] }).jobs,
      ...fig2Sweep({ seeds: 1, sizes: [64], sharedGaugeRun: true }).jobs,
      ...meanFieldSweep({ seeds: 2, sizes: [32, 64] }).jobs,
      ...phaseDiagramSweep({ n: 8, dim: 8, seeds: 1, betas: [1, 2] }).jobs,
      ...phaseDiagramSweep({ model: "usa", n: 8, dim: 8, seeds: 1, betas: [1] }).jobs,
    ];
    expect(jobs.length).toBeGreaterThan(8);
    for (const [k, job] of jobs.entries()) expect(errorsOf(job.config), `job ${k}`).toBe("");
    for (const kernel of KERNEL_CHOICES) expect(errorsOf(problemConfig({ ...DEFAULT_SCENARIO, kernel })), kernel).toBe("");
  });

  it.each([
    ["solvr", { dim: 3, n: 4, solvr: {} }, /solvr: .*did you mean "solver"\?/],
    ["Beta", { dim: 3, n: 4, Beta: 2 }, /Beta: .*did you mean "beta"\?/],
    ["kernel Rope", { dim: 3, n: 4, kernel: { name: "Rope" } }, /kernel\.name: got "Rope".*did you mean "rope"\?/],
    ["kernel omgea", { dim: 3, n: 4, kernel: { name: "rope", omgea: 1 } }, /kernel\.omgea: .*did you mean "omega"\?/],
    ["engine gpu", { dim: 3, n: 4, engine: "gpu" }, /engine: got "gpu"/],
    ["dim as a string", { dim: "3", n: 4 }, /dim: got "3"/],
    ["a cap without its radius", { dim: 3, n: 4, init: { law: "cap", center: [1, 0, 0] } }, /init\.radius/],
    ["a head with a stray field", { dim: 3, n: 4, kernel: { name: "multihead", heads: [{ quer: "goe" }] } }, /heads\[0\]\.quer: .*did you mean "query"\?/],
    ["labels with both forms", { dim: 3, labels: { count: 2, perLabel: 2, assign: [0, 1, 0, 1] } }, /labels\.perLabel/],
  ] as const)("rejects %s, as the validator does", (_what, config, message) => {
    expect(errorsOf(config)).not.toBe("");
    expect(() => parseSimulationConfig(config)).toThrow(ConfigError);
    expect(() => parseSimulationConfig(config)).toThrow(message);
  });

  it("mft schema prints it, and the built package ships the same file as meanfield-transformer/schema.json", async () => {
    const out: string[] = [];
    const io: CliIO = { stdout: (t) => out.push(t), stderr: () => {}, readStdin: () => "" };
    expect(await main(["schema"], io)).toBe(0);
    expect(JSON.parse(out.join(""))).toEqual(schema);
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
    expect(pkg.exports["./schema.json"]).toBe("./dist/schema.json");
    expect(JSON.parse(readFileSync(join(root, "dist", "schema.json"), "utf8"))).toEqual(schema);
    // resolved through the package's exports, as a user's `import schema from "meanfield-transformer/schema.json"`
    const resolved = execFileSync(process.execPath, ["--input-type=module", "-e", `console.log(import.meta.resolve("meanfield-transformer/schema.json"))`], { cwd: root, encoding: "utf8" }).trim();
    expect(resolved).toBe(`file://${join(root, "dist", "schema.json")}`);
  });
});
