// Trajectory → animated GIF: each static frame (trajectoryFrames) rasterised by resvg, reduced to
// one global 256-colour palette with gifenc, and LZW-encoded by gifenc. Node only (resvg is a
// native addon, loaded on first call like svgToPNG).
import { ConfigError } from "../errors.js";
import type { Trajectory } from "../trajectory/trajectory.js";
import { trajectoryFrames, type TrajectoryAnimationOptions } from "./animate.js";
import { loadPeer } from "./peers.js";

/** Highest GIF frame rate: delays are whole centiseconds, and browsers slow delays under 2 cs to 10 cs. */
export const GIF_FPS_MAX = 50;

/**
 * The trajectory as an animated GIF (looping forever), `size` pixels wide like trajectorySVG, at
 * `fps` frames per second (each delay rounded to whole centiseconds, so fps <= 50). One palette is
 * quantised from the first, middle and last frames and applied to all; each frame after the first
 * stores only the pixels that changed. Returns the file's bytes.
 */
export async function trajectoryGIF(traj: Trajectory, options: TrajectoryAnimationOptions = {}): Promise<Uint8Array> {
  const frames = trajectoryFrames(traj, options);
  const fps = options.fps ?? 10;
  if (fps > GIF_FPS_MAX) throw new ConfigError("options.fps", fps, `a number > 0 and <= ${GIF_FPS_MAX} for a GIF (delays are whole centiseconds)`);
  const delayCs = Math.max(2, Math.round(100 / fps));
  const [{ Resvg }, gifenc] = await Promise.all([loadPeer("@resvg/resvg-js", "GIF animations"), import("gifenc")]);
  // Node's ESM loader sees gifenc's CommonJS build with its functions on the default export;
  // bundlers that take its ESM build give them as named exports
  const lib = typeof gifenc.quantize === "function" ? gifenc : (gifenc as unknown as { default: typeof gifenc }).default;
  const { GIFEncoder, quantize, applyPalette } = lib;
  const raster = (k: number): Uint8Array => {
    const img = new Resvg(frames.svg(k), { background: "white", fitTo: { mode: "original" }, font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" } }).render();
    if (img.width !== frames.width || img.height !== frames.height) throw new Error(`resvg drew ${img.width}×${img.height}, expected ${frames.width}×${frames.height}`);
    return new Uint8Array(img.pixels.buffer, img.pixels.byteOffset, img.pixels.length);
  };
  const F = frames.count;
  const samples = [...new Set([0, Math.floor((F - 1) / 2), F - 1])].map(raster);
  const all = new Uint8Array(samples.reduce((a, s) => a + s.length, 0));
  let at = 0;
  for (const s of samples) { all.set(s, at); at += s.length; }
  // 255 colours from the samples; index 255 is left for "unchanged since the previous frame"
  const colours = quantize(all, 255);
  const keep = colours.length;
  const palette = [...colours, [255, 0, 255]];
  const gif = GIFEncoder();
  let prev: Uint8Array | null = null;
  const delta = new Uint8Array(frames.width * frames.height);
  for (let k = 0; k < F; k++) {
    const index = applyPalette(raster(k), colours);
    if (prev === null) {
      gif.writeFrame(index, frames.width, frames.height, { palette, delay: delayCs * 10, repeat: 0 });
    } else {
      // frame differencing: pixels equal to the previous frame's are transparent, and the previous
      // frame stays under this one (disposal 1), so the static backdrop is encoded once
      for (let p = 0; p < delta.length; p++) delta[p] = index[p] === prev[p] ? keep : index[p];
      gif.writeFrame(delta, frames.width, frames.height, { delay: delayCs * 10, transparent: true, transparentIndex: keep, dispose: 1 });
    }
    prev = index;
  }
  gif.finish();
  return gif.bytes();
}
