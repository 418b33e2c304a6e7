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
  /** Draw the line dashed (a reference curve such as a predicted rate); the legend shows the dash. */
  dashed?: boolean;
}

/** A horizontal (`y`) or vertical (`x`) reference line, in every panel or in the one named. */
export interface ReferenceRule {
  y?: number;
  x?: number;
  label?: string;
  panel?: string;
}

/** The y axis of one panel, where it differs from the chart's (needs `yResolve: "independent"`). */
export interface PanelAxis {
  /** the panel's name, as in `LineSeries.panel` */
  panel: string;
  yScale?: AxisScale;
  yLabel?: string;
}

/**
 * What `lineChartSVG` draws. `width` and `height` are those of one panel, in pixels. Text may
 * hold `_{...}` and `^{...}`, drawn as subscript and superscript.
 */
export interface LineChartSpec {
  title?: string;
  /** a second, smaller title line */
  subtitle?: string;
  xLabel: string;
  yLabel: string;
  xScale?: AxisScale;
  yScale?: AxisScale;
  /** the x axis's tick values (default: chosen by Vega), e.g. the system sizes of a sweep */
  xTicks?: number[];
  series: LineSeries[];
  /** Panels per row when the series are faceted by `panel` (default 3). */
  columns?: number;
  width?: number;
  height?: number;
  rules?: ReferenceRule[];
  /**
   * "shared" (default): one y range for every panel. "independent": each panel its own y range
   * and axis, and the scale type and title of `panelAxes`.
   */
  yResolve?: "shared" | "independent";
  /** Per-panel y scale and title (with `yResolve: "independent"`). */
  panelAxes?: PanelAxis[];
}

const SCALES = ["linear", "log", "symlog"] as const;
const RESOLVES = ["shared", "independent"] as const;
/** Dash pattern of dashed series and reference rules (pixels on, off). */
export const DASH = [6, 4];

type Row =
  | { k: "l"; p: string; s: string; i: number; x: number; y: number }
  | { k: "b"; p: string; s: string; i: number; x: number; lo: number; hi: number }
  | { k: "ry"; p: string; ry: number; label: string }
  | { k: "rx"; p: string; rx: number; label: string };

/**
 * Render line series to a standalone SVG string (Vega-Lite → Vega → SVG, headless).
 *
 * Series with a `panel` are drawn as small multiples, `columns` wide, with one colour per series
 * name; the panels share their y range, or with `yResolve: "independent"` each has its own (and
 * may have its own scale type and title, `panelAxes`). `lo`/`hi` shade a band under the line;
 * `dashed` series and `rules` (reference lines, e.g. a predicted limit) are dashed. Log axes
 * span the data (no rounding out to whole decades) and label powers of ten beyond 10^±3 as
 * 10⁻⁸. On a log axis, points (and band points) with a coordinate <= 0 cannot be placed: they
 * are left out and the subtitle states how many. Throws a ConfigError naming the series and
 * index of any non-finite value, and for empty or mismatched arrays.
 */
export async function lineChartSVG(spec: LineChartSpec): Promise<string> {
  return vegaLiteToSVG(lineChartSpec(spec));
}

/** The Vega-Lite spec `lineChartSVG` renders (validated input), for callers who want to change or export it. */
export function lineChartSpec(spec: LineChartSpec): TopLevelSpec {
  if (typeof spec !== "object" || spec === null) throw new ConfigError("spec", spec, "an object");
  const title = optionalText("title", spec.title);
  const subtitle = optionalText("subtitle", spec.subtitle);
  const xLabel = requireText("xLabel", spec.xLabel);
  const yLabel = requireText("yLabel", spec.yLabel);
  const xScale = oneOf("xScale", spec.xScale, SCALES, "linear");
  const yScale = oneOf("yScale", spec.yScale, SCALES, "linear");
  const yResolve = oneOf("yResolve", spec.yResolve, RESOLVES, "shared");
  const columns = count("columns", spec.columns, 3);
  const width = positive("width", spec.width, 360);
  const height = positive("height", spec.height, 220);
  if (!Array.isArray(spec.series) || spec.series.length === 0) throw new ConfigError("series", spec.series, "a non-empty array of series");

  const faceted = spec.series.some((s) => s?.panel !== undefined);
  const panels: string[] = [];
  spec.series.forEach((s, j) => {
    const panel = faceted ? requireText(`series[${j}].panel`, s?.panel) : "";
    if (!panels.includes(panel)) panels.push(panel);
  });
  const axes = panelAxes(spec.panelAxes, panels, faceted, yResolve, yScale, yLabel);
  const { rows, names, dashed, notes } = tabulate(spec, panels, faceted, xScale, axes);

  const color = {
    field: "s", type: "nominal", title: null, sort: names,
    scale: { domain: names, scheme: "tableau10" },
    legend: { symbolType: "stroke", symbolStrokeWidth: 2, symbolOpacity: 1 },
  };
  // a dashed series: its dash in the line and in its legend symbol (one legend: same field and title)
  const strokeDash = dashed.size === 0 ? undefined : {
    field: "s", type: "nominal", title: null, sort: names,
    scale: { domain: names, range: names.map((n) => (dashed.has(n) ? DASH : [1, 0])) },
    legend: color.legend,
  };
  const has = (k: Row["k"], panel?: string) => rows.some((r) => r.k === k && (panel === undefined || r.p === panel));
  const layers = (yEnc: Encoding, xEnc: Encoding, panel?: string) => chartLayers({ xEnc, yEnc, color, strokeDash, width, has: (k) => has(k, panel) });

  const allNotes = [...(subtitle !== undefined ? [subtitle] : []), ...notes];
  const head = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    ...(title !== undefined ? { title: { text: title, ...(allNotes.length ? { subtitle: allNotes } : {}) } } : {}),
    ...(title === undefined && allNotes.length ? { title: { text: allNotes, fontSize: 11, fontWeight: "normal", color: "#666" } } : {}),
    data: { values: rows },
    config: CHART_CONFIG,
  };
  const xTicks = spec.xTicks === undefined ? undefined : Array.from(finiteArray("xTicks", spec.xTicks, undefined, "the x axis"));
  const xEnc = encoding(xLabel, xScale, undefined, xTicks);
  if (!faceted) return { ...head, width, height, layer: layers(encoding(yLabel, yScale), xEnc) } as unknown as TopLevelSpec;
  if (yResolve === "shared") {
    return {
      ...head,
      columns,
      facet: { field: "p", type: "nominal", title: null, sort: panels, header: { labelFontSize: 12 } },
      spec: { width, height, layer: layers(encoding(yLabel, yScale), xEnc) },
    } as unknown as TopLevelSpec;
  }
  // independent y: one view per panel; the y title once per row where neighbours share it,
  // the x title under the bottom row only
  const lastRow = Math.floor((panels.length - 1) / columns);
  return {
    ...head,
    columns,
    concat: panels.map((p, q) => {
      const a = axes.get(p)!, left = q % columns === 0 ? undefined : axes.get(panels[q - 1]);
      const sameAsLeft = left !== undefined && left.yLabel === a.yLabel;
      const y = encoding(a.yLabel, a.yScale, sameAsLeft ? null : undefined);
      const x = encoding(xLabel, xScale, Math.floor(q / columns) === lastRow ? undefined : null, xTicks);
      return { title: { text: p, fontSize: 12, fontWeight: "normal", anchor: "middle" }, width, height, transform: [{ filter: `datum.p === ${JSON.stringify(p)}` }], layer: layers(y, x, p) };
    }),
    resolve: { scale: { x: "shared", y: "independent", color: "shared", ...(strokeDash ? { strokeDash: "shared" } : {}) } },
  } as unknown as TopLevelSpec;
}

/** Each panel's y scale type and title: the chart's, overridden by `panelAxes`. */
function panelAxes(list: PanelAxis[] | undefined, panels: string[], faceted: boolean, yResolve: string, yScale: AxisScale, yLabel: string): Map<string, { yScale: AxisScale; yLabel: string }> {
  const axes = new Map(panels.map((p) => [p, { yScale, yLabel }]));
  if (list === undefined) return axes;
  if (!Array.isArray(list)) throw new ConfigError("panelAxes", list, "an array of { panel, yScale?, yLabel? }");
  if (list.length > 0 && (!faceted || yResolve !== "independent")) {
    throw new ConfigError("panelAxes", `${list.length} entries`, faceted ? 'yResolve: "independent" (panels sharing a y range share its scale)' : "series with panels");
  }
  list.forEach((a, j) => {
    const path = `panelAxes[${j}]`;
    if (typeof a !== "object" || a === null) throw new ConfigError(path, a, "an object { panel, yScale?, yLabel? }");
    if (!axes.has(a.panel)) throw new ConfigError(`${path}.panel`, a.panel, `one of the panels ${JSON.stringify(panels)}`);
    axes.set(a.panel, { yScale: oneOf(`${path}.yScale`, a.yScale, SCALES, yScale), yLabel: a.yLabel === undefined ? yLabel : requireText(`${path}.yLabel`, a.yLabel) });
  });
  return axes;
}

/** The chart's data rows from the validated series and rules, and what was left out. */
function tabulate(spec: LineChartSpec, panels: string[], faceted: boolean, xScale: AxisScale, axes: Map<string, { yScale: AxisScale }>): { rows: Row[]; names: string[]; dashed: Set<string>; notes: string[] } {
  const names: string[] = [];
  const dashed = new Set<string>();
  const seen = new Set<string>();
  const rows: Row[] = [];
  let droppedLine = 0;
  let droppedBand = 0;
  const xOk = (v: number) => xScale !== "log" || v > 0;
  const logY = (panel: string) => axes.get(panel)!.yScale === "log";

  spec.series.forEach((s, j) => {
    const path = `series[${j}]`;
    if (typeof s !== "object" || s === null) throw new ConfigError(path, s, "a series object { name, x, y }");
    const name = requireText(`${path}.name`, s.name);
    const what = `series ${JSON.stringify(name)}`;
    const panel = faceted ? (s.panel as string) : "";
    const key = JSON.stringify([panel, name]);
    if (seen.has(key)) throw new ConfigError(`${path}.name`, name, `a name not already used${faceted ? ` in panel ${JSON.stringify(panel)}` : ""}`);
    seen.add(key);
    if (!names.includes(name)) names.push(name);
    if (s.dashed !== undefined && typeof s.dashed !== "boolean") throw new ConfigError(`${path}.dashed`, s.dashed, "true or false");
    if (s.dashed) dashed.add(name);
    const x = finiteArray(`${path}.x`, s.x, undefined, what);
    const y = finiteArray(`${path}.y`, s.y, x.length, what);
    if ((s.lo === undefined) !== (s.hi === undefined)) {
      const missing = s.lo === undefined ? "lo" : "hi";
      throw new ConfigError(`${path}.${missing}`, undefined, `an array of ${x.length} finite numbers, given with ${missing === "lo" ? "hi" : "lo"} (${what})`);
    }
    const lo = s.lo === undefined ? undefined : finiteArray(`${path}.lo`, s.lo, x.length, what);
    const hi = s.hi === undefined ? undefined : finiteArray(`${path}.hi`, s.hi, x.length, what);
    const yOk = (v: number) => !logY(panel) || v > 0;
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
  for (const name of dashed) {
    if (spec.series.some((s) => s.name === name && !s.dashed)) throw new ConfigError("series.dashed", name, "the same for every series of that name (one legend entry each)");
  }

  (spec.rules ?? []).forEach((r, j) => {
    const path = `rules[${j}]`;
    if (typeof r !== "object" || r === null || (r.x === undefined) === (r.y === undefined)) {
      throw new ConfigError(path, r, "an object with exactly one of x or y");
    }
    const label = optionalText(`${path}.label`, r.label) ?? "";
    const axis = r.y !== undefined ? "y" : "x";
    const v = r[axis];
    let targets = panels;
    if (r.panel !== undefined) {
      if (!faceted || !panels.includes(r.panel)) throw new ConfigError(`${path}.panel`, r.panel, faceted ? `one of the panels ${JSON.stringify(panels)}` : "no panel (the series are not faceted)");
      targets = [r.panel];
    }
    const ok = axis === "y" ? targets.every((p) => !logY(p)) : xScale !== "log";
    if (typeof v !== "number" || !Number.isFinite(v) || (!ok && v <= 0)) {
      throw new ConfigError(`${path}.${axis}`, v, ok ? "a finite number" : "a finite number > 0 (log axis)");
    }
    for (const p of targets) rows.push(axis === "y" ? { k: "ry", p, ry: v, label } : { k: "rx", p, rx: v, label });
  });

  const notes: string[] = [];
  if (droppedLine > 0) notes.push(`${droppedLine} point${droppedLine > 1 ? "s" : ""} with a coordinate <= 0 left out (log axis)`);
  if (droppedBand > 0) notes.push(`band left out at ${droppedBand} point${droppedBand > 1 ? "s" : ""} (edge <= 0 on log axis)`);
  return { rows, names, dashed, notes };
}

type Encoding = ReturnType<typeof encoding>;

/**
 * Vega expression turning a power of ten with |exponent| >= 3 into 10 with a superscript
 * exponent (1e-8 → 10⁻⁸); other tick labels, and labels Vega left out, stay as they are.
 */
const POWER_LABEL = (() => {
  const e = "round(log(datum.value) / LN10)";
  let sup = `'' + ${e}`;
  for (const [from, to] of [["-", "⁻"], ["0", "⁰"], ["1", "¹"], ["2", "²"], ["3", "³"], ["4", "⁴"], ["5", "⁵"], ["6", "⁶"], ["7", "⁷"], ["8", "⁸"], ["9", "⁹"]]) {
    sup = `replace(${sup}, regexp('${from}', 'g'), '${to}')`;
  }
  return `datum.label !== '' && abs(log(datum.value) / LN10 - ${e}) < 1e-9 && abs(${e}) >= 3 ? '10' + ${sup} : datum.label`;
})();

/** A quantitative position encoding; `hideTitle: null` leaves the axis title out, `ticks` sets the tick values. */
function encoding(title: string, type: AxisScale, hideTitle?: null, ticks?: number[]) {
  const axis = { ...(type === "log" ? { labelExpr: POWER_LABEL } : {}), ...(ticks ? { values: ticks } : {}) };
  return {
    type: "quantitative",
    title: hideTitle === null ? null : title,
    scale: type === "log" ? { type, nice: false } : { type, zero: false },
    ...(Object.keys(axis).length ? { axis } : {}),
  } as const;
}

/** The layers of one panel: bands, lines, and the dashed reference rules with their labels. */
function chartLayers(o: { xEnc: Encoding; yEnc: Encoding; color: object; strokeDash?: object; width: number; has: (k: Row["k"]) => boolean }): unknown[] {
  const { xEnc, yEnc, color, strokeDash, width, has } = o;
  const only = (k: Row["k"]) => [{ filter: `datum.k === '${k}'` }];
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
    encoding: { x: { field: "x", ...xEnc }, y: { field: "y", ...yEnc }, color, ...(strokeDash ? { strokeDash } : {}), order: { field: "i", type: "quantitative" } },
  });
  if (has("ry")) {
    layer.push({ transform: only("ry"), mark: { type: "rule", strokeDash: DASH, color: "#444" }, encoding: { y: { field: "ry", ...yEnc } } });
    layer.push({
      transform: only("ry"),
      mark: { type: "text", align: "right", baseline: "bottom", dy: -3, color: "#444", fontSize: 11 },
      encoding: { y: { field: "ry", ...yEnc }, x: { value: width - 4 }, text: { field: "label" } },
    });
  }
  if (has("rx")) {
    layer.push({ transform: only("rx"), mark: { type: "rule", strokeDash: DASH, color: "#444" }, encoding: { x: { field: "rx", ...xEnc } } });
    layer.push({
      transform: only("rx"),
      mark: { type: "text", align: "left", baseline: "top", dx: 3, dy: 3, color: "#444", fontSize: 11 },
      encoding: { x: { field: "rx", ...xEnc }, y: { value: 0 }, text: { field: "label" } },
    });
  }
  return layer;
}
