// The peers the benchmarks compare the wasm core with, found or built once per run: NumPy
// (bench/numpy_peer.py, when python3 with numpy is present), the native C peer
// (bench/native_peer.c, when a C compiler is present) and the f64x2 ceiling loop (bench/ceiling.ts,
// built with the project's AssemblyScript compiler).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** stdout of a command, trimmed, or null when it fails or is absent. */
export function tryRun(cmd, args, options = {}) {
  try {
    return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], ...options }).trim();
  } catch {
    return null;
  }
}

/** The NumPy version python3 imports, or null. */
export function numpyVersion() {
  return tryRun("python3", ["-c", "import numpy; print(numpy.__version__)"]);
}

/** bench/numpy_peer.py: best seconds of `reps` calls of one evaluation or one Heun step at n, d. */
export function numpySeconds(n, d, reps, mode = "evaluate") {
  const out = tryRun("python3", [new URL("./numpy_peer.py", import.meta.url).pathname, String(n), String(d), String(reps), mode]);
  if (out === null) throw new Error(`bench/numpy_peer.py failed at n = ${n}, d = ${d}`);
  return JSON.parse(out).seconds;
}

/** Flags the native peer is built with. */
export const NATIVE_FLAGS = ["-O3", "-march=native", "-ffast-math", "-fopenmp"];

/** Builds bench/native_peer.c into a temporary file: { bin, cc } (the compiler's version line), or null. */
export function buildNativePeer() {
  const cc = tryRun("cc", ["--version"])?.split("\n")[0] ?? null;
  if (!cc) return null;
  const bin = join(mkdtempSync(join(tmpdir(), "mft-native-")), "native_peer");
  const src = new URL("./native_peer.c", import.meta.url).pathname;
  return tryRun("cc", [...NATIVE_FLAGS, "-o", bin, src, "-lm"]) === null ? null : { bin, cc };
}

/** The native peer: best seconds of `reps` evaluations at n, d on `threads` threads. */
export function nativeSeconds(bin, n, d, reps, threads) {
  const out = tryRun(bin, [String(n), String(d), String(reps), String(threads)]);
  if (out === null) throw new Error(`the native peer failed at n = ${n}, d = ${d}`);
  return JSON.parse(out).seconds;
}

/**
 * bench/ceiling.ts compiled with asc (in a temporary folder, so that the project's asconfig.json
 * does not apply) and instantiated: its exports (chains, CHAINS_FLOPS), or null when asc fails.
 */
export async function ceilingLoop() {
  const asc = createRequire(import.meta.url).resolve("assemblyscript/bin/asc.js");
  const dir = mkdtempSync(join(tmpdir(), "mft-ceiling-"));
  const out = join(dir, "ceiling.wasm");
  const src = new URL("./ceiling.ts", import.meta.url).pathname;
  if (tryRun(process.execPath, [asc, src, "--enable", "simd", "-O3", "--runtime", "stub", "-o", out], { cwd: dir }) === null) return null;
  const { instance } = await WebAssembly.instantiate(readFileSync(out));
  return instance.exports;
}
