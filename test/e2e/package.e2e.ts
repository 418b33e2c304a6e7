// The built ESM entry as a page imports it, with its chunks: the core (embedded once) loads, and
// batch workers, which receive the compiled core from the page, give the page's own bits, with a
// shared memory (cross-origin isolated) and without.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveStatic, type StaticServer } from "./static-server.js";

const root = join(__dirname, "..", "..");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

for (const isolated of [true, false]) {
  describe(`the built package in Chromium, ${isolated ? "" : "not "}cross-origin isolated`, () => {
    let server: StaticServer, context: BrowserContext, page: Page, profile: string;
    const problems: string[] = [];

    beforeAll(async () => {
      server = await serveStatic(root, isolated);
      profile = mkdtempSync(join(tmpdir(), "mft-package-"));
      context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS });
      page = await context.newPage();
      page.on("pageerror", (e) => problems.push(`page: ${e.message}`));
      await page.goto(`${server.url}test/e2e/blank.html`);
      await page.addScriptTag({ type: "module", content: 'import * as m from "/dist/index.js"; window.mft = m;' });
      await page.waitForFunction(() => "mft" in window);
    });

    afterAll(async () => {
      await context?.close();
      await server?.close();
      if (profile) rmSync(profile, { recursive: true, force: true });
    });

    it("runs a batch on two workers with the bits of one thread", async () => {
      const r = await page.evaluate(async () => {
        const m = (window as unknown as { mft: typeof import("../../src/index.js") }).mft;
        const jobs = [1, 2, 3].map((seed) => ({ config: { dim: 3, n: 64, init: { seed, law: "uniform" as const }, solver: { time: 0.2, record: 0.1 } } }));
        const pool = await m.runBatch(jobs, { threads: 2 });
        const here = await m.runBatch(jobs, { threads: 1 });
        return { shared: m.sharedMemoryAvailable(), same: pool.map((p, k) => p.final.every((v, i) => Object.is(v, here[k].final[i]))), records: pool.map((p) => p.times.length) };
      });
      expect(r).toEqual({ shared: isolated, same: [true, true, true], records: [3, 3, 3] });
      expect(problems).toEqual([]);
    });
  });
}
