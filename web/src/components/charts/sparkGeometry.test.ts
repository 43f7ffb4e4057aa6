import { describe, expect, it } from "vitest";
import { barLayout, csatPoints, csatSummary, dailyMax, dailySummary, linePath, shortDate, VIEW_H, VIEW_W, type Day } from "./sparkGeometry";

const day = (date: string, started: number, handedOff: number, closed: number, csatMean?: number | null): Day => ({ date, started, handedOff, closed, csatMean });

describe("barLayout", () => {
  it("scales every bar to the tallest count, growing up from the bottom", () => {
    const { max, bars } = barLayout([day("2026-11-01", 4, 2, 1), day("2026-11-02", 8, 0, 3)], 200, 100);
    expect(max).toBe(8);
    const tallest = bars.find((b) => b.date === "2026-11-02" && b.key === "started")!;
    expect(tallest).toMatchObject({ y: 0, height: 100 });
    const half = bars.find((b) => b.date === "2026-11-01" && b.key === "started")!;
    expect(half).toMatchObject({ y: 50, height: 50 });
    for (const b of bars) expect(b.y + b.height).toBeCloseTo(100);
  });

  it("gives each day an equal slot and puts its three bars in the middle 80%", () => {
    const { bars } = barLayout([day("a", 1, 1, 1), day("b", 1, 1, 1)], 200, 100);
    const a = bars.filter((b) => b.date === "a");
    expect(a.map((b) => b.key)).toEqual(["started", "handedOff", "closed"]);
    expect(a[0]!.x).toBeCloseTo(10);
    expect(a[0]!.width).toBeCloseTo(80 / 3);
    expect(a[2]!.x + a[2]!.width).toBeCloseTo(90);
    expect(bars.find((b) => b.date === "b")!.x).toBeCloseTo(110);
  });

  it("draws no bar for a zero count and keeps a tiny count visible", () => {
    const { bars } = barLayout([day("a", 1000, 0, 1)], VIEW_W, VIEW_H);
    expect(bars.map((b) => b.key)).toEqual(["started", "closed"]);
    expect(bars[1]!.height).toBeCloseTo(VIEW_H * 0.01);
  });

  it("handles no days and all-zero days", () => {
    expect(barLayout([])).toEqual({ max: 1, bars: [] });
    expect(barLayout([day("a", 0, 0, 0)])).toEqual({ max: 1, bars: [] });
    expect(dailyMax([])).toBe(1);
  });
});

describe("csatPoints", () => {
  it("places ratings on the 1–5 scale with 5 at the top", () => {
    const pts = csatPoints([day("a", 0, 0, 0, 5), day("b", 0, 0, 0, 3), day("c", 0, 0, 0, 1)], 200, 100);
    expect(pts.map((p) => [p.x, p.y])).toEqual([
      [0, 0],
      [100, 50],
      [200, 100],
    ]);
  });

  it("skips days without ratings but keeps their place on the x axis", () => {
    const pts = csatPoints([day("a", 0, 0, 0, 4), day("b", 1, 0, 0, null), day("c", 0, 0, 0), day("d", 0, 0, 0, 2)], 300, 100);
    expect(pts.map((p) => p.date)).toEqual(["a", "d"]);
    expect(pts.map((p) => p.x)).toEqual([0, 300]);
    expect(linePath(pts)).toBe("M0 25 L300 75");
  });

  it("centres a single day and clamps ratings outside the scale", () => {
    const [p] = csatPoints([day("a", 0, 0, 0, 7)], 300, 100);
    expect(p).toMatchObject({ x: 150, y: 0, value: 7 });
    expect(csatPoints([day("a", 0, 0, 0, 0)], 300, 100)[0]!.y).toBe(100);
  });

  it("gives nothing for no days or no ratings", () => {
    expect(csatPoints([])).toEqual([]);
    expect(csatPoints([day("a", 1, 0, 0, null)])).toEqual([]);
    expect(linePath([])).toBe("");
  });
});

describe("summaries", () => {
  it("sums up the daily counts with the busiest day", () => {
    expect(dailySummary([day("2026-11-01", 2, 1, 1), day("2026-11-02", 5, 0, 4)])).toBe(
      "Conversations per day, 2026-11-01 to 2026-11-02 (2 days): 7 started, 1 handed off, 5 closed; busiest day 2026-11-02 with 5 started.",
    );
    expect(dailySummary([day("2026-11-01", 0, 0, 0)])).toBe("Conversations per day, 2026-11-01 to 2026-11-01 (1 day): 0 started, 0 handed off, 0 closed.");
    expect(dailySummary([])).toBe("Conversations per day: no days in this range.");
  });

  it("sums up the ratings, skipping days without", () => {
    expect(csatSummary([day("a", 0, 0, 0, 4.5), day("b", 0, 0, 0, null), day("2026-11-03", 0, 0, 0, 3)])).toBe(
      "Customer satisfaction per day on a 1 to 5 scale, 2 days with ratings: lowest 3.0, highest 4.5, latest 3.0 on 2026-11-03.",
    );
    expect(csatSummary([day("a", 0, 0, 0, 4)])).toContain("1 day with ratings");
    expect(csatSummary([day("a", 1, 0, 0)])).toBe("Customer satisfaction per day: no ratings in this range.");
  });

  it("shortens a UTC day and leaves anything else as it is", () => {
    expect(shortDate("2026-11-03", "en-GB")).toBe("3 Nov");
    expect(shortDate("soon")).toBe("soon");
  });
});
