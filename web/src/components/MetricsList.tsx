import { formatPercent, formatSeconds, plural } from "@/lib/format";
import type { Metrics } from "@/lib/types";

/** The metrics every performance route returns, as label and value rows. */
export function metricRows(m: Metrics): [string, string][] {
  return [
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
    ["CSAT (mean, ratings, share 4–5)", m.csat.mean != null ? `${m.csat.mean.toFixed(2)} · ${plural(m.csat.count, "rating", "ratings")} · ${formatPercent(m.csat.positiveShare)}` : "no ratings"],
  ];
}

export function MetricsList({ metrics }: { metrics: Metrics }) {
  return (
    <dl>
      {metricRows(metrics).map(([k, v]) => (
        <div key={k} className="flex justify-between gap-4 border-b py-2 text-sm last:border-0">
          <dt className="text-muted-foreground">{k}</dt>
          <dd className="text-right tabular-nums">{v}</dd>
        </div>
      ))}
    </dl>
  );
}
