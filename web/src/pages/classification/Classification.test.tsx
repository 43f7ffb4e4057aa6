import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { data, invalid, list, renderPage, signInAdmin, stubFetch, type Call } from "@/test/pageTesting";
import Classification from "../Classification";

const example = { id: "x1", text: "Where is my parcel?", label: "shipping", createdAt: "2026-12-01T00:00:00Z", updatedAt: "2026-12-01T00:00:00Z" };

/** Types into a textarea at once: userEvent.type reads `{` as a key descriptor. */
function paste(el: HTMLElement, value: string) {
  fireEvent.change(el, { target: { value } });
}

describe("Classification page", () => {
  let calls: Call[];
  let answer: (call: Call) => Response | undefined;
  beforeEach(() => {
    signInAdmin();
    answer = () => undefined;
    calls = stubFetch((call) => answer(call) ?? (call.method === "GET" ? list([example]) : data(200, {})));
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it("adds an example with a new category, lower-cased, suggesting the default taxonomy", async () => {
    answer = (c) => (c.method === "POST" ? data(201, { ...example, id: "x2", ...(c.body as object) }) : undefined);
    renderPage(<Classification />);
    await screen.findByRole("table", { name: "Classification examples" });
    await userEvent.click(screen.getByRole("button", { name: "Add example" }));
    const dialog = await screen.findByRole("dialog", { name: "Add an example" });
    const category = within(dialog).getByLabelText("Category");
    const options = document.getElementById(category.getAttribute("list")!)!.querySelectorAll("option");
    expect([...options].map((o) => o.value)).toEqual(["billing", "orders", "shipping", "returns", "technical", "account", "complaint", "general"]);

    await userEvent.type(within(dialog).getByLabelText("Text"), "Is my toaster still under warranty?");
    await userEvent.type(category, "two words");
    await userEvent.click(within(dialog).getByRole("button", { name: "Save example" }));
    expect(await within(dialog).findByText("The label may contain only a-z, 0-9, '_' and '-'")).toBeTruthy();

    await userEvent.clear(category);
    await userEvent.type(category, " Warranty ");
    await userEvent.click(within(dialog).getByRole("button", { name: "Save example" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(calls.find((c) => c.method === "POST")).toMatchObject({
      url: "/api/ai/classification/examples",
      body: { text: "Is my toaster still under warranty?", label: "warranty" },
    });
  });

  it("previews an import, blocks it while a line is wrong, then sends it and shows the result", async () => {
    answer = (c) => {
      if (c.method !== "POST") return undefined;
      const sent = (c.body as { examples: { text: string; label: string }[] }).examples;
      return data(201, { imported: sent.length, examples: sent.map((e, i) => ({ ...example, id: `n${i}`, ...e })) });
    };
    renderPage(<Classification />);
    await userEvent.click(await screen.findByRole("button", { name: "Import examples" }));
    const dialog = await screen.findByRole("dialog", { name: "Import examples" });
    const box = within(dialog).getByLabelText("Examples");
    paste(box, 'text,label\nWhere is my parcel?,shipping\n"Charged twice, help",Billing\nno label here\n{"text": "App crashes", "label": "technical"}');

    expect(await within(dialog).findByText("3 examples ready to import; 1 problem to fix first.")).toBeTruthy();
    expect(within(within(dialog).getByRole("list", { name: "Lines with problems" })).getByText("Line 4: Expected text,label or a JSON object")).toBeTruthy();
    const importButton = within(dialog).getByRole("button", { name: "Import" });
    expect((importButton as HTMLButtonElement).disabled).toBe(true);

    paste(box, 'text,label\nWhere is my parcel?,shipping\n"Charged twice, help",Billing\n\n{"text": "App crashes", "label": "technical"}');
    expect(await within(dialog).findByText("3 examples ready to import.")).toBeTruthy();
    await waitFor(() => expect((importButton as HTMLButtonElement).disabled).toBe(false));
    await userEvent.click(importButton);

    expect(await screen.findByRole("dialog", { name: "Examples imported" })).toBeTruthy();
    expect(screen.getByText("Imported 3 examples.", { selector: "p" })).toBeTruthy();
    const post = calls.find((c) => c.method === "POST")!;
    expect(post.url).toBe("/api/ai/classification/examples/import");
    expect(post.body).toEqual({
      examples: [
        { text: "Where is my parcel?", label: "shipping" },
        { text: "Charged twice, help", label: "billing" },
        { text: "App crashes", label: "technical" },
      ],
    });
  });

  it("shows the API's refusal of an import against the lines typed", async () => {
    answer = (c) => (c.method === "POST" ? invalid([{ field: "examples[1].text", message: "must be at most 1000 characters" }]) : undefined);
    renderPage(<Classification />);
    await userEvent.click(await screen.findByRole("button", { name: "Import examples" }));
    const dialog = await screen.findByRole("dialog", { name: "Import examples" });
    paste(within(dialog).getByLabelText("Examples"), "first,general\n\nsecond,general");
    const importButton = within(dialog).getByRole("button", { name: "Import" });
    await waitFor(() => expect((importButton as HTMLButtonElement).disabled).toBe(false));
    await userEvent.click(importButton);
    const alert = await within(dialog).findByRole("alert");
    expect(alert.textContent).toContain("Nothing was imported");
    expect(alert.textContent).toContain("Line 3: text must be at most 1000 characters");
  });

  it("deletes an example after confirming", async () => {
    renderPage(<Classification />);
    await userEvent.click(await screen.findByRole("button", { name: "Delete example: Where is my parcel?" }));
    const dialog = await screen.findByRole("dialog", { name: "Delete this example?" });
    await userEvent.click(within(dialog).getByRole("button", { name: "Delete" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(calls.find((c) => c.method === "DELETE")?.url).toBe("/api/ai/classification/examples/x1");
  });
});
