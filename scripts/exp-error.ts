// Measures the core's vector exp against Math.exp: `npx tsx scripts/exp-error.ts`.
import { vectorExp } from "../src/engines/wasm.js";

const N = 1 << 22;
for (const [lo, hi] of [[-708, 709], [-50, 0], [-2, 0]]) {
  const x = new Float64Array(N);
  for (let i = 0; i < N; i++) x[i] = lo + ((hi - lo) * i) / (N - 1);
  const y = await vectorExp(x);
  let worst = 0, at = 0;
  for (let i = 0; i < N; i++) {
    const ref = Math.exp(x[i]);
    if (ref === 0) continue;
    const e = Math.abs(y[i] - ref) / ref;
    if (e > worst) { worst = e; at = x[i]; }
  }
  console.log(`[${lo}, ${hi}]: ${N} points, max relative error ${worst.toExponential(2)} at x = ${at.toFixed(4)}`);
}
