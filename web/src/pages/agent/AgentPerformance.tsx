import { useQuery } from "@tanstack/react-query";
import { DateRangePicker, useDateRange } from "@/components/DateRange";
import { MetricsList } from "@/components/MetricsList";
import { PageHeader, QueryError } from "@/components/PageState";
import { Card, CardContent } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { api } from "@/lib/api";
import type { Metrics } from "@/lib/types";

/** The signed-in agent's own metrics over a range of days. */
export default function AgentPerformance() {
  const range = useDateRange();
  const q = useQuery({
    queryKey: ["performance", "me", range.from, range.to],
    queryFn: ({ signal }) => api.get<Metrics>("/api/agent/performance", { from: range.from, to: range.to }, signal),
    enabled: range.valid,
  });
  return (
    <div className="grid gap-4">
      <PageHeader title="My performance" description="Your conversations, response times, decisions and ratings (UTC days)." actions={<DateRangePicker range={range} idPrefix="me" />} />
      {q.isError && <QueryError error={q.error} retry={() => void q.refetch()} />}
      <Card className="max-w-2xl">
        <CardContent className="pt-6">{q.data ? <MetricsList metrics={q.data} /> : <Skeleton className="h-64 w-full" />}</CardContent>
      </Card>
    </div>
  );
}
