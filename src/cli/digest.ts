// Digests of what the CLI stores: canonical JSON (object keys sorted at every level), so that a
// configuration whose keys are only reordered is the same configuration, and sha256 over it.
import { createHash } from "node:crypto";

/** JSON text with every object's keys in sorted order (arrays keep their order). */
export function canonicalJSON(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? "null" : canonicalJSON(x))).join(",")}]`;
  if (typeof v === "object" && v !== null && !ArrayBuffer.isView(v)) {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o).filter((k) => o[k] !== undefined && typeof o[k] !== "function").sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJSON(o[k])}`).join(",")}}`;
  }
  if (ArrayBuffer.isView(v)) return canonicalJSON(Array.from(v as unknown as ArrayLike<number>));
  return JSON.stringify(v) ?? "null";
}

/** sha256 of bytes or text, as 64 hex digits. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/** sha256 of a configuration's canonical JSON: equal for configurations that differ only in key order. */
export function configDigest(config: unknown): string {
  return sha256Hex(canonicalJSON(config));
}
