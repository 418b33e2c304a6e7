import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
/** Cross-origin isolation: SharedArrayBuffer, hence a shared wasm memory for threads. */
const isolation = { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" };

export default defineConfig({
  root: here("."),
  base: "./",
  // the page imports the library as a user would: the built ESM entry (npm run build)
  resolve: { alias: { "meanfield-transformer": here("../dist/index.js") } },
  server: { headers: isolation },
  preview: { headers: isolation },
  worker: { format: "es" },
  // three.js alone is about 500 kB minified
  build: { outDir: here("dist"), emptyOutDir: true, target: "es2022", chunkSizeWarningLimit: 1000 },
});
