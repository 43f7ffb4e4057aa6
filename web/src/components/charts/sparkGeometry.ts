// The pure geometry of the dashboard's two small SVG charts (./Sparkline.tsx): no React, no
// DOM, so it is tested on its own. Coordinates are in the charts' viewBox units (VIEW_W ×
// VIEW_H, y growing downwards); the SVG stretches them to its box (preserveAspectRatio="none").
import { plural } from "@/lib/format";
import type { CompanyMetrics } from "@/lib/types";

export type Day = CompanyMetrics["daily"][number];

export const VIEW_W = 300;
export const VIEW_H = 100;

/** The three series of the daily bars, in drawing order. */
export const DAILY_SERIES = [
  { key: "started", name: "Started", color: "var(--chart-1)" },
  { key: "handedOff", name: "Handed off", color: "var(--chart-2)" },
  { key: "closed", name: "Closed", color: "var(--chart-3)" },
] as const;
export type SeriesKey = (typeof DAILY_SERIES)[number]["key"];

export interface BarRect {
  date: string;
  key: SeriesKey;
  value: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The tallest value of any series (at least 1, so an empty or all-zero range still scales). */
export function dailyMax(daily: readonly Day[]): number {
  let max = 0;
  for (const d of daily) for (const s of DAILY_SERIES) max = Math.max(max, d[s.key]);
  return Math.max(1, max);
}

/**
 * One rectangle per day and series with a count above zero. Each day gets an equal slot;
 * the three bars share its middle 80%. Bars grow up from the bottom, scaled to `max`; a
 * non-zero count is never thinner than 1% of the height, so it stays visible.
 */
export function barLayout(daily: readonly Day[], width = VIEW_W, height = VIEW_H): { max: number; bars: BarRect[] } {
  const max = dailyMax(daily);
  const bars: BarRect[] = [];
  if (daily.length === 0) return { max, bars };
  const slot = width / daily.length;
  const inner = slot * 0.8;
  const barW = inner / DAILY_SERIES.length;
  daily.forEach((d, i) => {
    DAILY_SERIES.forEach((s, j) => {
      const value = d[s.key];
      if (!(value > 0)) return;
      const h = Math.max((value / max) * height, height * 0.01);
      bars.push({ date: d.date, key: s.key, value, x: i * slot + (slot - inner) / 2 + j * barW, y: height - h, width: barW, height: h });
    });
  });
  return { max, bars };
}

export interface CsatPoint {
  date: string;
  value: number;
  x: number;
  y: number;
}

/**
 * The days with a mean rating, placed on the 1–5 scale (5 at the top). Days are spread
 * evenly across the width by their position in `daily`, so a skipped day leaves its gap;
 * a single day sits in the middle. Ratings outside 1–5 are clamped.
 */
export function csatPoints(daily: readonly Day[], width = VIEW_W, height = VIEW_H): CsatPoint[] {
  const n = daily.length;
  const points: CsatPoint[] = [];
  daily.forEach((d, i) => {
    const v = d.csatMean;
    if (v == null || !Number.isFinite(v)) return;
    const clamped = Math.min(5, Math.max(1, v));
    points.push({ date: d.date, value: v, x: n === 1 ? width / 2 : (i / (n - 1)) * width, y: height - ((clamped - 1) / 4) * height });
  });
  return points;
}

const round = (v: number) => Math.round(v * 100) / 100;

/** An SVG path through the points in order ("" for none), joining across skipped days. */
export function linePath(points: readonly { x: number; y: number }[]): string {
  return points.map((p, i) => `${i === 0 ? "M" : "L"}${round(p.x)} ${round(p.y)}`).join(" ");
}

/** "3 Nov" for "2026-11-03" (a UTC day), in the reader's locale; the input if it is not a date. */
export function shortDate(date: string, locale?: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return date;
  return d.toLocaleDateString(locale, { month: "short", day: "numeric", timeZone: "UTC" });
}

/** The accessible name of the daily bars: the range, the totals and the busiest day. */
export function dailySummary(daily: readonly Day[]): string {
  if (daily.length === 0) return "Conversations per day: no days in this range.";
  const total = (k: SeriesKey) => daily.reduce((n, d) => n + d[k], 0);
  const busiest = daily.reduce((a, d) => (d.started > a.started ? d : a), daily[0]!);
  const range = `${daily[0]!.date} to ${daily[daily.length - 1]!.date}`;
  const busy = busiest.started > 0 ? `; busiest day ${busiest.date} with ${busiest.started} started` : "";
  return `Conversations per day, ${range} (${plural(daily.length, "day", "days")}): ${total("started")} started, ${total("handedOff")} handed off, ${total("closed")} closed${busy}.`;
}

/** The accessible name of the satisfaction line: how many days had ratings, the range and the last. */
export function csatSummary(daily: readonly Day[]): string {
  const rated = daily.filter((d) => d.csatMean != null && Number.isFinite(d.csatMean));
  if (rated.length === 0) return "Customer satisfaction per day: no ratings in this range.";
  const values = rated.map((d) => d.csatMean!);
  const last = rated[rated.length - 1]!;
  return `Customer satisfaction per day on a 1 to 5 scale, ${plural(rated.length, "day", "days")} with ratings: lowest ${Math.min(...values).toFixed(1)}, highest ${Math.max(...values).toFixed(1)}, latest ${last.csatMean!.toFixed(1)} on ${last.date}.`;
}
