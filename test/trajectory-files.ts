// Independent readers of the trajectory layouts for the tests: written from the NPY format
// description and the raw layout of docs/outputs.md, sharing no code with src/trajectory.

/** An NPY file as read from its specification: the header dict (as a JS object), shape, dtype and values. */
export interface NpyFile {
  major: number;
  minor: number;
  header: { descr: string; fortran_order: boolean; shape: number[] };
  headerText: string;
  dataOffset: number;
  values: Float64Array;
}

/** Reads NPY version 1.0: magic, version, uint16 header length, a Python dict literal, then the data. */
export function parseNpy(bytes: Uint8Array): NpyFile {
  const magic = Array.from(bytes.subarray(0, 6));
  if (magic.join(",") !== [0x93, 78, 85, 77, 80, 89].join(",")) throw new Error(`bad magic ${magic}`);
  const major = bytes[6], minor = bytes[7];
  if (major !== 1) throw new Error(`version ${major}.${minor}: this reader knows 1.0`);
  const hlen = bytes[8] | (bytes[9] << 8);
  const headerText = String.fromCharCode(...bytes.subarray(10, 10 + hlen));
  // the Python literal as JSON: quotes, booleans, tuples as arrays, no trailing commas
  const json = headerText.trim()
    .replace(/'/g, '"').replace(/\bTrue\b/g, "true").replace(/\bFalse\b/g, "false")
    .replace(/\(/g, "[").replace(/\)/g, "]").replace(/,\s*([\]}])/g, "$1");
  const header = JSON.parse(json);
  const dataOffset = 10 + hlen;
  const count = (header.shape as number[]).reduce((a, b) => a * b, 1);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length !== dataOffset + 8 * count) throw new Error(`${bytes.length} bytes for ${count} values after ${dataOffset}`);
  const values = new Float64Array(count);
  for (let k = 0; k < count; k++) values[k] = view.getFloat64(dataOffset + 8 * k, true);
  return { major, minor, header, headerText, dataOffset, values };
}

/** The raw ".f64" layout as docs/outputs.md spells it out. */
export function parseF64(bytes: Uint8Array): { magic: string; version: number; headerBytes: number; frames: number; n: number; d: number; reserved: number[]; x: Float64Array; times: Float64Array } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = String.fromCharCode(...bytes.subarray(0, 8));
  const version = view.getUint32(8, true), headerBytes = view.getUint32(12, true);
  const frames = view.getUint32(16, true), n = view.getUint32(20, true), d = view.getUint32(24, true);
  const reserved = Array.from(bytes.subarray(28, 64));
  const size = frames * n * d;
  if (bytes.length !== headerBytes + 8 * (size + frames)) throw new Error(`${bytes.length} bytes, expected ${headerBytes + 8 * (size + frames)}`);
  const x = new Float64Array(size), times = new Float64Array(frames);
  for (let k = 0; k < size; k++) x[k] = view.getFloat64(headerBytes + 8 * k, true);
  for (let f = 0; f < frames; f++) times[f] = view.getFloat64(headerBytes + 8 * size + 8 * f, true);
  return { magic, version, headerBytes, frames, n, d, reserved, x, times };
}

/** Walks a GIF's blocks (GIF89a spec): logical screen, images with their sizes, frame delays (centiseconds), loop extension. */
export function walkGif(bytes: Uint8Array): { signature: string; width: number; height: number; images: { left: number; top: number; width: number; height: number }[]; delays: number[]; loops: boolean } {
  const signature = String.fromCharCode(...bytes.subarray(0, 6));
  const u16 = (p: number) => bytes[p] | (bytes[p + 1] << 8);
  const width = u16(6), height = u16(8), packed = bytes[10];
  let p = 13;
  if (packed & 0x80) p += 3 * (1 << ((packed & 7) + 1));
  const images: { left: number; top: number; width: number; height: number }[] = [];
  const delays: number[] = [];
  let loops = false;
  const skipSubBlocks = () => {
    for (;;) {
      const len = bytes[p++];
      if (len === undefined) throw new Error("truncated GIF");
      if (len === 0) return;
      p += len;
    }
  };
  for (;;) {
    const b = bytes[p++];
    if (b === 0x3b) break;
    if (b === 0x21) {
      const label = bytes[p++];
      if (label === 0xf9) delays.push(u16(p + 2));
      if (label === 0xff && String.fromCharCode(...bytes.subarray(p + 1, p + 12)) === "NETSCAPE2.0") loops = true;
      skipSubBlocks();
    } else if (b === 0x2c) {
      images.push({ left: u16(p), top: u16(p + 2), width: u16(p + 4), height: u16(p + 6) });
      const ip = bytes[p + 8];
      p += 9;
      if (ip & 0x80) p += 3 * (1 << ((ip & 7) + 1));
      p++; // LZW minimum code size
      skipSubBlocks();
    } else {
      throw new Error(`unknown GIF block 0x${b?.toString(16)} at ${p - 1}`);
    }
  }
  if (p !== bytes.length) throw new Error(`${bytes.length - p} bytes after the trailer`);
  return { signature, width, height, images, delays, loops };
}

/** GIF LZW (variable-length codes, LSB first, clear and end codes) to colour indices. */
function lzwDecode(data: Uint8Array, minCodeSize: number, pixels: number): Uint8Array {
  const out = new Uint8Array(pixels);
  const clear = 1 << minCodeSize, eoi = clear + 1;
  const prefix = new Int32Array(4096), suffix = new Uint8Array(4096), stack = new Uint8Array(4097);
  for (let i = 0; i < clear; i++) { prefix[i] = -1; suffix[i] = i; }
  let size = minCodeSize + 1, next = eoi + 1, prev = -1, acc = 0, bits = 0, p = 0, o = 0;
  for (;;) {
    while (bits < size) {
      if (p >= data.length) return out;
      acc |= data[p++] << bits;
      bits += 8;
    }
    const code = acc & ((1 << size) - 1);
    acc >>>= size;
    bits -= size;
    if (code === clear) { size = minCodeSize + 1; next = eoi + 1; prev = -1; continue; }
    if (code === eoi) return out;
    if (prev === -1) { out[o++] = suffix[code]; prev = code; continue; }
    let len = 0;
    for (let q = code < next ? code : prev; q !== -1; q = prefix[q]) stack[len++] = suffix[q];
    const first = stack[len - 1];
    for (let i = len - 1; i >= 0; i--) out[o++] = stack[i];
    if (code >= next) out[o++] = first;
    if (next < 4096) {
      prefix[next] = prev;
      suffix[next] = first;
      next++;
      if (next === 1 << size && size < 12) size++;
    }
    prev = code;
  }
}

/**
 * Every frame of a GIF as the viewer shows it: RGB bytes after compositing each image over the
 * previous picture (transparent pixels keep what was there; disposal 0/1 keep the picture).
 */
export function gifFramesRGB(bytes: Uint8Array): { width: number; height: number; frames: Uint8Array[] } {
  const u16 = (p: number) => bytes[p] | (bytes[p + 1] << 8);
  const width = u16(6), height = u16(8), packed = bytes[10];
  let p = 13;
  let global: Uint8Array | null = null;
  if (packed & 0x80) { const n = 1 << ((packed & 7) + 1); global = bytes.subarray(p, p + 3 * n); p += 3 * n; }
  const canvas = new Uint8Array(width * height * 3);
  const frames: Uint8Array[] = [];
  let transparent = -1;
  const subBlocks = (): Uint8Array => {
    const parts: number[] = [];
    for (let len = bytes[p++]; len !== 0; len = bytes[p++]) { for (let k = 0; k < len; k++) parts.push(bytes[p + k]); p += len; }
    return Uint8Array.from(parts);
  };
  for (;;) {
    const b = bytes[p++];
    if (b === 0x3b) break;
    if (b === 0x21) {
      const label = bytes[p++];
      if (label === 0xf9) transparent = bytes[p + 1] & 1 ? bytes[p + 4] : -1;
      subBlocks();
      continue;
    }
    if (b !== 0x2c) throw new Error(`unknown GIF block 0x${b?.toString(16)}`);
    const left = u16(p), top = u16(p + 2), w = u16(p + 4), h = u16(p + 6), ip = bytes[p + 8];
    p += 9;
    let table = global;
    if (ip & 0x80) { const n = 1 << ((ip & 7) + 1); table = bytes.subarray(p, p + 3 * n); p += 3 * n; }
    if (ip & 0x40) throw new Error("interlaced frames are not expected");
    const minCode = bytes[p++];
    const index = lzwDecode(subBlocks(), minCode, w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
      const c = index[y * w + x];
      if (c === transparent) continue;
      const q = 3 * ((top + y) * width + left + x);
      canvas[q] = table![3 * c]; canvas[q + 1] = table![3 * c + 1]; canvas[q + 2] = table![3 * c + 2];
    }
    frames.push(canvas.slice());
    transparent = -1;
  }
  return { width, height, frames };
}
