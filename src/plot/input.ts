// Input checks shared by the plot modules. Each throws a ConfigError naming the parameter
// path, the value received and what is allowed; nothing is clamped or skipped unreported.
import { ConfigError } from "../errors.js";

/** A non-empty string, or a ConfigError naming `path`. */
export function requireText(path: string, v: unknown): string {
  if (typeof v !== "string" || v.length === 0) throw new ConfigError(path, v, "a non-empty string");
  return v;
}

/** An optional string (undefined passes through). */
export function optionalText(path: string, v: unknown): string | undefined {
  if (v !== undefined && typeof v !== "string") throw new ConfigError(path, v, "a string");
  return v;
}

/** A finite number > 0 (or the fallback when undefined). */
export function positive(path: string, v: unknown, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== "number" || !Number.isFinite(v) || v <= 0) throw new ConfigError(path, v, "a finite number > 0");
  return v;
}

/** An integer >= 1 (or the fallback when undefined). */
export function count(path: string, v: unknown, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1) throw new ConfigError(path, v, "an integer >= 1");
  return v;
}

function isArrayLike(v: unknown): v is ArrayLike<unknown> {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
}

/**
 * A non-empty array (or typed array) of finite numbers, of the given length when one is given.
 * `what` is added to the error text (e.g. the series name) so the message says which data is bad.
 */
export function finiteArray(path: string, v: unknown, length?: number, what = ""): ArrayLike<number> {
  const suffix = what ? ` (${what})` : "";
  if (!isArrayLike(v) || v.length === 0 || (length !== undefined && v.length !== length)) {
    const shape = isArrayLike(v) ? `an array of length ${v.length}` : v;
    throw new ConfigError(path, shape, (length !== undefined ? `an array of ${length} finite numbers` : "a non-empty array of finite numbers") + suffix);
  }
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (typeof x !== "number" || !Number.isFinite(x)) throw new ConfigError(`${path}[${i}]`, x, `a finite number${suffix}`);
  }
  return v as ArrayLike<number>;
}

/** One of the listed strings (or the fallback when undefined). */
export function oneOf<T extends string>(path: string, v: unknown, options: readonly T[], fallback: T): T {
  if (v === undefined) return fallback;
  if (typeof v !== "string" || !options.includes(v as T)) {
    throw new ConfigError(path, v, `one of ${options.map((o) => JSON.stringify(o)).join(", ")}`);
  }
  return v as T;
}
