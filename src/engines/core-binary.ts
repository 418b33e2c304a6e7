// The compiled core, one per build flavour (plain or shared memory) for every engine, diagnostic
// and worker of this thread. The binary is embedded once (wasm-binary.generated.ts); workers are
// built without it and adopt the modules their host compiled (adoptCoreModules).
import { CORE_BASE64, SHARED_EDIT } from "./wasm-binary.generated.js";

/** The bytes of a base64 string. */
export function decodeBase64(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The core's binary: the plain build, or the shared build made from it by SHARED_EDIT. */
export function coreBytes(shared: boolean): Uint8Array<ArrayBuffer> {
  // a worker bundle carries no binary (scripts/build-worker.mjs): its host hands it the modules
  if (CORE_BASE64 === "") throw new Error("the core's binary is not in this bundle: a worker receives the compiled core from its host");
  const plain = decodeBase64(CORE_BASE64);
  if (!shared) return plain;
  const { at, remove, insert } = SHARED_EDIT;
  const out = new Uint8Array(plain.length - remove + insert.length);
  out.set(plain.subarray(0, at));
  out.set(insert, at);
  out.set(plain.subarray(at + remove), at + insert.length);
  return out;
}

type Flavour = "plain" | "shared";
const compiled: { [K in Flavour]?: WebAssembly.Module } = {};
const compiling: { [K in Flavour]?: Promise<WebAssembly.Module> } = {};

/** The compiled core, compiled once per build flavour and reused by every engine and worker. */
export function coreModule(shared: boolean): Promise<WebAssembly.Module> {
  const key: Flavour = shared ? "shared" : "plain";
  const done = compiled[key];
  if (done) return Promise.resolve(done);
  return (compiling[key] ??= WebAssembly.compile(coreBytes(shared)).then((m) => (compiled[key] = m)));
}

/**
 * The plain core compiled synchronously (diagnostics measured inside synchronous loops). Throws
 * where wasm cannot be compiled synchronously (a page's main thread) unless it was compiled before.
 */
export function plainCoreModuleSync(): WebAssembly.Module {
  return (compiled.plain ??= new WebAssembly.Module(coreBytes(false)));
}

/** The modules a worker needs from its host: the plain core, and the shared one where shared memory exists. */
export interface CoreModules {
  plain: WebAssembly.Module;
  shared?: WebAssembly.Module;
}

/** The compiled modules this thread holds, for a worker it starts (compiling what is missing). */
export async function coreModulesForWorker(withShared: boolean): Promise<CoreModules> {
  const plain = await coreModule(false);
  return withShared ? { plain, shared: await coreModule(true) } : { plain };
}

/** Takes the modules a host compiled (inside a worker, before any engine starts). */
export function adoptCoreModules(modules: CoreModules): void {
  compiled.plain ??= modules.plain;
  if (modules.shared) compiled.shared ??= modules.shared;
}
