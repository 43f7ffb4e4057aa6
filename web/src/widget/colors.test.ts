import { describe, expect, it } from "vitest";
import { fallbackColor, safeColor, textOn } from "./colors";

describe("colours", () => {
  it("accepts #rrggbb only", () => {
    expect(safeColor("#AABBCC")).toBe("#aabbcc");
    expect(safeColor("red; background: url(x)")).toBe(fallbackColor);
    expect(safeColor(null)).toBe(fallbackColor);
  });

  it("picks a readable text colour", () => {
    expect(textOn("#000000")).toBe("#ffffff");
    expect(textOn("#2563eb")).toBe("#ffffff");
    expect(textOn("#ffff00")).toBe("#000000");
    expect(textOn("#ffffff")).toBe("#000000");
  });
});
