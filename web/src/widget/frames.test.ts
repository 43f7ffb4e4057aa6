import { describe, expect, it } from "vitest";
import { addLocal, applyFrame, applyOpeningFrame, citationChips, displayText, dropLocal, initialState, insertFirst, lastStoredId, mergeHistory, parseFrame, upsertMessage, type ChatState } from "./frames";
import type { ChatMessage, Frame } from "./types";

const at = "2026-12-04T10:00:00Z";
const msg = (id: string, sender: ChatMessage["sender"], content: string, extra: Partial<ChatMessage> = {}): ChatMessage => ({
  id, conversationId: "c1", sender, content, citations: [], createdAt: at, ...extra,
});
const frame = (m: ChatMessage): Frame => ({ type: "message", ...m });
const apply = (frames: Frame[], s: ChatState = initialState) => frames.reduce(applyFrame, s);

describe("applyFrame", () => {
  it("appends message frames and drops repeats by id", () => {
    const a = msg("m1", "ai", "Hello");
    const s = apply([frame(a), frame(msg("m2", "customer", "Hi")), frame(a)]);
    expect(s.messages.map((m) => m.id)).toEqual(["m1", "m2"]);
  });

  it("builds a streamed reply from deltas and replaces it with the final message", () => {
    let s = apply([
      { type: "typing", sender: "ai" },
      { type: "delta", messageId: "r1", content: "Ret" },
      { type: "delta", messageId: "r1", content: "urns take " },
    ]);
    expect(s.messages).toHaveLength(1);
    expect(s.messages[0]).toMatchObject({ id: "r1", sender: "ai", content: "Returns take ", streaming: true });
    expect(s.typing).toBeNull();
    const citations = [{ documentId: "d1", title: "Returns policy", excerpt: "30 days" }];
    s = applyFrame(s, frame(msg("r1", "ai", "Returns take 30 days.", { citations })));
    expect(s.messages).toHaveLength(1);
    expect(s.messages[0].streaming).toBeUndefined();
    expect(s.messages[0].content).toBe("Returns take 30 days.");
    expect(s.messages[0].citations[0].title).toBe("Returns policy");
    // A late delta after the whole message changes nothing.
    expect(applyFrame(s, { type: "delta", messageId: "r1", content: "!!" })).toBe(s);
  });

  it("confirms a local customer message in place instead of showing it twice", () => {
    let s = addLocal(initialState, "local-1", "Where is my order?", at);
    s = applyFrame(s, frame(msg("m9", "customer", "Where is my order?")));
    expect(s.messages).toHaveLength(1);
    expect(s.messages[0]).toMatchObject({ id: "m9", key: "local-1" });
    expect(s.messages[0].local).toBeUndefined();
    // The POST reply naming the same message afterwards is a repeat.
    s = upsertMessage(s, msg("m9", "customer", "Where is my order?"), "local-1");
    expect(s.messages).toHaveLength(1);
    expect(s.messages[0].key).toBe("local-1");
  });

  it("matches a local message by its id when the caller knows it", () => {
    let s = addLocal(initialState, "local-1", "same", at);
    s = addLocal(s, "local-2", "same", at);
    s = upsertMessage(s, msg("m2", "customer", "same"), "local-2");
    expect(s.messages.map((m) => m.id)).toEqual(["local-1", "m2"]);
    expect(dropLocal(s, "local-1").messages.map((m) => m.id)).toEqual(["m2"]);
  });

  it("keeps typing until that sender's message, and ignores the customer's own typing", () => {
    let s = apply([{ type: "typing", sender: "agent" }]);
    expect(s.typing).toBe("agent");
    expect(applyFrame(s, { type: "typing", sender: "customer" }).typing).toBe("agent");
    s = applyFrame(s, frame(msg("a1", "ai", "unrelated")));
    expect(s.typing).toBe("agent");
    s = applyFrame(s, frame(msg("a2", "agent", "Hi, I'm Sam")));
    expect(s.typing).toBeNull();
  });

  it("applies status frames and remembers a requested rating when closed", () => {
    let s = apply([{ type: "status", status: "human" }]);
    expect(s.status).toBe("human");
    expect(s.feedbackRequested).toBe(false);
    s = applyFrame(s, { type: "status", status: "closed", feedbackRequested: true });
    expect(s).toMatchObject({ status: "closed", feedbackRequested: true });
    s = applyFrame(s, { type: "status", status: "awaiting_approval" });
    expect(s.feedbackRequested).toBe(false);
  });

  it("records refusals and ignores unknown frames", () => {
    const s = applyFrame(initialState, { type: "error", code: "rate_limited", message: "slow down" });
    expect(s.error).toBe("slow down");
    expect(applyFrame(s, { type: "resync" })).toBe(s);
    expect(applyFrame(s, { type: "something_new" } as unknown as Frame)).toBe(s);
  });
});

describe("catch-up", () => {
  it("merges a replay that overlaps what is shown, in order, without duplicates", () => {
    let s = apply([frame(msg("m1", "customer", "a")), frame(msg("m2", "ai", "b"))]);
    s = applyFrame(s, { type: "delta", messageId: "m3", content: "par" });
    // The socket dropped; the reconnect asks for what came after the last stored message.
    expect(lastStoredId(s)).toBe("m2");
    s = mergeHistory(s, [msg("m2", "ai", "b"), msg("m3", "ai", "partial reply, whole"), msg("m4", "agent", "d")]);
    expect(s.messages.map((m) => [m.id, m.content])).toEqual([
      ["m1", "a"], ["m2", "b"], ["m3", "partial reply, whole"], ["m4", "d"],
    ]);
    expect(lastStoredId(s)).toBe("m4");
  });

  it("has no last id before anything is stored", () => {
    expect(lastStoredId(initialState)).toBeNull();
    expect(lastStoredId(addLocal(initialState, "local-1", "x", at))).toBeNull();
  });
});

describe("parseFrame", () => {
  it("accepts JSON objects with a type and nothing else", () => {
    expect(parseFrame('{"type":"typing","sender":"ai"}')).toEqual({ type: "typing", sender: "ai" });
    expect(parseFrame("not json")).toBeNull();
    expect(parseFrame('{"no":"type"}')).toBeNull();
    expect(parseFrame("[1]")).toBeNull();
    expect(parseFrame(new ArrayBuffer(2))).toBeNull();
  });

  it("accepts a session frame only with its sessionId and conversationId", () => {
    const sessionId = "0123456789abcdef0123456789abcdef";
    expect(parseFrame(JSON.stringify({ type: "session", sessionId, conversationId: "c1" }))).toEqual({ type: "session", sessionId, conversationId: "c1" });
    expect(parseFrame(JSON.stringify({ type: "session", sessionId }))).toBeNull();
    expect(parseFrame(JSON.stringify({ type: "session", sessionId: "", conversationId: "c1" }))).toBeNull();
    expect(parseFrame(JSON.stringify({ type: "session", sessionId: 7, conversationId: "c1" }))).toBeNull();
    // It changes nothing shown.
    const frame = parseFrame(JSON.stringify({ type: "session", sessionId, conversationId: "c1" }))!;
    expect(applyFrame(initialState, frame)).toBe(initialState);
  });
});

describe("applyOpeningFrame", () => {
  it("puts the greeting first and confirms the local first message in place, then applies frames as usual", () => {
    let s = addLocal(initialState, "local-1", "Where is my order?", at);
    s = applyOpeningFrame(s, frame(msg("g", "ai", "Welcome")), "local-1");
    s = applyOpeningFrame(s, frame(msg("m1", "customer", "Where is my order? ")), "local-1");
    expect(s.messages.map((m) => [m.id, m.key])).toEqual([["g", undefined], ["m1", "local-1"]]);
    s = applyOpeningFrame(s, { type: "delta", messageId: "r1", content: "Let" }, "local-1");
    s = applyOpeningFrame(s, frame(msg("a1", "agent", "Hi")), "local-1");
    expect(s.messages.map((m) => m.id)).toEqual(["g", "m1", "r1", "a1"]);
  });
});

describe("insertFirst", () => {
  it("puts the greeting of a new conversation before the first message, once", () => {
    let s = addLocal(initialState, "local-1", "hi", at);
    s = insertFirst(s, msg("g", "ai", "Welcome"));
    s = insertFirst(s, msg("g", "ai", "Welcome"));
    expect(s.messages.map((m) => m.id)).toEqual(["g", "local-1"]);
  });
});

describe("displayText", () => {
  it("drops passage markers, whole or still being streamed, and keeps everything else", () => {
    expect(displayText("Returns take 30 days [P1]. Refunds [P1, P2] too.")).toBe("Returns take 30 days. Refunds too.");
    expect(displayText("Returns take 30 days [P")).toBe("Returns take 30 days");
    expect(displayText("Returns take 30 days [P1,")).toBe("Returns take 30 days");
    expect(displayText("Use code [SAVE10] or see [x].")).toBe("Use code [SAVE10] or see [x].");
    expect(displayText("Plain text")).toBe("Plain text");
  });
});

describe("citationChips", () => {
  const a = { documentId: "d1", title: "Returns policy", excerpt: "30 days" };
  const b = { documentId: "d2", title: "Shipping", excerpt: "2 days" };

  it("numbers each citation when the content quotes passages as [n], in the citations' order", () => {
    expect(citationChips("“30 days” [1]\n\n“2 days” [2]\n\n“receipt” [3]", [a, b, a])).toEqual([
      { text: "1 · Returns policy", title: "Returns policy", label: "Source 1: Returns policy" },
      { text: "2 · Shipping", title: "Shipping", label: "Source 2: Shipping" },
      { text: "3 · Returns policy", title: "Returns policy", label: "Source 3: Returns policy" },
    ]);
    expect(citationChips("“x” [1]", [{ ...a, title: "" }])).toEqual([{ text: "1", title: "Source 1", label: "Source 1" }]);
  });

  it("shows one unnumbered chip per title without [n] markers, or with markers that point at no citation", () => {
    const plain = [{ text: "Returns policy", title: "Returns policy" }, { text: "Shipping", title: "Shipping" }];
    expect(citationChips("Returns take 30 days [P1]. Shipping [P2].", [a, b, a])).toEqual(plain);
    expect(citationChips("Returns take 30 days.", [a, b])).toEqual(plain);
    expect(citationChips("See step [7].", [a, b])).toEqual(plain);
    expect(citationChips("“x” [1]", [])).toEqual([]);
  });
});
