// The one place where the page chooses how many threads the engine uses.

/**
 * Threads for the simulation: every core when the page is cross-origin isolated (a shared
 * WebAssembly.Memory can then be posted to workers), one otherwise.
 */
export function chooseThreads(): number {
  if (!globalThis.crossOriginIsolated) return 1;
  return Math.max(1, navigator.hardwareConcurrency || 1);
}
