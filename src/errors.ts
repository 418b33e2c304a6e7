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
    super(`${parameter}: got ${describe(received)}; allowed: ${allowed}`);
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

function describe(v: unknown): string {
  if (typeof v === "number") return Number.isNaN(v) ? "NaN" : String(v);
  if (typeof v === "string") return JSON.stringify(v);
  if (v === undefined) return "undefined";
  if (typeof v === "function") return "a function";
  try {
    const s = JSON.stringify(v);
    return s.length > 80 ? s.slice(0, 77) + "..." : s;
  } catch {
    return String(v);
  }
}
