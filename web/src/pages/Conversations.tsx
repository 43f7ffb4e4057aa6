import { useState } from "react";
import { Link } from "react-router-dom";
import { PageHeader } from "@/components/PageState";
import { ResourceTable } from "@/components/ResourceTable";
import { StatusBadge } from "@/components/badges";
import { StatusFilter } from "@/components/StatusFilter";
import { formatDateTime } from "@/lib/format";
import type { ConversationView } from "@/lib/types";
import { shortId, useAgentNames } from "@/lib/useAgentNames";

const STATUSES = ["", "ai", "awaiting_approval", "human", "closed"];
// The default taxonomy; companies' own categories come from their labelled examples.
const CATEGORIES = ["", "billing", "orders", "shipping", "returns", "technical", "account", "complaint", "general"];

export default function Conversations() {
  const [status, setStatus] = useState("");
  const [category, setCategory] = useState("");
  const agentNames = useAgentNames();
  return (
    <div className="grid gap-4">
      <PageHeader
        title="Conversations"
        description="Every conversation with its classification. Open one to read its transcript."
        actions={
          <div className="flex flex-wrap gap-3">
            <StatusFilter id="conv-status" statuses={STATUSES} value={status} onChange={setStatus} />
            <StatusFilter id="conv-category" label="Category" statuses={CATEGORIES} value={category} onChange={setCategory} />
          </div>
        }
      />
      <ResourceTable<ConversationView>
        label="Conversations"
        path="/api/admin/conversations"
        query={{ status, category }}
        queryKey={["conversations", { status, category }]}
        empty="No conversations yet."
        columns={[
          {
            header: "Started",
            cell: (c) => (
              <Link to={`/conversations/${encodeURIComponent(c.id)}`} className="font-medium text-primary underline-offset-4 hover:underline">
                {formatDateTime(c.createdAt)}
              </Link>
            ),
          },
          { header: "Status", cell: (c) => <StatusBadge value={c.status} /> },
          { header: "Category", cell: (c) => c.category ?? "—", className: "hidden sm:table-cell" },
          { header: "Priority", cell: (c) => <StatusBadge value={c.priority} />, className: "hidden sm:table-cell" },
          { header: "Sentiment", cell: (c) => c.sentiment ?? "—", className: "hidden md:table-cell" },
          {
            header: "Agent",
            cell: (c) =>
              c.assignedAgentId ? (agentNames.get(c.assignedAgentId) ?? <span className="font-mono text-xs" title={c.assignedAgentId}>{shortId(c.assignedAgentId)}</span>) : "—",
            className: "hidden lg:table-cell",
          },
        ]}
      />
    </div>
  );
}
