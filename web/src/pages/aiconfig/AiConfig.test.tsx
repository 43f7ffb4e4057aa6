import { cleanup, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import axe from "axe-core";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ConfigView } from "@/lib/types";
import { data, invalid, renderPage, signInAdmin, stubFetch, type Call } from "@/test/pageTesting";
import AiConfig from "../AiConfig";

const config: ConfigView = {
  agentName: "Ava",
  agentPersona: "Friendly and brief.",
  brandingName: "Acme",
  brandingLogo: null,
  brandingPrimaryColor: "#2563eb",
  greetingMessage: "Hi! Ask me about returns.",
  allowedOrigins: [],
  identityRequired: false,
  identitySecretSet: false,
  ai: { provider: "openai", baseUrl: "https://api.openai.com/v1", model: null, apiKeySet: true, faqThreshold: null, answerThreshold: null },
  updatedAt: "2026-12-01T00:00:00Z",
};

describe("AI Configuration page", () => {
  let calls: Call[];
  let refuse: boolean;
  beforeEach(() => {
    signInAdmin();
    refuse = false;
    calls = stubFetch((c) => {
      if (c.method === "PUT") {
        if (refuse) return invalid([{ field: "ai.baseUrl", message: "address 10.0.0.1 is private" }, { field: "ai.colour", message: "is not a known field" }]);
        const body = c.body as Record<string, unknown>;
        const ai = body.ai as Record<string, unknown> | undefined;
        return data(200, { ...config, ...body, ai: { ...config.ai, ...ai, apiKeySet: ai?.apiKey === null ? false : true } });
      }
      return data(200, config);
    });
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it("previews the widget as the admin types and saves only what changed", async () => {
    renderPage(<main><AiConfig /></main>);
    const name = await screen.findByLabelText("Agent name");
    expect((name as HTMLInputElement).value).toBe("Ava");
    const preview = screen.getByTestId("widget-preview");
    expect(within(preview).getByTestId("preview-title").textContent).toBe("Ava");
    expect(within(preview).getByTestId("preview-subtitle").textContent).toBe("Acme");

    await userEvent.clear(name);
    await userEvent.type(name, "Max");
    await userEvent.clear(screen.getByLabelText("Branding name"));
    await userEvent.type(screen.getByLabelText("Branding name"), "Shop");
    await userEvent.clear(screen.getByLabelText("Greeting"));
    await userEvent.type(screen.getByLabelText("Greeting"), "Welcome!");
    const colour = screen.getByLabelText("Primary colour");
    await userEvent.clear(colour);
    await userEvent.type(colour, "#0F766E");

    expect(within(preview).getByTestId("preview-title").textContent).toBe("Max");
    expect(within(preview).getByTestId("preview-subtitle").textContent).toBe("Shop");
    expect(within(preview).getByTestId("preview-greeting").textContent).toBe("Welcome!");
    expect(preview.style.getPropertyValue("--sb-primary")).toBe("#0f766e");
    expect(preview.style.getPropertyValue("--sb-on-primary")).toBe("#ffffff");
    expect((screen.getByLabelText("Colour picker") as HTMLInputElement).value).toBe("#0f766e");

    await userEvent.click(screen.getByRole("button", { name: "Save configuration" }));
    expect(await screen.findByText("Configuration saved.")).toBeTruthy();
    const put = calls.find((c) => c.method === "PUT")!;
    expect(put.url).toBe("/api/admin/config");
    expect(put.body).toEqual({ agentName: "Max", brandingName: "Shop", greetingMessage: "Welcome!", brandingPrimaryColor: "#0f766e" });
  });

  it("checks the colour before sending, and puts the API's field errors on the fields", async () => {
    renderPage(<AiConfig />);
    const colour = await screen.findByLabelText("Primary colour");
    await userEvent.clear(colour);
    await userEvent.type(colour, "blue");
    await userEvent.click(screen.getByRole("button", { name: "Save configuration" }));
    expect((await screen.findByText(/A colour written #rrggbb/)).id).toBe("cfg-color-error");
    expect(colour.getAttribute("aria-invalid")).toBe("true");
    expect(calls.some((c) => c.method === "PUT")).toBe(false);
    // While the text is not a colour, the preview keeps the saved one.
    expect(screen.getByTestId("widget-preview").style.getPropertyValue("--sb-primary")).toBe("#2563eb");

    await userEvent.clear(colour);
    await userEvent.type(colour, "#112233");
    refuse = true;
    const url = screen.getByLabelText("Base URL");
    await userEvent.clear(url);
    await userEvent.type(url, "http://10.0.0.1/v1");
    // Moving the URL to another site drops the stored key: the hint says so before saving.
    expect(screen.getByText(/the stored key will be removed/)).toBeTruthy();
    await userEvent.click(screen.getByRole("button", { name: "Save configuration" }));
    expect((await screen.findByText("Address 10.0.0.1 is private")).id).toBe("cfg-base-url-error");
    expect(screen.getByText("Ai.colour is not a known field")).toBeTruthy();
  });

  it("keeps the API key write-only: a new one replaces it, the checkbox removes it", async () => {
    renderPage(<AiConfig />);
    const key = (await screen.findByLabelText("API key")) as HTMLInputElement;
    expect(key.type).toBe("password");
    expect(key.value).toBe("");
    await userEvent.click(screen.getByLabelText("Remove the stored API key"));
    expect(key.disabled).toBe(true);
    await userEvent.click(screen.getByRole("button", { name: "Save configuration" }));
    await screen.findByText("Configuration saved.");
    expect(calls.find((c) => c.method === "PUT")!.body).toEqual({ ai: { apiKey: null } });
    // Once removed there is nothing left to remove.
    expect(screen.queryByLabelText("Remove the stored API key")).toBeNull();
  });

  it("hides the OpenAI-only fields for the built-in provider and passes axe", async () => {
    renderPage(<main><AiConfig /></main>);
    await userEvent.selectOptions(await screen.findByLabelText("Provider"), "builtin");
    expect(screen.queryByLabelText("Base URL")).toBeNull();
    expect(screen.queryByLabelText("API key")).toBeNull();
    const result = await axe.run(document.body, { rules: { "color-contrast": { enabled: false } } });
    expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
  });
});
