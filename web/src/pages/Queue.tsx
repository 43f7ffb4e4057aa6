import { useState } from "react";
import { PageHeader } from "@/components/PageState";
import { ResourceTable } from "@/components/ResourceTable";
import { StatusBadge } from "@/components/badges";
import { StatusFilter } from "@/components/StatusFilter";
import { formatRelative } from "@/lib/format";
import type { ApprovalView } from "@/lib/types";
import { shortId, useAgentNames } from "@/lib/useAgentNames";
import { ReassignDialog } from "@/pages/queue/ReassignDialog";

const STATUSES = ["", "pending", "approved", "rejected", "escalated"];
const PRIORITIES = ["", "critical", "high", "medium", "low"];

export default function Queue() {
  const [status, setStatus] = useState("pending");
  const [priority, setPriority] = useState("");
  const agentNames = useAgentNames();
  return (
    <div className="grid gap-4">
      <PageHeader
        title="Queue"
        description="Approval requests, by priority, urgency and age, kept current as they change."
        actions={
          <div className="flex flex-wrap gap-3">
            <StatusFilter id="queue-status" statuses={STATUSES} value={status} onChange={setStatus} />
            <StatusFilter id="queue-priority" label="Priority" statuses={PRIORITIES} value={priority} onChange={setPriority} />
          </div>
        }
      />
      <ResourceTable<ApprovalView>
        label="Approval requests"
        path="/api/admin/queue"
        query={{ status, priority }}
        queryKey={["queue", { status, priority }]}
        empty={status ? `No ${status} requests.` : "No approval requests yet."}
        columns={[
          {
            header: "Request",
            cell: (a) => (
              <div className="max-w-md">
                <div className="font-medium">{a.summary}</div>
                {typeof a.proposedAction.tool === "string" && <div className="font-mono text-xs text-muted-foreground">{a.proposedAction.tool}</div>}
              </div>
            ),
          },
          { header: "Priority", cell: (a) => <StatusBadge value={a.priority} /> },
          { header: "Urgency", cell: (a) => <StatusBadge value={a.urgency} />, className: "hidden sm:table-cell" },
          { header: "Status", cell: (a) => <StatusBadge value={a.status} />, className: "hidden sm:table-cell" },
          {
            header: "Waiting for",
            cell: (a) => (a.agentId ? (agentNames.get(a.agentId) ?? <span className="font-mono text-xs" title={a.agentId}>{shortId(a.agentId)}</span>) : "admins"),
            className: "hidden md:table-cell",
          },
          { header: "Age", cell: (a) => formatRelative(a.createdAt), className: "hidden md:table-cell text-muted-foreground" },
          { header: "Actions", cell: (a) => (a.status === "pending" || a.status === "escalated" ? <ReassignDialog request={a} /> : null) },
        ]}
      />
    </div>
  );
}
