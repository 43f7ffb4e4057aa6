import { useQuery } from "@tanstack/react-query";
import { Bot, Clock, ListChecks, MessagesSquare, Smile, UserCheck } from "lucide-react";
import type { ReactNode } from "react";
import { Link } from "react-router-dom";
// Plain SVG, not the Recharts chunk: the first screen stays within its JavaScript budget.
import { CsatLine, DailyBars } from "@/components/charts/Sparkline";
import { PageHeader, QueryError } from "@/components/PageState";
import { StatusBadge } from "@/components/badges";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { api } from "@/lib/api";
import { formatPercent, formatRelative, formatSeconds, plural } from "@/lib/format";
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
    refetchInterval: 60_000,
  });
  const queue = useQuery({
    queryKey: ["queue", { status: "pending" }, "count"],
    queryFn: ({ signal }) => api.page<ApprovalView>("/api/admin/queue", { status: "pending", limit: 200 }, signal),
    refetchInterval: 60_000,
  });

  const m = metrics.data;
  const online = agents.data?.items.filter((a) => a.status === "online").length ?? 0;
  const pending = queue.data ? `${queue.data.items.length}${queue.data.nextCursor ? "+" : ""}` : "";

  return (
    <div>
      <PageHeader title="Dashboard" description="The last 30 days, and what is waiting now, kept current as it changes." />
      {metrics.isError && <QueryError error={metrics.error} retry={() => void metrics.refetch()} />}
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        <Stat label="Conversations started" icon={<MessagesSquare />} loading={metrics.isPending} value={m?.conversations.started ?? "—"} sub={m && `${m.conversations.closed} closed · ${m.conversations.handedOff} handed to a person`} to="/conversations" />
        <Stat label="Resolved by the AI" icon={<Bot />} loading={metrics.isPending} value={formatPercent(m?.aiResolutionRate)} sub={m && `handoff rate ${formatPercent(m.handoffRate)}`} />
        <Stat label="Customer satisfaction" icon={<Smile />} loading={metrics.isPending} value={m?.csat.mean != null ? `${m.csat.mean.toFixed(1)} / 5` : "—"} sub={m && `${plural(m.csat.count, "rating", "ratings")} · ${formatPercent(m.csat.positiveShare)} 4–5`} />
        <Stat label="First response (median)" icon={<Clock />} loading={metrics.isPending} value={formatSeconds(m?.firstResponseSeconds.median)} sub={m && `p90 ${formatSeconds(m.firstResponseSeconds.p90)}`} />
        <Stat label="Agents online" icon={<UserCheck />} loading={agents.isPending} value={agents.isError ? "—" : `${online} / ${agents.data?.items.length ?? 0}`} to="/agents" />
        <Stat label="Approvals waiting" icon={<ListChecks />} loading={queue.isPending} value={queue.isError ? "—" : pending} sub={m && `${m.approvals.created} requested in 30 days`} to="/queue" />
      </div>
      <div className="mt-6 grid gap-4 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>Conversations per day</CardTitle>
            <CardDescription>Started, handed off and closed each UTC day.</CardDescription>
          </CardHeader>
          <CardContent>{m ? <DailyBars daily={m.daily} height={160} label="Conversations per day" /> : <Skeleton className="h-52 w-full" />}</CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Satisfaction trend</CardTitle>
            <CardDescription>Mean rating of each day with ratings.</CardDescription>
          </CardHeader>
          <CardContent>{m ? <CsatLine daily={m.daily} height={160} label="Customer satisfaction per day" /> : <Skeleton className="h-52 w-full" />}</CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Waiting for a decision</CardTitle>
            <CardDescription>The pending approval requests, most pressing first.</CardDescription>
          </CardHeader>
          <CardContent>
            {queue.isPending ? (
              <Skeleton className="h-24 w-full" />
            ) : (queue.data?.items.length ?? 0) === 0 ? (
              <p className="text-sm text-muted-foreground">Nothing waiting.</p>
            ) : (
              <ul className="grid gap-2" aria-label="Pending requests">
                {queue.data!.items.slice(0, 5).map((a) => (
                  <li key={a.id} className="flex items-center justify-between gap-2 text-sm">
                    <span className="truncate">{a.summary}</span>
                    <span className="flex shrink-0 gap-1">
                      <StatusBadge value={a.priority} />
                      <span className="text-xs text-muted-foreground">{formatRelative(a.createdAt)}</span>
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Agents</CardTitle>
            <CardDescription>Who is available and how much each holds.</CardDescription>
          </CardHeader>
          <CardContent>
            {agents.isPending ? (
              <Skeleton className="h-24 w-full" />
            ) : (agents.data?.items.length ?? 0) === 0 ? (
              <p className="text-sm text-muted-foreground">No agents yet.</p>
            ) : (
              <ul className="grid gap-2" aria-label="Agents online">
                {agents.data!.items.slice(0, 8).map((a) => (
                  <li key={a.agentId} className="flex items-center justify-between gap-2 text-sm">
                    <span className="truncate">{a.name}</span>
                    <span className="flex shrink-0 items-center gap-2">
                      <span className="text-xs text-muted-foreground">{a.openItems} open</span>
                      <StatusBadge value={a.status} />
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </CardContent>
        </Card>
      </div>
    </div>
  );
}
