// Heatmap of a scalar on a (possibly non-uniform) x-y grid, e.g. a phase diagram, with optional
// overlaid curves (predicted boundaries), as a Vega-Lite spec rendered to SVG in Node.
import type { TopLevelSpec } from "vega-lite";
import { ConfigError } from "../errors.js";
import { finiteArray, optionalText, positive, requireText } from "./input.js";
import { CHART_CONFIG, vegaLiteToSVG } from "./vega.js";

/** A curve drawn over the heatmap, in the heatmap's x-y coordinates. */
export interface HeatmapOverlay {
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
}

/** What `heatmapSVG` draws: `values[r][c]` is the value at (x[c], y[r]). */
export interface HeatmapSpec {
  title?: string;
  xLabel: string;
  yLabel: string;
  /** Column centres, strictly increasing. */
  x: ArrayLike<number>;
  /** Row centres, strictly increasing. */
  y: ArrayLike<number>;
  /** y.length rows of x.length finite values. */
  values: ArrayLike<ArrayLike<number>>;
  colorLabel: string;
  overlay?: HeatmapOverlay[];
  width?: number;
  height?: number;
}

/**
 * Cell edges for centres c (strictly increasing): midpoints between neighbours, and half a
 * neighbour gap beyond each end (±0.5 for a single centre).
 */
export function cellEdges(c: ArrayLike<number>): number[] {
  const n = c.length;
  if (n === 1) return [c[0] - 0.5, c[0] + 0.5];
  const e = new Array<number>(n + 1);
  for (let i = 1; i < n; i++) e[i] = 0.5 * (c[i - 1] + c[i]);
  e[0] = c[0] - 0.5 * (c[1] - c[0]);
  e[n] = c[n - 1] + 0.5 * (c[n - 1] - c[n - 2]);
  return e;
}

function increasing(path: string, v: unknown): ArrayLike<number> {
  const a = finiteArray(path, v);
  for (let i = 1; i < a.length; i++) {
    if (!(a[i] > a[i - 1])) throw new ConfigError(`${path}[${i}]`, a[i], `> ${path}[${i - 1}] = ${a[i - 1]} (strictly increasing)`);
  }
  return a;
}

/**
 * Render a heatmap to a standalone SVG string: one rectangle per grid cell coloured by its
 * value (viridis, legend titled `colorLabel`), overlay curves drawn on top with their own
 * colour legend. Throws a ConfigError naming `values[r][c]` for a non-finite value and for a
 * grid that is not strictly increasing or whose shape does not match.
 */
export async function heatmapSVG(spec: HeatmapSpec): Promise<string> {
  return vegaLiteToSVG(heatmapSpec(spec));
}

/** The Vega-Lite spec `heatmapSVG` renders (validated input). */
export function heatmapSpec(spec: HeatmapSpec): TopLevelSpec {
  if (typeof spec !== "object" || spec === null) throw new ConfigError("spec", spec, "an object");
  const title = optionalText("title", spec.title);
  const xLabel = requireText("xLabel", spec.xLabel);
  const yLabel = requireText("yLabel", spec.yLabel);
  const colorLabel = requireText("colorLabel", spec.colorLabel);
  const width = positive("width", spec.width, 360);
  const height = positive("height", spec.height, 300);
  const x = increasing("x", spec.x);
  const y = increasing("y", spec.y);
  const v = spec.values;
  if (!Array.isArray(v) || v.length !== y.length) {
    throw new ConfigError("values", Array.isArray(v) ? `an array of length ${v.length}` : v, `an array of y.length = ${y.length} rows`);
  }
  const xe = cellEdges(x);
  const ye = cellEdges(y);
  const cells: Record<string, number | string>[] = [];
  for (let r = 0; r < y.length; r++) {
    const row = finiteArray(`values[${r}]`, v[r], x.length);
    for (let c = 0; c < x.length; c++) cells.push({ k: "c", x0: xe[c], x1: xe[c + 1], y0: ye[r], y1: ye[r + 1], v: row[c] });
  }
  const names: string[] = [];
  (spec.overlay ?? []).forEach((o, j) => {
    const path = `overlay[${j}]`;
    if (typeof o !== "object" || o === null) throw new ConfigError(path, o, "an object { name, x, y }");
    const name = requireText(`${path}.name`, o.name);
    if (names.includes(name)) throw new ConfigError(`${path}.name`, name, "a name not already used");
    names.push(name);
    const ox = finiteArray(`${path}.x`, o.x, undefined, `overlay ${JSON.stringify(name)}`);
    const oy = finiteArray(`${path}.y`, o.y, ox.length, `overlay ${JSON.stringify(name)}`);
    for (let i = 0; i < ox.length; i++) cells.push({ k: "o", s: name, i, ox: ox[i], oy: oy[i] });
  });

  const xs = { type: "quantitative", title: xLabel, scale: { domain: [xe[0], xe[x.length]], nice: false, zero: false } } as const;
  const ys = { type: "quantitative", title: yLabel, scale: { domain: [ye[0], ye[y.length]], nice: false, zero: false } } as const;
  const layer: unknown[] = [{
    transform: [{ filter: "datum.k === 'c'" }],
    mark: { type: "rect" },
    encoding: {
      x: { field: "x0", ...xs }, x2: { field: "x1" }, y: { field: "y0", ...ys }, y2: { field: "y1" },
      fill: { field: "v", type: "quantitative", title: colorLabel, scale: { scheme: "viridis" } },
    },
  }];
  if (names.length > 0) {
    layer.push({
      transform: [{ filter: "datum.k === 'o'" }],
      mark: { type: "line", strokeWidth: 2, clip: true },
      encoding: {
        x: { field: "ox", ...xs }, y: { field: "oy", ...ys }, order: { field: "i", type: "quantitative" },
        stroke: { field: "s", type: "nominal", title: null, sort: names, scale: { domain: names, range: ["#ff3b3b", "#111111", "#ff9f1c", "#f0f0f0"] } },
        strokeDash: { field: "s", type: "nominal", title: null, sort: names, scale: { domain: names } },
      },
    });
  }
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    ...(title !== undefined ? { title } : {}),
    width, height,
    data: { values: cells },
    layer,
    config: CHART_CONFIG,
  } as unknown as TopLevelSpec;
}
