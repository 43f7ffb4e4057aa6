import { describe, expect, it } from "vitest";
import { backoffDelay } from "./backoff";

describe("backoffDelay", () => {
  it("doubles from the base up to the cap", () => {
    const top = () => 1;
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(n, top))).toEqual([500, 1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    expect(backoffDelay(1000, top)).toBe(30000);
  });

  it("randomises the upper half only", () => {
    expect(backoffDelay(2, () => 0)).toBe(1000);
    expect(backoffDelay(2, () => 0.5)).toBe(1500);
    for (let i = 0; i < 100; i++) {
      const d = backoffDelay(3);
      expect(d).toBeGreaterThanOrEqual(2000);
      expect(d).toBeLessThanOrEqual(4000);
    }
  });

  it("treats odd inputs sanely", () => {
    expect(backoffDelay(-3, () => 1)).toBe(500);
    expect(backoffDelay(0, () => 7)).toBe(500);
    expect(backoffDelay(1, () => 1, { baseMs: 100, maxMs: 150 })).toBe(150);
  });
});
