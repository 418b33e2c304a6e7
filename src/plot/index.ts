// meanfield-transformer/plot: figures as standalone SVG strings (and PNG bytes), for Node.
// Kept out of the main entry so the library's browser path never loads vega.
export { lineChartSVG, lineChartSpec } from "./lines.js";
export type { LineSeries, LineChartSpec, ReferenceRule, AxisScale, PanelAxis } from "./lines.js";
export { heatmapSVG, heatmapSpec, cellEdges } from "./heatmap.js";
export type { HeatmapSpec, HeatmapOverlay } from "./heatmap.js";
export { sphereFigureSVG, projectPoint, viewFrame, escapeXml, DEFAULT_VIEW, UNIT_TOLERANCE } from "./sphere.js";
export type { SpherePanel, SphereFigureOptions, SphereView, Projected } from "./sphere.js";
export { svgToPNG } from "./png.js";
export type { PngOptions } from "./png.js";
export { vegaLiteToSVG } from "./vega.js";
// Trajectory animations
export { trajectorySVG, trajectoryFrames, trajectoryFrameSVG } from "./animate.js";
export type { TrajectoryAnimationOptions, TrajectoryFrames } from "./animate.js";
export { trajectoryGIF, GIF_FPS_MAX } from "./gif.js";
// vega, vega-lite and @resvg/resvg-js are optional peer dependencies, imported on first use
export { MissingPeerError } from "./peers.js";
export type { PlotPeer } from "./peers.js";
