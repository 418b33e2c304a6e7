// Points, curves and predicted points on S^2 in an orthographic view, as a standalone SVG
// string (Figure 3). Plain TypeScript: no DOM, no Node API.
//
// One view per panel. The far hemisphere is drawn first, behind a translucent disc: far
// points are hollow rings, far curve segments thin and light, far crosses faint. The near
// hemisphere is drawn on top: filled points, full-strength dashed curves, solid crosses.
// A curve keeps its whole shape in one picture (a great circle reads as an ellipse with its
// hidden half lighter), and the side of every point is told by its shape, not only its shade.
import { ConfigError } from "../errors.js";

/** One panel of the figure: points on S^2 (n×3, row-major), coloured by group, with theory curves and predicted points. */
export interface SpherePanel {
  title: string;
  /** n×3 unit vectors, row-major. */
  points: Float64Array;
  /** Colour index per point (integers >= 0), length n. */
  groups?: Int32Array;
  /** Predicted curves (m×3 polylines on S^2), drawn dashed; `closed` joins the last point to the first. */
  curves?: { points: Float64Array; closed?: boolean; label?: string }[];
  /** k×3 predicted points, drawn as crosses. */
  markers?: Float64Array;
}

/** Direction the sphere is seen from, in degrees: azimuth about the z axis from +x, elevation above the xy-plane. */
export interface SphereView {
  azimuth: number;
  elevation: number;
}

/** Layout of the figure: panels per row (default min(3, panels)), panel size in pixels (default 240), view, title. */
export interface SphereFigureOptions {
  columns?: number;
  size?: number;
  view?: SphereView;
  title?: string;
}

/** A point seen in a view: (x, y) in the unit disc (x right, y up) and depth = p·v (> 0 on the near side). */
export interface Projected {
  x: number;
  y: number;
  depth: number;
}

/** Default view: from azimuth 35°, elevation 25° (north pole and equator both in sight). */
export const DEFAULT_VIEW: SphereView = Object.freeze({ azimuth: 35, elevation: 25 });

/** Norm tolerance for points given as lying on S^2. */
export const UNIT_TOLERANCE = 1e-3;

/** Group colours (Tableau 10), shared by the sphere figures and the trajectory animations. */
export const PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];
const THEORY = "#111111";
const TITLE_H = 22;
const LINE_H = 14;
const FIG_TITLE_H = 28;

/**
 * Orthographic frame of a view: toward v = (cos e cos a, cos e sin a, sin e), right
 * r = (-sin a, cos a, 0), up u = v × r reversed so that r × u = v: u = (-sin e cos a, -sin e sin a, cos e).
 */
export function viewFrame(view: SphereView): { toward: number[]; right: number[]; up: number[] } {
  const a = (view.azimuth * Math.PI) / 180;
  const e = (view.elevation * Math.PI) / 180;
  const ca = Math.cos(a), sa = Math.sin(a), ce = Math.cos(e), se = Math.sin(e);
  return { toward: [ce * ca, ce * sa, se], right: [-sa, ca, 0], up: [-se * ca, -se * sa, ce] };
}

/** Project the point (px, py, pz) in a view: unit-disc coordinates and depth. */
export function projectPoint(px: number, py: number, pz: number, view: SphereView = DEFAULT_VIEW): Projected {
  const f = viewFrame(view);
  return {
    x: px * f.right[0] + py * f.right[1] + pz * f.right[2],
    y: px * f.up[0] + py * f.up[1] + pz * f.up[2],
    depth: px * f.toward[0] + py * f.toward[1] + pz * f.toward[2],
  };
}

/**
 * The figure as a standalone SVG string (xmlns, viewBox, escaped text): one orthographic
 * view per panel with the sphere outline, a faint equator and meridian (x-z plane), the
 * points, the predicted curves (dashed) and crosses, and a legend line under each panel.
 * Throws a ConfigError naming the parameter for points not n×3, points off the unit sphere
 * (|p| − 1 beyond UNIT_TOLERANCE), non-finite values, and groups of the wrong length.
 */
export function sphereFigureSVG(panels: SpherePanel[], options: SphereFigureOptions = {}): string {
  if (!Array.isArray(panels) || panels.length === 0) throw new ConfigError("panels", panels, "a non-empty array of panels");
  if (typeof options !== "object" || options === null) throw new ConfigError("options", options, "an object");
  const columns = options.columns === undefined ? Math.min(3, panels.length) : options.columns;
  if (!Number.isInteger(columns) || columns < 1) throw new ConfigError("options.columns", columns, "an integer >= 1");
  const size = options.size === undefined ? 240 : options.size;
  if (typeof size !== "number" || !Number.isFinite(size) || size < 60) throw new ConfigError("options.size", size, "a finite number >= 60 (pixels)");
  const view = checkView(options.view);
  if (options.title !== undefined && typeof options.title !== "string") throw new ConfigError("options.title", options.title, "a string");
  const frame = viewFrame(view);

  const checked = panels.map((p, i) => checkPanel(`panels[${i}]`, p));
  const legends = checked.map((p) => legendItems(p, size));
  const legendLines = Math.max(...legends.map((l) => l.lines));
  const panelH = TITLE_H + size + legendLines * LINE_H + 8;
  const rows = Math.ceil(panels.length / columns);
  const top = options.title ? FIG_TITLE_H : 0;
  const W = columns * size;
  const H = top + rows * panelH;

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif">`);
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  if (options.title) out.push(`<text class="figure-title" x="8" y="19" font-size="15" font-weight="bold">${escapeXml(options.title)}</text>`);
  checked.forEach((p, i) => {
    const x0 = (i % columns) * size;
    const y0 = top + Math.floor(i / columns) * panelH;
    out.push(panelSVG(p, frame, x0, y0, size, legends[i].svg));
  });
  out.push(`</svg>`);
  return out.join("\n");
}

/** Escape text for SVG/XML content and attribute values. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!);
}

interface CheckedPanel {
  title: string;
  points: ArrayLike<number>;
  groups?: ArrayLike<number>;
  curves: { points: ArrayLike<number>; closed: boolean; label: string }[];
  markers?: ArrayLike<number>;
}

/** A validated view (DEFAULT_VIEW when undefined), or a ConfigError naming options.view. */
export function checkView(v: unknown): SphereView {
  if (v === undefined) return DEFAULT_VIEW;
  if (typeof v !== "object" || v === null) throw new ConfigError("options.view", v, "an object { azimuth, elevation } in degrees");
  const { azimuth, elevation } = v as SphereView;
  if (typeof azimuth !== "number" || !Number.isFinite(azimuth)) throw new ConfigError("options.view.azimuth", azimuth, "a finite number (degrees)");
  if (typeof elevation !== "number" || !Number.isFinite(elevation) || Math.abs(elevation) > 90) {
    throw new ConfigError("options.view.elevation", elevation, "a number in [-90, 90] (degrees)");
  }
  return { azimuth, elevation };
}

function isNumberArray(v: unknown): v is ArrayLike<number> {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
}

/** An n×3 array of unit vectors (n >= minRows), or a ConfigError naming the path and the bad row. */
function unitRows(path: string, v: unknown, minRows: number): ArrayLike<number> {
  if (!isNumberArray(v) || v.length % 3 !== 0 || v.length < 3 * minRows) {
    const got = isNumberArray(v) ? `an array of length ${v.length}` : v;
    throw new ConfigError(path, got, `a Float64Array of n×3 coordinates (length a multiple of 3${minRows > 0 ? `, n >= ${minRows}` : ""})`);
  }
  for (let i = 0; i < v.length; i += 3) {
    const x = v[i], y = v[i + 1], z = v[i + 2];
    for (let c = 0; c < 3; c++) {
      if (typeof v[i + c] !== "number" || !Number.isFinite(v[i + c])) throw new ConfigError(`${path}[${i + c}]`, v[i + c], "a finite number");
    }
    const norm = Math.sqrt(x * x + y * y + z * z);
    if (Math.abs(norm - 1) > UNIT_TOLERANCE) {
      throw new ConfigError(`${path}[${i / 3}]`, `(${x}, ${y}, ${z}) of norm ${norm}`, `a point on the unit sphere S^2 (| |p| - 1 | <= ${UNIT_TOLERANCE})`);
    }
  }
  return v;
}

function checkPanel(path: string, p: SpherePanel): CheckedPanel {
  if (typeof p !== "object" || p === null) throw new ConfigError(path, p, "a panel object { title, points }");
  if (typeof p.title !== "string") throw new ConfigError(`${path}.title`, p.title, "a string");
  const points = unitRows(`${path}.points`, p.points, 0);
  const n = points.length / 3;
  let groups: ArrayLike<number> | undefined;
  if (p.groups !== undefined) {
    if (!isNumberArray(p.groups) || p.groups.length !== n) {
      throw new ConfigError(`${path}.groups`, isNumberArray(p.groups) ? `an array of length ${p.groups.length}` : p.groups, `an Int32Array of ${n} group indices (one per point)`);
    }
    for (let i = 0; i < n; i++) {
      const g = p.groups[i];
      if (!Number.isInteger(g) || g < 0) throw new ConfigError(`${path}.groups[${i}]`, g, "an integer >= 0");
    }
    groups = p.groups;
  }
  if (p.curves !== undefined && !Array.isArray(p.curves)) throw new ConfigError(`${path}.curves`, p.curves, "an array of curves");
  const curves = (p.curves ?? []).map((c, j) => {
    const cp = `${path}.curves[${j}]`;
    if (typeof c !== "object" || c === null) throw new ConfigError(cp, c, "a curve object { points, closed?, label? }");
    if (c.label !== undefined && typeof c.label !== "string") throw new ConfigError(`${cp}.label`, c.label, "a string");
    if (c.closed !== undefined && typeof c.closed !== "boolean") throw new ConfigError(`${cp}.closed`, c.closed, "a boolean");
    return { points: unitRows(`${cp}.points`, c.points, 2), closed: c.closed ?? false, label: c.label ?? "theory" };
  });
  const markers = p.markers === undefined ? undefined : unitRows(`${path}.markers`, p.markers, 0);
  return { title: p.title, points, groups, curves, markers };
}

const fmt = (v: number) => {
  const r = Math.round(v * 100) / 100;
  return Object.is(r, -0) ? "0" : String(r);
};

/** An orthographic frame (viewFrame). */
export type Frame = ReturnType<typeof viewFrame>;

/** Split a polyline on S^2 into runs on the near side (depth >= 0) and the far side, cut at the limb. */
export function splitRuns(pts: ArrayLike<number>, closed: boolean, f: Frame): { near: number[][][]; far: number[][][] } {
  const m = pts.length / 3;
  const near: number[][][] = [];
  const far: number[][][] = [];
  const depth = (p: number[]) => p[0] * f.toward[0] + p[1] * f.toward[1] + p[2] * f.toward[2];
  const at = (k: number) => [pts[3 * k], pts[3 * k + 1], pts[3 * k + 2]];
  let run: number[][] | null = null;
  let side = false;
  const add = (isNear: boolean, a: number[], b: number[]) => {
    if (run === null || side !== isNear) {
      run = [a];
      side = isNear;
      (isNear ? near : far).push(run);
    }
    run.push(b);
  };
  const segs = closed ? m : m - 1;
  for (let k = 0; k < segs; k++) {
    const a = at(k), b = at((k + 1) % m);
    const da = depth(a), db = depth(b);
    if ((da >= 0) === (db >= 0)) {
      add(da >= 0, a, b);
    } else {
      // limb crossing: the chord point of depth 0, pushed back onto the sphere
      const t = da / (da - db);
      const c = [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]), a[2] + t * (b[2] - a[2])];
      const nc = Math.hypot(c[0], c[1], c[2]) || 1;
      const l = [c[0] / nc, c[1] / nc, c[2] / nc];
      add(da >= 0, a, l);
      add(db >= 0, l, b);
    }
  }
  return { near, far };
}

/** SVG path data of polyline runs on S^2 seen in frame f, in a disc of radius R about (cx, cy). */
export function pathD(runs: number[][][], f: Frame, cx: number, cy: number, R: number): string {
  return runs.map((run) => run.map((p, i) => {
    const x = cx + R * (p[0] * f.right[0] + p[1] * f.right[1] + p[2] * f.right[2]);
    const y = cy - R * (p[0] * f.up[0] + p[1] * f.up[1] + p[2] * f.up[2]);
    return `${i === 0 ? "M" : "L"}${fmt(x)},${fmt(y)}`;
  }).join("")).join("");
}

function greatCircle(normal: "z" | "y", steps = 96): Float64Array {
  const g = new Float64Array(3 * steps);
  for (let k = 0; k < steps; k++) {
    const s = (2 * Math.PI * k) / steps;
    if (normal === "z") g.set([Math.cos(s), Math.sin(s), 0], 3 * k);
    else g.set([Math.cos(s), 0, Math.sin(s)], 3 * k);
  }
  return g;
}
/** The guide circles drawn on every sphere: the equator and the x-z meridian (closed polylines). */
export const EQUATOR = greatCircle("z");
export const MERIDIAN = greatCircle("y");

function legendItems(p: CheckedPanel, size: number): { svg: (x: number, y: number) => string; lines: number } {
  type Item = { w: number; draw: (x: number, y: number) => string };
  const text = (x: number, y: number, s: string) => `<text x="${fmt(x)}" y="${fmt(y + 4)}" font-size="10" fill="#333">${escapeXml(s)}</text>`;
  const items: Item[] = [];
  const tw = (s: string) => 5.6 * s.length + 22;
  const c0 = PALETTE[0];
  if (p.points.length > 0) {
    items.push({ w: tw("near side"), draw: (x, y) => `<circle cx="${fmt(x + 5)}" cy="${fmt(y)}" r="3" fill="${c0}"/>` + text(x + 13, y, "near side") });
    items.push({ w: tw("far side"), draw: (x, y) => `<circle cx="${fmt(x + 5)}" cy="${fmt(y)}" r="3" fill="none" stroke="${c0}"/>` + text(x + 13, y, "far side") });
  }
  for (const c of p.curves) {
    items.push({ w: tw(c.label) + 8, draw: (x, y) => `<line x1="${fmt(x)}" y1="${fmt(y)}" x2="${fmt(x + 18)}" y2="${fmt(y)}" stroke="${THEORY}" stroke-width="1.6" stroke-dasharray="5 3"/>` + text(x + 21, y, c.label) });
  }
  if (p.markers && p.markers.length > 0) {
    items.push({ w: tw("predicted"), draw: (x, y) => cross(x + 5, y, 4, THEORY, 1) + text(x + 13, y, "predicted") });
  }
  const placed: { line: number; x: number; item: Item }[] = [];
  let line = 0, x = 6;
  for (const it of items) {
    if (x + it.w > size - 4 && x > 6) { line++; x = 6; }
    placed.push({ line, x, item: it });
    x += it.w;
  }
  return {
    lines: items.length === 0 ? 0 : line + 1,
    svg: (x0, y0) => `<g class="legend">${placed.map((q) => q.item.draw(x0 + q.x, y0 + q.line * LINE_H + LINE_H / 2)).join("")}</g>`,
  };
}

function cross(x: number, y: number, h: number, color: string, opacity: number, cls = "", width = 1.5): string {
  const d = `M${fmt(x - h)},${fmt(y - h)}L${fmt(x + h)},${fmt(y + h)}M${fmt(x - h)},${fmt(y + h)}L${fmt(x + h)},${fmt(y - h)}`;
  return `<path${cls ? ` class="${cls}"` : ""} d="${d}" stroke="${color}" stroke-width="${width}" stroke-opacity="${opacity}" fill="none"/>`;
}

function panelSVG(p: CheckedPanel, f: Frame, x0: number, y0: number, size: number, legend: (x: number, y: number) => string): string {
  const R = 0.44 * size;
  const cx = x0 + size / 2;
  const cy = y0 + TITLE_H + size / 2;
  const n = p.points.length / 3;
  const r = n <= 200 ? 3 : n <= 2000 ? 2.2 : 1.5;
  const proj = (a: ArrayLike<number>, k: number) => {
    const px = a[3 * k], py = a[3 * k + 1], pz = a[3 * k + 2];
    return {
      x: cx + R * (px * f.right[0] + py * f.right[1] + pz * f.right[2]),
      y: cy - R * (px * f.up[0] + py * f.up[1] + pz * f.up[2]),
      depth: px * f.toward[0] + py * f.toward[1] + pz * f.toward[2],
    };
  };
  const order = Array.from({ length: n }, (_, k) => k).map((k) => ({ k, ...proj(p.points, k) })).sort((a, b) => a.depth - b.depth);
  const colour = (k: number) => PALETTE[p.groups ? p.groups[k] % PALETTE.length : 0];
  const guides = [splitRuns(EQUATOR, true, f), splitRuns(MERIDIAN, true, f)];
  const curves = p.curves.map((c) => splitRuns(c.points, c.closed, f));
  const marks = p.markers ? Array.from({ length: p.markers.length / 3 }, (_, k) => proj(p.markers!, k)) : [];

  const out: string[] = [`<g class="panel">`];
  out.push(`<text class="panel-title" x="${fmt(cx)}" y="${fmt(y0 + 15)}" text-anchor="middle" font-size="12">${escapeXml(p.title)}</text>`);
  // far hemisphere
  for (const g of guides) out.push(`<path class="guide back" d="${pathD(g.far, f, cx, cy, R)}" fill="none" stroke="#aaa" stroke-width="0.6" stroke-dasharray="2 3"/>`);
  for (const c of curves) if (c.far.length) out.push(`<path class="curve back" d="${pathD(c.far, f, cx, cy, R)}" fill="none" stroke="${THEORY}" stroke-opacity="0.35" stroke-width="1.1" stroke-dasharray="5 3"/>`);
  for (const q of order) {
    if (q.depth >= 0) break;
    out.push(`<circle class="pt back" cx="${fmt(q.x)}" cy="${fmt(q.y)}" r="${r}" fill="none" stroke="${colour(q.k)}" stroke-width="1" stroke-opacity="0.9"/>`);
  }
  for (const m of marks) if (m.depth < 0) out.push(cross(m.x, m.y, 7, THEORY, 0.4, "marker back"));
  // the sphere: a translucent disc over the far side
  out.push(`<circle class="outline" cx="${fmt(cx)}" cy="${fmt(cy)}" r="${fmt(R)}" fill="#eef1f6" fill-opacity="0.5" stroke="#333" stroke-width="1"/>`);
  // near hemisphere
  for (const g of guides) out.push(`<path class="guide front" d="${pathD(g.near, f, cx, cy, R)}" fill="none" stroke="#999" stroke-width="0.7"/>`);
  // crosses under the near points: a cluster sits at the centre of its predicted cross
  for (const m of marks) if (m.depth >= 0) out.push(cross(m.x, m.y, 7, THEORY, 1, "marker front"));
  for (const q of order) {
    if (q.depth < 0) continue;
    out.push(`<circle class="pt front" cx="${fmt(q.x)}" cy="${fmt(q.y)}" r="${r}" fill="${colour(q.k)}" stroke="white" stroke-width="0.5"/>`);
  }
  for (const c of curves) if (c.near.length) out.push(`<path class="curve front" d="${pathD(c.near, f, cx, cy, R)}" fill="none" stroke="${THEORY}" stroke-width="1.6" stroke-dasharray="5 3"/>`);
  out.push(legend(x0, y0 + TITLE_H + size));
  out.push(`</g>`);
  return out.join("\n");
}
