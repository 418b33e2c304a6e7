// Every failure of a command as one line on standard error, and its exit code: 2 for bad input,
// 1 for a run that could not continue, a file that could not be written or a missing optional
// package (the plotting commands' vega, vega-lite, @resvg/resvg-js). Never a stack trace
// (MFT_DEBUG=1 adds the stack of an error nobody foresaw).
import { ConfigError, SimulationError } from "../errors.js";
import { WriteError } from "./atomic-write.js";
import { MissingPeerError } from "../plot/peers.js";

/** Where the line goes. */
export interface ErrorSink {
  stderr: (text: string) => void;
}

/** Writes one line for any error and returns its exit code (0 for a reader that closed the pipe). */
export function reportError(err: unknown, io: ErrorSink): number {
  if (err instanceof ConfigError) {
    io.stderr(`mft: invalid configuration: ${oneLine(err.message)}\n`);
    return 2;
  }
  if (err instanceof SimulationError) {
    io.stderr(`mft: simulation stopped: ${oneLine(err.message)}\n`);
    return 1;
  }
  if (err instanceof WriteError || err instanceof MissingPeerError) {
    io.stderr(`mft: ${oneLine(err.message)}\n`);
    return 1;
  }
  const e = err as NodeJS.ErrnoException;
  // the reader of the standard output went away (`mft ... | head -1`): nothing more to say
  if (e?.code === "EPIPE") return 0;
  if (typeof e?.code === "string" && typeof e.syscall === "string") {
    // a system call that failed outside the checked writes (a lost directory, a full disk)
    io.stderr(`mft: ${e.syscall} failed: ${e.code}${e.path ? ` (${e.path})` : ""}\n`);
    return 1;
  }
  const what = e instanceof RangeError && /allocation|Invalid (typed )?array length|string length/i.test(e.message) ? "out of memory" : "internal error";
  io.stderr(`mft: ${what}: ${oneLine(`${e?.name ?? "Error"}: ${e?.message ?? String(err)}`)}${process.env.MFT_DEBUG ? `\n${e?.stack ?? ""}` : " (MFT_DEBUG=1 prints the stack)"}\n`);
  return 1;
}

/** A message on one line, cut to a readable length. */
function oneLine(message: string): string {
  const flat = message.replace(/\s*\n\s*/g, " ");
  return flat.length > 2000 ? flat.slice(0, 1997) + "..." : flat;
}
