import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { NotBuiltYet, PageHeader, QueryError } from "@/components/PageState";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { api } from "@/lib/api";
import { formatPercent, formatSeconds } from "@/lib/format";
import type { CompanyMetrics } from "@/lib/types";

function isoDay(d: Date) {
  return d.toISOString().slice(0, 10);
}

export default function Performance() {
  const today = new Date();
  const [from, setFrom] = useState(isoDay(new Date(today.getTime() - 29 * 86400_000)));
  // `to` is exclusive in the API; the form shows the last day included.
  const [until, setUntil] = useState(isoDay(today));
  const to = isoDay(new Date(new Date(`${until}T00:00:00Z`).getTime() + 86400_000));
  const q = useQuery({
    queryKey: ["performance", "company", from, to],
    queryFn: ({ signal }) => api.get<CompanyMetrics>("/api/admin/performance/company", { from, to }, signal),
    enabled: !!from && !!until,
  });
  const m = q.data;
  const rows: [string, string][] = m
    ? [
        ["Conversations started", String(m.conversations.started)],
        ["Handled by the AI only", String(m.conversations.aiOnly)],
        ["Handed to a person", String(m.conversations.handedOff)],
        ["Closed", String(m.conversations.closed)],
        ["AI resolution rate", formatPercent(m.aiResolutionRate)],
        ["Handoff rate", formatPercent(m.handoffRate)],
        ["First response (median / p90)", `${formatSeconds(m.firstResponseSeconds.median)} / ${formatSeconds(m.firstResponseSeconds.p90)}`],
        ["Agent first response (median / p90)", `${formatSeconds(m.humanFirstResponseSeconds.median)} / ${formatSeconds(m.humanFirstResponseSeconds.p90)}`],
        ["Resolution time (median / p90)", `${formatSeconds(m.resolutionSeconds.median)} / ${formatSeconds(m.resolutionSeconds.p90)}`],
        ["Approvals (created / approved / rejected / escalated)", `${m.approvals.created} / ${m.approvals.approved} / ${m.approvals.rejected} / ${m.approvals.escalated}`],
        ["Median time to decision", formatSeconds(m.approvals.medianDecisionSeconds)],
        ["CSAT (mean, ratings, share 4–5)", m.csat.mean != null ? `${m.csat.mean.toFixed(2)} · ${m.csat.count} · ${formatPercent(m.csat.positiveShare)}` : `no ratings`],
      ]
    : [];
  return (
    <div className="grid gap-4">
      <PageHeader
        title="Performance"
        description="Company metrics over a date range (UTC days)."
        actions={
          <div className="flex flex-wrap items-end gap-2">
            <div className="grid gap-1">
              <Label htmlFor="perf-from">From</Label>
              <Input id="perf-from" type="date" value={from} max={until} onChange={(e) => setFrom(e.target.value)} className="w-40" />
            </div>
            <div className="grid gap-1">
              <Label htmlFor="perf-until">Until (inclusive)</Label>
              <Input id="perf-until" type="date" value={until} min={from} onChange={(e) => setUntil(e.target.value)} className="w-40" />
            </div>
          </div>
        }
      />
      {q.isError && <QueryError error={q.error} retry={() => void q.refetch()} />}
      <div className="grid gap-4 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>Company</CardTitle>
          </CardHeader>
          <CardContent>
            {q.isPending ? (
              <Skeleton className="h-64 w-full" />
            ) : (
              <dl>
                {rows.map(([k, v]) => (
                  <div key={k} className="flex justify-between gap-4 border-b py-2 text-sm last:border-0">
                    <dt className="text-muted-foreground">{k}</dt>
                    <dd className="text-right tabular-nums">{v}</dd>
                  </div>
                ))}
              </dl>
            )}
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>By category, priority and sentiment</CardTitle>
          </CardHeader>
          <CardContent className="grid gap-3">
            {q.isPending ? (
              <Skeleton className="h-64 w-full" />
            ) : m ? (
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
                    <ul className="grid gap-1 text-sm">
                      {Object.entries(counts)
                        .sort((a, b) => b[1] - a[1])
                        .map(([k, v]) => (
                          <li key={k} className="flex justify-between">
                            <span>{k}</span>
                            <span className="tabular-nums">{v}</span>
                          </li>
                        ))}
                    </ul>
                  )}
                </div>
              ))
            ) : null}
          </CardContent>
        </Card>
      </div>
      {m && m.daily.length > 0 && (
        <Card className="overflow-hidden">
          <CardHeader>
            <CardTitle>Daily</CardTitle>
          </CardHeader>
          <Table aria-label="Daily series">
            <TableHeader>
              <TableRow>
                <TableHead>Date</TableHead>
                <TableHead className="text-right">Started</TableHead>
                <TableHead className="text-right">Handed off</TableHead>
                <TableHead className="text-right">Closed</TableHead>
                <TableHead className="text-right">CSAT</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {[...m.daily].reverse().map((d) => (
                <TableRow key={d.date}>
                  <TableCell>{d.date}</TableCell>
                  <TableCell className="text-right tabular-nums">{d.started}</TableCell>
                  <TableCell className="text-right tabular-nums">{d.handedOff}</TableCell>
                  <TableCell className="text-right tabular-nums">{d.closed}</TableCell>
                  <TableCell className="text-right tabular-nums">{d.csatMean != null ? d.csatMean.toFixed(1) : "—"}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Card>
      )}
      <NotBuiltYet what="Charts and per-agent performance" />
    </div>
  );
}
