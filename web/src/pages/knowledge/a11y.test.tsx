// axe over the three pages and their dialogs, with lists that hold a row each, so that a
// control without a name or a dialog without a title fails here rather than in a browser.
import { cleanup, fireEvent, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { ReactNode } from "react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import Classification from "../Classification";
import Faqs from "../Faqs";
import Knowledge from "../Knowledge";
import { violations } from "@/test/axe";
import { data, list, renderPage, signInAdmin, stubFetch } from "@/test/pageTesting";

const stamp = { createdAt: "2026-12-01T00:00:00Z", updatedAt: "2026-12-01T00:00:00Z" };
const rows: Record<string, unknown> = {
  "/api/ai/knowledge-base": { id: "d1", title: "Refund policy", format: "text", status: "failed", error: "not a readable PDF", chunkCount: 0, ...stamp },
  "/api/ai/faqs": { id: "f1", question: "Returns?", answer: "30 days.", variants: ["a"], category: null, tags: [], enabled: true, ...stamp },
  "/api/ai/classification/examples": { id: "x1", text: "Where is it?", label: "shipping", ...stamp },
};

async function check(page: ReactNode, open: string[]) {
  // The app's layout puts every page in <main>.
  renderPage(<main>{page}</main>);
  await screen.findByRole("table");
  expect(await violations()).toEqual([]);
  for (const name of open) {
    await userEvent.click(screen.getByRole("button", { name }));
    await screen.findByRole("dialog");
    expect(await violations(), name).toEqual([]);
    fireEvent.keyDown(document.activeElement ?? document.body, { key: "Escape" });
    await vi.waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
  }
}

describe("accessibility", () => {
  beforeEach(() => {
    signInAdmin();
    stubFetch((c) => (c.method === "GET" && rows[c.url.split("?")[0]] ? list([rows[c.url.split("?")[0]]]) : data(200, [])));
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it("the knowledge base page and its dialogs", async () => {
    await check(<Knowledge />, ["Upload file", "Paste text", "Delete Refund policy"]);
  });
  it("the FAQ page and its dialogs", async () => {
    await check(<Faqs />, ["Add FAQ", "Edit FAQ: Returns?", "Delete FAQ: Returns?"]);
  });
  it("the classification page and its dialogs", async () => {
    await check(<Classification />, ["Add example", "Import examples", "Delete example: Where is it?"]);
  });
});
