// Writes dist/schema.json, the JSON Schema of an `mft simulate` configuration (the package's
// "meanfield-transformer/schema.json"), from the built library: the same definitions as its types.
import { writeFileSync } from "node:fs";
import { simulationConfigSchema } from "../dist/index.js";

const text = JSON.stringify(simulationConfigSchema(), null, 2) + "\n";
writeFileSync(new URL("../dist/schema.json", import.meta.url), text);
console.log(`wrote dist/schema.json (${text.length} bytes)`);
