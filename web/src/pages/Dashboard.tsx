import { useQuery } from "@tanstack/react-query";
import { Bot, Clock, ListChecks, MessagesSquare, Smile, UserCheck } from "lucide-react";
import type { ReactNode } from "react";
import { Link } from "react-router-dom";
import { PageHeader, QueryError } from "@/components/PageState";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { api } from "@/lib/api";
import { formatPercent, formatSeconds } from "@/lib/format";
import type { AgentPresenceView, ApprovalView, CompanyMetrics } from "@/lib/types";

function Stat({ label, value, sub, icon, loading, to }: { label: string; value: ReactNode; sub?: ReactNode; icon: ReactNode; loading: boolean; to?: string }) {
  const body = (
    <Card className="h-full transition-colors hover:border-primary/40">
      <CardHeader className="flex-row items-center justify-between gap-2 pb-2">
        <CardDescription className="font-medium">{label}</CardDescription>
        <span className="text-muted-foreground [&_svg]:size-4" aria-hidden>{icon}</span>
      </CardHeader>
      <CardContent>
        {loading ? (
          <Skeleton className="h-8 w-20" />
        ) : (
          <div className="text-2xl font-semibold tabular-nums">{value}</div>
        )}
        {sub && !loading && <p className="mt-1 text-xs text-muted-foreground">{sub}</p>}
      </CardContent>
    </Card>
  );
  return to ? <Link to={to} className="rounded-xl focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring">{body}</Link> : body;
}

export default function Dashboard() {
  const metrics = useQuery({
    queryKey: ["performance", "company", "30d"],
    queryFn: ({ signal }) => api.get<CompanyMetrics>("/api/admin/performance/company", undefined, signal),
  });
  const agents = useQuery({
    queryKey: ["agents-status"],
    queryFn: ({ signal }) => api.page<AgentPresenceView>("/api/admin/agents-status", { limit: 200 }, signal),
    refetchInterval: 30_000,
  });
  const queue = useQuery({
    queryKey: ["queue", { status: "pending" }, "count"],
    queryFn: ({ signal }) => api.page<ApprovalView>("/api/admin/queue", { status: "pending", limit: 200 }, signal),
    refetchInterval: 30_000,
  });

  const m = metrics.data;
  const online = agents.data?.items.filter((a) => a.status === "online").length ?? 0;
  const pending = queue.data ? `${queue.data.items.length}${queue.data.nextCursor ? "+" : ""}` : "";
  const maxDaily = Math.max(1, ...(m?.daily.map((d) => d.started) ?? [0]));

  return (
    <div>
      <PageHeader title="Dashboard" description="The last 30 days, and what is waiting now." />
      {metrics.isError && <QueryError error={metrics.error} retry={() => void metrics.refetch()} />}
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        <Stat label="Conversations started" icon={<MessagesSquare />} loading={metrics.isPending} value={m?.conversations.started ?? "—"} sub={m && `${m.conversations.closed} closed · ${m.conversations.handedOff} handed to a person`} to="/conversations" />
        <Stat label="Resolved by the AI" icon={<Bot />} loading={metrics.isPending} value={formatPercent(m?.aiResolutionRate)} sub={m && `handoff rate ${formatPercent(m.handoffRate)}`} />
        <Stat label="Customer satisfaction" icon={<Smile />} loading={metrics.isPending} value={m?.csat.mean != null ? `${m.csat.mean.toFixed(1)} / 5` : "—"} sub={m && `${m.csat.count} ratings · ${formatPercent(m.csat.positiveShare)} 4–5`} />
        <Stat label="First response (median)" icon={<Clock />} loading={metrics.isPending} value={formatSeconds(m?.firstResponseSeconds.median)} sub={m && `p90 ${formatSeconds(m.firstResponseSeconds.p90)}`} />
        <Stat label="Agents online" icon={<UserCheck />} loading={agents.isPending} value={agents.isError ? "—" : `${online} / ${agents.data?.items.length ?? 0}`} to="/agents" />
        <Stat label="Approvals waiting" icon={<ListChecks />} loading={queue.isPending} value={queue.isError ? "—" : pending} sub={m && `${m.approvals.created} requested in 30 days`} to="/queue" />
      </div>
      <Card className="mt-6">
        <CardHeader>
          <CardTitle>Conversations per day</CardTitle>
          <CardDescription>Started each UTC day over the last 30 days.</CardDescription>
        </CardHeader>
        <CardContent>
          {metrics.isPending ? (
            <Skeleton className="h-32 w-full" />
          ) : m && m.daily.length > 0 ? (
            <div className="flex h-32 items-end gap-1" role="img" aria-label={`Conversations per day, at most ${maxDaily}`}>
              {m.daily.map((d) => (
                <div
                  key={d.date}
                  title={`${d.date}: ${d.started} started, ${d.closed} closed`}
                  className="flex-1 rounded-t bg-primary/70"
                  style={{ height: `${Math.max(2, (d.started / maxDaily) * 100)}%` }}
                />
              ))}
            </div>
          ) : (
            <p className="text-sm text-muted-foreground">No data yet.</p>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
