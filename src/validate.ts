// Checks shared by every parser of user input. Each throws a ConfigError naming the
// parameter path, the value received and the allowed range; nothing is clamped.
import { ConfigError } from "./errors.js";
import { didYouMean } from "./suggest.js";

/** Deepest nesting of arrays and objects a configuration may have (the deepest real one has 5 levels). */
export const JSON_DEPTH_MAX = 32;

/**
 * Refuses, before anything reads it, a configuration nested deeper than JSON_DEPTH_MAX (JSON
 * parses any depth, but no field is that deep, and a deep value must not overflow the stack of
 * whatever walks it next). The recursion stops at the limit; the path is spelled only for the error.
 */
export function checkNesting(path: string, root: unknown): void {
  walkDepth(root, () => path, 0);
}

function walkDepth(v: unknown, at: () => string, depth: number): void {
  if (typeof v !== "object" || v === null || ArrayBuffer.isView(v)) return;
  if (depth >= JSON_DEPTH_MAX) throw new ConfigError(at() || "config", `a value nested ${depth} levels deep`, `at most ${JSON_DEPTH_MAX} levels of nested arrays and objects`);
  if (Array.isArray(v)) {
    for (let k = 0; k < v.length; k++) if (typeof v[k] === "object") walkDepth(v[k], () => `${at()}[${k}]`, depth + 1);
    return;
  }
  for (const key of Object.keys(v)) {
    const x = (v as Record<string, unknown>)[key];
    if (typeof x === "object") walkDepth(x, () => { const p = at(); return p ? `${p}.${pathKey(key)}` : pathKey(key); }, depth + 1);
  }
}

/** True for a plain object (not null, not an array). */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function requireObject(path: string, v: unknown): Record<string, unknown> {
  if (!isObject(v)) throw new ConfigError(path, v, "an object");
  return v;
}

/** Bounds of a number: requireNumber's rule. */
export interface NumberRule {
  /** inclusive lower bound */
  min?: number;
  /** exclusive lower bound */
  above?: number;
  /** inclusive upper bound */
  max?: number;
  integer?: boolean;
}

function ruleText(rule: NumberRule): string {
  const parts: string[] = [rule.integer ? "an integer" : "a finite number"];
  if (rule.above !== undefined) parts.push(`> ${rule.above}`);
  if (rule.min !== undefined) parts.push(`>= ${rule.min}`);
  if (rule.max !== undefined) parts.push(`<= ${rule.max}`);
  return parts.join(" ");
}

export function requireNumber(path: string, v: unknown, rule: NumberRule = {}): number {
  const ok = typeof v === "number" && Number.isFinite(v) &&
    (!rule.integer || Number.isInteger(v)) &&
    (rule.min === undefined || v >= rule.min) &&
    (rule.above === undefined || v > rule.above) &&
    (rule.max === undefined || v <= rule.max);
  if (!ok) throw new ConfigError(path, v, ruleText(rule));
  return v as number;
}

export function optionalNumber(path: string, v: unknown, fallback: number, rule: NumberRule = {}): number {
  return v === undefined ? fallback : requireNumber(path, v, rule);
}

export function requireArray(path: string, v: unknown, what: string, length?: number): unknown[] {
  if (!Array.isArray(v) || v.length === 0 || (length !== undefined && v.length !== length)) {
    throw new ConfigError(path, v, length !== undefined ? `an array of ${length} ${what}` : `a non-empty array of ${what}`);
  }
  return v;
}

export function requireNumberArray(path: string, v: unknown, length?: number, rule: NumberRule = {}): number[] {
  const a = requireArray(path, v, "numbers", length);
  return a.map((x, i) => requireNumber(`${path}[${i}]`, x, rule));
}

export function requireOneOf<T extends string>(path: string, v: unknown, options: readonly T[]): T {
  if (typeof v !== "string" || !options.includes(v as T)) {
    throw new ConfigError(path, v, `one of ${options.map((o) => JSON.stringify(o)).join(", ")}${didYouMean(v, options)}`);
  }
  return v as T;
}

/** A d x d matrix given as rows, flattened row-major into out at offset (each entry within `rule`). */
export function readMatrix(path: string, v: unknown, d: number, out: Float64Array, offset: number, rule: NumberRule = {}): void {
  const rows = requireArray(path, v, `rows of ${d} numbers`, d);
  rows.forEach((row, r) => {
    const vals = requireNumberArray(`${path}[${r}]`, row, d, rule);
    for (let c = 0; c < d; c++) out[offset + r * d + c] = vals[c];
  });
}

/** A key as it appears in a parameter path: cut to 60 characters, so no key can flood a message. */
export function pathKey(key: string): string {
  return key.length > 60 ? `${key.slice(0, 57)}...` : key;
}

/** Rejects keys that a spec does not know, so typos never pass silently; a near miss gets a suggestion. */
export function rejectUnknownKeys(path: string, obj: Record<string, unknown>, known: readonly string[]): void {
  for (const key of Object.keys(obj)) {
    if (!known.includes(key)) {
      throw new ConfigError(path ? `${path}.${pathKey(key)}` : pathKey(key), obj[key], `no such field here${didYouMean(key, known)}; known fields: ${known.join(", ")}`);
    }
  }
}
