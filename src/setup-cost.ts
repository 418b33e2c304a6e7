// The set-up cost of a problem, counted from its configuration before any table is allocated:
// bytes held in JavaScript memory, bytes of the wasm core's memory, and the work of building
// the tables. A table whose size would pass a limit is refused with the field that sets it, the
// computed size and the largest value of that field that fits (docs/limits.md).
import { ConfigError } from "./errors.js";

/** Largest bytes of the tables one problem keeps in JavaScript memory (initial state, labels, W, gauges, attention matrices). */
export const HOST_BYTES_MAX = 2 ** 31;
/** Largest bytes of one system in the wasm core's memory: the wasm32 maximum, 65536 pages of 64 KiB. */
export const CORE_BYTES_MAX = 2 ** 32;
/** Largest work of building a problem's tables, in multiply-adds (about half a minute of one core). */
export const SETUP_WORK_MAX = 2 ** 35;

/** One table (or group of tables) whose size grows with one configuration field. */
export interface SetupItem {
  /** the configuration field that sets the size, e.g. "labels.count" */
  field: string;
  /** its value */
  value: number;
  /** what is built, for the message, e.g. "the L x L weight table W" */
  what: string;
  /** bytes in JavaScript memory for a field value v */
  host?: (v: number) => number;
  /** bytes in the wasm core's memory for a field value v */
  core?: (v: number) => number;
  /** multiply-adds to build it for a field value v */
  work?: (v: number) => number;
  /** smallest value the field takes (default 1) */
  min?: number;
}

interface Pool { name: "host" | "core" | "work"; limit: number; used: number; unit: string }

/**
 * The running total of one problem's set-up. Each reserve() comes before the allocation it
 * accounts for, so a refused problem has allocated nothing of the refused table.
 */
export class SetupBudget {
  private readonly pools: Record<Pool["name"], Pool> = {
    host: { name: "host", limit: HOST_BYTES_MAX, used: 0, unit: "of JavaScript memory for the problem's tables" },
    core: { name: "core", limit: CORE_BYTES_MAX, used: 0, unit: "of wasm memory for the system" },
    work: { name: "work", limit: SETUP_WORK_MAX, used: 0, unit: "to build the tables" },
  };

  /** Work still allowed, in multiply-adds (for loops that bound themselves, such as rejection sampling). */
  get workLeft(): number {
    return this.pools.work.limit - this.pools.work.used;
  }

  /** Adds an item to the totals, or throws a ConfigError naming its field when a total would pass its limit. */
  reserve(item: SetupItem): void {
    const need = this.needs(item, item.value);
    for (const pool of Object.values(this.pools)) {
      const amount = need[pool.name];
      if (!(pool.used + amount <= pool.limit)) throw this.refusal(item, pool, amount);
    }
    for (const pool of Object.values(this.pools)) pool.used += need[pool.name];
  }

  /** Spends work counted as it is done (bounded loops); throws through `fail` when it would pass the limit. */
  spend(work: number, fail: () => never): void {
    const pool = this.pools.work;
    if (!(pool.used + work <= pool.limit)) fail();
    pool.used += work;
  }

  private needs(item: SetupItem, v: number): Record<Pool["name"], number> {
    return { host: item.host?.(v) ?? 0, core: item.core?.(v) ?? 0, work: item.work?.(v) ?? 0 };
  }

  private fits(item: SetupItem, v: number): boolean {
    const need = this.needs(item, v);
    return Object.values(this.pools).every((p) => p.used + need[p.name] <= p.limit);
  }

  private refusal(item: SetupItem, pool: Pool, amount: number): ConfigError {
    const min = item.min ?? 1;
    // the sizes grow with the field: bisect for the largest value that still fits
    let lo = min - 1, hi = Math.max(min, Math.floor(item.value));
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (this.fits(item, mid)) lo = mid;
      else hi = mid;
    }
    const size = pool.name === "work" ? `${formatCount(amount)} multiply-adds` : formatBytes(amount);
    const limit = pool.name === "work" ? `${formatCount(pool.limit)} multiply-adds` : formatBytes(pool.limit);
    const used = pool.used > 0 ? `, ${pool.name === "work" ? formatCount(pool.used) + " multiply-adds" : formatBytes(pool.used)} of it already taken by the rest of the problem` : "";
    const largest = lo >= min ? `at most ${lo} here` : "no value here (shrink the rest of the problem first)";
    return new ConfigError(item.field, item.value, `${largest}: ${item.what} needs ${size} ${pool.unit} (limit ${limit}${used})`);
  }
}

/** 1536 -> "1.50 KiB". */
export function formatBytes(b: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
  let k = 0;
  while (b >= 1024 && k < units.length - 1) { b /= 1024; k++; }
  return k === 0 ? `${b} bytes` : `${b.toFixed(2)} ${units[k]}`;
}

function formatCount(x: number): string {
  return x < 1e6 ? String(x) : x.toExponential(2);
}
