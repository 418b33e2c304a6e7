// The one registry of kernels: a name in a configuration is looked up here and nowhere else.
import { ConfigError } from "../errors.js";
import { didYouMean } from "../suggest.js";
import { isObject } from "../validate.js";
import { attention, multihead } from "./attention.js";
import { custom } from "./custom.js";
import { distanceBias } from "./distanceBias.js";
import { phaseField } from "./phaseField.js";
import { prompt } from "./prompt.js";
import { rope } from "./rope.js";
import { sa } from "./sa.js";
import { toeplitz } from "./toeplitz.js";
import type { KernelContext, KernelDefinition, KernelTables } from "./types.js";
import { usa } from "./usa.js";

const registry = new Map<string, KernelDefinition>();

/** Adds a kernel definition under its name (names are unique). */
export function registerKernel(def: KernelDefinition): void {
  if (registry.has(def.name)) throw new Error(`a kernel named ${JSON.stringify(def.name)} is already registered`);
  registry.set(def.name, def);
}

for (const def of [usa, sa, distanceBias, rope, phaseField, toeplitz, prompt, custom, attention, multihead]) registerKernel(def);

/** Names of every registered kernel. */
export function kernelNames(): string[] {
  return [...registry.keys()];
}

/** The registered definition for a name; throws a ConfigError listing the names otherwise. */
export function getKernel(name: unknown, path = "kernel.name"): KernelDefinition {
  const def = typeof name === "string" ? registry.get(name) : undefined;
  if (!def) throw new ConfigError(path, name, `one of ${kernelNames().map((n) => JSON.stringify(n)).join(", ")}${didYouMean(name, kernelNames())}`);
  return def;
}

/** Builds W, gauges and kappa for a kernel spec such as {name: "rope", omega: 6.28}. */
export function buildKernel(spec: unknown, ctx: KernelContext): KernelTables {
  if (!isObject(spec)) throw new ConfigError(ctx.path, spec, `a kernel object {"name": ...} with name one of ${kernelNames().join(", ")}`);
  return getKernel(spec.name, `${ctx.path}.name`).build(spec, ctx);
}
