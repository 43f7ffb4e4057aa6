// Agents' names by id, for pages that show who holds something (the queue's "Waiting for",
// a conversation's agent). One fetch of the agents, shared through the query cache with the
// Performance page (same key, same request) and refreshed when the Agents page changes them.
import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { api } from "./api";
import type { AgentView } from "./types";

/** The first 8 characters of an id: what is shown when the name is not known. */
export function shortId(id: string): string {
  return id.slice(0, 8);
}

/** id → name for the agents given. */
export function agentNameMap(agents: readonly Pick<AgentView, "id" | "name">[] | undefined): Map<string, string> {
  return new Map((agents ?? []).map((a) => [a.id, a.name]));
}

/**
 * The company's agents (the first 200) as id → name. Empty while loading or when the list
 * cannot be read; callers fall back to `shortId`.
 */
export function useAgentNames(): Map<string, string> {
  const agents = useQuery({
    queryKey: ["agents", "all"],
    queryFn: ({ signal }) => api.page<AgentView>("/api/admin/agents", { limit: 200 }, signal),
    staleTime: 60_000,
  });
  return useMemo(() => agentNameMap(agents.data?.items), [agents.data]);
}
