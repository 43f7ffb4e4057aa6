import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useSearchParams } from "react-router-dom";
import { PageHeader, QueryError, TableSkeleton } from "@/components/PageState";
import { LoadMore } from "@/components/ResourceTable";
import { StatusBadge } from "@/components/badges";
import { StatusFilter } from "@/components/StatusFilter";
import { Card } from "@/components/ui/card";
import { api } from "@/lib/api";
import { formatRelative } from "@/lib/format";
import { useSession } from "@/lib/session";
import { cn } from "@/lib/utils";
import type { ConversationView } from "@/lib/types";
import { ConversationPane } from "./ConversationPane";

const STATUSES = ["", "human", "awaiting_approval", "ai", "closed"];

/** The agent's inbox: its conversations and the live ones nobody owns, beside the one open. */
export default function AgentConversations() {
  const [status, setStatus] = useState("");
  const [params, setParams] = useSearchParams();
  const selected = params.get("c");
  const me = useSession()?.user.id;
  const q = useInfiniteQuery({
    queryKey: ["agent", "conversations", { status }],
    queryFn: ({ pageParam, signal }) => api.page<ConversationView>("/api/agent/conversations", { status, limit: 50, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = q.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div className="grid gap-4">
      <PageHeader
        title="Conversations"
        description="Yours, and the live ones no person owns yet. Messages appear as they arrive."
        actions={<StatusFilter id="agent-conv-status" statuses={STATUSES} value={status} onChange={setStatus} />}
      />
      <div className="grid gap-4 lg:grid-cols-[20rem_1fr]">
        <Card className={cn("overflow-hidden", selected && "hidden lg:block")}>
          {q.isPending ? (
            <TableSkeleton rows={4} />
          ) : q.isError ? (
            <QueryError error={q.error} retry={() => void q.refetch()} />
          ) : rows.length === 0 ? (
            <p className="p-8 text-center text-sm text-muted-foreground">No conversations waiting.</p>
          ) : (
            <>
              <ul aria-label="Conversations" className="divide-y">
                {rows.map((c) => (
                  <li key={c.id}>
                    <button
                      type="button"
                      aria-current={selected === c.id ? "true" : undefined}
                      onClick={() => setParams({ c: c.id })}
                      className={cn(
                        "grid w-full gap-1 px-4 py-3 text-left text-sm hover:bg-accent focus-visible:bg-accent focus-visible:outline-none",
                        selected === c.id && "bg-accent",
                      )}
                    >
                      <span className="flex items-center justify-between gap-2">
                        <span className="font-medium">{c.category ?? "New conversation"}</span>
                        <StatusBadge value={c.status} />
                      </span>
                      <span className="flex items-center justify-between gap-2 text-xs text-muted-foreground">
                        <span>{c.assignedAgentId ? (c.assignedAgentId === me ? "Yours" : "Another agent's") : "Nobody yet"}</span>
                        <span>{formatRelative(c.updatedAt)}</span>
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
              <LoadMore query={q} />
            </>
          )}
        </Card>
        {selected ? (
          <ConversationPane id={selected} onBack={() => setParams({})} />
        ) : (
          <Card className="hidden place-items-center p-8 text-sm text-muted-foreground lg:grid">Choose a conversation to read it.</Card>
        )}
      </div>
    </div>
  );
}
