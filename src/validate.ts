// Checks shared by every parser of user input. Each throws a ConfigError naming the
// parameter path, the value received and the allowed range; nothing is clamped.
import { ConfigError } from "./errors.js";

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function requireObject(path: string, v: unknown): Record<string, unknown> {
  if (!isObject(v)) throw new ConfigError(path, v, "an object");
  return v;
}

interface NumberRule {
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
    throw new ConfigError(path, v, `one of ${options.map((o) => JSON.stringify(o)).join(", ")}`);
  }
  return v as T;
}

/** A d x d matrix given as rows, flattened row-major into out at offset. */
export function readMatrix(path: string, v: unknown, d: number, out: Float64Array, offset: number): void {
  const rows = requireArray(path, v, `rows of ${d} numbers`, d);
  rows.forEach((row, r) => {
    const vals = requireNumberArray(`${path}[${r}]`, row, d);
    for (let c = 0; c < d; c++) out[offset + r * d + c] = vals[c];
  });
}

/** Rejects keys that a spec does not know, so typos never pass silently. */
export function rejectUnknownKeys(path: string, obj: Record<string, unknown>, known: readonly string[]): void {
  for (const key of Object.keys(obj)) {
    if (!known.includes(key)) {
      throw new ConfigError(path ? `${path}.${key}` : key, obj[key], `no such field here; known fields: ${known.join(", ")}`);
    }
  }
}
