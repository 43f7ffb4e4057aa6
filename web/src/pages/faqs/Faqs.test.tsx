import { cleanup, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { data, invalid, json, list, renderPage, signInAdmin, stubFetch, type Call } from "@/test/pageTesting";
import Faqs from "../Faqs";

const faq = {
  id: "f1",
  question: "What is your return policy?",
  answer: "30 days.",
  variants: ["Can I return something?"],
  category: "returns",
  tags: ["policy"],
  enabled: true,
  createdAt: "2026-12-01T00:00:00Z",
  updatedAt: "2026-12-01T00:00:00Z",
};

describe("FAQs page", () => {
  let calls: Call[];
  let answer: (call: Call) => Response | undefined;
  beforeEach(() => {
    signInAdmin();
    answer = () => undefined;
    calls = stubFetch((call) => answer(call) ?? (call.method === "GET" ? list([faq]) : data(200, {})));
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it("adds an FAQ with phrasings, a category and enabled off", async () => {
    answer = (c) => (c.method === "POST" ? data(201, { ...faq, id: "f2", ...(c.body as object) }) : undefined);
    renderPage(<Faqs />);
    await userEvent.click(await screen.findByRole("button", { name: "Add FAQ" }));
    const dialog = await screen.findByRole("dialog", { name: "Add an FAQ" });
    await userEvent.type(within(dialog).getByLabelText("Question"), "  How long does shipping take? ");
    await userEvent.type(within(dialog).getByLabelText("Answer"), "Two to four days.");
    await userEvent.click(within(dialog).getByRole("button", { name: "Add phrasing" }));
    await userEvent.type(within(dialog).getByLabelText("Phrasing 1"), "When will my parcel arrive?");
    await userEvent.click(within(dialog).getByRole("button", { name: "Add phrasing" }));
    await userEvent.type(within(dialog).getByLabelText("Phrasing 2"), "typo");
    await userEvent.click(within(dialog).getByRole("button", { name: "Add phrasing" }));
    await userEvent.type(within(dialog).getByLabelText("Phrasing 3"), "Delivery time?");
    await userEvent.click(within(dialog).getByRole("button", { name: "Remove phrasing 2" }));
    await userEvent.type(within(dialog).getByLabelText("Category (optional)"), "shipping");
    await userEvent.type(within(dialog).getByLabelText("Tags (optional)"), "delivery, , Delivery, eu");
    await userEvent.click(within(dialog).getByRole("switch", { name: "Enabled" }));
    await userEvent.click(within(dialog).getByRole("button", { name: "Save FAQ" }));

    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    const post = calls.find((c) => c.method === "POST")!;
    expect(post.url).toBe("/api/ai/faqs");
    expect(post.body).toEqual({
      question: "How long does shipping take?",
      answer: "Two to four days.",
      variants: ["When will my parcel arrive?", "Delivery time?"],
      category: "shipping",
      tags: ["delivery", "Delivery", "eu"],
      enabled: false,
    });
    expect(await screen.findByText("FAQ added.")).toBeTruthy();
  });

  it("checks the form before sending", async () => {
    renderPage(<Faqs />);
    await userEvent.click(await screen.findByRole("button", { name: "Add FAQ" }));
    const dialog = await screen.findByRole("dialog");
    await userEvent.click(within(dialog).getByRole("button", { name: "Add phrasing" }));
    await userEvent.click(within(dialog).getByRole("button", { name: "Save FAQ" }));
    expect(await within(dialog).findByText("Enter the question")).toBeTruthy();
    expect(within(dialog).getByText("Enter the answer")).toBeTruthy();
    expect(within(dialog).getByText("Type the phrasing or remove it")).toBeTruthy();
    expect(within(dialog).getByLabelText("Question").getAttribute("aria-invalid")).toBe("true");
    expect(calls.some((c) => c.method === "POST")).toBe(false);
  });

  it("edits an FAQ and shows the API's field errors on the fields, a phrasing on its own row", async () => {
    answer = (c) =>
      c.method === "PUT"
        ? invalid([
            { field: "variants[1]", message: "must be at most 500 characters" },
            { field: "category", message: "must be at most 100 characters" },
          ])
        : undefined;
    renderPage(<Faqs />);
    await userEvent.click(await screen.findByRole("button", { name: "Edit FAQ: What is your return policy?" }));
    const dialog = await screen.findByRole("dialog", { name: "Edit FAQ" });
    expect((within(dialog).getByLabelText("Phrasing 1") as HTMLInputElement).value).toBe("Can I return something?");
    expect((within(dialog).getByLabelText("Tags (optional)") as HTMLInputElement).value).toBe("policy");
    await userEvent.click(within(dialog).getByRole("button", { name: "Add phrasing" }));
    await userEvent.type(within(dialog).getByLabelText("Phrasing 2"), "Returns?");
    await userEvent.clear(within(dialog).getByLabelText("Category (optional)"));
    await userEvent.click(within(dialog).getByRole("button", { name: "Save FAQ" }));

    const phrasing = within(dialog).getByLabelText("Phrasing 2");
    await waitFor(() => expect(phrasing.getAttribute("aria-invalid")).toBe("true"));
    expect(document.getElementById(phrasing.getAttribute("aria-describedby")!)!.textContent).toBe("Must be at most 500 characters");
    expect(within(dialog).getByLabelText("Phrasing 1").getAttribute("aria-invalid")).toBeNull();
    expect(within(dialog).getByLabelText("Category (optional)").getAttribute("aria-invalid")).toBe("true");
    const put = calls.find((c) => c.method === "PUT")!;
    expect(put.url).toBe("/api/ai/faqs/f1");
    // A cleared category is sent as null, which the API takes as "remove it".
    expect(put.body).toMatchObject({ variants: ["Can I return something?", "Returns?"], category: null, enabled: true });
  });

  it("deletes an FAQ after confirming", async () => {
    answer = (c) => (c.method === "DELETE" ? json(200, { success: true, data: {} }) : undefined);
    renderPage(<Faqs />);
    await userEvent.click(await screen.findByRole("button", { name: "Delete FAQ: What is your return policy?" }));
    const dialog = await screen.findByRole("dialog", { name: "Delete this FAQ?" });
    await userEvent.click(within(dialog).getByRole("button", { name: "Delete" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(calls.find((c) => c.method === "DELETE")?.url).toBe("/api/ai/faqs/f1");
  });
});
