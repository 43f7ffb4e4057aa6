// Two small charts drawn with plain SVG, for the dashboard's first screen: loading Recharts
// (./Charts.tsx, about 127 kB gzipped) for them would put the dashboard's first load over its
// 250 kB budget. The marks live in an SVG stretched to its box (viewBox, width 100%,
// preserveAspectRatio="none", strokes that do not scale); the text (axis labels, legend) is
// HTML beside it, so it keeps its size on any screen. Each chart has an accessible name that
// sums it up and a visually hidden table of its numbers. Geometry: ./sparkGeometry.ts.
import type { ReactNode } from "react";
import { barLayout, csatPoints, csatSummary, DAILY_SERIES, dailySummary, linePath, shortDate, VIEW_H, VIEW_W, type Day } from "./sparkGeometry";

const seriesName = Object.fromEntries(DAILY_SERIES.map((s) => [s.key, s.name])) as Record<(typeof DAILY_SERIES)[number]["key"], string>;
const seriesColor = Object.fromEntries(DAILY_SERIES.map((s) => [s.key, s.color])) as Record<(typeof DAILY_SERIES)[number]["key"], string>;

/** Horizontal rules at the given heights (viewBox units), in the border colour. */
function Grid({ ys }: { ys: number[] }) {
  return (
    <g stroke="var(--border)" strokeWidth={1}>
      {ys.map((y) => (
        <line key={y} x1={0} x2={VIEW_W} y1={y} y2={y} vectorEffect="non-scaling-stroke" />
      ))}
    </g>
  );
}

/** The frame both charts share: y labels on the left, the SVG, the first and last date below. */
function Frame({
  summary,
  height,
  yLabels,
  first,
  last,
  children,
  below,
}: {
  summary: string;
  height: number;
  /** [label, position from the top as a fraction of the height] */
  yLabels: [string, number][];
  first: string;
  last: string;
  children: ReactNode;
  below?: ReactNode;
}) {
  return (
    <div role="img" aria-label={summary} className="grid gap-1 text-xs text-muted-foreground">
      <div className="flex py-2">
        <div className="relative w-8 shrink-0 tabular-nums" style={{ height }}>
          {yLabels.map(([text, top]) => (
            <span key={text} className="absolute right-2 -translate-y-1/2 leading-none" style={{ top: `${top * 100}%` }}>
              {text}
            </span>
          ))}
        </div>
        <svg
          viewBox={`0 0 ${VIEW_W} ${VIEW_H}`}
          preserveAspectRatio="none"
          width="100%"
          height={height}
          className="block min-w-0 flex-1 overflow-visible"
          aria-hidden="true"
          focusable="false"
        >
          {children}
        </svg>
      </div>
      <div className="ml-8 flex justify-between tabular-nums">
        <span>{first}</span>
        {last !== first && <span>{last}</span>}
      </div>
      {below}
    </div>
  );
}

function Empty({ height, children }: { height: number; children: ReactNode }) {
  return (
    <div className="grid place-items-center rounded-md border border-dashed text-sm text-muted-foreground" style={{ height }}>
      {children}
    </div>
  );
}

/** Conversations started, handed off and closed per UTC day, as grouped bars. */
export function DailyBars({ daily, height = 200, label = "Conversations per day" }: { daily: readonly Day[]; height?: number; label?: string }) {
  if (daily.length === 0) return <Empty height={height}>No days in this range.</Empty>;
  const { max, bars } = barLayout(daily);
  const first = daily[0]!.date;
  const last = daily[daily.length - 1]!.date;
  return (
    <figure className="m-0">
      <Frame
        summary={dailySummary(daily)}
        height={height}
        yLabels={[
          [String(max), 0],
          ["0", 1],
        ]}
        first={shortDate(first)}
        last={shortDate(last)}
        below={
          <ul className="mt-1 flex flex-wrap justify-center gap-x-4 gap-y-1">
            {DAILY_SERIES.map((s) => (
              <li key={s.key} className="flex items-center gap-1.5">
                <span className="inline-block size-2.5 rounded-sm" style={{ background: s.color }} />
                {s.name}
              </li>
            ))}
          </ul>
        }
      >
        <Grid ys={[0, VIEW_H / 2, VIEW_H]} />
        {bars.map((b) => (
          <rect key={`${b.date}-${b.key}`} x={b.x} y={b.y} width={b.width} height={b.height} fill={seriesColor[b.key]} className="hover:opacity-75">
            <title>{`${shortDate(b.date)} · ${seriesName[b.key]}: ${b.value}`}</title>
          </rect>
        ))}
      </Frame>
      {/* The box is hidden, not the table: a table's width is only a minimum, so a hidden table would widen the page. */}
      <div className="sr-only">
        <table>
          <caption>{label}</caption>
          <thead>
            <tr>
              <th scope="col">Date</th>
              {DAILY_SERIES.map((s) => (
                <th key={s.key} scope="col">
                  {s.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {daily.map((d) => (
              <tr key={d.date}>
                <th scope="row">{d.date}</th>
                {DAILY_SERIES.map((s) => (
                  <td key={s.key}>{d[s.key]}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}

/** The mean rating (1–5) of each day that had ratings, joined by a line; other days are skipped. */
export function CsatLine({ daily, height = 200, label = "Customer satisfaction per day" }: { daily: readonly Day[]; height?: number; label?: string }) {
  const points = csatPoints(daily);
  if (points.length === 0) return <Empty height={height}>No ratings in this range.</Empty>;
  const first = daily[0]!.date;
  const last = daily[daily.length - 1]!.date;
  return (
    <figure className="m-0">
      <Frame
        summary={csatSummary(daily)}
        height={height}
        yLabels={[5, 4, 3, 2, 1].map((v) => [String(v), (5 - v) / 4])}
        first={shortDate(first)}
        last={shortDate(last)}
      >
        <Grid ys={[0, 1, 2, 3, 4].map((i) => (i * VIEW_H) / 4)} />
        <path d={linePath(points)} fill="none" stroke="var(--chart-1)" strokeWidth={2} strokeLinejoin="round" strokeLinecap="round" vectorEffect="non-scaling-stroke" />
        {points.map((p) => (
          // A zero-length segment with a round cap: a dot that stays round however the SVG is stretched.
          <path key={p.date} d={`M${p.x} ${p.y}h0`} stroke="var(--chart-1)" strokeWidth={7} strokeLinecap="round" vectorEffect="non-scaling-stroke">
            <title>{`${shortDate(p.date)} · mean rating ${p.value.toFixed(1)}`}</title>
          </path>
        ))}
      </Frame>
      <div className="sr-only">
        <table>
          <caption>{`${label} (days with ratings)`}</caption>
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Mean rating</th>
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.date}>
                <th scope="row">{p.date}</th>
                <td>{p.value.toFixed(2)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
