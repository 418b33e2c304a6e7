// JSON text in chunks: the same characters JSON.stringify writes for plain data (objects, arrays,
// numbers, strings, booleans, null; typed arrays as arrays), produced piece by piece so that a result of any size is
// written without building one string (a V8 string holds at most about 2^29 characters).

/** Characters per chunk, about. */
const CHUNK = 1 << 16;

/** The JSON text of `value` as a sequence of strings whose concatenation equals JSON.stringify(value). */
export function* jsonChunks(value: unknown): Generator<string> {
  let buf = "";
  function* flush(): Generator<string> {
    if (buf.length >= CHUNK) { yield buf; buf = ""; }
  }
  function* walk(v: unknown): Generator<string> {
    if (Array.isArray(v) || ArrayBuffer.isView(v)) {
      const a = v as ArrayLike<unknown>;
      buf += "[";
      for (let k = 0; k < a.length; k++) {
        if (k > 0) buf += ",";
        const x = a[k];
        if (typeof x === "object" && x !== null) yield* walk(x);
        else buf += x === undefined || typeof x === "function" ? "null" : JSON.stringify(x);
        yield* flush();
      }
      buf += "]";
      return;
    }
    if (typeof v === "object" && v !== null) {
      buf += "{";
      let first = true;
      for (const [key, x] of Object.entries(v)) {
        if (x === undefined || typeof x === "function") continue;
        buf += (first ? "" : ",") + JSON.stringify(key) + ":";
        first = false;
        yield* walk(x);
        yield* flush();
      }
      buf += "}";
      return;
    }
    buf += JSON.stringify(v) ?? "null";
  }
  yield* walk(value);
  if (buf) yield buf;
}
