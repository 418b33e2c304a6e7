// Trajectory animations: the animated SVG (well-formed XML, one frame group and one keyframe
// animation per frame, the particles on the right side of the sphere) and the GIF (walked block
// by block: signature, size, frame count, delays, loop).
import { describe, expect, it } from "vitest";
import { ConfigError } from "../src/errors.js";
import { trajectoryFrameSVG, trajectorySVG } from "../src/plot/animate.js";
import { trajectoryGIF } from "../src/plot/gif.js";
import { DEFAULT_VIEW } from "../src/plot/sphere.js";
import { createRandom } from "../src/random.js";
import type { Trajectory } from "../src/trajectory/trajectory.js";
import { gifFramesRGB, walkGif } from "./trajectory-files.js";
import { parseXml, type XmlElement } from "./xml.js";

/** F frames of n random unit vectors in R^d, times 0.5 f. */
function randomTrajectory(F: number, n: number, dim: number, seed: number): Trajectory {
  const rng = createRandom(seed);
  const frames = new Float64Array(F * n * dim);
  for (let p = 0; p < F * n; p++) {
    let s = 0;
    for (let k = 0; k < dim; k++) { const v = rng.normal(); frames[p * dim + k] = v; s += v * v; }
    for (let k = 0; k < dim; k++) frames[p * dim + k] /= Math.sqrt(s);
  }
  return { n, dim, times: Float64Array.from({ length: F }, (_, f) => 0.5 * f), frames };
}

const all = (el: XmlElement, pred: (e: XmlElement) => boolean, out: XmlElement[] = []): XmlElement[] => {
  if (pred(el)) out.push(el);
  for (const c of el.children) all(c, pred, out);
  return out;
};
const dotCount = (d: string) => (d.match(/M[-\d.]+,[-\d.]+h0/g) ?? []).length;

describe("animated SVG", () => {
  it("d = 3: one frame group with one discrete visibility animation per frame, showing it for 1/fps s", () => {
    const F = 7, n = 20, fps = 4;
    const traj = randomTrajectory(F, n, 3, 1);
    const svg = trajectorySVG(traj, { fps, size: 300 });
    const root = parseXml(svg);
    expect(root.name).toBe("svg");
    expect(root.attrs.width).toBe("300");
    const frames = all(root, (e) => e.name === "g" && e.attrs.class === "frame");
    expect(frames).toHaveLength(F);
    expect(all(root, (e) => e.name === "animate")).toHaveLength(F);
    // the far side per frame, computed here from the view: depth = <p, (cos e cos a, cos e sin a, sin e)>
    const a = (DEFAULT_VIEW.azimuth * Math.PI) / 180, e = (DEFAULT_VIEW.elevation * Math.PI) / 180;
    const toward = [Math.cos(e) * Math.cos(a), Math.cos(e) * Math.sin(a), Math.sin(e)];
    frames.forEach((g, k) => {
      const anims = g.children.filter((c) => c.name === "animate");
      expect(anims).toHaveLength(1);
      const an = anims[0].attrs;
      expect(an.attributeName).toBe("visibility");
      expect(an.calcMode).toBe("discrete");
      expect(an.repeatCount).toBe("indefinite");
      expect(parseFloat(an.dur)).toBeCloseTo(F / fps, 6);
      const values = an.values.split(";"), times = an.keyTimes.split(";").map(Number);
      expect(values).toHaveLength(times.length);
      const v = values.indexOf("visible");
      expect(times[v]).toBeCloseTo(k / F, 5);
      if (v + 1 < times.length) expect(times[v + 1]).toBeCloseTo((k + 1) / F, 5);
      expect(g.attrs.visibility).toBe(k === F - 1 ? undefined : "hidden");
      const paths = g.children.filter((c) => c.name === "path");
      const holes = paths.filter((p) => p.attrs.class === "h").reduce((s, p) => s + dotCount(p.attrs.d), 0);
      const dots = paths.filter((p) => /^c\d+$/.test(p.attrs.class)).reduce((s, p) => s + dotCount(p.attrs.d), 0);
      let far = 0;
      for (let i = 0; i < n; i++) {
        const o = (k * n + i) * 3;
        if (traj.frames[o] * toward[0] + traj.frames[o + 1] * toward[1] + traj.frames[o + 2] * toward[2] < 0) far++;
      }
      expect(dots).toBe(n);
      expect(holes).toBe(far);
      expect(g.children.find((c) => c.name === "text")?.text).toBe(`t = ${0.5 * k}`);
    });
  });

  it("d = 2 draws the circle with every particle filled; groups colour; trails follow the last frames", () => {
    const F = 5, n = 6;
    const traj = randomTrajectory(F, n, 2, 2);
    const root = parseXml(trajectorySVG(traj, { groups: [0, 0, 1, 1, 2, 2], trail: 2 }));
    const frames = all(root, (e) => e.name === "g" && e.attrs.class === "frame");
    expect(frames).toHaveLength(F);
    frames.forEach((g, k) => {
      const paths = g.children.filter((c) => c.name === "path");
      expect(paths.filter((p) => p.attrs.class === "h")).toHaveLength(0);
      const colours = paths.filter((p) => /^c\d+$/.test(p.attrs.class));
      expect(colours.map((p) => p.attrs.class).sort()).toEqual(["c0", "c1", "c2"]);
      for (const p of colours) expect(dotCount(p.attrs.d)).toBe(2);
      const trails = paths.filter((p) => p.attrs.class.startsWith("r "));
      // each particle's trail passes through frames max(0, k-2)..k
      const points = trails.reduce((s, p) => s + (p.attrs.d.match(/[ML]/g) ?? []).length, 0);
      expect(points).toBe(k === 0 ? 0 : n * (Math.min(k, 2) + 1));
    });
    expect(root.children.find((c) => c.name === "text" && c.attrs.class === "caption")?.text).toBe("the circle S^1");
  });

  it("d > 3 shows the chosen three coordinates and says so; a static frame is one group without animation", () => {
    const traj = randomTrajectory(3, 4, 5, 3);
    const root = parseXml(trajectorySVG(traj, { axes: [4, 0, 2] }));
    expect(root.children.find((c) => c.name === "text" && c.attrs.class === "caption")?.text).toMatch(/^coordinates 4, 0, 2 of S\^4/);
    const one = parseXml(trajectoryFrameSVG(traj, 1));
    expect(all(one, (e) => e.name === "g" && e.attrs.class === "frame")).toHaveLength(1);
    expect(all(one, (e) => e.name === "animate")).toHaveLength(0);
  });

  it("refuses bad options and bad trajectories, naming the field", () => {
    const traj = randomTrajectory(2, 3, 3, 4);
    const cases: [() => unknown, string][] = [
      [() => trajectorySVG(traj, { fps: 0 }), "options.fps"],
      [() => trajectorySVG(traj, { size: 50 }), "options.size"],
      [() => trajectorySVG(traj, { trail: -1 }), "options.trail"],
      [() => trajectorySVG(traj, { axes: [0, 1] }), "options.axes"],
      [() => trajectorySVG(traj, { axes: [0, 1, 3] }), "options.axes"],
      [() => trajectorySVG(traj, { groups: [0, 1] }), "options.groups"],
      [() => trajectorySVG({ ...traj, frames: traj.frames.subarray(1) }), "trajectory.frames"],
      [() => trajectorySVG({ ...traj, frames: traj.frames.map((v, k) => (k === 4 ? NaN : v)) }), "trajectory.frames[4]"],
      [() => trajectoryFrameSVG(traj, 2), "frame"],
    ];
    for (const [f, field] of cases) {
      let err: unknown;
      try { f(); } catch (e) { err = e; }
      expect(err, field).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).parameter).toBe(field);
    }
  });
});

describe("GIF", () => {
  it("GIF89a of the stated size, one image per frame, delays of 1/fps, looping", async () => {
    const F = 6, size = 160;
    const gif = await trajectoryGIF(randomTrajectory(F, 12, 3, 5), { size, fps: 5, groups: Array.from({ length: 12 }, (_, i) => i % 3) });
    const g = walkGif(gif);
    expect(g.signature).toBe("GIF89a");
    expect(g.width).toBe(size);
    expect(g.height).toBe(size + 24 + 18);
    expect(g.images).toHaveLength(F);
    for (const im of g.images) expect(im).toEqual({ left: 0, top: 0, width: size, height: g.height });
    expect(g.delays).toEqual(Array(F).fill(20));
    expect(g.loops).toBe(true);
  });

  it("each composited frame shows that frame's near particles at their projected places", async () => {
    const F = 5, n = 10, size = 200;
    const traj = randomTrajectory(F, n, 3, 7);
    const { width, height, frames } = gifFramesRGB(await trajectoryGIF(traj, { size }));
    expect([width, frames.length]).toEqual([size, F]);
    // the layout of animate.ts: a 24 px title band, the disc of radius 0.44 size centred below it
    const cx = size / 2, cy = 24 + size / 2, R = 0.44 * size;
    const a = (DEFAULT_VIEW.azimuth * Math.PI) / 180, e = (DEFAULT_VIEW.elevation * Math.PI) / 180;
    const right = [-Math.sin(a), Math.cos(a), 0], up = [-Math.sin(e) * Math.cos(a), -Math.sin(e) * Math.sin(a), Math.cos(e)];
    const toward = [Math.cos(e) * Math.cos(a), Math.cos(e) * Math.sin(a), Math.sin(e)];
    const dot = (u: number[], o: number) => u[0] * traj.frames[o] + u[1] * traj.frames[o + 1] + u[2] * traj.frames[o + 2];
    const blue = [0x4e, 0x79, 0xa7];
    let checked = 0;
    for (let k = 0; k < F; k++) {
      for (let i = 0; i < n; i++) {
        const o = (k * n + i) * 3;
        if (dot(toward, o) < 0) continue;
        const x = Math.round(cx + R * dot(right, o)), y = Math.round(cy - R * dot(up, o));
        const q = 3 * (y * width + x);
        for (let c = 0; c < 3; c++) expect(Math.abs(frames[k][q + c] - blue[c]), `frame ${k}, particle ${i}`).toBeLessThanOrEqual(12);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it("refuses a frame rate that GIF delays cannot hold", async () => {
    await expect(trajectoryGIF(randomTrajectory(2, 3, 3, 6), { fps: 60 })).rejects.toThrow(/options\.fps: got 60; allowed: .*<= 50/);
  });
});
