// Vega-Lite → Vega → SVG, headless (no DOM, no canvas): the one place the chart modules meet vega.
// vega and vega-lite (optional peer dependencies, src/plot/peers.ts) are imported on first use
// (about 0.4 s), so a CLI command that draws nothing never loads them.
import type { TopLevelSpec } from "vega-lite";
import { renderScriptMarkup, textWidth } from "./text.js";
import { loadPeer } from "./peers.js";

/** Shared look of every chart: plain sans-serif text, light grid, white background. */
export const CHART_CONFIG = {
  font: "sans-serif",
  background: "white",
  view: { stroke: "#ccc" },
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: "#eee" },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  title: { fontSize: 14, subtitleFontSize: 11, subtitleColor: "#666", anchor: "start" },
} as const;

/** The text properties of a Vega scenegraph item that its width depends on. */
interface TextItem { fontSize?: number; fontWeight?: string | number; limit?: number }

/**
 * Vega lays text out with `textMetrics.width`; without a canvas its estimate is 0.8 em per
 * character, which pads every title and legend (a figure came out twice as wide as its plots).
 * This measures with DejaVu Sans widths instead (src/plot/text.ts).
 */
function measureText(item: TextItem, text: unknown): number {
  const line = text == null ? "" : String(text).trim();
  const size = item.fontSize ?? 11;
  const weight = item.fontWeight;
  const bold = weight === "bold" || weight === "bolder" || (typeof weight === "number" && weight >= 600);
  const w = textWidth(line, size, bold);
  return item.limit !== undefined && item.limit > 0 ? Math.min(w, item.limit) : w;
}

/**
 * Compile a Vega-Lite spec and render it to a standalone SVG string with Vega's headless renderer.
 * Text is laid out with DejaVu Sans metrics, and `_{...}` / `^{...}` in any text are drawn as
 * subscripts / superscripts.
 */
export async function vegaLiteToSVG(spec: TopLevelSpec): Promise<string> {
  const [vega, { compile }] = await Promise.all([loadPeer("vega", "charts"), loadPeer("vega-lite", "charts")]);
  // textMetrics is vega-scenegraph's, re-exported by vega (absent from its typings)
  (vega as unknown as { textMetrics: { width: typeof measureText } }).textMetrics.width = measureText;
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none" });
  try {
    return renderScriptMarkup(await view.toSVG());
  } finally {
    view.finalize();
  }
}
