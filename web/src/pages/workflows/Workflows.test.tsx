import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { data, json, list, renderPage as renderWithProviders, signInAdmin, stubFetch, type Call } from "@/test/pageTesting";
import Workflows from "../Workflows";

const stored = {
  id: "w1",
  name: "Refunds",
  description: "",
  trigger: { type: "keyword", keywords: ["refund"] },
  steps: [
    { type: "message", content: "On it." },
    { type: "tool", tool: "refund_order", arguments: { id: "1" }, sensitive: true },
    { type: "close" },
  ],
  enabled: true,
  createdAt: "2026-12-01T00:00:00Z",
  updatedAt: "2026-12-01T00:00:00Z",
};
const tool = { id: "t1", name: "refund_order", description: "Refunds", type: "webhook", parameters: { type: "object", properties: { id: { type: "string" } } }, config: {}, requiresApproval: false, enabled: true, createdAt: "", updatedAt: "" };

type Handler = (body: Record<string, unknown>) => Response;

describe("Workflows page", () => {
  let calls: Call[];
  let onWrite: Handler;
  const writes = () => calls.filter((c) => ["POST", "PUT"].includes(c.method));
  const lastBody = () => writes().at(-1)!.body as Record<string, unknown>;

  beforeEach(() => {
    signInAdmin();
    onWrite = (body) => data(201, { ...stored, id: "w2", ...body });
    calls = stubFetch(({ url, method, body }) => {
      if (method === "POST" || method === "PUT") return onWrite(body as Record<string, unknown>);
      if (url.startsWith("/api/ai/tools")) return list([tool]);
      if (url.startsWith("/api/ai/workflows/w1")) return data(200, stored);
      return list([stored]);
    });
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  const renderPage = (path = "/workflows") => renderWithProviders(<Workflows />, path);

  async function startNew(name = "Greeting") {
    renderPage();
    await userEvent.click(await screen.findByRole("button", { name: "New workflow" }));
    await userEvent.type(screen.getByLabelText("Name"), name);
    await userEvent.type(screen.getByLabelText("Keywords"), "hello, hi");
  }

  async function addStep(type: string) {
    await userEvent.selectOptions(screen.getByLabelText("Step type"), type);
    await userEvent.click(screen.getByRole("button", { name: "Add step" }));
  }

  it("builds, reorders from the keyboard, and saves a workflow", async () => {
    await startNew();
    await addStep("message");
    // The new step's first field has focus.
    expect(document.activeElement).toBe(screen.getByLabelText("Message (step 1)"));
    await userEvent.type(screen.getByLabelText("Message (step 1)"), "Hello!");
    await addStep("close");
    await userEvent.click(screen.getByRole("button", { name: "Move up step 2" }));
    // Focus follows the moved step; its Move up is disabled at the top, so Move down.
    expect(document.activeElement).toBe(screen.getByRole("button", { name: "Move down step 1" }));
    expect(screen.getByText("Step 2 moved to position 1 of 2.")).toBeTruthy();
    await userEvent.click(screen.getByRole("button", { name: "Save workflow" }));

    await screen.findByRole("table", { name: "Workflows" });
    expect(lastBody()).toEqual({
      name: "Greeting",
      description: "",
      trigger: { type: "keyword", keywords: ["hello", "hi"] },
      steps: [{ type: "close" }, { type: "message", content: "Hello!" }],
      enabled: true,
    });
    expect(writes()[0].url).toBe("/api/ai/workflows");
    expect(await screen.findByText("Saved workflow Greeting.")).toBeTruthy();
  });

  it("shows the API's field error on the step it names, and keeps it there when steps move", async () => {
    onWrite = () =>
      json(400, {
        success: false,
        error: {
          code: "validation_error",
          message: "some fields are invalid",
          details: { fields: [{ field: "steps[1].pattern", message: "ask step 1: not a valid regular expression: unclosed group" }] },
        },
      });
    await startNew();
    await addStep("message");
    await userEvent.type(screen.getByLabelText("Message (step 1)"), "Hi");
    await addStep("ask");
    await userEvent.type(screen.getByLabelText("Question (step 2)"), "Your order number?");
    await userEvent.type(screen.getByLabelText("Field name (step 2)"), "order");
    await userEvent.type(screen.getByLabelText("Pattern (step 2)"), "(\\d+");
    await userEvent.click(screen.getByRole("button", { name: "Save workflow" }));

    const pattern = screen.getByLabelText("Pattern (step 2)");
    await waitFor(() => expect(pattern.getAttribute("aria-invalid")).toBe("true"));
    const step2 = screen.getByRole("listitem", { name: /Step 2/ });
    expect(within(step2).getByRole("alert").textContent).toBe("Not a valid regular expression: unclosed group");
    expect(screen.getByLabelText("Message (step 1)").getAttribute("aria-invalid")).toBeNull();
    expect(document.activeElement).toBe(pattern);
    expect(screen.getByText("Not saved: 1 problem, shown below.")).toBeTruthy();

    await userEvent.click(screen.getByRole("button", { name: "Move up step 2" }));
    expect(screen.getByLabelText("Pattern (step 1)").getAttribute("aria-invalid")).toBe("true");

    // Editing the field clears its message.
    await userEvent.type(screen.getByLabelText("Pattern (step 1)"), ")");
    expect(screen.getByLabelText("Pattern (step 1)").getAttribute("aria-invalid")).toBeNull();
    expect(screen.queryByText(/Not saved/)).toBeNull();
  });

  it("shows a taken name on the name field", async () => {
    onWrite = () => json(409, { success: false, error: { code: "conflict", message: "the company already has a workflow by this name", details: {} } });
    await startNew("Refunds");
    await addStep("close");
    await userEvent.click(screen.getByRole("button", { name: "Save workflow" }));
    expect(await screen.findByText("The company already has a workflow by this name.")).toBeTruthy();
    expect(screen.getByLabelText("Name").getAttribute("aria-invalid")).toBe("true");
    expect(document.activeElement).toBe(screen.getByLabelText("Name"));
  });

  it("checks what the API would surely refuse before sending", async () => {
    renderPage();
    await userEvent.click(await screen.findByRole("button", { name: "New workflow" }));
    await userEvent.click(screen.getByRole("button", { name: "Save workflow" }));
    expect(screen.getByText("Enter a name")).toBeTruthy();
    expect(screen.getByText("Enter at least one keyword")).toBeTruthy();
    expect(screen.getByText("Add at least one step")).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByLabelText("Name"));
    await addStep("tool");
    await userEvent.clear(screen.getByLabelText("Arguments (JSON) (step 1)"));
    await userEvent.type(screen.getByLabelText("Arguments (JSON) (step 1)"), "nope");
    await userEvent.click(screen.getByRole("button", { name: "Save workflow" }));
    expect(screen.getByText("Choose a tool")).toBeTruthy();
    expect(screen.getByText(/^Not valid JSON/)).toBeTruthy();
    expect(writes()).toHaveLength(0);
  });

  it("edits a stored workflow and reorders it by dragging", async () => {
    onWrite = (body) => data(200, { ...stored, ...body });
    renderPage("/workflows?workflow=w1");
    expect(await screen.findByRole("heading", { name: "Edit Refunds" })).toBeTruthy();
    expect((screen.getByLabelText("Tool (step 2)") as HTMLSelectElement).value).toBe("refund_order");
    expect(screen.getByRole("switch", { name: "Sensitive (step 2)" }).getAttribute("aria-checked")).toBe("true");

    const handles = document.querySelectorAll("[draggable='true']");
    const cards = screen.getAllByRole("listitem");
    fireEvent.dragStart(handles[2]);
    fireEvent.dragOver(cards[0]);
    fireEvent.drop(cards[0]);
    expect(screen.getByRole("heading", { name: "Step 1: Close the conversation" })).toBeTruthy();

    await userEvent.click(screen.getByRole("button", { name: "Remove step 3" }));
    await userEvent.click(screen.getByRole("button", { name: "Save workflow" }));
    await screen.findByRole("table", { name: "Workflows" });
    expect(writes()[0].url).toBe("/api/ai/workflows/w1");
    expect(writes()[0].method).toBe("PUT");
    expect(lastBody().steps).toEqual([{ type: "close" }, { type: "message", content: "On it." }]);
  });

  it("turns a workflow off from the list", async () => {
    onWrite = (body) => data(200, { ...stored, ...body });
    renderPage();
    await userEvent.click(await screen.findByRole("switch", { name: "Refunds enabled" }));
    await waitFor(() => expect(writes()).toHaveLength(1));
    expect(writes()[0].url).toBe("/api/ai/workflows/w1");
    expect(lastBody()).toEqual({ enabled: false });
  });
});
