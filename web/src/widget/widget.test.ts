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
  onerror: (() => void) | null = null;
  sent: unknown[] = [];
  closed = false;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  close() {
    this.closed = true;
  }
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  frame(f: unknown) {
    this.onmessage?.({ data: JSON.stringify(f) });
  }
  drop() {
    this.onclose?.();
  }
  /** A refused or failed upgrade: error then close, as browsers report it. */
  fail() {
    this.onerror?.();
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
const type = async (text: string) => {
  q<HTMLTextAreaElement>(".form textarea").value = text;
  q<HTMLFormElement>(".form").dispatchEvent(new Event("submit", { cancelable: true }));
  await flush();
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

  it("posts the first message when the new-conversation socket fails before opening, then streams, reconnects with after= and rates", async () => {
    vi.useFakeTimers();
    await make().mount();
    q<HTMLButtonElement>(".launcher").click();
    q<HTMLTextAreaElement>(".form textarea").value = "Where is my order?";
    q<HTMLFormElement>(".form").dispatchEvent(new Event("submit", { cancelable: true }));
    await flush();
    expect(FakeSocket.all[0].url).toBe("wss://sb.example/api/chat/ws?companyId=co");
    expect(fetchMock).not.toHaveBeenCalled();
    fetchMock.mockResolvedValueOnce(ok({
      sessionId: S, conversationId: "c1", status: "ai",
      greeting: view("g1", "ai", "Hi from Acme!"),
      message: view("m1", "customer", "Where is my order?"),
      reply: { content: "Let me check.", citations: [{ documentId: "d", title: "Orders FAQ", excerpt: "" }], sender: "ai", messageId: "m2" },
    }));
    FakeSocket.all[0].fail();
    await flush();
    expect(FakeSocket.all[0].sent).toEqual([]);
    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe("https://sb.example/api/chat");
    expect(JSON.parse(init.body)).toEqual({ companyId: "co", message: "Where is my order?" });
    expect(texts()).toEqual(["Hi from Acme!", "Where is my order?", "Let me check."]);
    expect(q(".chip").textContent).toBe("Orders FAQ");
    expect(JSON.parse(localStorage.getItem(storageKey("co"))!)).toEqual({ sessionId: S, conversationId: "c1", lastMessageId: "m2" });

    const ws = FakeSocket.all[1];
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
    const again = FakeSocket.all[2];
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

  it("streams the first reply over the socket that starts the conversation, without a duplicate customer message", async () => {
    vi.useFakeTimers();
    await make().mount();
    q<HTMLButtonElement>(".launcher").click();
    await type("Where is my order?");
    const ws = FakeSocket.all[0];
    expect(ws.url).toBe("wss://sb.example/api/chat/ws?companyId=co");
    expect(ws.sent).toEqual([]);
    ws.onopen?.();
    expect(ws.sent).toEqual([{ type: "message", content: "Where is my order?" }]);
    expect(q<HTMLButtonElement>(".form .btn").disabled).toBe(true);

    ws.frame({ type: "session", sessionId: S, conversationId: "c1" });
    await flush();
    expect(JSON.parse(localStorage.getItem(storageKey("co"))!)).toEqual({ sessionId: S, conversationId: "c1" });
    expect(q<HTMLButtonElement>(".form .btn").disabled).toBe(false);
    // The greeting goes before the customer's message, whose stored copy replaces the local one.
    ws.frame({ ...view("g1", "ai", "Hi from Acme!"), type: "message" });
    const local = q(".msg.customer");
    ws.frame({ ...view("m1", "customer", "Where is my order?"), type: "message" });
    expect(texts()).toEqual(["Hi from Acme!", "Where is my order?"]);
    expect(q(".msg.customer")).toBe(local);
    expect(shadow().querySelectorAll(".msg.local")).toHaveLength(0);

    ws.frame({ type: "typing", sender: "ai" });
    expect(q(".typing").textContent).toBe("Ava is typing…");
    ws.frame({ type: "delta", messageId: "m2", content: "Let me" });
    expect(texts()).toEqual(["Hi from Acme!", "Where is my order?", "Let me"]);
    expect(q(".log").getAttribute("aria-busy")).toBe("true");
    ws.frame({ type: "delta", messageId: "m2", content: " check [P1]." });
    expect(texts()[2]).toBe("Let me check.");
    ws.frame({ ...view("m2", "ai", "Let me check [P1]."), citations: [{ documentId: "d", title: "Orders FAQ", excerpt: "" }], type: "message" });
    ws.frame({ type: "status", status: "ai" });
    expect(texts()).toEqual(["Hi from Acme!", "Where is my order?", "Let me check."]);
    expect(q(".chip").textContent).toBe("Orders FAQ");
    expect(q(".log").getAttribute("aria-busy")).toBe("false");
    expect(q(".typing").textContent).toBe("");
    expect(fetchMock).not.toHaveBeenCalled();
    expect(JSON.parse(localStorage.getItem(storageKey("co"))!)).toEqual({ sessionId: S, conversationId: "c1", lastMessageId: "m2" });

    // It is the conversation's socket now: a drop reconnects by sessionId, and the next message is posted.
    ws.drop();
    vi.advanceTimersByTime(1000);
    expect(FakeSocket.all[1].url).toBe(`wss://sb.example/api/chat/ws?sessionId=${S}&after=m2`);
    fetchMock.mockResolvedValueOnce(ok({ sessionId: S, conversationId: "c1", status: "ai", greeting: null, message: view("m3", "customer", "Thanks"), reply: null }));
    await type("Thanks");
    expect(JSON.parse(fetchMock.mock.calls[0][1].body)).toEqual({ companyId: "co", message: "Thanks", sessionId: S });
    expect(FakeSocket.all).toHaveLength(2);
  });

  it("falls back to the POST when the socket cannot even be built", async () => {
    vi.stubGlobal("WebSocket", class {
      constructor() {
        throw new SyntaxError("blocked");
      }
    });
    await make().mount();
    fetchMock.mockResolvedValueOnce(ok({ sessionId: S, conversationId: "c1", status: "ai", greeting: null, message: view("m1", "customer", "Hi"), reply: null }));
    await type("Hi");
    expect(fetchMock.mock.calls[0][0]).toBe("https://sb.example/api/chat");
    expect(texts()).toEqual(["Hi from Acme!", "Hi"]);
  });

  it("starts a signed-in customer's conversation over the socket too, with the token as access_token", async () => {
    make();
    (widget as unknown as { api: WidgetApi }).api.token = "tok";
    await widget.mount();
    await type("Hi");
    expect(FakeSocket.all.map((w) => w.url)).toEqual(["wss://sb.example/api/chat/ws?companyId=co&access_token=tok"]);
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it("shows a refusal of the first message like a refused POST, and a retry starts afresh", async () => {
    await make().mount();
    await type("x".repeat(10));
    const ws = FakeSocket.all[0];
    ws.onopen?.();
    ws.frame({ type: "error", code: "validation_error", message: "message is too long" });
    await flush();
    expect(q(".notice").textContent).toBe("message is too long");
    expect(texts()).toEqual(["Hi from Acme!"]);
    expect(q<HTMLTextAreaElement>(".form textarea").value).toBe("x".repeat(10));
    expect(ws.closed).toBe(true);
    expect(localStorage.getItem(storageKey("co"))).toBeNull();
    await type("short");
    expect(FakeSocket.all[1].url).toBe("wss://sb.example/api/chat/ws?companyId=co");
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it("does not resend a first message whose socket was lost before the conversation was named", async () => {
    await make().mount();
    await type("Hello?");
    const ws = FakeSocket.all[0];
    ws.onopen?.();
    ws.drop();
    await flush();
    expect(fetchMock).not.toHaveBeenCalled();
    expect(q(".notice").textContent).toBe("The message could not be sent. Check your connection and try again.");
    expect(texts()).toEqual(["Hi from Acme!"]);
    expect(q<HTMLTextAreaElement>(".form textarea").value).toBe("Hello?");
    expect(FakeSocket.all).toHaveLength(1);
  });

  it("numbers the chips of an answer that quotes passages as [1], [2], and leaves other answers' chips unnumbered", async () => {
    await make().mount();
    await type("How do returns work?");
    const ws = FakeSocket.all[0];
    ws.onopen?.();
    ws.frame({ type: "session", sessionId: S, conversationId: "c1" });
    await flush();
    ws.frame({ ...view("m1", "customer", "How do returns work?"), type: "message" });
    const returns = { documentId: "d1", title: "Returns policy", excerpt: "30 days" };
    const refunds = { documentId: "d2", title: "Refunds", excerpt: "5 days" };
    const quoted = "Here is what our documentation says about that:\n\n“Returns take 30 days.” [1]\n\n“Refunds take 5 days.” [2]\n\n“Keep the receipt.” [3]";
    ws.frame({ ...view("m2", "ai", quoted), citations: [returns, refunds, { ...returns, excerpt: "receipt" }], type: "message" });
    const chips = () => [...shadow().querySelectorAll(".msg.ai .chip")] as HTMLElement[];
    expect(chips().map((c) => c.textContent)).toEqual(["1 · Returns policy", "2 · Refunds", "3 · Returns policy"]);
    expect(chips()[0].title).toBe("Returns policy");
    expect(chips()[0].getAttribute("aria-label")).toBe("Source 1: Returns policy");
    expect(chips()[0].getAttribute("role")).toBe("listitem");
    expect(q(".msg.ai .chips").getAttribute("role")).toBe("list");
    expect(q(".msg.ai .chips").getAttribute("aria-label")).toBe("Sources");

    // A model's answer: its [P1] markers are hidden, so its chips carry titles only.
    ws.frame({ ...view("m3", "ai", "Returns take 30 days [P1][P2]."), citations: [returns, returns], type: "message" });
    const last = [...shadow().querySelectorAll(".msg.ai")].at(-1)!;
    expect(last.querySelector(".text")!.textContent).toBe("Returns take 30 days.");
    expect([...last.querySelectorAll(".chip")].map((c) => [c.textContent, c.getAttribute("aria-label")])).toEqual([["Returns policy", null]]);
  });
});
