import { cleanup, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { data, json, list, renderPage, signInAdmin, stubFetch, type Call } from "@/test/pageTesting";
import Tools from "../Tools";

const stored = {
  id: "t1",
  name: "lookup_order",
  description: "Finds an order",
  type: "webhook",
  parameters: { type: "object", properties: { orderId: { type: "string", description: "The number" }, express: { type: "boolean" } }, required: ["orderId"] },
  config: { url: "https://api.example.com/orders", method: "GET", headers: { "X-Key": "********" }, timeoutMs: 5000 },
  requiresApproval: false,
  enabled: true,
  createdAt: "2026-12-01T00:00:00Z",
  updatedAt: "2026-12-01T00:00:00Z",
};

describe("Tools page", () => {
  let recorded: Call[];
  let onPost: (url: string, body: Record<string, unknown>) => Response;
  let onDelete: () => Response;
  const calls = (method: string) => recorded.filter((c) => c.method === method);
  const bodyOf = (call: Call) => call.body as Record<string, unknown>;

  beforeEach(() => {
    signInAdmin();
    onPost = (_url, body) => data(201, { ...stored, id: "t2", ...body });
    onDelete = () => new Response(null, { status: 204 });
    recorded = stubFetch(({ url, method, body }) => {
      if (method === "POST") return onPost(url, body as Record<string, unknown>);
      if (method === "PUT") return data(200, { ...stored, ...(body as Record<string, unknown>) });
      if (method === "DELETE") return onDelete();
      return list([stored]);
    });
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it("creates a function tool whose parameters are built from the list", async () => {
    renderPage(<Tools />);
    await userEvent.click(await screen.findByRole("button", { name: "New tool" }));
    const dialog = await screen.findByRole("dialog", { name: "New tool" });
    const d = within(dialog);
    await userEvent.type(d.getByLabelText("Name", { exact: true }), "double_it");
    await userEvent.type(d.getByLabelText("Description", { exact: true }), "Doubles a number");
    await userEvent.click(d.getByLabelText("Function"));
    await userEvent.type(d.getByLabelText("Script"), "args.n * 2");
    await userEvent.click(d.getByRole("button", { name: "Add parameter" }));
    expect(document.activeElement).toBe(d.getByLabelText("Name (parameter 1)"));
    await userEvent.type(d.getByLabelText("Name (parameter 1)"), "n");
    await userEvent.selectOptions(d.getByLabelText("Type (parameter 1)"), "integer");
    await userEvent.type(d.getByLabelText("Allowed values (parameter 1)"), "1, 2, 3");
    await userEvent.click(d.getByLabelText("Required (parameter 1)"));
    await userEvent.click(d.getByRole("switch", { name: "Requires approval" }));
    await userEvent.click(d.getByRole("button", { name: "Create tool" }));

    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(bodyOf(calls("POST")[0])).toEqual({
      name: "double_it",
      description: "Doubles a number",
      type: "function",
      parameters: { type: "object", properties: { n: { type: "integer", enum: [1, 2, 3] } }, required: ["n"] },
      config: { script: "args.n * 2" },
      requiresApproval: true,
      enabled: true,
    });
  });

  it("switches between the list and raw JSON, and checks the JSON before sending", async () => {
    renderPage(<Tools />);
    await userEvent.click(await screen.findByRole("button", { name: "Edit lookup_order" }));
    const d = within(await screen.findByRole("dialog", { name: "Edit lookup_order" }));
    // The stored schema opens as a list.
    expect((d.getByLabelText("Name (parameter 1)") as HTMLInputElement).value).toBe("orderId");
    expect((d.getByLabelText("Required (parameter 1)") as HTMLInputElement).checked).toBe(true);
    expect((d.getByLabelText("Type (parameter 2)") as HTMLSelectElement).value).toBe("boolean");

    await userEvent.click(d.getByRole("switch", { name: "Edit as JSON" }));
    const raw = d.getByLabelText("Parameters JSON Schema") as HTMLTextAreaElement;
    expect(JSON.parse(raw.value)).toEqual(stored.parameters);

    // Something the list cannot show keeps the editor on JSON, with the reason.
    await userEvent.clear(raw);
    await userEvent.click(raw);
    await userEvent.paste('{"type":"object","properties":{"tags":{"type":"array"}}}');
    await userEvent.click(d.getByRole("switch", { name: "Edit as JSON" }));
    expect(d.getByText(/The list cannot show this schema/)).toBeTruthy();

    await userEvent.clear(raw);
    await userEvent.click(raw);
    await userEvent.paste("[1, 2]");
    await userEvent.click(d.getByRole("button", { name: "Save tool" }));
    expect(await d.findByText("Must be a JSON object: { … }")).toBeTruthy();
    expect(calls("PUT")).toHaveLength(0);

    await userEvent.clear(raw);
    await userEvent.click(raw);
    await userEvent.paste('{"type":"object","properties":{"tags":{"type":"array"}}}');
    await userEvent.click(d.getByRole("button", { name: "Save tool" }));
    await waitFor(() => expect(calls("PUT")).toHaveLength(1));
    const body = bodyOf(calls("PUT")[0]);
    expect(body.parameters).toEqual({ type: "object", properties: { tags: { type: "array" } } });
    // The stored header comes back masked and is sent back masked, which keeps its value.
    expect(body.config).toEqual({ url: "https://api.example.com/orders", method: "GET", headers: { "X-Key": "********" }, timeoutMs: 5000 });
  });

  it("puts the API's field errors on the form's fields", async () => {
    onPost = () =>
      json(400, {
        success: false,
        error: {
          code: "validation_error",
          message: "some fields are invalid",
          details: { fields: [{ field: "config.url", message: "the address is not allowed" }, { field: "config.headers.X-Key", message: "is set twice" }, { field: "other", message: "is odd" }] },
        },
      });
    renderPage(<Tools />);
    await userEvent.click(await screen.findByRole("button", { name: "New tool" }));
    const d = within(await screen.findByRole("dialog", { name: "New tool" }));
    await userEvent.type(d.getByLabelText("Name", { exact: true }), "hook");
    await userEvent.type(d.getByLabelText("Description", { exact: true }), "Calls home");
    await userEvent.type(d.getByLabelText("URL"), "http://10.0.0.1/x");
    await userEvent.click(d.getByRole("button", { name: "Add header" }));
    await userEvent.type(d.getByLabelText("Header name 1"), "X-Key");
    await userEvent.type(d.getByLabelText("Header value 1"), "secret");
    await userEvent.click(d.getByRole("button", { name: "Create tool" }));

    expect(await d.findByText("The address is not allowed")).toBeTruthy();
    expect(d.getByLabelText("URL").getAttribute("aria-invalid")).toBe("true");
    expect(d.getByLabelText("Header name 1").getAttribute("aria-invalid")).toBe("true");
    expect(d.getByText("other is odd")).toBeTruthy();

    // A taken name is a 409, shown on the name.
    onPost = () => json(409, { success: false, error: { code: "conflict", message: "the company already has a tool by this name", details: {} } });
    await userEvent.click(d.getByRole("button", { name: "Create tool" }));
    expect(await d.findByText("The company already has a tool by this name.")).toBeTruthy();
    expect(d.getByLabelText("Name", { exact: true }).getAttribute("aria-invalid")).toBe("true");
  });

  it("tests a saved tool with arguments prefilled from its schema", async () => {
    let result: unknown = { success: true, data: { ok: true, result: { status: "shipped" }, durationMs: 12 } };
    onPost = () => json(200, result);
    renderPage(<Tools />);
    await userEvent.click(await screen.findByRole("button", { name: "Test lookup_order" }));
    const d = within(await screen.findByRole("dialog", { name: "Test lookup_order" }));
    const args = d.getByLabelText("Arguments (JSON)") as HTMLTextAreaElement;
    expect(JSON.parse(args.value)).toEqual({ orderId: "", express: false });

    await userEvent.click(d.getByRole("button", { name: "Run test" }));
    expect(await d.findByText("Succeeded in 12 ms")).toBeTruthy();
    expect(d.getByLabelText("Result").textContent).toContain('"status": "shipped"');
    expect(calls("POST")[0].url).toBe("/api/ai/tools/t1/test");
    expect(bodyOf(calls("POST")[0])).toEqual({ arguments: { orderId: "", express: false } });

    result = { success: true, data: { ok: false, error: { code: "upstream_status", message: "the webhook answered 502" }, durationMs: 40 } };
    await userEvent.click(d.getByRole("button", { name: "Run test" }));
    expect(await d.findByText("Failed: upstream_status (40 ms)")).toBeTruthy();
    expect(d.getByText("the webhook answered 502")).toBeTruthy();

    result = { success: false, error: { code: "validation_error", message: "some fields are invalid", details: { fields: [{ field: "arguments.orderId", message: "is required" }] } } };
    onPost = () => json(400, result);
    await userEvent.click(d.getByRole("button", { name: "Run test" }));
    expect(await d.findByText("The arguments do not fit the tool's parameters")).toBeTruthy();
    expect(d.getByText("orderId")).toBeTruthy();

    await userEvent.clear(args);
    await userEvent.type(args, "nope");
    await userEvent.click(d.getByRole("button", { name: "Run test" }));
    expect(d.getByText(/^Not valid JSON/)).toBeTruthy();
    expect(calls("POST")).toHaveLength(3);
  });

  it("deletes a tool after confirming, keeping a refusal inside the dialog", async () => {
    onDelete = () => json(409, { success: false, error: { code: "conflict", message: "workflows call this tool: Refunds", details: {} } });
    renderPage(<Tools />);
    await userEvent.click(await screen.findByRole("button", { name: "Delete lookup_order" }));
    const dialog = await screen.findByRole("dialog", { name: "Delete lookup_order?" });
    await userEvent.click(within(dialog).getByRole("button", { name: "Delete tool" }));
    expect((await within(dialog).findByRole("alert")).textContent).toBe("Workflows call this tool: Refunds.");

    onDelete = () => new Response(null, { status: 204 });
    await userEvent.click(within(dialog).getByRole("button", { name: "Delete tool" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(await screen.findByText("Deleted lookup_order.")).toBeTruthy();
    expect(calls("DELETE").map((c) => c.url)).toEqual(["/api/ai/tools/t1", "/api/ai/tools/t1"]);
  });
});
