import { cleanup, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import axe from "axe-core";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ConfigView } from "@/lib/types";
import { data, invalid, list, renderPage, signInAdmin, stubFetch, type Call } from "@/test/pageTesting";
import Settings from "../Settings";

const SECRET = "ab".repeat(32);
const base: ConfigView = {
  agentName: "Ava",
  agentPersona: "",
  brandingName: "Acme",
  brandingLogo: null,
  brandingPrimaryColor: "#2563eb",
  greetingMessage: "Hi!",
  allowedOrigins: ["https://shop.example.com"],
  identityRequired: false,
  identitySecretSet: false,
  ai: { provider: "builtin", apiKeySet: false },
  updatedAt: "2026-12-01T00:00:00Z",
};

describe("Settings page", () => {
  let calls: Call[];
  let config: ConfigView;
  beforeEach(() => {
    signInAdmin();
    config = { ...base };
    calls = stubFetch((c) => {
      if (c.url.startsWith("/api/admin/audit-log")) return list([]);
      if (c.url === "/api/admin/config/identity-secret" && c.method === "POST") {
        config = { ...config, identitySecretSet: true };
        return data(200, { identitySecret: SECRET });
      }
      if (c.url === "/api/admin/config" && c.method === "PUT") {
        const body = c.body as Partial<ConfigView>;
        if (body.allowedOrigins?.includes("http://evil.test")) {
          return invalid([{ field: `allowedOrigins[${body.allowedOrigins.indexOf("http://evil.test")}]`, message: "is refused by the test" }]);
        }
        config = { ...config, ...body };
        return data(200, config);
      }
      return data(200, config);
    });
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it("edits the allowed origins: validates, adds, removes and saves the list", async () => {
    renderPage(<Settings />);
    const input = await screen.findByLabelText("New origin");
    await userEvent.type(input, "https://shop.example.com/cart");
    await userEvent.click(screen.getByRole("button", { name: "Add origin" }));
    expect((await screen.findByText(/remove the path/)).id).toBe("new-origin-error");

    await userEvent.clear(input);
    await userEvent.type(input, "HTTPS://Staging.Example.com:443/{Enter}");
    const items = within(screen.getByRole("list", { name: "Allowed origins" }));
    expect(items.getByText("https://staging.example.com")).toBeTruthy();
    await userEvent.click(screen.getByRole("button", { name: "Remove https://shop.example.com" }));
    // Typed but not added: saving takes it along.
    await userEvent.type(input, "http://localhost:3000");
    await userEvent.click(screen.getByRole("button", { name: "Save origins" }));

    expect(await screen.findByText("Allowed origins saved.")).toBeTruthy();
    const put = calls.find((c) => c.method === "PUT")!;
    expect(put.body).toEqual({ allowedOrigins: ["https://staging.example.com", "http://localhost:3000"] });
    expect(screen.getByRole("button", { name: "Save origins" }).hasAttribute("disabled")).toBe(true);
  });

  it("shows the API's refusal of one origin beside it", async () => {
    renderPage(<Settings />);
    await userEvent.type(await screen.findByLabelText("New origin"), "http://evil.test");
    await userEvent.click(screen.getByRole("button", { name: "Add origin" }));
    await userEvent.click(screen.getByRole("button", { name: "Save origins" }));
    const row = (await screen.findByText("Is refused by the test")).closest("li")!;
    expect(within(row).getByText("http://evil.test")).toBeTruthy();
  });

  it("rotates the identity secret after a confirmation, shows it once, then allows requiring identity", async () => {
    renderPage(<Settings />);
    const toggle = await screen.findByRole("switch", { name: "Require verified identity" });
    expect(toggle.hasAttribute("disabled")).toBe(true);
    expect(screen.getByTestId("embed-snippet").textContent).not.toContain("hash");

    await userEvent.click(screen.getByRole("button", { name: "Rotate identity secret" }));
    const dialog = await screen.findByRole("dialog", { name: "Generate an identity secret?" });
    expect(calls.some((c) => c.method === "POST")).toBe(false);
    await userEvent.click(within(dialog).getByRole("button", { name: "Generate secret" }));
    expect((await screen.findByTestId("identity-secret")).textContent).toBe(SECRET);
    expect(screen.getByRole("button", { name: "Copy secret" })).toBeTruthy();
    await userEvent.click(screen.getByRole("button", { name: "Done" }));
    expect(screen.queryByTestId("identity-secret")).toBeNull();

    // The secret now exists: the snippet shows the signed fields and the switch works.
    await vi.waitFor(() => expect(screen.getByTestId("embed-snippet").textContent).toContain("hash: 'USER_HASH'"));
    const on = screen.getByRole("switch", { name: "Require verified identity" });
    expect(on.hasAttribute("disabled")).toBe(false);
    await userEvent.click(on);
    expect(await screen.findByText("Verified identity is now required.")).toBeTruthy();
    expect(calls.filter((c) => c.method === "PUT").map((c) => c.body)).toEqual([{ identityRequired: true }]);
    expect(screen.getByTestId("embed-snippet").textContent).toContain("Identity verification (required)");
  });

  it("passes axe", async () => {
    renderPage(<main><Settings /></main>);
    await screen.findByLabelText("New origin");
    await screen.findByText("Nothing recorded yet.");
    const result = await axe.run(document.body, { rules: { "color-contrast": { enabled: false } } });
    expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
  });
});
