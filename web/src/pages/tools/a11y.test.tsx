// axe over the tools page, its dialogs, and the workflow builder with a step of every type,
// so that a control without a name fails here rather than in a browser.
import { cleanup, fireEvent, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { STEP_TYPES } from "@/lib/workflowModel";
import { violations } from "@/test/axe";
import { json, renderPage, signInAdmin, stubFetch } from "@/test/pageTesting";
import Tools from "../Tools";
import Workflows from "../Workflows";

const stamp = { createdAt: "2026-12-01T00:00:00Z", updatedAt: "2026-12-01T00:00:00Z" };
const tool = { id: "t1", name: "lookup", description: "Finds", type: "webhook", parameters: { type: "object", properties: { id: { type: "string" } } }, config: { url: "https://x.example", headers: {} }, requiresApproval: true, enabled: true, ...stamp };
const workflow = { id: "w1", name: "Refunds", description: "", trigger: { type: "category", categories: ["billing"] }, steps: [{ type: "close" }], enabled: true, ...stamp };

describe("accessibility", () => {
  beforeEach(() => {
    signInAdmin();
    stubFetch(({ url }) => {
      const data = url.startsWith("/api/ai/tools") ? [tool] : url.startsWith("/api/ai/workflows/w1") ? workflow : [workflow];
      return json(200, { success: true, data, nextCursor: null });
    });
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it("the tools page and its dialogs", async () => {
    renderPage(<main><Tools /></main>);
    await screen.findByRole("table");
    expect(await violations()).toEqual([]);
    for (const name of ["New tool", "Edit lookup", "Test lookup", "Delete lookup"]) {
      await userEvent.click(screen.getByRole("button", { name }));
      await screen.findByRole("dialog");
      if (name === "New tool") {
        await userEvent.click(screen.getByRole("button", { name: "Add parameter" }));
        await userEvent.click(screen.getByRole("button", { name: "Add header" }));
        await userEvent.click(screen.getByRole("button", { name: "Create tool" }));
      }
      if (name === "Test lookup") await userEvent.click(screen.getByRole("button", { name: "Run test" }));
      expect(await violations(), name).toEqual([]);
      if (name === "Edit lookup") {
        await userEvent.click(screen.getByRole("switch", { name: "Edit as JSON" }));
        await userEvent.click(screen.getByLabelText("Function"));
        expect(await violations(), "raw JSON, function").toEqual([]);
      }
      fireEvent.keyDown(document.activeElement ?? document.body, { key: "Escape" });
      await vi.waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    }
  });

  it("the workflows list and the builder with every step type and its errors", async () => {
    renderPage(<main><Workflows /></main>);
    await screen.findByRole("table");
    expect(await violations()).toEqual([]);
    await userEvent.click(screen.getByRole("button", { name: "New workflow" }));
    for (const type of STEP_TYPES) {
      await userEvent.selectOptions(screen.getByLabelText("Step type"), type);
      await userEvent.click(screen.getByRole("button", { name: "Add step" }));
    }
    await userEvent.click(screen.getByRole("button", { name: "Save workflow" }));
    expect(screen.getAllByRole("listitem")).toHaveLength(STEP_TYPES.length);
    expect(await violations()).toEqual([]);
    await userEvent.selectOptions(screen.getByLabelText("Trigger type"), "category");
    expect(await violations()).toEqual([]);
  });

  it("the builder of a stored workflow", async () => {
    renderPage(<main><Workflows /></main>, "/?workflow=w1");
    await screen.findByRole("heading", { name: "Edit Refunds" });
    expect(await violations()).toEqual([]);
  });
});
