// Progress-bar time formatting: seconds below a minute, whole m:ss above, never "1m60s".
import { describe, expect, it } from "vitest";
import { formatSeconds } from "../src/cli/progress.js";

describe("formatSeconds", () => {
  it.each([
    [0, "0.0s"], [12.34, "12.3s"], [59.9, "59.9s"], [59.97, "1m00s"], [60, "1m00s"],
    [119.4, "1m59s"], [119.6, "2m00s"], [3599.7, "60m00s"], [754, "12m34s"],
  ])("%f s reads %s", (s, text) => {
    expect(formatSeconds(s)).toBe(text);
  });
});
