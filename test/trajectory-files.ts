// Independent readers of the trajectory layouts for the tests: written from the NPY format
// description and the README's raw layout, sharing no code with src/trajectory.

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

/** The raw ".f64" layout as the README spells it out. */
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
