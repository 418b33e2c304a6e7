// Writes dist/index.cjs, the CommonJS entry: it requires the ES module build (Node's require of an
// ES module, Node >= 20.19 and >= 22.12), so that the library and its core are in the package
// once. Its types, dist/index.d.cts, are those of dist/index.d.ts.
import { copyFileSync, writeFileSync } from "node:fs";

const cjs = `"use strict";
// The CommonJS entry of meanfield-transformer: the ES module build, through require(esm).
try {
  module.exports = require("./index.js");
} catch (e) {
  if (e && e.code === "ERR_REQUIRE_ESM") {
    throw new Error(\`meanfield-transformer: require() of this package needs Node >= 20.19 or >= 22.12 (this is \${process.version}); use import() or upgrade Node\`);
  }
  throw e;
}
`;
writeFileSync(new URL("../dist/index.cjs", import.meta.url), cjs);
copyFileSync(new URL("../dist/index.d.ts", import.meta.url), new URL("../dist/index.d.cts", import.meta.url));
console.log("wrote dist/index.cjs and dist/index.d.cts");
