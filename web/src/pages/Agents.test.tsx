import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router-dom";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ToastProvider } from "@/components/ui/toast";
import { setSession } from "@/lib/session";
import Agents from "./Agents";

const COMPANY = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
const agent = {
  id: "a1",
  name: "Bo",
  email: "bo@x.test",
  status: "offline",
  accountStatus: "active",
  skills: ["billing"],
  capacity: 3,
  openItems: 0,
  lastSeenAt: null,
  mustChangePassword: true,
  createdAt: "2026-12-01T00:00:00Z",
};

function ok(status: number, body: unknown) {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

describe("Agents page", () => {
  let fetchMock: ReturnType<typeof vi.fn>;
  beforeEach(() => {
    localStorage.clear();
    setSession({
      token: "t",
      companyId: COMPANY,
      mustChangePassword: false,
      user: { id: "u", name: "Ada", email: "ada@x.test", role: "company_admin", companyId: COMPANY, mustChangePassword: false },
    });
    fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
      if (url.startsWith("/api/admin/agents") && init?.method === "POST") {
        const body = JSON.parse(init.body as string);
        if (body.email === "taken@x.test") {
          return ok(409, { success: false, error: { code: "conflict", message: "an account with this email already exists", details: {} } });
        }
        return ok(201, { success: true, data: { ...agent, id: "a2", ...body, credentials: { email: body.email, temporaryPassword: "Temp-Pass-123", signInPath: `/login?company=${COMPANY}&email=${encodeURIComponent(body.email)}` } } });
      }
      return ok(200, { success: true, data: [agent], nextCursor: null });
    });
    vi.stubGlobal("fetch", fetchMock);
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  function renderPage() {
    render(
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <ToastProvider>
          <MemoryRouter>
            <Agents />
          </MemoryRouter>
        </ToastProvider>
      </QueryClientProvider>,
    );
  }

  it("lists the agents", async () => {
    renderPage();
    const table = await screen.findByRole("table", { name: "Agents" });
    expect(within(table).getByText("bo@x.test")).toBeTruthy();
    expect(within(table).getByText("3", { exact: false })).toBeTruthy();
  });

  it("creates an agent and shows the one-time password with a sign-in link, once", async () => {
    renderPage();
    await userEvent.click(await screen.findByRole("button", { name: "New agent" }));
    const dialog = await screen.findByRole("dialog");
    await userEvent.type(within(dialog).getByLabelText("Name"), "Cy");
    await userEvent.type(within(dialog).getByLabelText("Email"), "Cy@X.test");
    await userEvent.type(within(dialog).getByLabelText("Skills"), "Billing, spanish");
    await userEvent.click(within(dialog).getByRole("button", { name: "Create agent" }));

    expect((await screen.findByTestId("temporary-password")).textContent).toBe("Temp-Pass-123");
    const post = fetchMock.mock.calls.find(([, init]) => (init as RequestInit | undefined)?.method === "POST")!;
    expect(JSON.parse((post[1] as RequestInit).body as string)).toEqual({ name: "Cy", email: "cy@x.test", skills: ["billing", "spanish"], capacity: 5 });
    expect(screen.getByText(`http://localhost:3000/login?company=${COMPANY}&email=cy%40x.test`)).toBeTruthy();
    expect(screen.getByRole("button", { name: /Copy link, email and password/ })).toBeTruthy();

    // Closing forgets the password: opening again shows an empty form.
    await userEvent.click(screen.getByRole("button", { name: "Done" }));
    expect(screen.queryByTestId("temporary-password")).toBeNull();
    await userEvent.click(screen.getByRole("button", { name: "New agent" }));
    expect(((await screen.findByLabelText("Name")) as HTMLInputElement).value).toBe("");
  });

  it("shows the API's refusal inside the dialog", async () => {
    renderPage();
    await userEvent.click(await screen.findByRole("button", { name: "New agent" }));
    const dialog = await screen.findByRole("dialog");
    await userEvent.type(within(dialog).getByLabelText("Name"), "Dup");
    await userEvent.type(within(dialog).getByLabelText("Email"), "taken@x.test");
    await userEvent.click(within(dialog).getByRole("button", { name: "Create agent" }));
    expect((await within(dialog).findByRole("alert")).textContent).toContain("An account with this email already exists.");
  });
});
