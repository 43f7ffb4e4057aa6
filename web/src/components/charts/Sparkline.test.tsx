import { cleanup, render, screen, within } from "@testing-library/react";
import axe from "axe-core";
import { afterEach, describe, expect, it } from "vitest";
import { CsatLine, DailyBars } from "./Sparkline";

const daily = [
  { date: "2026-11-01", started: 3, handedOff: 1, closed: 2, csatMean: 4.5 },
  { date: "2026-11-02", started: 0, handedOff: 0, closed: 0, csatMean: null },
  { date: "2026-11-03", started: 6, handedOff: 2, closed: 5, csatMean: 3 },
];

afterEach(cleanup);

describe("DailyBars", () => {
  it("is an image named by its summary, with a bar and a tooltip per non-zero count", () => {
    const { container } = render(<DailyBars daily={daily} />);
    const img = screen.getByRole("img", { name: /^Conversations per day, 2026-11-01 to 2026-11-03 \(3 days\): 9 started/ });
    expect(img.querySelectorAll("rect")).toHaveLength(6);
    expect([...container.querySelectorAll("rect title")].map((t) => t.textContent)).toContain(`${new Date("2026-11-03T00:00:00Z").toLocaleDateString(undefined, { month: "short", day: "numeric", timeZone: "UTC" })} · Started: 6`);
    expect(within(img).getByText("6")).toBeTruthy(); // the y axis maximum
    expect(within(img).getByText("Handed off")).toBeTruthy(); // the legend
  });

  it("has a hidden table of every day", () => {
    render(<DailyBars daily={daily} />);
    const table = screen.getByRole("table", { name: "Conversations per day" });
    expect(within(table).getAllByRole("row")).toHaveLength(4);
    expect(within(table).getByRole("rowheader", { name: "2026-11-02" })).toBeTruthy();
  });

  it("says so when there are no days", () => {
    render(<DailyBars daily={[]} />);
    expect(screen.getByText("No days in this range.")).toBeTruthy();
    expect(screen.queryByRole("img")).toBeNull();
  });
});

describe("CsatLine", () => {
  it("draws a dot per rated day and lists only those", () => {
    const { container } = render(<CsatLine daily={daily} />);
    expect(screen.getByRole("img", { name: /2 days with ratings: lowest 3\.0, highest 4\.5/ })).toBeTruthy();
    expect(container.querySelectorAll("path title")).toHaveLength(2);
    const table = screen.getByRole("table", { name: /days with ratings/ });
    expect(within(table).getAllByRole("row")).toHaveLength(3);
  });

  it("says so when no day has ratings", () => {
    render(<CsatLine daily={daily.map((d) => ({ ...d, csatMean: null }))} />);
    expect(screen.getByText("No ratings in this range.")).toBeTruthy();
  });

  it("passes axe", async () => {
    const { container } = render(
      <main>
        <DailyBars daily={daily} />
        <CsatLine daily={daily} />
      </main>,
    );
    const result = await axe.run(container, { rules: { "color-contrast": { enabled: false } } });
    expect(result.violations.map((v) => v.id)).toEqual([]);
  });
});
