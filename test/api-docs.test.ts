// The public API as the TypeScript compiler sees it: every exported name of the two entries has a
// doc comment (TypeDoc renders them: npm run docs), and the configuration types reject typos
// (test/types/config-types.ts: each @ts-expect-error line must be an error).
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = join(__dirname, "..");
const ENTRIES = ["src/index.ts", "src/plot/index.ts"];
const TYPE_CHECKS = "test/types/config-types.ts";

function compile(): ts.Program {
  const parsed = ts.getParsedCommandLineOfConfigFile(join(root, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n")); } });
  if (!parsed) throw new Error("tsconfig.json could not be read");
  return ts.createProgram([...ENTRIES, TYPE_CHECKS].map((f) => join(root, f)), parsed.options);
}

/** "entry: name" for every export of the entries whose declaration has no doc comment. */
function undocumentedExports(program: ts.Program): { names: string[]; count: number } {
  const checker = program.getTypeChecker();
  const names: string[] = [];
  let count = 0;
  for (const entry of ENTRIES) {
    const module = checker.getSymbolAtLocation(program.getSourceFile(join(root, entry))!);
    expect(module, `${entry} is a module`).toBeDefined();
    for (const exported of checker.getExportsOfModule(module!)) {
      count++;
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      if (ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim() === "") names.push(`${entry}: ${exported.name}`);
    }
  }
  return { names, count };
}

describe("the public API", () => {
  const program = compile();

  it("every exported name of src/index.ts and src/plot/index.ts has a doc comment", () => {
    const { names, count } = undocumentedExports(program);
    expect(count).toBeGreaterThan(150);
    expect(names, "exports without a doc comment").toEqual([]);
  });

  it("the configuration types accept valid configurations and reject typos (every @ts-expect-error is used)", () => {
    const file = program.getSourceFile(join(root, TYPE_CHECKS))!;
    const diagnostics = [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)];
    const text = diagnostics.map((d) => `${d.start !== undefined ? file.getLineAndCharacterOfPosition(d.start).line + 1 : "?"}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`);
    expect(text).toEqual([]);
    // the file does hold the negative cases
    expect(file.text.match(/@ts-expect-error/g)?.length).toBeGreaterThanOrEqual(10);
  });
});
