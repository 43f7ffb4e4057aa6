import { useQueries, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { AgentsChart, CountsChart, CsatChart, DailyChart } from "@/components/charts";
import { DateRangePicker, useDateRange } from "@/components/DateRange";
import { MetricsList } from "@/components/MetricsList";
import { PageHeader, QueryError } from "@/components/PageState";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Label } from "@/components/ui/label";
import { Skeleton } from "@/components/ui/skeleton";
import { api } from "@/lib/api";
import type { AgentView, CompanyMetrics, Metrics } from "@/lib/types";

/** The agents compared are the first this many; the per-agent panel reaches every agent. */
const COMPARED = 20;

function AgentsSection({ from, to }: { from: string; to: string }) {
  const agents = useQuery({
    queryKey: ["agents", "all"],
    queryFn: ({ signal }) => api.page<AgentView>("/api/admin/agents", { limit: 200 }, signal),
  });
  const list = agents.data?.items ?? [];
  const [chosen, setChosen] = useState("");
  const agentId = chosen || list[0]?.id || "";
  const compared = list.slice(0, COMPARED);
  const each = useQueries({
    queries: compared.map((a) => ({
      queryKey: ["performance", "agent", a.id, from, to],
      queryFn: ({ signal }: { signal: AbortSignal }) => api.get<Metrics>(`/api/admin/performance/agents/${encodeURIComponent(a.id)}`, { from, to }, signal),
    })),
  });
  const one = useQuery({
    queryKey: ["performance", "agent", agentId, from, to],
    queryFn: ({ signal }) => api.get<Metrics>(`/api/admin/performance/agents/${encodeURIComponent(agentId)}`, { from, to }, signal),
    enabled: !!agentId,
  });
  if (agents.isError) return <QueryError error={agents.error} retry={() => void agents.refetch()} />;
  if (!agents.isPending && list.length === 0) {
    return (
      <Card>
        <CardContent className="p-8 text-center text-sm text-muted-foreground">No agents yet: add some on the Agents page.</CardContent>
      </Card>
    );
  }
  const bars = compared.map((a, i) => {
    const m = each[i]?.data;
    return {
      name: a.name.split(" ")[0] ?? a.name,
      handedOff: m?.conversations.handedOff ?? 0,
      closed: m?.conversations.closed ?? 0,
      approvals: m ? m.approvals.approved + m.approvals.rejected + m.approvals.escalated : 0,
    };
  });
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <Card>
        <CardHeader>
          <CardTitle>Agents compared</CardTitle>
          <CardDescription>Conversations they took, closed, and approvals they decided.</CardDescription>
        </CardHeader>
        <CardContent>
          {agents.isPending || each.some((q) => q.isPending) ? <Skeleton className="h-64 w-full" /> : <AgentsChart rows={bars} label="Agents compared" />}
        </CardContent>
      </Card>
      <Card>
        <CardHeader className="flex-row flex-wrap items-end justify-between gap-2">
          <CardTitle>One agent</CardTitle>
          <div className="grid gap-1">
            <Label htmlFor="perf-agent">Agent</Label>
            <select
              id="perf-agent"
              value={agentId}
              onChange={(e) => setChosen(e.target.value)}
              className="h-9 rounded-md border border-input bg-background px-2 text-sm"
            >
              {list.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
            </select>
          </div>
        </CardHeader>
        <CardContent>
          {one.isError ? <QueryError error={one.error} retry={() => void one.refetch()} /> : one.data ? <MetricsList metrics={one.data} /> : <Skeleton className="h-64 w-full" />}
        </CardContent>
      </Card>
    </div>
  );
}

export default function Performance() {
  const range = useDateRange();
  const { from, to } = range;
  const q = useQuery({
    queryKey: ["performance", "company", from, to],
    queryFn: ({ signal }) => api.get<CompanyMetrics>("/api/admin/performance/company", { from, to }, signal),
    enabled: range.valid,
  });
  const m = q.data;
  return (
    <div className="grid gap-4">
      <PageHeader title="Performance" description="The company and each agent over a range of UTC days." actions={<DateRangePicker range={range} idPrefix="perf" />} />
      {!range.valid && <p className="text-sm text-destructive">The first day must not be after the last.</p>}
      {q.isError && <QueryError error={q.error} retry={() => void q.refetch()} />}
      <div className="grid gap-4 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>Conversations per day</CardTitle>
          </CardHeader>
          <CardContent>{m ? <DailyChart daily={m.daily} label="Conversations per day" /> : <Skeleton className="h-60 w-full" />}</CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Customer satisfaction</CardTitle>
            <CardDescription>Mean rating (1–5) of each day with ratings.</CardDescription>
          </CardHeader>
          <CardContent>{m ? <CsatChart daily={m.daily} label="Customer satisfaction per day" /> : <Skeleton className="h-48 w-full" />}</CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Company</CardTitle>
          </CardHeader>
          <CardContent>{m ? <MetricsList metrics={m} /> : <Skeleton className="h-64 w-full" />}</CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>By category, priority and sentiment</CardTitle>
          </CardHeader>
          <CardContent className="grid gap-3">
            {m ? (
              (
                [
                  ["Category", m.byCategory],
                  ["Priority", m.byPriority],
                  ["Sentiment", m.bySentiment],
                ] as const
              ).map(([name, counts]) => (
                <div key={name}>
                  <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-muted-foreground">{name}</h3>
                  {Object.keys(counts).length === 0 ? (
                    <p className="text-sm text-muted-foreground">No conversations in this range.</p>
                  ) : (
                    <CountsChart counts={counts} height={Math.max(80, 28 * Object.keys(counts).length)} label={`Conversations by ${name.toLowerCase()}`} />
                  )}
                </div>
              ))
            ) : (
              <Skeleton className="h-64 w-full" />
            )}
          </CardContent>
        </Card>
      </div>
      {range.valid && <AgentsSection from={from} to={to} />}
    </div>
  );
}
