import { useState } from "react";
import { NotBuiltYet, PageHeader } from "@/components/PageState";
import { ResourceTable } from "@/components/ResourceTable";
import { StatusBadge } from "@/components/badges";
import { Label } from "@/components/ui/label";
import { formatDateTime } from "@/lib/format";
import type { ConversationView } from "@/lib/types";

const STATUSES = ["", "ai", "awaiting_approval", "human", "closed"];

export default function Conversations() {
  const [status, setStatus] = useState("");
  return (
    <div className="grid gap-4">
      <PageHeader
        title="Conversations"
        description="Every conversation with its classification."
        actions={
          <div className="flex items-center gap-2">
            <Label htmlFor="conv-status">Status</Label>
            <select
              id="conv-status"
              value={status}
              onChange={(e) => setStatus(e.target.value)}
              className="h-9 rounded-md border border-input bg-background px-2 text-sm"
            >
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s ? s.replace(/_/g, " ") : "all"}
                </option>
              ))}
            </select>
          </div>
        }
      />
      <ResourceTable<ConversationView>
        label="Conversations"
        path="/api/admin/conversations"
        query={{ status }}
        queryKey={["conversations", { status }]}
        empty="No conversations yet."
        columns={[
          { header: "Started", cell: (c) => formatDateTime(c.createdAt) },
          { header: "Status", cell: (c) => <StatusBadge value={c.status} /> },
          { header: "Category", cell: (c) => c.category ?? "—", className: "hidden sm:table-cell" },
          { header: "Priority", cell: (c) => <StatusBadge value={c.priority} />, className: "hidden sm:table-cell" },
          { header: "Sentiment", cell: (c) => c.sentiment ?? "—", className: "hidden md:table-cell" },
          { header: "Agent", cell: (c) => (c.assignedAgentId ? <span className="font-mono text-xs">{c.assignedAgentId.slice(0, 8)}</span> : "—"), className: "hidden lg:table-cell" },
        ]}
      />
      <NotBuiltYet what="Transcripts with citations and the classification's reasons" />
    </div>
  );
}
