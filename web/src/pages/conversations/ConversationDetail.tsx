import { useQuery } from "@tanstack/react-query";
import { ArrowLeft } from "lucide-react";
import { Link, useParams } from "react-router-dom";
import { PageHeader, QueryError } from "@/components/PageState";
import { ClassificationPanel, Transcript } from "@/components/Transcript";
import { StatusBadge } from "@/components/badges";
import { buttonClass } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { api } from "@/lib/api";
import { formatDateTime } from "@/lib/format";
import type { ConversationDetail as Detail } from "@/lib/types";
import { shortId, useAgentNames } from "@/lib/useAgentNames";

/** One conversation for an admin: the transcript with its citations, and the classification. */
export default function ConversationDetail() {
  const { conversationId = "" } = useParams();
  const q = useQuery({
    queryKey: ["conversation", conversationId],
    queryFn: ({ signal }) => api.get<Detail>(`/api/admin/conversations/${encodeURIComponent(conversationId)}`, undefined, signal),
  });
  const c = q.data;
  const agentNames = useAgentNames();
  const agentName = c?.assignedAgentId ? agentNames.get(c.assignedAgentId) : undefined;
  return (
    <div className="grid gap-4">
      <PageHeader
        title="Conversation"
        description={c ? `Started ${formatDateTime(c.createdAt)}` : undefined}
        actions={
          <Link to="/conversations" className={buttonClass("outline", "sm")}>
            <ArrowLeft aria-hidden /> All conversations
          </Link>
        }
      />
      {q.isError && <QueryError error={q.error} retry={() => void q.refetch()} />}
      <div className="grid gap-4 lg:grid-cols-[1fr_20rem]">
        <Card>
          <CardHeader>
            <CardTitle>Transcript</CardTitle>
          </CardHeader>
          <CardContent>{q.isPending ? <Skeleton className="h-64 w-full" /> : c ? <Transcript messages={c.messages} /> : null}</CardContent>
        </Card>
        <div className="grid content-start gap-4">
          <Card>
            <CardHeader>
              <CardTitle>Status</CardTitle>
            </CardHeader>
            <CardContent className="grid gap-2 text-sm">
              {c ? (
                <dl className="grid gap-2">
                  <div className="flex justify-between gap-2"><dt className="text-muted-foreground">Status</dt><dd><StatusBadge value={c.status} /></dd></div>
                  <div className="flex justify-between gap-2"><dt className="text-muted-foreground">Agent</dt><dd>{agentName ?? (c.assignedAgentId ? <span className="font-mono text-xs" title={c.assignedAgentId}>{shortId(c.assignedAgentId)}</span> : "—")}</dd></div>
                  <div className="flex justify-between gap-2"><dt className="text-muted-foreground">Handed off</dt><dd>{c.handedOffAt ? formatDateTime(c.handedOffAt) : "—"}</dd></div>
                  <div className="flex justify-between gap-2"><dt className="text-muted-foreground">Closed</dt><dd>{c.closedAt ? formatDateTime(c.closedAt) : "—"}</dd></div>
                  {c.resolution && <div className="grid gap-1"><dt className="text-muted-foreground">Resolution</dt><dd>{c.resolution}</dd></div>}
                </dl>
              ) : (
                <Skeleton className="h-24 w-full" />
              )}
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>Classification</CardTitle>
            </CardHeader>
            <CardContent>{c ? <ClassificationPanel classification={c.classification} /> : <Skeleton className="h-32 w-full" />}</CardContent>
          </Card>
        </div>
      </div>
    </div>
  );
}
