import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import Knowledge from "../Knowledge";
import { data, invalid, list, renderPage, signInAdmin, stubFetch, type Call } from "@/test/pageTesting";

const doc = (status: string, extra: object = {}) => ({
  id: "d1",
  title: "Refund policy",
  format: "markdown",
  sourceName: "refunds.md",
  status,
  error: null,
  chunkCount: status === "ready" ? 4 : 0,
  createdAt: "2026-12-01T00:00:00Z",
  updatedAt: "2026-12-01T00:00:00Z",
  ...extra,
});

const hits = [
  {
    documentId: "d1",
    title: "Refund policy",
    text: "Refunds are paid within 5 days. Ask support.",
    matchedText: "Refunds are paid within 5 days.",
    chunkId: "c1",
    score: 0.91,
    fused: 0.0328,
    lexicalRank: 1,
    vectorRank: 2,
    cosine: 0.8,
    bm25: 7.1,
  },
  { documentId: "d2", title: "Shipping", text: "We ship daily.", matchedText: "We ship daily.", chunkId: "c2", score: 0.3, fused: 0.01, lexicalRank: null, vectorRank: 1, cosine: 0.5, bm25: null },
];

/** The XMLHttpRequest the upload dialog opens, played by the test. */
class FakeXhr {
  static last: FakeXhr | null = null;
  upload: { onprogress: ((e: ProgressEvent) => void) | null; onload: ((e: ProgressEvent) => void) | null } = { onprogress: null, onload: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  status = 0;
  responseText = "";
  body: FormData | null = null;
  url = "";
  constructor() {
    FakeXhr.last = this;
  }
  open(_method: string, url: string) {
    this.url = url;
  }
  setRequestHeader() {}
  getResponseHeader() {
    return null;
  }
  send(body: FormData) {
    this.body = body;
  }
  abort() {
    this.onabort?.();
  }
}

describe("Knowledge Base page", () => {
  let calls: Call[];
  let answer: (call: Call) => Response | undefined;
  beforeEach(() => {
    signInAdmin();
    answer = () => undefined;
    calls = stubFetch((call) => answer(call) ?? (call.method === "GET" ? list([doc("ready")]) : data(200, {})));
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it("re-reads the list while a document is processing, until it is ready", async () => {
    let reads = 0;
    answer = (c) => (c.method === "GET" && c.url.startsWith("/api/ai/knowledge-base") ? list([doc(++reads < 2 ? "processing" : "ready")]) : undefined);
    renderPage(<Knowledge />);
    const table = await screen.findByRole("table", { name: "Documents" });
    expect(within(table).getByText("processing")).toBeTruthy();
    expect(screen.getByText("Indexing 1 document; this list updates by itself.")).toBeTruthy();
    expect(await within(table).findByText("ready", undefined, { timeout: 5000 })).toBeTruthy();
    const readsWhenReady = reads;
    await new Promise((r) => setTimeout(r, 2500));
    // Once nothing is processing, polling stops.
    expect(reads).toBe(readsWhenReady);
  }, 10000);

  it("pastes a document and shows the API's field error on its field", async () => {
    answer = (c) => (c.method === "POST" ? invalid([{ field: "content", message: "must be at most 5 MiB" }]) : undefined);
    renderPage(<Knowledge />);
    await userEvent.click(await screen.findByRole("button", { name: "Paste text" }));
    const dialog = await screen.findByRole("dialog", { name: "Paste text" });
    await userEvent.type(within(dialog).getByLabelText("Title"), "Opening hours");
    await userEvent.selectOptions(within(dialog).getByLabelText("Format"), "markdown");
    fireEvent.change(within(dialog).getByLabelText("Content"), { target: { value: "# Hours\nMon–Fri 9–5" } });
    await userEvent.click(within(dialog).getByRole("button", { name: "Add document" }));
    expect(await within(dialog).findByText("Must be at most 5 MiB")).toBeTruthy();
    expect(calls.find((c) => c.method === "POST")).toMatchObject({
      url: "/api/ai/knowledge-base",
      body: { title: "Opening hours", format: "markdown", content: "# Hours\nMon–Fri 9–5" },
    });
  });

  it("uploads a file with a progress bar", async () => {
    vi.stubGlobal("XMLHttpRequest", FakeXhr);
    renderPage(<Knowledge />);
    await userEvent.click(await screen.findByRole("button", { name: "Upload file" }));
    const dialog = await screen.findByRole("dialog", { name: "Upload a file" });
    await userEvent.upload(within(dialog).getByLabelText("File"), new File(["# Refunds"], "refunds.md", { type: "" }));
    await userEvent.click(within(dialog).getByRole("button", { name: "Upload" }));

    const xhr = await waitFor(() => FakeXhr.last ?? Promise.reject(new Error("no upload yet")));
    expect(xhr.url).toBe("/api/ai/knowledge-base");
    expect((xhr.body!.get("file") as File).name).toBe("refunds.md");
    expect(xhr.body!.get("title")).toBeNull();
    xhr.upload.onprogress!({ loaded: 5, total: 10, lengthComputable: true } as ProgressEvent);
    const bar = await within(dialog).findByRole("progressbar", { name: "Upload progress" });
    await waitFor(() => expect(bar.getAttribute("aria-valuenow")).toBe("50"));

    xhr.status = 201;
    xhr.responseText = JSON.stringify({ success: true, data: doc("processing", { id: "d9", title: "refunds" }) });
    xhr.onload!();
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(await screen.findByText("Uploaded “refunds”; indexing has started.")).toBeTruthy();
  });

  it("refuses a file type the API does not read, before sending", async () => {
    FakeXhr.last = null;
    vi.stubGlobal("XMLHttpRequest", FakeXhr);
    renderPage(<Knowledge />);
    await userEvent.click(await screen.findByRole("button", { name: "Upload file" }));
    const dialog = await screen.findByRole("dialog", { name: "Upload a file" });
    // userEvent.upload honours `accept`; a drop or a picker set to "all files" does not.
    fireEvent.change(within(dialog).getByLabelText("File"), { target: { files: [new File(["x"], "photo.png", { type: "image/png" })] } });
    await userEvent.click(within(dialog).getByRole("button", { name: "Upload" }));
    expect(await within(dialog).findByText("Choose a text, markdown, HTML or PDF file")).toBeTruthy();
    expect(FakeXhr.last).toBeNull();
  });

  it("tests retrieval: ranked passages with score, title and the path that found them", async () => {
    answer = (c) => {
      if (c.url === "/api/ai/knowledge-base/search") return data(200, hits);
      if (c.url === "/api/admin/config") return data(200, { ai: { answerThreshold: 0.5 } });
      return undefined;
    };
    renderPage(<Knowledge />);
    await userEvent.type(await screen.findByLabelText("Test a question"), "how long do refunds take");
    await userEvent.click(screen.getByLabelText("Include passages below the answer threshold"));
    await userEvent.click(screen.getByRole("button", { name: "Search" }));

    const results = await screen.findByRole("list", { name: "Search results" });
    const items = within(results).getAllByRole("listitem");
    expect(items).toHaveLength(2);
    expect(within(items[0]).getByText("Refund policy")).toBeTruthy();
    expect(within(items[0]).getByText("score 0.91")).toBeTruthy();
    expect(within(items[0]).getByText("keyword + vector")).toBeTruthy();
    expect(within(items[0]).getByText("Refunds are paid within 5 days.", { selector: "mark" })).toBeTruthy();
    expect(within(items[1]).getByText("vector only")).toBeTruthy();
    expect(await within(items[1]).findByText("below threshold")).toBeTruthy();
    expect(calls.find((c) => c.url === "/api/ai/knowledge-base/search")?.body).toEqual({ query: "how long do refunds take", topK: 5, threshold: 0 });
  });

  it("says so when nothing is found", async () => {
    answer = (c) => (c.url === "/api/ai/knowledge-base/search" ? data(200, []) : undefined);
    renderPage(<Knowledge />);
    await userEvent.type(await screen.findByLabelText("Test a question"), "warp drive");
    await userEvent.click(screen.getByRole("button", { name: "Search" }));
    expect(await screen.findByText(/No passage scored above the threshold/)).toBeTruthy();
    expect(calls.find((c) => c.url === "/api/ai/knowledge-base/search")?.body).toEqual({ query: "warp drive", topK: 5 });
  });
});
