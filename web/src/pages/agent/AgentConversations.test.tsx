import { cleanup, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { data, json, list, renderPage, signInAgent, stubFetch } from "@/test/pageTesting";
import AgentConversations from "./AgentConversations";

const ME = "agent-1";

const base = {
  id: "c1",
  customerId: null,
  status: "human",
  assignedAgentId: null as string | null,
  category: "returns",
  priority: "medium",
  urgency: "low",
  sentiment: "neutral",
  classification: {
    category: { label: "returns", score: 0.91, reasons: ["similar to “I want to send it back” (returns, 0.82)"] },
    priority: { level: "medium", score: 0.5, reasons: [] },
  },
  resolution: null,
  createdAt: "2026-12-04T10:00:00Z",
  updatedAt: "2026-12-04T10:01:00Z",
  handedOffAt: "2026-12-04T10:01:00Z",
  closedAt: null,
};
const messages = [
  { id: "m1", conversationId: "c1", sender: "customer", content: "Can I return shoes?", citations: [], createdAt: "2026-12-04T10:00:00Z" },
  {
    id: "m2",
    conversationId: "c1",
    sender: "ai",
    content: "You can return unused items within 30 days.",
    citations: [{ documentId: "d1", title: "Returns policy", excerpt: "You can return unused items within 30 days." }],
    createdAt: "2026-12-04T10:00:01Z",
  },
];

describe("Agent conversations", () => {
  let owner: string | null;
  let sent: unknown[];
  beforeEach(() => {
    owner = null;
    sent = [];
    signInAgent({ id: ME, name: "Bo", email: "bo@x.test" });
    stubFetch(({ url, method, body }) => {
      const conv = { ...base, assignedAgentId: owner };
      if (url.endsWith("/takeover")) {
        owner = ME;
        return data(200, { ...conv, assignedAgentId: ME });
      }
      if (url.endsWith("/messages") && method === "POST") {
        const { content } = body as { content: string };
        sent.push(content);
        return data(201, { id: "m3", conversationId: "c1", sender: "agent", content, citations: [], createdAt: "2026-12-04T10:02:00Z" });
      }
      if (url.startsWith("/api/agent/conversations/c1")) return data(200, { ...conv, messages });
      if (url.startsWith("/api/agent/conversations")) return list([conv]);
      return json(404, { success: false, error: { code: "not_found", message: "not found", details: {} } });
    });
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it("opens a conversation with its citations and reasons, takes it over and replies", async () => {
    const user = userEvent.setup();
    renderPage(<AgentConversations />, "/agent/conversations");
    const list = await screen.findByRole("list", { name: "Conversations" });
    await user.click(within(list).getByRole("button", { name: /returns/ }));

    const transcript = await screen.findByRole("list", { name: "Transcript" });
    expect(within(transcript).getByText("Can I return shoes?")).toBeTruthy();
    expect(within(transcript).getByRole("list", { name: "Sources" }).textContent).toContain("Returns policy");
    expect(screen.getByText(/similar to “I want to send it back”/)).toBeTruthy();
    // Not the agent's yet: no reply box, a takeover button.
    expect(screen.queryByLabelText("Reply to the customer")).toBeNull();

    await user.click(screen.getByRole("button", { name: "Take over" }));
    const box = await screen.findByLabelText("Reply to the customer");
    await user.type(box, "Happy to help with that.{Enter}");
    expect(await within(transcript).findByText("Happy to help with that.")).toBeTruthy();
    expect(sent).toEqual(["Happy to help with that."]);
    expect(screen.getByRole("button", { name: "Release to AI" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Close" })).toBeTruthy();
  });
});
