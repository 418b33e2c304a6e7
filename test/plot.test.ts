// The plot modules: well-formed standalone SVG with the marks, titles and legends asked for,
// points placed where the projection puts them by hand, and bad input named.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../src/errors.js";
import { cellEdges, escapeXml, heatmapSVG, lineChartSpec, lineChartSVG, projectPoint, sphereFigureSVG, svgToPNG, viewFrame } from "../src/plot/index.js";
import { renderScriptMarkup, textWidth } from "../src/plot/text.js";
import type { LineChartSpec, SpherePanel } from "../src/plot/index.js";
import { importClosure } from "./package-files.js";
import { allText, findAll, hasClass, parseXml, type XmlElement } from "./xml.js";

const root = join(__dirname, "..");
const role = (r: string) => (e: XmlElement) => e.attrs["aria-roledescription"] === r;

/** Parse and check the root: a standalone SVG with xmlns and a viewBox. */
function svgRoot(svg: string): XmlElement {
  const doc = parseXml(svg);
  expect(doc.name).toBe("svg");
  expect(doc.attrs.xmlns).toBe("http://www.w3.org/2000/svg");
  expect(doc.attrs.viewBox).toMatch(/^0 0 \d+(\.\d+)? \d+(\.\d+)?$/);
  return doc;
}

/** Vertices of an SVG path made of M/L commands. */
function vertices(d: string): [number, number][] {
  return [...d.matchAll(/[ML]\s*(-?[\d.]+(?:e-?\d+)?)[ ,](-?[\d.]+(?:e-?\d+)?)/g)].map((m) => [Number(m[1]), Number(m[2])]);
}

/** Expect a ConfigError naming `parameter`, from a sync or async call. */
async function expectConfigError(f: () => unknown, parameter: string, text?: string): Promise<void> {
  let err: unknown;
  try {
    await f();
  } catch (e) {
    err = e;
  }
  expect(err, `expected a ConfigError for ${parameter}`).toBeInstanceOf(ConfigError);
  expect((err as ConfigError).parameter).toBe(parameter);
  if (text) expect((err as ConfigError).message).toContain(text);
}

const t = [0, 1, 2, 3, 4];

describe("lineChartSVG", () => {
  it("draws one line per series, one band per series with lo/hi, axis titles and legend names", async () => {
    const svg = await lineChartSVG({
      title: "G_x <mean> & SE",
      xLabel: "time t",
      yLabel: "G_x(t)",
      series: [
        { name: "baseline", x: t, y: [1, 0.5, 0.2, 0.1, 0], lo: [0.9, 0.4, 0.1, 0, -0.1], hi: [1.1, 0.6, 0.3, 0.2, 0.1] },
        { name: "RoPE", x: new Float64Array(t), y: new Float64Array([1, 0.8, 0.7, 0.67, 0.67]) },
        { name: "prompt", x: t, y: [1, 0.9, 0.8, 0.7, 0.6], lo: [1, 0.9, 0.8, 0.7, 0.6], hi: [1, 0.9, 0.8, 0.7, 0.6] },
      ],
    });
    const doc = svgRoot(svg);
    const lines = findAll(doc, role("line mark"));
    expect(lines).toHaveLength(3);
    expect(lines.map((l) => / s: (\w+)/.exec(l.attrs["aria-label"])![1]).sort()).toEqual(["RoPE", "baseline", "prompt"]);
    expect(vertices(lines[0].attrs.d)).toHaveLength(5);
    expect(findAll(doc, role("area mark"))).toHaveLength(2);
    const axisTitles = findAll(doc, hasClass("role-axis-title")).map(allText);
    expect(axisTitles.sort()).toEqual(["G_x(t)", "time t"]);
    expect(findAll(doc, hasClass("role-legend-label")).map(allText)).toEqual(["baseline", "RoPE", "prompt"]);
    expect(findAll(doc, hasClass("role-title-text")).map(allText)).toContain("G_x <mean> & SE");
  });

  it("facets by panel with shared colours and one legend; rules go to every panel or the one named", async () => {
    const spec: LineChartSpec = {
      xLabel: "t",
      yLabel: "G_x",
      columns: 2,
      series: ["n = 32", "n = 128", "n = 512"].flatMap((panel) => [
        { name: "baseline", panel, x: t, y: [1, 0.6, 0.3, 0.1, 0.05] },
        { name: "RoPE", panel, x: t, y: [1, 0.8, 0.7, 0.68, 0.67] },
      ]),
      rules: [{ y: 2 / 3, label: "2/3 predicted" }, { x: 2, label: "t = 2", panel: "n = 128" }],
    };
    const doc = svgRoot(await lineChartSVG(spec));
    expect(findAll(doc, role("line mark"))).toHaveLength(6);
    expect(findAll(doc, hasClass("role-legend"))).toHaveLength(1);
    expect(findAll(doc, hasClass("role-legend-label")).map(allText)).toEqual(["baseline", "RoPE"]);
    const texts = findAll(doc, (e) => e.name === "text").map(allText);
    for (const p of ["n = 32", "n = 128", "n = 512"]) expect(texts.filter((s) => s === p)).toHaveLength(1);
    expect(texts.filter((s) => s === "2/3 predicted")).toHaveLength(3);
    expect(texts.filter((s) => s === "t = 2")).toHaveLength(1);
    expect(findAll(doc, role("rule mark"))).toHaveLength(4);
    // the same series name has the same stroke colour in every panel
    const strokes = new Map<string, Set<string>>();
    for (const l of findAll(doc, role("line mark"))) {
      const name = / s: (\w+)/.exec(l.attrs["aria-label"])![1];
      strokes.set(name, (strokes.get(name) ?? new Set()).add(l.attrs.stroke));
    }
    expect([...strokes.values()].map((s) => s.size)).toEqual([1, 1]);
    expect(strokes.get("baseline")).not.toEqual(strokes.get("RoPE"));
  });

  it("places a horizontal rule at its value on the line's own scale", async () => {
    const doc = svgRoot(await lineChartSVG({ xLabel: "x", yLabel: "y", series: [{ name: "a", x: [0, 1], y: [0, 1] }], rules: [{ y: 0.25 }] }));
    const [p0, p1] = vertices(findAll(doc, role("line mark"))[0].attrs.d);
    const rule = findAll(doc, role("rule mark"))[0];
    const ty = Number(/translate\([^,]+,([^)]+)\)/.exec(rule.attrs.transform)![1]);
    expect(ty).toBeCloseTo(p0[1] + 0.25 * (p1[1] - p0[1]), 6);
  });

  it("leaves out points <= 0 on a log axis and says how many", async () => {
    const doc = svgRoot(await lineChartSVG({
      xLabel: "t", yLabel: "gap", yScale: "log",
      series: [{ name: "gap", x: [0, 1, 2, 3, 4], y: [1, 0.1, 0, -1e-17, 1e-3], lo: [0.5, 0.05, -1, -1, 1e-4], hi: [2, 0.2, 1, 1, 1e-2] }],
    }));
    expect(vertices(findAll(doc, role("line mark"))[0].attrs.d)).toHaveLength(3);
    const title = findAll(doc, hasClass("role-title-text")).map(allText).join(" ");
    expect(title).toContain("2 points with a coordinate <= 0 left out (log axis)");
    expect(title).toContain("band left out at 2 points");
  });

  it("drops x <= 0 on a log x axis, keeps zeros and negatives on a symlog axis", async () => {
    const series = [{ name: "E", x: [0, 0.1, 1, 10], y: [-1, 0, 1, 2] }];
    const logX = svgRoot(await lineChartSVG({ xLabel: "t", yLabel: "E", xScale: "log", series }));
    expect(vertices(findAll(logX, role("line mark"))[0].attrs.d)).toHaveLength(3);
    expect(findAll(logX, hasClass("role-title-text")).map(allText).join(" ")).toContain("1 point with a coordinate <= 0");
    const sym = svgRoot(await lineChartSVG({ xLabel: "t", yLabel: "E", yScale: "symlog", series }));
    expect(vertices(findAll(sym, role("line mark"))[0].attrs.d)).toHaveLength(4);
    expect(findAll(sym, hasClass("role-title-text"))).toHaveLength(0);
  });

  it("independent y: each panel its own scale type, range and title; a dashed series and its legend symbol", async () => {
    const spec: LineChartSpec = {
      xLabel: "t", yLabel: "G_{x}", columns: 2, yResolve: "independent",
      series: [
        { name: "run", panel: "collapse", x: t, y: [1, 1e-3, 1e-6, 1e-9, 1e-12] },
        { name: "run", panel: "plateau", x: t, y: [1, 0.8, 0.7, 0.68, 0.67] },
        { name: "rate", panel: "plateau", x: t, y: [1, 0.9, 0.8, 0.7, 0.6], dashed: true },
      ],
      panelAxes: [{ panel: "collapse", yScale: "log" }, { panel: "plateau", yScale: "linear", yLabel: "level" }],
      rules: [{ y: 2 / 3, panel: "plateau", label: "2/3" }],
    };
    const vl = lineChartSpec(spec) as unknown as { concat: { layer: { encoding: { y?: { scale: { type: string } } } }[] }[]; resolve: { scale: { y: string } } };
    expect(vl.resolve.scale.y).toBe("independent");
    expect(vl.concat.map((c) => c.layer.find((l) => l.encoding.y)!.encoding.y!.scale.type)).toEqual(["log", "linear"]);
    const doc = svgRoot(await lineChartSVG(spec));
    const axisTitles = findAll(doc, hasClass("role-axis-title")).map(allText);
    expect(axisTitles).toContain("Gx"); // G_{x}: a subscript tspan
    expect(axisTitles).toContain("level");
    const labels = findAll(doc, hasClass("role-axis-label")).flatMap((g) => findAll(g, (e) => e.name === "text")).map(allText);
    expect(labels).toContain("10⁻⁹"); // log panel: powers of ten beyond 10^±3 as 10 with a superscript
    expect(labels).toContain("0.01");
    expect(labels).toContain("0.80"); // linear panel
    const lines = findAll(doc, role("line mark"));
    const dashOf = (name: string) => lines.filter((l) => l.attrs["aria-label"].includes(`s: ${name}`)).map((l) => l.attrs["stroke-dasharray"]);
    expect(dashOf("rate")).toEqual(["6,4"]);
    expect(dashOf("run").every((d) => d === undefined || d === "1,0")).toBe(true);
    expect(findAll(doc, role("rule mark")).map((r) => r.attrs["stroke-dasharray"])).toEqual(["6,4"]);
    const legendDash = findAll(doc, hasClass("role-legend-symbol")).flatMap((g) => findAll(g, (e) => e.name === "path")).map((e) => e.attrs["stroke-dasharray"]);
    expect(legendDash).toContain("6,4");
    await expectConfigError(() => lineChartSVG({ ...spec, yResolve: "shared" }), "panelAxes");
    await expectConfigError(() => lineChartSVG({ ...spec, panelAxes: [{ panel: "nope" }] }), "panelAxes[0].panel");
    // a log panel cannot hold a rule at y <= 0
    await expectConfigError(() => lineChartSVG({ ...spec, rules: [{ y: 0, panel: "collapse" }] }), "rules[0].y");
  });

  it("is as wide as its content: a long title sets the width, not 0.8 em per character", async () => {
    const title = "A title of some length that is wider than the panel below it, by design";
    const svg = await lineChartSVG({ title, xLabel: "t", yLabel: "y", width: 200, height: 100, series: [{ name: "a", x: t, y: t }] });
    const width = Number(svgRoot(svg).attrs.width);
    const needed = textWidth(title, 14, true);
    expect(width).toBeGreaterThan(needed);
    expect(width).toBeLessThan(needed + 20); // Vega's own estimate gave 0.8 * 73 * 14 = 818 px
  });

  it("names the series and index of a non-finite value, and every other bad input", async () => {
    const ok = { name: "a", x: t, y: t };
    await expectConfigError(() => lineChartSVG({ xLabel: "t", yLabel: "y", series: [ok, { name: "RoPE", x: t, y: [1, 2, 3, NaN, 5] }] }), "series[1].y[3]", 'series "RoPE"');
    await expectConfigError(() => lineChartSVG({ xLabel: "t", yLabel: "y", series: [{ ...ok, x: [0, Infinity, 2, 3, 4] }] }), "series[0].x[1]");
    await expectConfigError(() => lineChartSVG({ xLabel: "t", yLabel: "y", series: [] }), "series");
    await expectConfigError(() => lineChartSVG({ xLabel: "t", yLabel: "y", series: [{ name: "a", x: [], y: [] }] }), "series[0].x");
    await expectConfigError(() => lineChartSVG({ xLabel: "t", yLabel: "y", series: [{ name: "a", x: t, y: [1, 2] }] }), "series[0].y");
    await expectConfigError(() => lineChartSVG({ xLabel: "t", yLabel: "y", series: [{ ...ok, lo: t }] }), "series[0].hi");
    await expectConfigError(() => lineChartSVG({ xLabel: "t", yLabel: "y", series: [{ ...ok, lo: [0, 0, 5, 0, 0], hi: t }] }), "series[0].lo[2]");
    await expectConfigError(() => lineChartSVG({ xLabel: "t", yLabel: "y", series: [ok, ok] }), "series[1].name");
    await expectConfigError(() => lineChartSVG({ xLabel: "t", yLabel: "y", series: [{ ...ok, panel: "p" }, { ...ok, name: "b" }] }), "series[1].panel");
    await expectConfigError(() => lineChartSVG({ xLabel: "", yLabel: "y", series: [ok] }), "xLabel");
    await expectConfigError(() => lineChartSVG({ xLabel: "t", yLabel: "y", yScale: "ln" as never, series: [ok] }), "yScale");
    await expectConfigError(() => lineChartSVG({ xLabel: "t", yLabel: "y", columns: 0, series: [ok] }), "columns");
    await expectConfigError(() => lineChartSVG({ xLabel: "t", yLabel: "y", yScale: "log", series: [ok], rules: [{ y: 0 }] }), "rules[0].y");
    await expectConfigError(() => lineChartSVG({ xLabel: "t", yLabel: "y", series: [ok], rules: [{ y: 1, panel: "nope" }] }), "rules[0].panel");
  });
});

describe("heatmapSVG", () => {
  it("draws one cell per grid value, the overlay curves and the colour legend", async () => {
    const svg = await heatmapSVG({
      title: "phase diagram", xLabel: "omega", yLabel: "beta", colorLabel: "G_x(T)",
      x: [1, 2, 4], y: [0.5, 1],
      values: [[0, 0.5, 1], [0.2, 0.4, 0.9]],
      overlay: [{ name: "predicted boundary", x: [1, 4], y: [0.5, 1] }],
    });
    const doc = svgRoot(svg);
    expect(findAll(doc, role("rect mark"))).toHaveLength(6);
    expect(findAll(doc, role("line mark"))).toHaveLength(1);
    const texts = findAll(doc, (e) => e.name === "text").map(allText);
    for (const s of ["phase diagram", "omega", "beta", "G_x(T)", "predicted boundary"]) expect(texts).toContain(s);
  });

  it("cell edges are midpoints, extended by half a gap at the ends", () => {
    expect(cellEdges([1, 2, 4])).toEqual([0.5, 1.5, 3, 5]);
    expect(cellEdges([3])).toEqual([2.5, 3.5]);
  });

  it("names bad values and grids", async () => {
    const base = { xLabel: "x", yLabel: "y", colorLabel: "v", x: [0, 1, 2], y: [0, 1], values: [[0, 0, 0], [0, 0, 0]] };
    await expectConfigError(() => heatmapSVG({ ...base, values: [[0, 0, 0], [0, 0, NaN]] }), "values[1][2]");
    await expectConfigError(() => heatmapSVG({ ...base, values: [[0, 0, 0]] }), "values");
    await expectConfigError(() => heatmapSVG({ ...base, values: [[0, 0, 0], [0, 0]] }), "values[1]");
    await expectConfigError(() => heatmapSVG({ ...base, x: [0, 2, 2] }), "x[2]");
    await expectConfigError(() => heatmapSVG({ ...base, overlay: [{ name: "b", x: [0, 1], y: [0] }] }), "overlay[0].y");
  });
});

describe("sphereFigureSVG", () => {
  const front = { azimuth: 0, elevation: 0 }; // seen from +x: right = +y, up = +z

  function panelParts(svg: string) {
    const doc = svgRoot(svg);
    const outline = findAll(doc, hasClass("outline"))[0];
    const c = { x: Number(outline.attrs.cx), y: Number(outline.attrs.cy), r: Number(outline.attrs.r) };
    const pts = (cls: string) => findAll(doc, hasClass("pt", cls)).map((e) => ({ x: Number(e.attrs.cx), y: Number(e.attrs.cy), e }));
    return { doc, c, front: pts("front"), back: pts("back") };
  }

  it("puts the view direction at the disc centre and draws near and far points in different styles", () => {
    const points = new Float64Array([1, 0, 0, -1, 0, 0, 0.6, 0.8, 0, -0.6, 0, 0.8]);
    const { c, front: f, back: b } = panelParts(sphereFigureSVG([{ title: "p", points }], { view: front }));
    expect(f).toHaveLength(2);
    expect(b).toHaveLength(2);
    // (1,0,0) → centre, near; (-1,0,0) → centre, far
    expect(f.some((p) => Math.abs(p.x - c.x) < 0.01 && Math.abs(p.y - c.y) < 0.01)).toBe(true);
    expect(b.some((p) => Math.abs(p.x - c.x) < 0.01 && Math.abs(p.y - c.y) < 0.01)).toBe(true);
    // (0.6, 0.8, 0) → 0.8 R to the right; (-0.6, 0, 0.8) → 0.8 R up (far side)
    expect(f.some((p) => Math.abs(p.x - (c.x + 0.8 * c.r)) < 0.02 && Math.abs(p.y - c.y) < 0.02)).toBe(true);
    expect(b.some((p) => Math.abs(p.x - c.x) < 0.02 && Math.abs(p.y - (c.y - 0.8 * c.r)) < 0.02)).toBe(true);
    // near: filled; far: hollow ring
    for (const p of f) expect(p.e.attrs.fill).not.toBe("none");
    for (const p of b) {
      expect(p.e.attrs.fill).toBe("none");
      expect(p.e.attrs.stroke).toMatch(/^#/);
    }
  });

  it("projects by hand-computed frames", () => {
    const side = projectPoint(0, 1, 0, { azimuth: 90, elevation: 0 });
    expect([side.x, side.y, side.depth].map((v) => +v.toFixed(12) + 0)).toEqual([0, 0, 1]);
    const p = projectPoint(-1, 0, 0, { azimuth: 90, elevation: 0 }); // right = (-1, 0, 0)
    expect([p.x, p.y, p.depth].map((v) => +v.toFixed(12) + 0)).toEqual([1, 0, 0]);
    const top = projectPoint(0, 0, 1, { azimuth: 30, elevation: 90 });
    expect([top.x, top.y, top.depth].map((v) => +v.toFixed(12) + 0)).toEqual([0, 0, 1]);
    const q = projectPoint(-Math.cos(Math.PI / 6), -Math.sin(Math.PI / 6), 0, { azimuth: 30, elevation: 90 }); // up = (-cos a, -sin a, 0)
    expect([q.x, q.y, q.depth].map((v) => +v.toFixed(12) + 0)).toEqual([0, 1, 0]);
    const f = viewFrame({ azimuth: 47, elevation: -21 });
    const dot = (a: number[], b: number[]) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    expect(dot(f.right, f.up)).toBeCloseTo(0, 14);
    expect(dot(f.right, f.toward)).toBeCloseTo(0, 14);
    expect(dot(f.up, f.toward)).toBeCloseTo(0, 14);
    // right × up = toward (right-handed screen frame)
    const cr = [f.right[1] * f.up[2] - f.right[2] * f.up[1], f.right[2] * f.up[0] - f.right[0] * f.up[2], f.right[0] * f.up[1] - f.right[1] * f.up[0]];
    cr.forEach((v, i) => expect(v).toBeCloseTo(f.toward[i], 14));
  });

  it("splits a curve at the limb: near part dashed strong, far part dashed light, both on the circle", () => {
    const m = 72;
    const ring = new Float64Array(3 * m);
    for (let k = 0; k < m; k++) ring.set([Math.cos((2 * Math.PI * k) / m), 0, Math.sin((2 * Math.PI * k) / m)], 3 * k); // great circle in the x-z plane
    const cap = new Float64Array(3 * m);
    for (let k = 0; k < m; k++) cap.set([0.8, 0.6 * Math.cos((2 * Math.PI * k) / m), 0.6 * Math.sin((2 * Math.PI * k) / m)], 3 * k); // circle around +x
    const svg = sphereFigureSVG([{ title: "c", points: new Float64Array(0), curves: [{ points: ring, closed: true, label: "great circle" }, { points: cap, closed: true, label: "cap" }] }], { view: front });
    const { doc, c } = panelParts(svg);
    const near = findAll(doc, hasClass("curve", "front"));
    const far = findAll(doc, hasClass("curve", "back"));
    expect(near).toHaveLength(2);
    expect(far).toHaveLength(1); // the cap circle has no hidden part
    for (const e of [...near, ...far]) expect(e.attrs["stroke-dasharray"]).toBeTruthy();
    expect(Number(far[0].attrs["stroke-opacity"])).toBeLessThan(1);
    // seen from +x the x-z great circle is the vertical diameter: every vertex has x = cx, |y - cy| <= R
    for (const e of [near[0], far[0]]) {
      for (const [x, y] of vertices(e.attrs.d)) {
        expect(Math.abs(x - c.x)).toBeLessThan(0.01);
        expect(Math.abs(y - c.y)).toBeLessThanOrEqual(c.r + 0.01);
      }
    }
    // the cap: radius 0.6 R about the centre
    for (const [x, y] of vertices(near[1].attrs.d)) expect(Math.hypot(x - c.x, y - c.y)).toBeCloseTo(0.6 * c.r, 1);
    const legend = allText(findAll(doc, hasClass("legend"))[0]);
    expect(legend).toContain("great circle");
    expect(legend).toContain("cap");
  });

  it("colours points by group, draws near and far crosses, lays out panels and escapes text", () => {
    const points = new Float64Array([1, 0, 0, 0.8, 0.6, 0, 0.8, 0, 0.6, 0.8, -0.6, 0]);
    const panels: SpherePanel[] = Array.from({ length: 5 }, (_, i) => ({
      title: `panel ${i} <β & γ>`,
      points,
      groups: new Int32Array([0, 1, 1, 2]),
      markers: new Float64Array([1, 0, 0, -1, 0, 0]),
    }));
    const doc = svgRoot(sphereFigureSVG(panels, { columns: 2, size: 200, title: "Figure 3 \"six\"", view: front }));
    expect(doc.attrs.viewBox.split(" ").map(Number)[2]).toBe(400);
    expect(findAll(doc, hasClass("panel"))).toHaveLength(5);
    const titles = findAll(doc, hasClass("panel-title")).map(allText);
    expect(titles[4]).toBe("panel 4 <β & γ>");
    expect(allText(findAll(doc, hasClass("figure-title"))[0])).toBe('Figure 3 "six"');
    const fills = findAll(findAll(doc, hasClass("panel"))[0], hasClass("pt", "front")).map((e) => e.attrs.fill);
    expect(new Set(fills).size).toBe(3);
    expect(findAll(doc, hasClass("marker", "front"))).toHaveLength(5);
    expect(findAll(doc, hasClass("marker", "back"))).toHaveLength(5);
    // panels in two columns: outline centres at x = 100 and 300
    const cx = findAll(doc, hasClass("outline")).map((e) => Number(e.attrs.cx));
    expect(cx).toEqual([100, 300, 100, 300, 100]);
  });

  it("names the parameter of bad input", async () => {
    const p = (over: Partial<SpherePanel>): SpherePanel => ({ title: "p", points: new Float64Array([1, 0, 0]), ...over });
    await expectConfigError(() => sphereFigureSVG([]), "panels");
    await expectConfigError(() => sphereFigureSVG([p({ points: new Float64Array(7) })]), "panels[0].points", "multiple of 3");
    await expectConfigError(() => sphereFigureSVG([p({ points: new Float64Array([1, 0, 0, 0.5, 0, 0]) })]), "panels[0].points[1]", "unit sphere");
    await expectConfigError(() => sphereFigureSVG([p({ points: new Float64Array([1, 0, 0, 0, NaN, 1]) })]), "panels[0].points[4]");
    await expectConfigError(() => sphereFigureSVG([p({}), p({ groups: new Int32Array(2) })]), "panels[1].groups");
    await expectConfigError(() => sphereFigureSVG([p({ groups: new Int32Array([-1]) })]), "panels[0].groups[0]");
    await expectConfigError(() => sphereFigureSVG([p({ curves: [{ points: new Float64Array([0, 0, 1]) }] })]), "panels[0].curves[0].points");
    await expectConfigError(() => sphereFigureSVG([p({ markers: new Float64Array([0, 2, 0]) })]), "panels[0].markers[0]");
    await expectConfigError(() => sphereFigureSVG([p({})], { view: { azimuth: 0, elevation: 100 } }), "options.view.elevation");
    await expectConfigError(() => sphereFigureSVG([p({})], { columns: 1.5 }), "options.columns");
  });

  it("uses no Node API (the module runs in a browser too)", () => {
    const src = readFileSync(join(root, "src/plot/sphere.ts"), "utf8");
    const imports = [...src.matchAll(/from\s+"([^"]+)"/g)].map((m) => m[1]);
    expect(imports).toEqual(["../errors.js"]);
    expect(src).not.toMatch(/\b(process|require|Buffer|__dirname)\b/);
  });
});

describe("chart text", () => {
  it("textWidth matches the widths resvg lays out in DejaVu Sans to 2%", async () => {
    const { Resvg } = await import("@resvg/resvg-js");
    const measured = (text: string, size: number, bold: boolean) => {
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="4000" height="100"><text x="0" y="60" font-family="DejaVu Sans" font-size="${size}px"${bold ? ' font-weight="bold"' : ""} xml:space="preserve">|${escapeXml(text)}|</text></svg>`;
      const bar = new Resvg(svg.replace(`|${escapeXml(text)}|`, "||"), { font: { loadSystemFonts: true } }).getBBox()!.width;
      return new Resvg(svg, { font: { loadSystemFonts: true } }).getBBox()!.width - bar;
    };
    for (const [text, size, bold] of [["Figure 2: collapse through depth", 14, true], ["std of Gₓ(t) over seeds", 12, true], ["E[1 − v₃²] = 2/3", 11, false], ["fast time τ = eᵝt", 12, false]] as const) {
      const w = measured(text, size, bold);
      expect(Math.abs(textWidth(text, size, bold) - w) / w, text).toBeLessThan(0.02);
    }
    // scripts are measured at 0.7 of the size
    expect(textWidth("G_{z}", 10)).toBeCloseTo(textWidth("G", 10) + textWidth("z", 7), 10);
  });

  it("draws _{} and ^{} as smaller tspans shifted by dy, back to the baseline after", () => {
    const open = '<text font-size="10px" fill="#000">';
    expect(renderScriptMarkup(`<svg>${open}G_{z} = 1</text></svg>`)).toBe(`<svg>${open}G<tspan dy="2.5" font-size="7px">z</tspan><tspan dy="-2.5"> = 1</tspan></text></svg>`);
    // adjacent scripts: the second shift is relative to the first
    expect(renderScriptMarkup(`${open}x_{i}^{2}</text>`)).toBe(`${open}x<tspan dy="2.5" font-size="7px">i</tspan><tspan dy="-6.5" font-size="7px">2</tspan></text>`);
    // lines of a multi-line text each on their own; text without markup untouched
    expect(renderScriptMarkup(`${open}<tspan x="0">a_{1}</tspan><tspan x="0" dy="12">b</tspan></text>`)).toBe(`${open}<tspan x="0">a<tspan dy="2.5" font-size="7px">1</tspan></tspan><tspan x="0" dy="12">b</tspan></text>`);
    expect(renderScriptMarkup(`<g aria-label="Title text 'G_{z} = 1'">${open}G_{z}</text></g>`)).toMatch(/^<g aria-label="Title text 'G_z = 1'">/);
    const plain = `<svg>${open}G_z and x^2</text></svg>`;
    expect(renderScriptMarkup(plain)).toBe(plain);
  });
});

describe("svgToPNG", () => {
  it("rasterises to a PNG of the requested width", async () => {
    const svg = sphereFigureSVG([{ title: "p", points: new Float64Array([1, 0, 0]) }], { size: 100 });
    const png = await svgToPNG(svg, { width: 250 });
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
    expect(view.getUint32(16)).toBe(250); // IHDR width
    await expectConfigError(() => svgToPNG(svg, { width: 0 }), "options.width");
  });
});

describe("package entry meanfield-transformer/plot", () => {
  it("is built as its own ESM entry that renders, and the main entry does not load vega", () => {
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
    expect(pkg.exports["./plot"]).toEqual({ types: "./dist/plot.d.ts", import: "./dist/plot.js", default: "./dist/plot.js" });
    for (const f of ["dist/plot.js", "dist/plot.d.ts"]) expect(existsSync(join(root, f)), f).toBe(true);
    for (const dep of ["vega", "vega-lite"]) expect(pkg.peerDependencies[dep], dep).toBeTruthy();
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", `
      import * as p from ${JSON.stringify(join(root, "dist/plot.js"))};
      const line = await p.lineChartSVG({ xLabel: "t", yLabel: "y", series: [{ name: "a", x: [0, 1], y: [0, 1] }] });
      const sphere = p.sphereFigureSVG([{ title: "s", points: new Float64Array([0, 0, 1]) }]);
      console.log(JSON.stringify({ line: line.startsWith("<svg"), sphere: sphere.startsWith("<svg") }));`], { encoding: "utf8" });
    expect(JSON.parse(out)).toEqual({ line: true, sphere: true });
    for (const [f, text] of importClosure(join(root, "dist/index.js"))) expect(text, f).not.toMatch(/["']vega(-lite)?["']/);
  });
});
