// A command's result JSON: streamed in chunks to stdout, or written whole and atomically to --out.
import { writeFileAtomic } from "./atomic-write.js";
import { jsonChunks } from "./json-stream.js";
import type { CliIO } from "./main.js";

/** Writes `result` as one line of JSON to `out` (atomically) or, when out is undefined, to stdout. */
export function writeResultJSON(result: unknown, out: string | undefined, io: CliIO): void {
  const chunks = jsonChunks(result);
  if (out !== undefined) {
    writeFileAtomic(out, (function* () { yield* chunks; yield "\n"; })());
    io.stderr(`mft: wrote ${out}\n`);
  } else {
    for (const chunk of chunks) io.stdout(chunk);
    io.stdout("\n");
  }
}
