// The core's f64x2 exp (assembly/expv.ts) against Math.exp.
import { describe, expect, it } from "vitest";
import { vectorExp } from "../src/engines/wasm.js";

/** Stated bound: max relative error <= 1e-14 on [-708, 709] (measured: about 4e-16). */
const EXP_REL_TOL = 1e-14;

describe("vector exp", () => {
  it("has relative error <= 1e-14 over [-708, 709] (2^20 points, plus edges)", async () => {
    const N = 1 << 20;
    const x = new Float64Array(N + 6);
    for (let i = 0; i < N; i++) x[i] = -708 + (1417 * i) / (N - 1);
    x.set([0, -0, 1e-300, -1e-17, 0.34657359027997264, -0.34657359027997264], N);
    const y = await vectorExp(x);
    let worst = 0;
    for (let i = 0; i < x.length; i++) {
      const ref = Math.exp(x[i]);
      worst = Math.max(worst, Math.abs(y[i] - ref) / ref);
    }
    expect(worst).toBeLessThanOrEqual(EXP_REL_TOL);
  });

  it("is exactly 0 below -708 and exactly 1 at 0", async () => {
    const y = await vectorExp(Float64Array.from([-708.5, -800, -1e6, -Infinity, 0, 0]));
    expect(Array.from(y)).toEqual([0, 0, 0, 0, 1, 1]);
  });
});
