// NPY v1.0 encoding of little-endian float64 arrays in C order, the format np.load reads
// (numpy.lib.format, "NPY format version 1.0"). Pure: bytes in, bytes out, no Node API.
//
//   offset 0   6 bytes  magic "\x93NUMPY"
//          6   2 bytes  version 1, 0
//          8   uint16   header length H (little-endian)
//         10   H bytes  ASCII dict "{'descr': '<f8', 'fortran_order': False, 'shape': (a, b, c), }",
//                       padded with spaces and ended by "\n" so that 10 + H is a multiple of 64
//     10 + H            the values, float64 little-endian, C order
import { ConfigError } from "../errors.js";

/** Bytes before the data in every NPY file written here: fixed, so a streamed header can be rewritten in place. */
export const NPY_HEADER_BYTES = 128;

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

/** The 128-byte NPY v1.0 header of a `<f8` C-order array of this shape. */
export function npyHeader(shape: readonly number[]): Uint8Array {
  shape.forEach((s, i) => {
    if (!Number.isSafeInteger(s) || s < 0) throw new ConfigError(`shape[${i}]`, s, "an integer >= 0");
  });
  const dims = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
  const dict = `{'descr': '<f8', 'fortran_order': False, 'shape': ${dims}, }`;
  const room = NPY_HEADER_BYTES - 10 - 1;
  if (dict.length > room) throw new ConfigError("shape", `[${shape.join(", ")}]`, `a shape whose NPY header fits ${NPY_HEADER_BYTES} bytes`);
  const out = new Uint8Array(NPY_HEADER_BYTES);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, NPY_HEADER_BYTES - 10, true);
  const text = dict.padEnd(room, " ") + "\n";
  for (let k = 0; k < text.length; k++) out[10 + k] = text.charCodeAt(k);
  return out;
}

/** values as float64 little-endian bytes, whatever the host's byte order. */
export function float64LE(values: ArrayLike<number>, out = new Uint8Array(values.length * 8), offset = 0): Uint8Array {
  const view = new DataView(out.buffer, out.byteOffset + offset, values.length * 8);
  for (let k = 0; k < values.length; k++) view.setFloat64(k * 8, values[k], true);
  return out;
}

/** A whole NPY v1.0 file: `<f8`, C order, `shape` (whose product must equal values.length). */
export function encodeNpy(values: ArrayLike<number>, shape: readonly number[]): Uint8Array {
  const size = shape.reduce((a, b) => a * b, 1);
  if (size !== values.length) throw new ConfigError("shape", `[${shape.join(", ")}]`, `a shape with ${values.length} elements (the length of values)`);
  const out = new Uint8Array(NPY_HEADER_BYTES + values.length * 8);
  out.set(npyHeader(shape), 0);
  return float64LE(values, out, NPY_HEADER_BYTES);
}

/** Reads an NPY v1.x/2.x/3.x file holding a `<f8` C-order array (any header length). */
export function decodeNpy(bytes: Uint8Array): { shape: number[]; values: Float64Array } {
  if (bytes.length < 10 || MAGIC.some((b, k) => bytes[k] !== b)) throw new ConfigError("npy", `${bytes.length} bytes`, "an NPY file (starting with \\x93NUMPY)");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6];
  if (major < 1 || major > 3) throw new ConfigError("npy version", `${major}.${bytes[7]}`, "1.0, 2.0 or 3.0");
  const lenBytes = major === 1 ? 2 : 4;
  const hlen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = 8 + lenBytes + hlen;
  if (start > bytes.length) throw new ConfigError("npy header", `length ${hlen}`, `a header within the ${bytes.length}-byte file`);
  let header = "";
  for (let k = 8 + lenBytes; k < start; k++) header += String.fromCharCode(bytes[k]);
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  if (descr !== "<f8") throw new ConfigError("npy descr", descr, "'<f8' (little-endian float64)");
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  if (fortran !== "False") throw new ConfigError("npy fortran_order", fortran, "False (C order)");
  const dims = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (dims === undefined) throw new ConfigError("npy shape", header.trim(), "a header with a 'shape' tuple");
  const shape = dims.split(",").map((s) => s.trim()).filter((s) => s.length > 0).map(Number);
  if (shape.some((s) => !Number.isSafeInteger(s) || s < 0)) throw new ConfigError("npy shape", `(${dims})`, "a tuple of integers >= 0");
  const size = shape.reduce((a, b) => a * b, 1);
  if (bytes.length - start !== size * 8) throw new ConfigError("npy data", `${bytes.length - start} bytes`, `${size * 8} bytes for shape (${shape.join(", ")})`);
  const values = new Float64Array(size);
  for (let k = 0; k < size; k++) values[k] = view.getFloat64(start + k * 8, true);
  return { shape, values };
}
