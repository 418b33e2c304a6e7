// SVG → PNG with resvg (a Rust SVG renderer shipped as a native Node addon, an optional peer
// dependency loaded on first use).
import { ConfigError } from "../errors.js";
import { loadPeer } from "./peers.js";

/** How `svgToPNG` rasterises: output width in pixels (default: the SVG's own width), background colour. */
export interface PngOptions {
  width?: number;
  background?: string;
}

/**
 * Rasterise a standalone SVG string to PNG bytes with @resvg/resvg-js, using the system's
 * fonts for text. Throws a ConfigError for a bad width; the addon is imported on first call,
 * so code that never asks for PNG never loads it.
 */
export async function svgToPNG(svg: string, options: PngOptions = {}): Promise<Uint8Array> {
  if (typeof svg !== "string" || !svg.includes("<svg")) throw new ConfigError("svg", typeof svg === "string" ? svg.slice(0, 40) : svg, "an SVG document string");
  const { width, background = "white" } = options;
  if (width !== undefined && (!Number.isInteger(width) || width < 1 || width > 16384)) {
    throw new ConfigError("options.width", width, "an integer in [1, 16384] (pixels)");
  }
  if (typeof background !== "string") throw new ConfigError("options.background", background, "a CSS colour string");
  const { Resvg } = await loadPeer("@resvg/resvg-js", "PNG images");
  const r = new Resvg(svg, {
    background,
    fitTo: width === undefined ? { mode: "original" } : { mode: "width", value: width },
    font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" },
  });
  return new Uint8Array(r.render().asPng());
}
