// The built demo page in real headless Chromium, once cross-origin isolated and once not.
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveStatic, type StaticServer } from "./static-server.js";

const root = join(__dirname, "..", "..");
const dist = join(root, "demo", "dist");
const artifacts = join(__dirname, "artifacts");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

type Demo = {
  configure(p: Record<string, unknown>): Promise<void>;
  setTargets(p: number[][]): Promise<void>;
  play(): void; pause(): void; reset(): void;
  setSpeed(k: number): void;
  positions(): number[][];
  screenPoint(p: number[]): { x: number; y: number; front: boolean };
  drawn(): number[][];
  clusterMarkers(): { centre: number[]; mass: number; diameterPx: number; front: boolean }[];
};
declare const mftDemo: Demo;

/** The state element's data- attributes. */
async function readState(page: Page) {
  return page.$eval("#state", (el) => {
    const d = (el as HTMLElement).dataset;
    return { step: Number(d.step), energy: Number(d.energy), gap: Number(d.collapseGap), clusters: Number(d.clusters), kernel: d.kernel, n: Number(d.n) };
  });
}

/** Records every collapse gap written to #state from now on (window.__gaps). */
async function recordGaps(page: Page) {
  await page.evaluate(() => {
    const el = document.getElementById("state")!;
    const w = window as unknown as { __gaps: number[] };
    w.__gaps = [];
    new MutationObserver(() => w.__gaps.push(Number(el.dataset.collapseGap)))
      .observe(el, { attributes: true, attributeFilter: ["data-collapse-gap"] });
  });
}

const untilStep = (page: Page, step: number) =>
  page.waitForFunction((s) => Number(document.getElementById("state")!.dataset.step) >= s, step, { timeout: 45_000 });

/** The text of every readout of the side panel, by id. */
const readouts = (page: Page) => page.$$eval(".readout dd", (els) => Object.fromEntries(els.map((e) => [e.id, e.textContent ?? ""])));

/** Largest distance from a particle to the nearest of the points, and how many particles each point got. */
function nearest(positions: number[][], points: number[][]) {
  let worst = 0;
  const counts = points.map(() => 0);
  for (const x of positions) {
    let best = Infinity, arg = -1;
    points.forEach((t, k) => {
      const dist = Math.hypot(x[0] - t[0], x[1] - t[1], x[2] - t[2]);
      if (dist < best) { best = dist; arg = k; }
    });
    worst = Math.max(worst, best);
    counts[arg]++;
  }
  return { worst, counts };
}

describe.each([
  { isolated: true, name: "isolated" },
  { isolated: false, name: "plain" },
])("demo page, cross-origin isolated: $isolated", ({ isolated, name }) => {
  let server: StaticServer;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    if (!existsSync(join(dist, "index.html"))) throw new Error(`no built demo at ${dist}: run npm run build:demo`);
    if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium`);
    mkdirSync(artifacts, { recursive: true });
    server = await serveStatic(dist, isolated);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking"] });
    page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
    page.on("pageerror", (e) => problems.push(`page: ${e.message}`));
    page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()}`));
    await page.goto(server.url);
    await page.waitForSelector("#state[data-ready=true]", { state: "attached", timeout: 30_000 });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("starts running on load: the step advances with no click, and the button offers Pause", async () => {
    expect(await page.textContent("#play")).toBe("Pause");
    const first = (await readState(page)).step;
    await untilStep(page, first + 20);
    expect((await readState(page)).step).toBeGreaterThanOrEqual(first + 20);
  });

  it("is cross-origin isolated exactly when served with COOP/COEP, and picks its threads from that", async () => {
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(isolated);
    const d = await page.$eval("#state", (el) => ({ ...(el as HTMLElement).dataset }));
    expect(d.crossOriginIsolated).toBe(String(isolated));
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    expect(Number(d.threads)).toBe(isolated ? cores : 1);
    expect(d.sharedMemory).toBe(String(isolated));
  });

  let fullMarker = 0;
  it("baseline: the particles collapse (gap below 1e-3), on every core when isolated, into one marker of mass n", async () => {
    // n = 1024 is above the library's one-thread limit (THREAD_MIN_N = 512), so the isolated page splits it
    await page.evaluate(() => mftDemo.pause());
    await page.evaluate(() => mftDemo.configure({ kernel: "baseline", n: 1024, beta: 1, seed: 2 }));
    await page.waitForFunction(() => document.getElementById("state")!.dataset.collapseGap !== "");
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    const engineThreads = await page.$eval("#state", (el) => Number((el as HTMLElement).dataset.engineThreads));
    expect(engineThreads).toBe(isolated ? cores : 1);
    const start = await readState(page);
    expect(start.n).toBe(1024);
    expect(start.kernel).toBe("baseline");
    expect(start.step).toBe(0);
    expect(start.gap).toBeGreaterThan(0.9);
    await page.evaluate(() => { mftDemo.setSpeed(0); mftDemo.play(); });
    await page.waitForFunction(() => Number(document.getElementById("state")!.dataset.collapseGap) < 1e-3, null, { timeout: 45_000 });
    const end = await readState(page);
    expect(end.gap).toBeLessThan(1e-3);
    expect(end.step).toBeGreaterThan(0);
    expect(end.energy).toBeGreaterThan(start.energy);
    // the collapsed cluster: one marker holding all 1024 particles, far wider than a particle's 6 px dot
    await page.waitForFunction(() => mftDemo.clusterMarkers().length === 1, null, { timeout: 30_000 });
    const [marker] = await page.evaluate(() => mftDemo.clusterMarkers());
    expect(marker.mass).toBe(1024);
    expect(Math.hypot(...marker.centre)).toBeCloseTo(1, 9);
    expect(marker.diameterPx).toBeGreaterThan(40);
    fullMarker = marker.diameterPx;
  });

  it("RoPE: the gap stays above 0.3", async () => {
    await page.evaluate(() => mftDemo.configure({ kernel: "rope", n: 256 }));
    await recordGaps(page);
    await page.evaluate(() => mftDemo.reset());
    await untilStep(page, 1500);
    const gaps = await page.evaluate(() => (window as unknown as { __gaps: number[] }).__gaps);
    const end = await readState(page);
    expect(end.kernel).toBe("rope");
    expect(end.step).toBeGreaterThanOrEqual(1500);
    expect(gaps.length).toBeGreaterThan(10);
    expect(Math.min(...gaps)).toBeGreaterThan(0.3);
  });

  it("draw a target (test hook): three points give three clusters on those points", async () => {
    const targets = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
    await page.evaluate((t) => mftDemo.setTargets(t), targets);
    await untilStep(page, 600);
    await page.waitForFunction(() => document.getElementById("state")!.dataset.clusters === "3", null, { timeout: 20_000 });
    const { worst, counts } = nearest(await page.evaluate(() => mftDemo.positions()), targets);
    expect(worst).toBeLessThan(1e-6);
    expect(counts.every((c) => c > 0)).toBe(true);
    const state = await readState(page);
    expect(state.clusters).toBe(3);
    // three markers on the targets, a third of the particles each: equal, and smaller than the full collapse's
    await page.waitForFunction(() => mftDemo.clusterMarkers().length === 3, null, { timeout: 20_000 });
    const markers = await page.evaluate(() => mftDemo.clusterMarkers());
    expect(markers.map((m) => m.mass)).toEqual([state.n / 3, state.n / 3, state.n / 3]);
    expect(nearest(markers.map((m) => m.centre), targets).worst).toBeLessThan(1e-6);
    for (const m of markers) {
      expect(m.diameterPx).toBeCloseTo(markers[0].diameterPx, 9);
      expect(m.diameterPx).toBeLessThan(fullMarker);
      expect(m.diameterPx).toBeGreaterThan(12);
    }
  });

  it("draw a target (mouse): three clicks on the sphere give three clusters on the clicked points; n follows", async () => {
    await page.evaluate(() => mftDemo.configure({ kernel: "baseline", n: 256 }));
    await page.click("#draw");
    await page.click("#clear");
    const box = (await page.locator("#sphere").boundingBox())!;
    const cx = box.x + box.width / 2, cy = box.y + box.height / 2, r = Math.min(box.width, box.height) / 2 / 1.25;
    const clicks = [[-0.45, -0.3], [0.4, -0.25], [0.05, 0.5]].map(([u, v]) => ({ x: cx + u * r, y: cy + v * r }));
    for (const c of clicks) await page.mouse.click(c.x, c.y);
    const drawn = await page.evaluate(() => mftDemo.drawn());
    expect(drawn).toHaveLength(3);
    // each drawn point is a unit vector that projects back to the pixel that was clicked
    for (let k = 0; k < 3; k++) {
      expect(Math.hypot(...drawn[k])).toBeCloseTo(1, 12);
      const s = await page.evaluate((p) => mftDemo.screenPoint(p), drawn[k]);
      expect(s.front).toBe(true);
      expect(Math.hypot(s.x - clicks[k].x, s.y - clicks[k].y)).toBeLessThan(0.5);
    }
    const before = await page.$eval("#n", (el) => Number((el as HTMLSelectElement).value));
    await page.click("#realise");
    await page.click("#draw");
    await page.waitForSelector("#state[data-ready=true]", { state: "attached" });
    const realised = await readState(page);
    expect(realised.kernel).toBe("prompts");
    // the n selector follows the drawing: 3 prompts of an even 2 round(n / 6) particles each
    expect(realised.n).toBe(3 * 2 * Math.round(before / 6));
    expect(realised.n).not.toBe(before);
    expect(await page.$eval("#n", (el) => (el as HTMLSelectElement).value)).toBe(String(realised.n));
    expect(await page.$eval("#n", (el) => (el as HTMLSelectElement).selectedOptions[0].textContent)).toBe(String(realised.n));
    await untilStep(page, 600);
    await page.waitForFunction(() => document.getElementById("state")!.dataset.clusters === "3", null, { timeout: 20_000 });
    const { worst, counts } = nearest(await page.evaluate(() => mftDemo.positions()), drawn);
    expect(worst).toBeLessThan(1e-6);
    expect(counts.every((c) => c > 0)).toBe(true);
  });

  it("draw a target (mouse): a dragged curve is resampled into prompts and the particles land on it", async () => {
    await page.evaluate(() => { mftDemo.pause(); mftDemo.setSpeed(0); });
    await page.click("#draw");
    await page.click("#clear");
    const box = (await page.locator("#sphere").boundingBox())!;
    const cx = box.x + box.width / 2, cy = box.y + box.height / 2, r = Math.min(box.width, box.height) / 2 / 1.25;
    const path = Array.from({ length: 31 }, (_, k) => {
      const t = -0.65 + (1.3 * k) / 30;
      return { x: cx + t * r, y: cy + 0.3 * r * Math.sin(3 * Math.PI * t) };
    });
    await page.mouse.move(path[0].x, path[0].y);
    await page.mouse.down();
    for (const p of path.slice(1)) await page.mouse.move(p.x, p.y);
    await page.mouse.up();
    const drawn = await page.evaluate(() => mftDemo.drawn());
    expect(drawn.length).toBe(48);
    // consecutive resampled points are evenly spaced along the stroke
    const gaps = drawn.slice(1).map((p, k) => Math.hypot(p[0] - drawn[k][0], p[1] - drawn[k][1], p[2] - drawn[k][2]));
    expect(Math.max(...gaps) / Math.min(...gaps)).toBeLessThan(1.5);
    await page.click("#realise");
    await page.click("#draw");
    await page.waitForSelector("#state[data-ready=true]", { state: "attached" });
    await untilStep(page, 600);
    await page.evaluate(() => mftDemo.pause());
    const { worst, counts } = nearest(await page.evaluate(() => mftDemo.positions()), drawn);
    expect(worst).toBeLessThan(1e-6);
    expect(counts.every((c) => c > 0)).toBe(true);
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(artifacts, `demo-${name}.png`) });
  });

  it("a rejected beta shows the error and clears every readout, plot and particle; a valid one brings them back", async () => {
    await page.evaluate(() => mftDemo.play());
    await untilStep(page, 5);
    for (const value of ["0", ""]) {
      // "" is what a number input holds for text that is not a number
      await page.$eval("#beta", (el, v) => { (el as HTMLInputElement).value = v; el.dispatchEvent(new Event("change")); }, value);
      await page.waitForSelector("#error:not([hidden])");
      const message = await page.textContent("#error");
      expect(message).toMatch(value === "0" ? /^beta: got 0; allowed: .*> 0/ : /^beta: got ""; allowed: a number/);
      await page.waitForFunction(() => document.getElementById("energy-plot")!.dataset.points === "0");
      const r = await readouts(page);
      for (const id of ["r-n", "r-step", "r-energy", "r-gap", "r-clusters", "r-rate"]) expect(r[id], id).toBe("–");
      const d = await page.$eval("#state", (el) => ({ ...(el as HTMLElement).dataset }));
      expect([d.ready, d.step, d.energy, d.collapseGap, d.clusters, d.error]).toEqual(["false", "", "", "", "", message]);
      for (const id of ["energy-plot", "gap-plot"]) expect(await page.$eval(`#${id}`, (el) => (el as HTMLElement).dataset.yRange)).toBe("");
      expect(await page.evaluate(() => [mftDemo.positions().length, mftDemo.clusterMarkers().length])).toEqual([0, 0]);
      expect(await page.textContent("#play")).toBe("Play");
      // nothing runs behind the error
      await page.waitForTimeout(300);
      expect(await page.$eval("#state", (el) => (el as HTMLElement).dataset.step)).toBe("");
    }
    await page.$eval("#beta", (el) => { (el as HTMLInputElement).value = "1"; el.dispatchEvent(new Event("change")); });
    await page.waitForSelector("#state[data-ready=true]", { state: "attached" });
    expect(await page.isHidden("#error")).toBe(true);
    await page.evaluate(() => mftDemo.play());
    await untilStep(page, 5);
    expect((await readouts(page))["r-energy"]).toMatch(/^\d/);
    await page.waitForFunction(() => document.getElementById("energy-plot")!.dataset.yRange !== "");
  });

  it("logged no console errors, page errors or failed requests", () => {
    expect(problems).toEqual([]);
  });
});

describe("demo page on a phone (390 x 844)", () => {
  let server: StaticServer;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    server = await serveStatic(dist, true);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking"] });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("shows the sphere and a plot in the first screen, with no sideways scrolling", async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await page.goto(server.url);
    await page.waitForSelector("#state[data-ready=true]", { state: "attached", timeout: 30_000 });
    await untilStep(page, 40);
    const box = async (id: string) => (await page.locator(id).boundingBox())!;
    const inView = (b: { y: number; height: number }) => b.y >= 0 && b.y + b.height <= 844;
    expect(inView(await box("#sphere"))).toBe(true);
    expect(inView(await box("#energy-plot")) || inView(await box("#gap-plot"))).toBe(true);
    expect(await page.$eval("#energy-plot", (el) => (el as HTMLElement).dataset.yRange)).not.toBe("");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(artifacts, "demo-phone.png") });
    await page.close();
  });
});
