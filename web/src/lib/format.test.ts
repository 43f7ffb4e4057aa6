import { describe, expect, it } from "vitest";
import { plural } from "./format";

describe("plural", () => {
  it("takes the singular for exactly one", () => {
    expect(plural(1, "rating", "ratings")).toBe("1 rating");
  });
  it("takes the plural for zero, many and fractions", () => {
    expect(plural(0, "rating", "ratings")).toBe("0 ratings");
    expect(plural(2, "rating", "ratings")).toBe("2 ratings");
    expect(plural(1.5, "day", "days")).toBe("1.5 days");
  });
  it("keeps irregular plurals as given", () => {
    expect(plural(3, "person", "people")).toBe("3 people");
  });
});
