import { cleanup, screen, within } from "@testing-library/react";
import { Route, Routes } from "react-router-dom";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import Queue from "@/pages/Queue";
import ConversationDetail from "@/pages/conversations/ConversationDetail";
import { json, renderPage, signInAdmin, stubFetch, type Call } from "@/test/pageTesting";
import { agentNameMap, shortId } from "./useAgentNames";

const KNOWN = "0190aaaa-0000-7000-8000-000000000001";
const GONE = "0190bbbb-0000-7000-8000-000000000002";

const approval = (id: string, agentId: string | null, summary: string) => ({
  id,
  conversationId: "c1",
  summary,
  proposedAction: { tool: "refund" },
  priority: "high",
  urgency: "medium",
  reasons: {},
  status: "pending",
  escalated: false,
  agentId,
  assignmentReasons: {},
  createdAt: "2026-12-01T00:00:00Z",
  updatedAt: "2026-12-01T00:00:00Z",
});

function reply(url: string): unknown {
  if (url.startsWith("/api/admin/agents")) return { success: true, data: [{ id: KNOWN, name: "Bo Baker" }], nextCursor: null };
  if (url.startsWith("/api/admin/queue")) {
    return { success: true, data: [approval("r1", KNOWN, "Refund order 1"), approval("r2", GONE, "Refund order 2"), approval("r3", null, "Refund order 3")], nextCursor: null };
  }
  if (url.startsWith("/api/admin/conversations/")) {
    return {
      success: true,
      data: { id: "c1", status: "human", assignedAgentId: KNOWN, priority: "medium", urgency: "low", classification: {}, createdAt: "2026-12-01T00:00:00Z", updatedAt: "2026-12-01T00:00:00Z", messages: [] },
    };
  }
  return { success: true, data: [], nextCursor: null };
}

let calls: Call[];
beforeEach(() => {
  signInAdmin();
  calls = stubFetch(({ url }) => json(200, reply(url)));
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function renderAt(url: string) {
  renderPage(
    <Routes>
      <Route path="/queue" element={<Queue />} />
      <Route path="/conversations/:conversationId" element={<ConversationDetail />} />
    </Routes>,
    url,
  );
}

describe("agent names", () => {
  it("maps ids to names and shortens ids", () => {
    expect(agentNameMap([{ id: "a", name: "Ann" }]).get("a")).toBe("Ann");
    expect(agentNameMap(undefined).size).toBe(0);
    expect(shortId(GONE)).toBe("0190bbbb");
  });

  it("the queue shows who a request waits for by name, else the short id, else admins", async () => {
    renderAt("/queue");
    const table = await screen.findByRole("table", { name: "Approval requests" });
    const row = async (summary: string) => (await within(table).findByText(summary)).closest("tr")!;
    expect(within(await row("Refund order 1")).getByText("Bo Baker")).toBeTruthy();
    expect(within(await row("Refund order 2")).getByText("0190bbbb")).toBeTruthy();
    expect(within(await row("Refund order 3")).getByText("admins")).toBeTruthy();
    expect(calls.some(({ url }) => url.startsWith("/api/admin/agents?") && url.includes("limit=200"))).toBe(true);
  });

  it("a conversation shows its agent by name", async () => {
    renderAt("/conversations/c1");
    const agent = (await screen.findByText("Agent", { selector: "dt" })).nextElementSibling!;
    expect(await within(agent as HTMLElement).findByText("Bo Baker")).toBeTruthy();
  });
});
