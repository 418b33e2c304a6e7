// Line charts (mean ± standard-error bands, small multiples, reference lines) as Vega-Lite
// specs rendered to SVG in Node.
import type { TopLevelSpec } from "vega-lite";
import { ConfigError } from "../errors.js";
import { count, finiteArray, oneOf, optionalText, positive, requireText } from "./input.js";
import { CHART_CONFIG, vegaLiteToSVG } from "./vega.js";

/** Axis scale of a chart. On a log axis, points with a coordinate <= 0 are left out and the chart's subtitle says how many. */
export type AxisScale = "linear" | "log" | "symlog";

/** One curve: y against x, with an optional band lo..hi (e.g. mean ± standard error) and the panel it belongs to. */
export interface LineSeries {
  /** Legend name; one colour per name, the same in every panel. */
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** Lower edge of the shaded band (same length as x); given together with `hi`. */
  lo?: ArrayLike<number>;
  /** Upper edge of the shaded band (same length as x); given together with `lo`. */
  hi?: ArrayLike<number>;
  /** Small-multiple panel title; either every series names a panel or none does. */
  panel?: string;
}

/** A horizontal (`y`) or vertical (`x`) reference line, in every panel or in the one named. */
export interface ReferenceRule {
  y?: number;
  x?: number;
  label?: string;
  panel?: string;
}

/** What `lineChartSVG` draws. `width` and `height` are those of one panel, in pixels. */
export interface LineChartSpec {
  title?: string;
  xLabel: string;
  yLabel: string;
  xScale?: AxisScale;
  yScale?: AxisScale;
  series: LineSeries[];
  /** Panels per row when the series are faceted by `panel` (default 3). */
  columns?: number;
  width?: number;
  height?: number;
  rules?: ReferenceRule[];
}

const SCALES = ["linear", "log", "symlog"] as const;

type Row =
  | { k: "l"; p: string; s: string; i: number; x: number; y: number }
  | { k: "b"; p: string; s: string; i: number; x: number; lo: number; hi: number }
  | { k: "ry"; p: string; ry: number; label: string }
  | { k: "rx"; p: string; rx: number; label: string };

/**
 * Render line series to a standalone SVG string (Vega-Lite → Vega → SVG, headless).
 *
 * Series with a `panel` are drawn as small multiples, `columns` wide, with shared scales and
 * one colour per series name. `lo`/`hi` shade a band under the line. `rules` draw dashed
 * reference lines (e.g. a predicted limit). On a log axis, points (and band points) with a
 * coordinate <= 0 cannot be placed: they are left out and the subtitle states how many.
 * Throws a ConfigError naming the series and index of any non-finite value, and for empty
 * or mismatched arrays.
 */
export async function lineChartSVG(spec: LineChartSpec): Promise<string> {
  return vegaLiteToSVG(lineChartSpec(spec));
}

/** The Vega-Lite spec `lineChartSVG` renders (validated input), for callers who want to change or export it. */
export function lineChartSpec(spec: LineChartSpec): TopLevelSpec {
  if (typeof spec !== "object" || spec === null) throw new ConfigError("spec", spec, "an object");
  const title = optionalText("title", spec.title);
  const xLabel = requireText("xLabel", spec.xLabel);
  const yLabel = requireText("yLabel", spec.yLabel);
  const xScale = oneOf("xScale", spec.xScale, SCALES, "linear");
  const yScale = oneOf("yScale", spec.yScale, SCALES, "linear");
  const columns = count("columns", spec.columns, 3);
  const width = positive("width", spec.width, 360);
  const height = positive("height", spec.height, 220);
  if (!Array.isArray(spec.series) || spec.series.length === 0) throw new ConfigError("series", spec.series, "a non-empty array of series");

  const faceted = spec.series.some((s) => s?.panel !== undefined);
  const panels: string[] = [];
  const names: string[] = [];
  const seen = new Set<string>();
  const rows: Row[] = [];
  let droppedLine = 0;
  let droppedBand = 0;
  const xOk = (v: number) => xScale !== "log" || v > 0;
  const yOk = (v: number) => yScale !== "log" || v > 0;

  spec.series.forEach((s, j) => {
    const path = `series[${j}]`;
    if (typeof s !== "object" || s === null) throw new ConfigError(path, s, "a series object { name, x, y }");
    const name = requireText(`${path}.name`, s.name);
    const what = `series ${JSON.stringify(name)}`;
    const panel = faceted ? requireText(`${path}.panel`, s.panel) : "";
    const key = JSON.stringify([panel, name]);
    if (seen.has(key)) throw new ConfigError(`${path}.name`, name, `a name not already used${faceted ? ` in panel ${JSON.stringify(panel)}` : ""}`);
    seen.add(key);
    if (!panels.includes(panel)) panels.push(panel);
    if (!names.includes(name)) names.push(name);
    const x = finiteArray(`${path}.x`, s.x, undefined, what);
    const y = finiteArray(`${path}.y`, s.y, x.length, what);
    if ((s.lo === undefined) !== (s.hi === undefined)) {
      const missing = s.lo === undefined ? "lo" : "hi";
      throw new ConfigError(`${path}.${missing}`, undefined, `an array of ${x.length} finite numbers, given with ${missing === "lo" ? "hi" : "lo"} (${what})`);
    }
    const lo = s.lo === undefined ? undefined : finiteArray(`${path}.lo`, s.lo, x.length, what);
    const hi = s.hi === undefined ? undefined : finiteArray(`${path}.hi`, s.hi, x.length, what);
    for (let i = 0; i < x.length; i++) {
      if (xOk(x[i]) && yOk(y[i])) rows.push({ k: "l", p: panel, s: name, i, x: x[i], y: y[i] });
      else droppedLine++;
      if (lo && hi) {
        if (lo[i] > hi[i]) throw new ConfigError(`${path}.lo[${i}]`, lo[i], `<= hi[${i}] = ${hi[i]} (${what})`);
        if (xOk(x[i]) && yOk(lo[i]) && yOk(hi[i])) rows.push({ k: "b", p: panel, s: name, i, x: x[i], lo: lo[i], hi: hi[i] });
        else droppedBand++;
      }
    }
  });

  (spec.rules ?? []).forEach((r, j) => {
    const path = `rules[${j}]`;
    if (typeof r !== "object" || r === null || (r.x === undefined) === (r.y === undefined)) {
      throw new ConfigError(path, r, "an object with exactly one of x or y");
    }
    const label = optionalText(`${path}.label`, r.label) ?? "";
    const axis = r.y !== undefined ? "y" : "x";
    const v = r[axis];
    const ok = (axis === "y" ? yScale : xScale) !== "log";
    if (typeof v !== "number" || !Number.isFinite(v) || (!ok && v <= 0)) {
      throw new ConfigError(`${path}.${axis}`, v, ok ? "a finite number" : "a finite number > 0 (log axis)");
    }
    let targets = panels;
    if (r.panel !== undefined) {
      if (!faceted || !panels.includes(r.panel)) throw new ConfigError(`${path}.panel`, r.panel, faceted ? `one of the panels ${JSON.stringify(panels)}` : "no panel (the series are not faceted)");
      targets = [r.panel];
    }
    for (const p of targets) rows.push(axis === "y" ? { k: "ry", p, ry: v, label } : { k: "rx", p, rx: v, label });
  });

  const notes: string[] = [];
  if (droppedLine > 0) notes.push(`${droppedLine} point${droppedLine > 1 ? "s" : ""} with a coordinate <= 0 left out (log axis)`);
  if (droppedBand > 0) notes.push(`band left out at ${droppedBand} point${droppedBand > 1 ? "s" : ""} (edge <= 0 on log axis)`);

  const scale = (type: AxisScale) => (type === "log" ? { type } : { type, zero: false });
  const xEnc = { type: "quantitative", title: xLabel, scale: scale(xScale) } as const;
  const yEnc = { type: "quantitative", title: yLabel, scale: scale(yScale) } as const;
  const color = {
    field: "s", type: "nominal", title: null, sort: names,
    scale: { domain: names, scheme: "tableau10" },
    legend: { symbolType: "stroke", symbolStrokeWidth: 2, symbolOpacity: 1 },
  } as const;
  const only = (k: Row["k"]) => [{ filter: `datum.k === '${k}'` }];
  const has = (k: Row["k"]) => rows.some((r) => r.k === k);

  const layer: unknown[] = [];
  if (has("b")) {
    layer.push({
      transform: only("b"),
      mark: { type: "area", opacity: 0.22 },
      encoding: { x: { field: "x", ...xEnc }, y: { field: "lo", ...yEnc }, y2: { field: "hi" }, color, detail: { field: "s" } },
    });
  }
  layer.push({
    transform: only("l"),
    mark: { type: "line", strokeWidth: 1.6 },
    encoding: { x: { field: "x", ...xEnc }, y: { field: "y", ...yEnc }, color, order: { field: "i", type: "quantitative" } },
  });
  if (has("ry")) {
    layer.push({ transform: only("ry"), mark: { type: "rule", strokeDash: [5, 4], color: "#444" }, encoding: { y: { field: "ry", ...yEnc } } });
    layer.push({
      transform: only("ry"),
      mark: { type: "text", align: "right", baseline: "bottom", dy: -3, color: "#444", fontSize: 11 },
      encoding: { y: { field: "ry", ...yEnc }, x: { value: width - 4 }, text: { field: "label" } },
    });
  }
  if (has("rx")) {
    layer.push({ transform: only("rx"), mark: { type: "rule", strokeDash: [5, 4], color: "#444" }, encoding: { x: { field: "rx", ...xEnc } } });
    layer.push({
      transform: only("rx"),
      mark: { type: "text", align: "left", baseline: "top", dx: 3, dy: 3, color: "#444", fontSize: 11 },
      encoding: { x: { field: "rx", ...xEnc }, y: { value: 0 }, text: { field: "label" } },
    });
  }

  const head = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    ...(title !== undefined ? { title: { text: title, ...(notes.length ? { subtitle: notes.join("; ") } : {}) } } : {}),
    ...(title === undefined && notes.length ? { title: { text: notes.join("; "), fontSize: 11, fontWeight: "normal", color: "#666" } } : {}),
    data: { values: rows },
    config: CHART_CONFIG,
  };
  if (!faceted) return { ...head, width, height, layer } as unknown as TopLevelSpec;
  return {
    ...head,
    columns,
    facet: { field: "p", type: "nominal", title: null, sort: panels, header: { labelFontSize: 12 } },
    spec: { width, height, layer },
  } as unknown as TopLevelSpec;
}
