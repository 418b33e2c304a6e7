// The built package's files as a loader sees them: an entry and every chunk it imports statically.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** The specifiers of a module's static imports and re-exports (`import ... from "x"`, `import "x"`). */
export function staticImports(text: string): string[] {
  return [...text.matchAll(/^\s*(?:import|export)\b(?:[^;"']*?\bfrom)?\s*["']([^"']+)["']/gm)].map((m) => m[1]);
}

/** An entry file and every file it reaches through relative static imports, with their text. */
export function importClosure(entry: string): Map<string, string> {
  const seen = new Map<string, string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    const text = readFileSync(file, "utf8");
    seen.set(file, text);
    for (const s of staticImports(text)) if (s.startsWith("./") || s.startsWith("../")) visit(join(dirname(file), s));
  };
  visit(entry);
  return seen;
}
