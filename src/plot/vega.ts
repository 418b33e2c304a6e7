// Vega-Lite → Vega → SVG, headless (no DOM, no canvas): the one place the chart modules meet vega.
// vega and vega-lite are imported on first use (about 0.4 s), so a CLI command that draws
// nothing never loads them.
import type { TopLevelSpec } from "vega-lite";

/** Shared look of every chart: plain sans-serif text, light grid, white background. */
export const CHART_CONFIG = {
  font: "sans-serif",
  background: "white",
  view: { stroke: "#ccc" },
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: "#eee" },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  title: { fontSize: 14, subtitleFontSize: 11, subtitleColor: "#666", anchor: "start" },
} as const;

/** Compile a Vega-Lite spec and render it to a standalone SVG string with Vega's headless renderer. */
export async function vegaLiteToSVG(spec: TopLevelSpec): Promise<string> {
  const [{ parse, View }, { compile }] = await Promise.all([import("vega"), import("vega-lite")]);
  const view = new View(parse(compile(spec).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
