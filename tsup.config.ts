import { defineConfig } from "tsup";

export default defineConfig([
  {
    entry: { index: "src/index.ts" },
    format: ["esm", "cjs"],
    // bundled, so that dist/index.js imports nothing by bare name and runs in a browser as it is
    noExternal: ["@sinclair/typebox"],
    dts: true,
    sourcemap: true,
    clean: true,
    target: "es2022",
    platform: "neutral",
    outDir: "dist",
  },
  {
    entry: { cli: "src/cli.ts" },
    format: ["esm"],
    target: "es2022",
    platform: "node",
    outDir: "dist",
  },
  {
    // meanfield-transformer/plot: Node only (vega, resvg stay external runtime dependencies)
    entry: { plot: "src/plot/index.ts" },
    format: ["esm"],
    dts: true,
    target: "es2022",
    platform: "node",
    outDir: "dist",
  },
]);
