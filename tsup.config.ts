import { defineConfig } from "tsup";

// One ES module build of the three entries, split into shared chunks: the library's code and the
// core's binary are in the package once, and dist/cli.js and dist/plot.js import the chunks that
// dist/index.js imports. dist/index.cjs requires dist/index.js (scripts/write-cjs.mjs).
export default defineConfig({
  entry: { index: "src/index.ts", cli: "src/cli.ts", plot: "src/plot/index.ts" },
  format: ["esm"],
  splitting: true,
  // bundled, so that dist/index.js and its chunks import nothing by bare name and run in a browser
  // as they are; every other package (commander, gifenc; vega, vega-lite and @resvg/resvg-js, the
  // optional peers of the plotting code) stays an import of the CLI and the plot entry
  noExternal: ["@sinclair/typebox"],
  dts: { entry: { index: "src/index.ts", plot: "src/plot/index.ts" } },
  sourcemap: false,
  clean: true,
  target: "es2022",
  platform: "node",
  outDir: "dist",
});
