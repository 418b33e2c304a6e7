/**
 * A configuration value outside what the library accepts. The message names the
 * parameter (a JSON path such as `kernel.omega` or `init.points[3]`), the value
 * received, and what is allowed.
 */
export class ConfigError extends Error {
  readonly parameter: string;
  readonly received: unknown;
  readonly allowed: string;
  constructor(parameter: string, received: unknown, allowed: string) {
    super(`${parameter}: got ${describeValue(received)}; allowed: ${allowed}`);
    this.name = "ConfigError";
    this.parameter = parameter;
    this.received = received;
    this.allowed = allowed;
  }
}

/** A run that could not continue (a non-finite value, a lost unit norm): what happened and what to try. */
export class SimulationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SimulationError";
  }
}

/** Longest quotation of a received value in an error message, in characters. */
export const QUOTE_MAX = 80;

/**
 * A short, safe rendering of any value for an error message: numbers as written, strings and
 * JSON values quoted and cut to QUOTE_MAX characters (with the full length said), and never a
 * deep walk, so that a huge or deeply nested value cannot make the message itself fail.
 */
export function describeValue(v: unknown): string {
  if (typeof v === "number") return Number.isNaN(v) ? "NaN" : String(v);
  if (typeof v === "string") {
    if (v.length <= QUOTE_MAX) return JSON.stringify(v);
    return `${JSON.stringify(v.slice(0, QUOTE_MAX - 3) + "...")} (a string of ${v.length} characters)`;
  }
  if (v === undefined) return "undefined";
  if (typeof v === "function") return "a function";
  if (typeof v === "bigint" || typeof v === "boolean" || typeof v === "symbol" || v === null) return String(v);
  return preview(v);
}

/** JSON-like text of an object or array, stopped after QUOTE_MAX characters (and at depth 8). */
function preview(v: unknown): string {
  let out = "";
  let cut = false;
  const emit = (s: string): boolean => {
    if (out.length + s.length > QUOTE_MAX - 3) {
      out += s.slice(0, Math.max(0, QUOTE_MAX - 3 - out.length));
      cut = true;
      return false;
    }
    out += s;
    return true;
  };
  const walk = (x: unknown, depth: number): boolean => {
    if (x === null || typeof x !== "object") {
      if (typeof x === "string") return emit(JSON.stringify(x.length > QUOTE_MAX ? x.slice(0, QUOTE_MAX) : x));
      if (typeof x === "number") return emit(Number.isFinite(x) ? String(x) : x !== x ? "NaN" : String(x));
      return emit(x === undefined ? "null" : String(x));
    }
    if (depth >= 8) return emit("...");
    if (ArrayBuffer.isView(x)) {
      const a = x as unknown as ArrayLike<number>;
      if (!emit(`${x.constructor.name}(${a.length}) [`)) return false;
      for (let k = 0; k < a.length; k++) if (!emit((k ? "," : "") + String(a[k]))) return false;
      return emit("]");
    }
    if (Array.isArray(x)) {
      if (!emit("[")) return false;
      for (let k = 0; k < x.length; k++) if (!emit(k ? "," : "") || !walk(x[k], depth + 1)) return false;
      return emit("]");
    }
    if (!emit("{")) return false;
    let first = true;
    for (const key in x as Record<string, unknown>) {
      if (!Object.prototype.hasOwnProperty.call(x, key)) continue;
      if (!emit((first ? "" : ",") + JSON.stringify(key.length > QUOTE_MAX ? key.slice(0, QUOTE_MAX) : key) + ":")) return false;
      first = false;
      if (!walk((x as Record<string, unknown>)[key], depth + 1)) return false;
    }
    return emit("}");
  };
  walk(v, 0);
  return cut ? out + "..." : out;
}
