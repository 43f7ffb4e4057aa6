import { cleanup, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { COMPANY, data, json, list, renderPage, signInAdmin, stubFetch, type Call } from "@/test/pageTesting";
import Agents from "./Agents";

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

describe("Agents page", () => {
  let calls: Call[];
  let deletes: number;
  beforeEach(() => {
    deletes = 0;
    signInAdmin();
    calls = stubFetch(({ url, method, body }) => {
      if (url === "/api/admin/agents/a1" && method === "DELETE") {
        deletes++;
        return deletes === 1
          ? json(409, { success: false, error: { code: "conflict", message: "the agent is being reassigned", details: {} } })
          : data(200, { ...agent, accountStatus: "deactivated" });
      }
      if (url.startsWith("/api/admin/agents") && method === "POST") {
        const { email } = body as { email: string };
        if (email === "taken@x.test") {
          return json(409, { success: false, error: { code: "conflict", message: "an account with this email already exists", details: {} } });
        }
        return data(201, { ...agent, id: "a2", ...(body as object), credentials: { email, temporaryPassword: "Temp-Pass-123", signInPath: `/login?company=${COMPANY}&email=${encodeURIComponent(email)}` } });
      }
      return list([agent]);
    });
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it("lists the agents", async () => {
    renderPage(<Agents />);
    const table = await screen.findByRole("table", { name: "Agents" });
    expect(within(table).getByText("bo@x.test")).toBeTruthy();
    expect(within(table).getByText("3", { exact: false })).toBeTruthy();
  });

  it("creates an agent and shows the one-time password with a sign-in link, once", async () => {
    renderPage(<Agents />);
    await userEvent.click(await screen.findByRole("button", { name: "New agent" }));
    const dialog = await screen.findByRole("dialog");
    await userEvent.type(within(dialog).getByLabelText("Name"), "Cy");
    await userEvent.type(within(dialog).getByLabelText("Email"), "Cy@X.test");
    await userEvent.type(within(dialog).getByLabelText("Skills"), "Billing, spanish");
    await userEvent.click(within(dialog).getByRole("button", { name: "Create agent" }));

    expect((await screen.findByTestId("temporary-password")).textContent).toBe("Temp-Pass-123");
    expect(calls.find((c) => c.method === "POST")!.body).toEqual({ name: "Cy", email: "cy@x.test", skills: ["billing", "spanish"], capacity: 5 });
    expect(screen.getByText(`http://localhost:3000/login?company=${COMPANY}&email=cy%40x.test`)).toBeTruthy();
    expect(screen.getByRole("button", { name: /Copy link, email and password/ })).toBeTruthy();

    // Closing forgets the password: opening again shows an empty form.
    await userEvent.click(screen.getByRole("button", { name: "Done" }));
    expect(screen.queryByTestId("temporary-password")).toBeNull();
    await userEvent.click(screen.getByRole("button", { name: "New agent" }));
    expect(((await screen.findByLabelText("Name")) as HTMLInputElement).value).toBe("");
  });

  it("shows the API's refusal inside the dialog", async () => {
    renderPage(<Agents />);
    await userEvent.click(await screen.findByRole("button", { name: "New agent" }));
    const dialog = await screen.findByRole("dialog");
    await userEvent.type(within(dialog).getByLabelText("Name"), "Dup");
    await userEvent.type(within(dialog).getByLabelText("Email"), "taken@x.test");
    await userEvent.click(within(dialog).getByRole("button", { name: "Create agent" }));
    expect((await within(dialog).findByRole("alert")).textContent).toContain("An account with this email already exists.");
  });

  it("deactivates an agent after confirming, showing a refusal inside the dialog", async () => {
    renderPage(<Agents />);
    await userEvent.click(await screen.findByRole("button", { name: "Deactivate Bo" }));
    const dialog = await screen.findByRole("dialog", { name: "Deactivate Bo?" });
    expect(within(dialog).getByText(/signed out at once/)).toBeTruthy();
    await userEvent.click(within(dialog).getByRole("button", { name: "Deactivate" }));
    expect((await within(dialog).findByRole("alert")).textContent).toContain("being reassigned");
    await userEvent.click(within(dialog).getByRole("button", { name: "Deactivate" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(await screen.findByText("Bo was deactivated.")).toBeTruthy();
    expect(calls.filter((c) => c.method === "DELETE").map((c) => c.url)).toEqual(["/api/admin/agents/a1", "/api/admin/agents/a1"]);
  });
});
