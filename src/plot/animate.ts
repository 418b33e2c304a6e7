// Trajectories as animations: the sphere view of sphereFigureSVG (orthographic, near side
// filled, far side as rings behind the sphere's disc) with one group per frame. The animated
// SVG shows the groups in turn with SMIL <animate> on `visibility`; a static frame is the same
// picture with one group (what the GIF rasteriser draws). Plain TypeScript: no DOM, no Node API.
//
// Points are drawn compactly: all the points of one colour and side in one frame are a single
// path of zero-length segments "Mx,yh0" with round caps (a dot of the stroke width); the far
// dots are then drawn once more, all colours in one path, in the disc colour with a narrower
// stroke, which leaves rings. Coordinates are rounded to 0.1 pixel.
import { ConfigError } from "../errors.js";
import { checkTrajectory, type Trajectory } from "../trajectory/trajectory.js";
import { checkView, EQUATOR, escapeXml, MERIDIAN, PALETTE, pathD, splitRuns, viewFrame, type SphereView } from "./sphere.js";

/** How a trajectory is drawn. */
export interface TrajectoryAnimationOptions {
  /** side of the square sphere view in pixels (default 360; the picture adds a title and a caption line) */
  size?: number;
  /** frames per second of the animation (default 10) */
  fps?: number;
  /** each particle trails a line through its last `trail` frames (default 0: none) */
  trail?: number;
  /** direction the sphere is seen from (default DEFAULT_VIEW: azimuth 35°, elevation 25°); d >= 3 */
  view?: SphereView;
  /**
   * the coordinates drawn, 0-based: d = 2, two (default [0, 1]; the circle, seen face on); d >= 3,
   * three (default [0, 1, 2]). For d > 3 the point (x_a, x_b, x_c) is projected as it is, not
   * renormalised: a particle with weight in other coordinates lies inside the disc.
   */
  axes?: number[];
  /** colour index per particle (integers >= 0), e.g. the labels */
  groups?: ArrayLike<number>;
  /** figure title (default "n = …, d = …") */
  title?: string;
}

const TITLE_H = 24;
const CAPTION_H = 18;
/** the sphere's disc as sphereFigureSVG shows it (#eef1f6 at opacity 0.5 over white) */
const DISC = "#f6f8fa";

const fmt1 = (v: number) => {
  const r = Math.round(v * 10) / 10;
  return Object.is(r, -0) ? "0" : String(r);
};

/** The checked options and every particle's screen position and side in every frame. */
interface Scene {
  W: number; H: number; F: number; n: number; d: number;
  size: number; fps: number; trail: number; r: number;
  cx: number; cy: number; R: number;
  axes: number[]; view: SphereView; title: string;
  groupOf: Int32Array; groupCount: number;
  /** screen x, y of (frame f, particle i) at f*n + i */
  sx: Float64Array; sy: Float64Array;
  /** 1 on the near side (depth >= 0; always for the circle) */
  near: Uint8Array;
  times: Float64Array;
}

function scene(traj: Trajectory, o: TrajectoryAnimationOptions): Scene {
  const F = checkTrajectory(traj);
  const { n, dim: d } = traj;
  if (F < 1) throw new ConfigError("trajectory.times", "0 frames", "at least one frame");
  if (d < 2) throw new ConfigError("trajectory.dim", d, "an integer >= 2");
  if (typeof o !== "object" || o === null) throw new ConfigError("options", o, "an object");
  const size = o.size ?? 360;
  if (!Number.isInteger(size) || size < 120 || size > 4096) throw new ConfigError("options.size", size, "an integer in [120, 4096] (pixels)");
  const fps = o.fps ?? 10;
  if (typeof fps !== "number" || !Number.isFinite(fps) || fps <= 0 || fps > 100) throw new ConfigError("options.fps", fps, "a number > 0 and <= 100 (frames per second)");
  const trail = o.trail ?? 0;
  if (!Number.isInteger(trail) || trail < 0) throw new ConfigError("options.trail", trail, "an integer >= 0 (frames)");
  const view = checkView(o.view);
  const shown = d === 2 ? 2 : 3;
  const axes = o.axes ?? Array.from({ length: shown }, (_, k) => k);
  if (!Array.isArray(axes) || axes.length !== shown || axes.some((a) => !Number.isInteger(a) || a < 0 || a >= d) || new Set(axes).size !== shown) {
    throw new ConfigError("options.axes", axes, `${shown} distinct coordinate indices in [0, ${d - 1}]`);
  }
  if (o.title !== undefined && typeof o.title !== "string") throw new ConfigError("options.title", o.title, "a string");
  const groupOf = new Int32Array(n);
  if (o.groups !== undefined) {
    const g = o.groups;
    if (typeof g !== "object" || g === null || g.length !== n) throw new ConfigError("options.groups", g, `${n} colour indices (one per particle)`);
    for (let i = 0; i < n; i++) {
      if (!Number.isInteger(g[i]) || g[i] < 0) throw new ConfigError(`options.groups[${i}]`, g[i], "an integer >= 0");
      groupOf[i] = g[i] % PALETTE.length;
    }
  }
  const groupCount = Math.max(...groupOf) + 1;
  const R = 0.44 * size, cx = size / 2, cy = TITLE_H + size / 2;
  const base = n <= 200 ? 3 : n <= 2000 ? 2.2 : 1.5;
  const r = Math.max(1.2, Math.round(base * Math.sqrt(size / 240) * 10) / 10);
  const f = viewFrame(view);
  const sx = new Float64Array(F * n), sy = new Float64Array(F * n), near = new Uint8Array(F * n);
  const x = traj.frames;
  for (let p = 0; p < F * n; p++) {
    const o0 = p * d;
    for (let k = 0; k < d; k++) {
      if (!Number.isFinite(x[o0 + k])) throw new ConfigError(`trajectory.frames[${o0 + k}]`, x[o0 + k], `a finite number (frame ${Math.floor(p / n)}, particle ${p % n})`);
    }
    if (shown === 2) {
      sx[p] = cx + R * x[o0 + axes[0]];
      sy[p] = cy - R * x[o0 + axes[1]];
      near[p] = 1;
    } else {
      const a = x[o0 + axes[0]], b = x[o0 + axes[1]], c = x[o0 + axes[2]];
      sx[p] = cx + R * (a * f.right[0] + b * f.right[1] + c * f.right[2]);
      sy[p] = cy - R * (a * f.up[0] + b * f.up[1] + c * f.up[2]);
      near[p] = a * f.toward[0] + b * f.toward[1] + c * f.toward[2] >= 0 ? 1 : 0;
    }
  }
  for (let k = 0; k < F; k++) if (!Number.isFinite(traj.times[k])) throw new ConfigError(`trajectory.times[${k}]`, traj.times[k], "a finite number");
  return {
    W: size, H: TITLE_H + size + CAPTION_H, F, n, d, size, fps, trail, r, cx, cy, R, axes, view,
    title: o.title ?? `n = ${n}, d = ${d}`, groupOf, groupCount, sx, sy, near, times: traj.times,
  };
}

/** The picture without particles: background, title, the sphere's disc and its guide circles, the caption. */
function backdrop(s: Scene): { head: string; tail: string } {
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${s.W}" height="${s.H}" viewBox="0 0 ${s.W} ${s.H}" font-family="sans-serif">`);
  const colours = Array.from({ length: s.groupCount }, (_, g) => `.c${g}{stroke:${PALETTE[g]}}`).join("");
  out.push(`<style>.t{font-size:12px;fill:#333;stroke:none;text-anchor:end}.h{stroke:${DISC};stroke-width:${fmt1(2 * s.r - 2)}px}.r{stroke-width:1px;stroke-opacity:0.35;stroke-linejoin:round}${colours}</style>`);
  out.push(`<rect width="${s.W}" height="${s.H}" fill="white"/>`);
  out.push(`<text class="title" x="8" y="17" font-size="13" font-weight="bold">${escapeXml(s.title)}</text>`);
  out.push(`<circle class="outline" cx="${fmt1(s.cx)}" cy="${fmt1(s.cy)}" r="${fmt1(s.R)}" fill="${DISC}" stroke="#333" stroke-width="1"/>`);
  let caption: string;
  if (s.axes.length === 2) {
    caption = "the circle S^1";
  } else {
    const f = viewFrame(s.view);
    const guides = [splitRuns(EQUATOR, true, f), splitRuns(MERIDIAN, true, f)];
    for (const g of guides) out.push(`<path class="guide back" d="${pathD(g.far, f, s.cx, s.cy, s.R)}" fill="none" stroke="#bbb" stroke-width="0.6" stroke-dasharray="2 3"/>`);
    for (const g of guides) out.push(`<path class="guide front" d="${pathD(g.near, f, s.cx, s.cy, s.R)}" fill="none" stroke="#999" stroke-width="0.7"/>`);
    caption = "filled: near side, rings: far side";
    if (s.d > 3) caption = `coordinates ${s.axes.join(", ")} of S^${s.d - 1}; ` + caption;
  }
  const tail = `<text class="caption" x="8" y="${s.H - 5}" font-size="10" fill="#555">${escapeXml(caption)}</text>\n</svg>`;
  return { head: out.join("\n"), tail };
}

/**
 * The particles of frame k: its time, trails, far dots per colour with one "hole" path over all
 * of them (rings), then near dots per colour. Colours and widths come from the style sheet.
 */
function frameBody(s: Scene, k: number): string {
  const { n, groupOf, sx, sy, near } = s;
  const out: string[] = [`<text class="t" x="${s.W - 8}" y="17">t = ${Number(s.times[k].toPrecision(4))}</text>`];
  const dots = (side: number, g: number) => {
    let d = "";
    for (let i = 0; i < n; i++) {
      const p = k * n + i;
      if (near[p] === side && (g < 0 || groupOf[i] === g)) d += `M${fmt1(sx[p])},${fmt1(sy[p])}h0`;
    }
    return d;
  };
  if (s.trail > 0 && k > 0) {
    const from = Math.max(0, k - s.trail);
    for (let g = 0; g < s.groupCount; g++) {
      let d = "";
      for (let i = 0; i < n; i++) {
        if (groupOf[i] !== g) continue;
        for (let f = from; f <= k; f++) d += `${f === from ? "M" : "L"}${fmt1(sx[f * n + i])},${fmt1(sy[f * n + i])}`;
      }
      if (d) out.push(`<path class="r c${g}" d="${d}"/>`);
    }
  }
  for (let g = 0; g < s.groupCount; g++) {
    const d = dots(0, g);
    if (d) out.push(`<path class="c${g}" d="${d}"/>`);
  }
  const holes = dots(0, -1);
  if (holes) out.push(`<path class="h" d="${holes}"/>`);
  for (let g = 0; g < s.groupCount; g++) {
    const d = dots(1, g);
    if (d) out.push(`<path class="c${g}" d="${d}"/>`);
  }
  return out.join("");
}

const keyTime = (v: number) => String(Number(v.toFixed(6)));

/**
 * The trajectory as an animated SVG: one `<g class="frame">` per frame, each with one SMIL
 * `<animate attributeName="visibility">` that shows it during its 1/fps seconds of the loop.
 * Viewers without SMIL show the last frame. Throws a ConfigError naming the option or the
 * trajectory field (lengths, non-finite values, axes out of range).
 */
export function trajectorySVG(traj: Trajectory, options: TrajectoryAnimationOptions = {}): string {
  const s = scene(traj, options);
  const { head, tail } = backdrop(s);
  const dur = `${Number((s.F / s.fps).toPrecision(6))}s`;
  const out: string[] = [head, `<g class="frames" fill="none" stroke-width="${fmt1(2 * s.r)}" stroke-linecap="round">`];
  for (let k = 0; k < s.F; k++) {
    // discrete values hold from their key time to the next: hidden, visible on [k/F, (k+1)/F), hidden
    const values: string[] = [], times: string[] = [];
    if (k > 0) { values.push("hidden"); times.push("0"); }
    values.push("visible"); times.push(keyTime(k / s.F));
    if (k < s.F - 1) { values.push("hidden"); times.push(keyTime((k + 1) / s.F)); }
    const anim = `<animate attributeName="visibility" values="${values.join(";")}" keyTimes="${times.join(";")}" calcMode="discrete" dur="${dur}" repeatCount="indefinite"/>`;
    out.push(`<g class="frame"${k < s.F - 1 ? ' visibility="hidden"' : ""}>${anim}${frameBody(s, k)}</g>`);
  }
  out.push(`</g>`, tail);
  return out.join("\n");
}

/** Static frames of a trajectory, sharing one projection pass: `svg(k)` is frame k as trajectorySVG shows it. */
export interface TrajectoryFrames {
  readonly count: number;
  /** picture size in pixels */
  readonly width: number;
  readonly height: number;
  svg(k: number): string;
}

/** Checks the trajectory and options once; then each frame is a standalone static SVG on demand. */
export function trajectoryFrames(traj: Trajectory, options: TrajectoryAnimationOptions = {}): TrajectoryFrames {
  const s = scene(traj, options);
  const { head, tail } = backdrop(s);
  return {
    count: s.F,
    width: s.W,
    height: s.H,
    svg: (k) => {
      if (!Number.isInteger(k) || k < 0 || k >= s.F) throw new ConfigError("frame", k, `an integer in [0, ${s.F - 1}]`);
      return `${head}\n<g class="frames" fill="none" stroke-width="${fmt1(2 * s.r)}" stroke-linecap="round"><g class="frame">${frameBody(s, k)}</g></g>\n${tail}`;
    },
  };
}

/** Frame k of the trajectory as a static SVG (the picture trajectorySVG shows at that frame). */
export function trajectoryFrameSVG(traj: Trajectory, k: number, options: TrajectoryAnimationOptions = {}): string {
  return trajectoryFrames(traj, options).svg(k);
}
