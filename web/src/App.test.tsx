// Every route renders against the API's real shapes (empty lists, zero metrics) without
// crashing, behind the right guard.
import { cleanup, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AppRoutes } from "./App";
import { setSession } from "./lib/session";
import { json, renderPage, signInAdmin, signInAgent, stubFetch } from "./test/pageTesting";

const stats = { count: 0, mean: null, median: null, p90: null };
const metrics = {
  from: "2026-11-01T00:00:00Z",
  to: "2026-12-01T00:00:00Z",
  conversations: { started: 3, aiOnly: 1, handedOff: 2, closed: 2 },
  firstResponseSeconds: { count: 3, mean: 2, median: 1.5, p90: 4 },
  humanFirstResponseSeconds: stats,
  resolutionSeconds: stats,
  approvals: { created: 1, approved: 1, rejected: 0, escalated: 0, medianDecisionSeconds: 30 },
  csat: { count: 1, mean: 5, positiveShare: 1 },
  aiResolutionRate: 0.5,
  handoffRate: 0.66,
  daily: [{ date: "2026-11-30", started: 3, closed: 2, handedOff: 2, csatMean: 5 }],
  byCategory: { billing: 2 },
  byPriority: { medium: 3 },
  bySentiment: {},
};
const config = {
  agentName: "Assistant",
  agentPersona: "",
  brandingName: "Acme",
  brandingLogo: null,
  brandingPrimaryColor: "#2563eb",
  greetingMessage: "Hi!",
  allowedOrigins: [],
  identityRequired: false,
  identitySecretSet: false,
  ai: { provider: "builtin", apiKeySet: false },
  updatedAt: "2026-12-01T00:00:00Z",
};

function reply(path: string): unknown {
  if (path.startsWith("/api/admin/performance/company")) return { success: true, data: metrics };
  if (path.startsWith("/api/admin/config")) return { success: true, data: config };
  if (path.startsWith("/api/agent/status")) return { success: true, data: { status: "offline", lastSeenAt: null, openItems: 0 } };
  return { success: true, data: [], nextCursor: null };
}

const renderAt = (url: string) => renderPage(<AppRoutes />, url);

beforeEach(() => {
  localStorage.clear();
  stubFetch(({ url }) => json(200, reply(url)));
  vi.stubGlobal("matchMedia", (q: string) => ({ matches: false, media: q, addEventListener() {}, removeEventListener() {} }));
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("routes", () => {
  const adminPages: [string, string][] = [
    ["/", "Dashboard"],
    ["/agents", "Agents"],
    ["/ai-config", "AI Configuration"],
    ["/knowledge", "Knowledge Base"],
    ["/faqs", "FAQs"],
    ["/classification", "Classification"],
    ["/tools", "Tools"],
    ["/workflows", "Workflows"],
    ["/queue", "Queue"],
    ["/conversations", "Conversations"],
    ["/performance", "Performance"],
    ["/settings", "Settings"],
  ];

  it.each(adminPages)("admin page %s renders", async (url, title) => {
    signInAdmin();
    renderAt(url);
    expect(await screen.findByRole("heading", { level: 1, name: title })).toBeTruthy();
  });

  it("the dashboard shows the counts from the API", async () => {
    signInAdmin();
    renderAt("/");
    expect(await screen.findByText("50%")).toBeTruthy();
    expect(screen.getByText("5.0 / 5")).toBeTruthy();
  });

  it("an agent gets the agent area, not the admin pages", async () => {
    signInAgent();
    renderAt("/agents");
    expect(await screen.findByRole("heading", { level: 1, name: "My work" })).toBeTruthy();
    expect(await screen.findByText("Nothing waiting. New requests appear here.")).toBeTruthy();
  });

  it("without a session, pages send to the login page", async () => {
    renderAt("/agents");
    expect(await screen.findByRole("heading", { level: 1, name: "Sign in" })).toBeTruthy();
  });

  it("a temporary password sends to the change-password page", async () => {
    signInAgent();
    setSession({ ...JSON.parse(localStorage.getItem("switchboard.session")!), mustChangePassword: true });
    renderAt("/agent");
    expect(await screen.findByRole("heading", { level: 1, name: "Choose your password" })).toBeTruthy();
  });
});
