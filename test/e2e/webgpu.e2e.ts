// The WebGPU engine in real headless Chromium on its SwiftShader adapter (a CPU Vulkan: correct,
// slow; no timing here means anything), against the wasm f64 engine on the same page.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProblemConfig } from "../../src/index.js";
import { kernelCases } from "../helpers.js";
import { serveStatic, type StaticServer } from "./static-server.js";

const root = join(__dirname, "..", "..");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** Chromium with WebGPU on SwiftShader; --disable-gpu keeps the compositor off the (absent) GPU and leaves WebGPU's adapter. */
export const WEBGPU_ARGS = [
  "--no-sandbox", "--headless", "--disable-gpu", "--enable-unsafe-webgpu", "--use-webgpu-adapter=swiftshader",
  "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

/** Tolerances of the issue: velocities relative to max |v|, states after 100 Heun steps, unit norms on the device. */
const VELOCITY_TOL = 1e-5, STEPS_TOL = 1e-4, NORM_TOL = 1e-6;

interface Comparison {
  velocity: number; energy: number; speed: number; state: number; stepEnergy: number; norm: number;
  software: boolean; adapter: string;
}

/** Runs in the page: wasm (f64) and webgpu engines on one problem; relative gaps of V, E, |V|^2, and after `steps` steps. */
async function compareInPage(page: Page, config: ProblemConfig, method: "heun" | "euler", h: number, steps: number): Promise<Comparison> {
  return page.evaluate(async ({ config, method, h, steps }) => {
    const m = (window as unknown as { mft: Mft }).mft;
    const p = m.defineProblem(config);
    const wasm = await m.createEngine(p, { engine: "wasm" });
    const gpu = await m.createEngine(p, { engine: "webgpu" });
    try {
      const nd = p.n * p.dim;
      const vw = new Float64Array(nd), vg = new Float64Array(nd);
      const ew = wasm.evaluate(vw), eg = await gpu.evaluate(vg);
      let dv = 0, vmax = 0;
      for (let q = 0; q < nd; q++) { dv = Math.max(dv, Math.abs(vw[q] - vg[q])); vmax = Math.max(vmax, Math.abs(vw[q])); }
      const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(a), 1e-300);
      const sw = wasm.step(method, h, steps), sg = await gpu.step(method, h, steps);
      const xw = wasm.getState(), xg = await gpu.getState();
      let dx = 0;
      for (let q = 0; q < nd; q++) dx = Math.max(dx, Math.abs(xw[q] - xg[q]));
      // the device's own f32 state, before the host renormalises it
      const z = await gpu.snapshot();
      let norm = 0;
      for (let i = 0; i < p.n; i++) {
        let s = 0;
        for (let k = 0; k < p.dim; k++) s += z[i * p.dim + k] ** 2;
        norm = Math.max(norm, Math.abs(Math.sqrt(s) - 1));
      }
      return {
        velocity: dv / vmax, energy: rel(ew.energy, eg.energy), speed: rel(ew.meanSquaredSpeed, eg.meanSquaredSpeed),
        state: dx, stepEnergy: rel(sw, sg), norm, software: gpu.adapter.software, adapter: gpu.adapter.name,
      };
    } finally {
      wasm.dispose();
      gpu.dispose();
    }
  }, { config, method, h, steps });
}

/** The package's module as the page sees it (untyped inside page.evaluate). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Mft = any;

const LABELS = { count: 16, perLabel: 4 };
const base = (dim: number, kernel: ProblemConfig["kernel"], extra: Partial<ProblemConfig> = {}): ProblemConfig =>
  ({ dim, beta: 1, kernel, labels: LABELS, init: { law: "uniform", seed: 3 }, ...extra });

/** Every kernel family the engine runs, with the step size each tolerates for 100 Heun steps. */
const CASES: { label: string; config: ProblemConfig; method?: "heun" | "euler"; h?: number }[] = [
  ...kernelCases(3).map(({ label, kernel }) => ({ label: `d = 3, ${label}`, config: base(3, kernel) })),
  // several tiles of columns, and a last workgroup with idle rows
  { label: "d = 3, custom (exp, W table and gauges), n = 592", config: { ...base(3, kernelCases(3).find((c) => c.label === "custom (exp)")!.kernel), labels: { count: 16, perLabel: 37 } } },
  { label: "d = 64, usa, n = 128", config: base(64, { name: "usa" }, { labels: { count: 8, perLabel: 16 } }) },
  { label: "d = 5, rope (block rotations)", config: base(5, { name: "rope", base: 10, scale: 2 * Math.PI }) },
  { label: "d = 3, rope, beta = 4, frozen particles", config: base(3, { name: "rope" }, { beta: 4, frozen: [0, 5, 17, 40, 63] }) },
  { label: "d = 3, usa, Euler", config: base(3, { name: "usa" }, { beta: 2 }), method: "euler" },
  { label: "d = 3, distanceBias, timeScale fast, beta = 30", config: base(3, { name: "distanceBias", length: 0.3 }, { beta: 30, timeScale: "fast" }), h: 0.01 },
  { label: "d = 3, attention usa (gaussian Q, K, V = -B)", config: base(3, { name: "attention", query: "gaussian", key: "gaussian", value: "-B", normalize: "usa", seed: 3 }) },
  { label: "d = 3, attention sa (goe Q, V spd)", config: base(3, { name: "attention", query: "goe", key: "gaussian", value: "spd", normalize: "sa", seed: 4 }) },
  { label: "d = 3, attention causal usa", config: base(3, { name: "attention", mask: "causal", value: "spd", normalize: "usa" }) },
  { label: "d = 3, attention ALiBi sa", config: base(3, { name: "attention", query: "gaussian", key: "goe", value: "B", normalize: "sa", alibi: 2 }) },
  { label: "d = 8, multihead (usa + causal ALiBi sa), frozen", config: base(8, { name: "multihead", heads: [{ query: "gaussian", key: "gaussian", value: "B" }, { query: "goe", key: "goe", value: "spd", normalize: "sa", beta: 2, alibi: 1 }] }, { frozen: [1, 2, 3] }) },
  { label: "d = 64, attention (gaussian Q, K, V spd), n = 64", config: base(64, { name: "attention", query: "gaussian", key: "gaussian", value: "spd", normalize: "sa" }) },
];

/** A served folder and a fresh Chromium profile with one page; `problems` collects page errors. */
interface Session { server: StaticServer; context: BrowserContext; page: Page; profile: string; problems: string[] }

async function openSession(folder: string, isolated: boolean, args: string[]): Promise<Session> {
  const server = await serveStatic(folder, isolated);
  const profile = mkdtempSync(join(tmpdir(), "mft-webgpu-"));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("pageerror", (e) => problems.push(`page: ${e.message}`));
  page.on("console", (m) => { if (m.type() === "error" && !m.text().includes("404")) problems.push(`console: ${m.text()}`); });
  return { server, context, page, profile, problems };
}

async function closeSession(s: Session | undefined): Promise<void> {
  await s?.context.close();
  await s?.server.close();
  if (s) rmSync(s.profile, { recursive: true, force: true });
}

describe("WebGPU engine in Chromium (SwiftShader) against the wasm f64 engine", () => {
  let session: Session;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    session = await openSession(root, false, WEBGPU_ARGS);
    ({ page, problems } = session);
    // 127.0.0.1 is a secure context: navigator.gpu exists there
    await page.goto(`${session.server.url}test/e2e/blank.html`);
    // the built package as a page imports it (a module script, outside the test's own transform)
    await page.addScriptTag({ type: "module", content: 'import * as m from "/dist/index.js"; window.mft = m;' });
    await page.waitForFunction(() => "mft" in window);
  });

  afterAll(() => closeSession(session));

  it("finds the SwiftShader adapter and names it", async () => {
    const info = await page.evaluate(async () => {
      const m = (window as unknown as { mft: Mft }).mft;
      const e = await m.createEngine(m.defineProblem({ dim: 3, n: 8 }), { engine: "webgpu" });
      const a = e.adapter;
      e.dispose();
      return a;
    });
    expect(info.name).toMatch(/swiftshader/i);
    expect(info.software).toBe(true);
  });

  it.each(CASES)("$label", async ({ config, method, h }) => {
    const r = await compareInPage(page, config, method ?? "heun", h ?? 0.05, 100);
    expect(r.velocity, "velocity, relative to max |v|").toBeLessThan(VELOCITY_TOL);
    expect(r.energy, "energy, relative").toBeLessThan(VELOCITY_TOL);
    expect(r.speed, "mean squared speed, relative").toBeLessThan(2 * VELOCITY_TOL);
    expect(r.state, "max |x_gpu - x_wasm| after 100 steps").toBeLessThan(STEPS_TOL);
    expect(r.stepEnergy, "energy before the last step, relative").toBeLessThan(STEPS_TOL);
    expect(r.norm, "max ||z_i| - 1| of the device state").toBeLessThan(NORM_TOL);
    expect(problems).toEqual([]);
  });

  it("is reproducible bit for bit on one device (fixed summation order), and refuses work after dispose", async () => {
    const r = await page.evaluate(async () => {
      const m = (window as unknown as { mft: Mft }).mft;
      const p = m.defineProblem({ dim: 3, beta: 2, kernel: { name: "rope" }, labels: { count: 100, perLabel: 3 }, init: { law: "uniform", seed: 9 } });
      const run = async () => {
        const e = await m.createEngine(p, { engine: "webgpu" });
        const energy = await e.step("heun", 0.05, 20);
        const z = await e.snapshot();
        e.dispose();
        let after = "";
        try { await e.step("heun", 0.05); } catch (err) { after = `${(err as Error).name}: ${(err as Error).message}`; }
        return { energy, z: Array.from(z as Float64Array), after };
      };
      const [a, b] = [await run(), await run()];
      return { sameEnergy: a.energy === b.energy, sameState: a.z.every((v: number, q: number) => Object.is(v, b.z[q])), after: a.after };
    });
    expect(r.sameEnergy).toBe(true);
    expect(r.sameState).toBe(true);
    expect(r.after).toBe('SimulationError: engine "webgpu": the engine was disposed');
  });

  it("solve() with engine webgpu records what the wasm engine records (the async run loop)", async () => {
    const r = await page.evaluate(async () => {
      const m = (window as unknown as { mft: Mft }).mft;
      const p = m.defineProblem({ dim: 3, beta: 2, kernel: { name: "rope" }, labels: { count: 16, perLabel: 4 }, init: { law: "uniform", seed: 5 } });
      const opts = { time: 2, record: 0.5, step: 0.05 };
      const [w, g] = [await m.solve(p, { ...opts, engine: "wasm" }), await m.solve(p, { ...opts, engine: "webgpu" })];
      let de = 0, dx = 0;
      w.energy.forEach((e: number, k: number) => { de = Math.max(de, Math.abs(e - g.energy[k]) / Math.abs(e)); });
      w.final.forEach((x: number, q: number) => { dx = Math.max(dx, Math.abs(x - g.final[q])); });
      return { engine: g.engine, records: [w.times.length, g.times.length], de, dx };
    });
    expect(r.engine).toBe("webgpu");
    expect(r.records).toEqual([5, 5]);
    expect(r.de).toBeLessThan(VELOCITY_TOL);
    expect(r.dx).toBeLessThan(STEPS_TOL);
  });

  it("heunStep's error estimate (the step against its own predictor) matches the wasm engine's; an adaptive solve agrees", async () => {
    const r = await page.evaluate(async () => {
      const m = (window as unknown as { mft: Mft }).mft;
      const p = m.defineProblem({ dim: 3, beta: 2, kernel: { name: "rope" }, labels: { count: 16, perLabel: 4 }, init: { law: "uniform", seed: 8 } });
      const wasm = await m.createEngine(p, { engine: "wasm" });
      const gpu = await m.createEngine(p, { engine: "webgpu" });
      const a = wasm.heunStep(0.05), b = await gpu.heunStep(0.05);
      const xw = wasm.getState(), xg = await gpu.getState();
      let dx = 0;
      xw.forEach((x: number, q: number) => { dx = Math.max(dx, Math.abs(x - xg[q])); });
      wasm.dispose();
      gpu.dispose();
      const opts = { time: 1, record: 0.5, step: 0.05, adaptive: { rtol: 1e-3, atol: 1e-5 } };
      const [sw, sg] = [await m.solve(p, { ...opts, engine: "wasm" }), await m.solve(p, { ...opts, engine: "webgpu" })];
      let df = 0;
      sw.final.forEach((x: number, q: number) => { df = Math.max(df, Math.abs(x - sg.final[q])); });
      return { errors: [a.error, b.error], energies: [a.energy, b.energy], dx, steps: [sw.steps, sg.steps], df };
    });
    // the estimate is (h/2) max |k2 - k1|: of order 1e-3 here, reproduced to f32's relative 1e-5 or so
    expect(r.errors[0]).toBeGreaterThan(1e-5);
    expect(Math.abs(r.errors[1] - r.errors[0]) / r.errors[0]).toBeLessThan(1e-3);
    expect(Math.abs(r.energies[1] - r.energies[0]) / r.energies[0]).toBeLessThan(VELOCITY_TOL);
    expect(r.dx).toBeLessThan(STEPS_TOL);
    expect(r.steps[1]).toBe(r.steps[0]);
    expect(r.df).toBeLessThan(STEPS_TOL);
  });

  it("refuses what it does not run with a ConfigError naming the field", async () => {
    const r = await page.evaluate(async () => {
      const m = (window as unknown as { mft: Mft }).mft;
      const tries = [
        () => m.createEngine(m.defineProblem({ dim: 300, n: 4 }), { engine: "webgpu" }),
        () => m.createEngine(m.defineProblem({ dim: 3, n: 4, kernel: { name: "attention", beta: 60 } }), { engine: "webgpu" }),
        () => m.createEngine(m.defineProblem({ dim: 3, n: 4 }), { engine: "webgpu", precision: "f64" }),
      ];
      const out: string[] = [];
      for (const t of tries) {
        try { await t(); out.push("no error"); } catch (e) { out.push(`${(e as Error).name}: ${(e as Error).message}`); }
      }
      return out;
    });
    expect(r[0]).toMatch(/^ConfigError: dim: got 300; allowed: at most 256 with engine "webgpu"/);
    expect(r[1]).toMatch(/^ConfigError: kernel\.beta: got 60; allowed: .*<= 40 with engine "webgpu"/);
    expect(r[2]).toMatch(/^ConfigError: precision: got "f64"; allowed: "f32" or absent with engine "webgpu"/);
  });
});

/** The #state element's engine attributes. */
const engineState = (page: Page) => page.$eval("#state", (el) => {
  const d = (el as HTMLElement).dataset;
  return { engine: d.engine, adapter: d.adapter, ready: d.ready, step: Number(d.step), energy: Number(d.energy) };
});

describe.each([
  { webgpu: true, name: "SwiftShader adapter" },
  { webgpu: false, name: "no WebGPU" },
])("demo page with ?engine=webgpu, $name", ({ webgpu }) => {
  let session: Session;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    // without the WebGPU switches Chromium on Linux offers no adapter: the page must fall back to wasm
    const args = webgpu ? WEBGPU_ARGS : ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking"];
    session = await openSession(join(root, "demo", "dist"), true, args);
    ({ page, problems } = session);
    await page.goto(`${session.server.url}?engine=webgpu`);
    await page.waitForSelector("#state[data-ready=true]", { state: "attached", timeout: 30_000 });
  });

  afterAll(() => closeSession(session));

  it(webgpu ? "runs on WebGPU, names the adapter, and steps" : "falls back to wasm and says why", async () => {
    const s = await engineState(page);
    const readout = await page.textContent("#r-engine");
    const notice = page.locator("#engine-notice");
    expect(await page.inputValue("#engine")).toBe("webgpu");
    if (webgpu) {
      expect(s.engine).toBe("webgpu");
      expect(s.adapter).toMatch(/swiftshader/i);
      expect(readout).toMatch(/^WebGPU on .*swiftshader.* \(software adapter\)$/i);
      expect(await notice.isHidden()).toBe(true);
    } else {
      expect(s.engine).toBe("wasm");
      expect(readout).toBe("wasm (WebGPU unavailable)");
      expect(await notice.isVisible()).toBe(true);
      expect(await notice.textContent()).toMatch(/^WebGPU is unavailable here, so the wasm engine runs: engine "webgpu": (no WebGPU adapter|this page has no WebGPU)/);
    }
    // a software adapter (or none) is offered no GPU-sized systems
    const sizes = await page.$$eval("#n option", (os) => os.map((o) => Number((o as HTMLOptionElement).value)));
    expect(Math.max(...sizes)).toBe(4096);
    await page.evaluate(() => (window as unknown as { mftDemo: { configure(p: object): Promise<void>; play(): void } }).mftDemo.configure({ kernel: "baseline", n: 256 }));
    const start = await engineState(page);
    await page.evaluate(() => (window as unknown as { mftDemo: { play(): void } }).mftDemo.play());
    await page.waitForFunction(() => Number(document.getElementById("state")!.dataset.step) >= 40, null, { timeout: 30_000 });
    const end = await engineState(page);
    expect(end.engine).toBe(webgpu ? "webgpu" : "wasm");
    expect(end.energy).toBeGreaterThan(start.energy);
    expect(problems).toEqual([]);
  });

  it("the selector switches the engine and the address", async () => {
    await page.selectOption("#engine", "wasm");
    await page.waitForFunction(() => document.getElementById("state")!.dataset.ready === "true" && document.getElementById("state")!.dataset.engine === "wasm");
    expect(new URL(page.url()).searchParams.get("engine")).toBeNull();
    expect(await page.textContent("#r-engine")).toBe("wasm");
    await page.selectOption("#engine", "webgpu");
    await page.waitForFunction(() => document.getElementById("state")!.dataset.ready === "true");
    expect(new URL(page.url()).searchParams.get("engine")).toBe("webgpu");
    expect((await engineState(page)).engine).toBe(webgpu ? "webgpu" : "wasm");
  });
});
