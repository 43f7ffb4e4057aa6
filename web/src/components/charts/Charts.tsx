// Recharts is the heaviest dependency of the dashboard, so the charts live in one chunk that
// pages load lazily (see ./index.tsx): the numbers show first, the drawings follow.
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { CompanyMetrics } from "@/lib/types";

const axis = { stroke: "var(--muted-foreground)", fontSize: 12 };
const tooltip = {
  contentStyle: { background: "var(--card)", border: "1px solid var(--border)", borderRadius: 8, color: "var(--card-foreground)" },
};
const series = ["var(--chart-1)", "var(--chart-2)", "var(--chart-3)", "var(--chart-4)"];

/** Conversations started, handed off and closed per UTC day. */
export function DailyChart({ daily, height = 240 }: { daily: CompanyMetrics["daily"]; height?: number }) {
  return (
    <ResponsiveContainer width="100%" height={height}>
      <BarChart data={daily} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" vertical={false} />
        <XAxis dataKey="date" tickFormatter={(d: string) => d.slice(5)} {...axis} />
        <YAxis allowDecimals={false} {...axis} />
        <Tooltip {...tooltip} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Bar dataKey="started" name="Started" fill={series[0]} radius={[3, 3, 0, 0]} />
        <Bar dataKey="handedOff" name="Handed off" fill={series[1]} radius={[3, 3, 0, 0]} />
        <Bar dataKey="closed" name="Closed" fill={series[2]} radius={[3, 3, 0, 0]} />
      </BarChart>
    </ResponsiveContainer>
  );
}

/** The mean rating of each day that had ratings. */
export function CsatChart({ daily, height = 200 }: { daily: CompanyMetrics["daily"]; height?: number }) {
  return (
    <ResponsiveContainer width="100%" height={height}>
      <LineChart data={daily} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" vertical={false} />
        <XAxis dataKey="date" tickFormatter={(d: string) => d.slice(5)} {...axis} />
        <YAxis domain={[1, 5]} ticks={[1, 2, 3, 4, 5]} {...axis} />
        <Tooltip {...tooltip} />
        <Line type="monotone" dataKey="csatMean" name="CSAT" stroke={series[0]} strokeWidth={2} connectNulls dot={{ r: 3 }} />
      </LineChart>
    </ResponsiveContainer>
  );
}

export interface AgentBar {
  name: string;
  closed: number;
  handedOff: number;
  approvals: number;
}

/** The agents side by side: conversations handled and approvals decided. */
export function AgentsChart({ rows, height = 260 }: { rows: AgentBar[]; height?: number }) {
  return (
    <ResponsiveContainer width="100%" height={height}>
      <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" vertical={false} />
        <XAxis dataKey="name" {...axis} />
        <YAxis allowDecimals={false} {...axis} />
        <Tooltip {...tooltip} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Bar dataKey="handedOff" name="Conversations taken" fill={series[0]} radius={[3, 3, 0, 0]} />
        <Bar dataKey="closed" name="Closed" fill={series[2]} radius={[3, 3, 0, 0]} />
        <Bar dataKey="approvals" name="Approvals decided" fill={series[3]} radius={[3, 3, 0, 0]} />
      </BarChart>
    </ResponsiveContainer>
  );
}

/** Counts by a label (category, priority, sentiment), largest first. */
export function CountsChart({ counts, height = 180 }: { counts: Record<string, number>; height?: number }) {
  const data = Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([label, count]) => ({ label, count }));
  return (
    <ResponsiveContainer width="100%" height={height}>
      <BarChart data={data} layout="vertical" margin={{ top: 0, right: 8, bottom: 0, left: 8 }}>
        <XAxis type="number" allowDecimals={false} {...axis} />
        <YAxis type="category" dataKey="label" width={90} {...axis} />
        <Tooltip {...tooltip} />
        <Bar dataKey="count" name="Conversations" fill={series[1]} radius={[0, 3, 3, 0]} />
      </BarChart>
    </ResponsiveContainer>
  );
}
