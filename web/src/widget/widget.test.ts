import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { WidgetApi } from "./api";
import { storageKey } from "./storage";
import type { WidgetConfig } from "./types";
import { ChatWidget } from "./widget";

class FakeSocket {
  static all: FakeSocket[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  closed = false;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  close() {
    this.closed = true;
  }
  frame(f: unknown) {
    this.onmessage?.({ data: JSON.stringify(f) });
  }
  drop() {
    this.onclose?.();
  }
}

const config: WidgetConfig = {
  agentName: "Ava",
  brandingName: "Acme",
  brandingLogo: null,
  primaryColor: "#112233",
  greetingMessage: "Hi from Acme!",
};
const S = "a".repeat(32);
const ok = (data: unknown, status = 200, extra: Record<string, unknown> = {}) =>
  new Response(JSON.stringify({ success: true, data, ...extra }), { status, headers: { "Content-Type": "application/json" } });
const view = (id: string, sender: string, content: string) => ({ id, conversationId: "c1", sender, content, citations: [], createdAt: "2026-12-04T10:00:00Z" });

let fetchMock: ReturnType<typeof vi.fn>;
let widget: ChatWidget;
const shadow = () => document.getElementById("switchboard-widget")!.shadowRoot!;
const q = <T extends Element>(sel: string) => shadow().querySelector(sel) as T;
const texts = () => [...shadow().querySelectorAll(".log .msg .text")].map((n) => n.textContent);
const flush = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

beforeEach(() => {
  localStorage.clear();
  FakeSocket.all = [];
  vi.stubGlobal("WebSocket", FakeSocket);
  fetchMock = vi.fn();
  vi.stubGlobal("fetch", fetchMock);
});
afterEach(() => {
  widget?.destroy();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

function make() {
  widget = new ChatWidget(new WidgetApi("https://sb.example"), { companyId: "co" }, config);
  return widget;
}

describe("ChatWidget", () => {
  it("opens with the greeting, focuses the input, and Escape closes back to the button", async () => {
    await make().mount();
    const launcher = q<HTMLButtonElement>(".launcher");
    expect(launcher.getAttribute("aria-label")).toBe("Open chat with Acme");
    expect(q(".log").getAttribute("role")).toBe("log");
    launcher.click();
    expect(q<HTMLElement>(".panel").hidden).toBe(false);
    expect(launcher.getAttribute("aria-expanded")).toBe("true");
    expect(shadow().activeElement).toBe(q(".form textarea"));
    expect(texts()).toEqual(["Hi from Acme!"]);
    q(".panel").dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    expect(q<HTMLElement>(".panel").hidden).toBe(true);
    expect(shadow().activeElement).toBe(launcher);
  });

  it("sends, opens the socket, streams a reply, reconnects with after= and rates the closed conversation", async () => {
    vi.useFakeTimers();
    await make().mount();
    q<HTMLButtonElement>(".launcher").click();
    fetchMock.mockResolvedValueOnce(ok({
      sessionId: S, conversationId: "c1", status: "ai",
      greeting: view("g1", "ai", "Hi from Acme!"),
      message: view("m1", "customer", "Where is my order?"),
      reply: { content: "Let me check.", citations: [{ documentId: "d", title: "Orders FAQ", excerpt: "" }], sender: "ai", messageId: "m2" },
    }));
    q<HTMLTextAreaElement>(".form textarea").value = "Where is my order?";
    q<HTMLFormElement>(".form").dispatchEvent(new Event("submit", { cancelable: true }));
    await flush();
    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe("https://sb.example/api/chat");
    expect(JSON.parse(init.body)).toEqual({ companyId: "co", message: "Where is my order?" });
    expect(texts()).toEqual(["Hi from Acme!", "Where is my order?", "Let me check."]);
    expect(q(".chip").textContent).toBe("Orders FAQ");
    expect(JSON.parse(localStorage.getItem(storageKey("co"))!)).toEqual({ sessionId: S, conversationId: "c1", lastMessageId: "m2" });

    const ws = FakeSocket.all[0];
    expect(ws.url).toBe(`wss://sb.example/api/chat/ws?sessionId=${S}&after=m2`);
    ws.onopen?.();
    ws.frame({ type: "typing", sender: "agent" });
    expect(q(".typing").textContent).toBe("A support agent is typing…");
    ws.frame({ type: "status", status: "human" });
    expect(q(".status").textContent).toContain("member of our team");
    ws.frame({ ...view("m3", "agent", "Hi, Sam here."), type: "message" });
    ws.frame({ type: "delta", messageId: "m4", content: "Stream" });
    ws.frame({ type: "delta", messageId: "m4", content: "ing" });
    expect(texts().slice(-2)).toEqual(["Hi, Sam here.", "Streaming"]);
    expect(q(".log").getAttribute("aria-busy")).toBe("true");

    ws.drop();
    vi.advanceTimersByTime(1000);
    const again = FakeSocket.all[1];
    expect(again.url).toContain("after=m3");
    again.frame({ ...view("m3", "agent", "Hi, Sam here."), type: "message" });
    again.frame({ ...view("m4", "ai", "Streaming done."), type: "message" });
    expect(texts().slice(-2)).toEqual(["Hi, Sam here.", "Streaming done."]);
    expect(texts().filter((t) => t === "Hi, Sam here.")).toHaveLength(1);

    again.frame({ type: "status", status: "closed", feedbackRequested: true });
    expect(q<HTMLElement>(".feedback").hidden).toBe(false);
    expect(q<HTMLElement>(".form").hidden).toBe(true);
    fetchMock.mockResolvedValueOnce(ok({ id: "f1" }, 201));
    q<HTMLInputElement>('.feedback input[value="4"]').click();
    q<HTMLFormElement>(".feedback").dispatchEvent(new Event("submit", { cancelable: true }));
    await flush();
    const [furl, finit] = fetchMock.mock.calls[1];
    expect(furl).toBe("https://sb.example/api/feedback");
    expect(JSON.parse(finit.body)).toEqual({ companyId: "co", conversationId: "c1", sessionId: S, rating: 4 });
    expect(q<HTMLElement>(".feedback").hidden).toBe(true);
    expect(q(".status").textContent).toBe("Thank you for your feedback!");
  });

  it("continues a stored conversation after a reload", async () => {
    localStorage.setItem(storageKey("co"), JSON.stringify({ sessionId: S, conversationId: "c1", lastMessageId: "m2" }));
    fetchMock.mockResolvedValueOnce(ok([view("m1", "customer", "Hello"), view("m2", "ai", "Hi there")], 200, { nextCursor: null }));
    await make().mount();
    expect(fetchMock.mock.calls[0][0]).toBe(`https://sb.example/api/chat/${S}/messages?limit=200`);
    expect(texts()).toEqual(["Hi from Acme!", "Hello", "Hi there"]);
    expect(FakeSocket.all[0].url).toContain("after=m2");
  });

  it("forgets a stored session the server no longer knows", async () => {
    localStorage.setItem(storageKey("co"), JSON.stringify({ sessionId: S }));
    fetchMock.mockResolvedValueOnce(new Response(JSON.stringify({ success: false, error: { code: "not_found", message: "nope" } }), { status: 404 }));
    await make().mount();
    expect(localStorage.getItem(storageKey("co"))).toBeNull();
    expect(FakeSocket.all).toHaveLength(0);
  });
});
