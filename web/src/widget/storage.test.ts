import { beforeEach, describe, expect, it } from "vitest";
import { clearSession, loadSession, saveSession, storageKey } from "./storage";

describe("session storage", () => {
  beforeEach(() => localStorage.clear());

  it("keeps one session per company", () => {
    saveSession(localStorage, "co-1", { sessionId: "s1", conversationId: "c1", lastMessageId: "m5" });
    saveSession(localStorage, "co-2", { sessionId: "s2" });
    expect(loadSession(localStorage, "co-1")).toEqual({ sessionId: "s1", conversationId: "c1", lastMessageId: "m5" });
    expect(loadSession(localStorage, "co-2")).toEqual({ sessionId: "s2", conversationId: undefined, lastMessageId: undefined });
    clearSession(localStorage, "co-1");
    expect(loadSession(localStorage, "co-1")).toBeNull();
    expect(loadSession(localStorage, "co-2")?.sessionId).toBe("s2");
  });

  it("reads garbage and missing storage as nothing stored", () => {
    localStorage.setItem(storageKey("co"), "{oops");
    expect(loadSession(localStorage, "co")).toBeNull();
    localStorage.setItem(storageKey("co"), JSON.stringify({ sessionId: 42 }));
    expect(loadSession(localStorage, "co")).toBeNull();
    localStorage.setItem(storageKey("co"), "null");
    expect(loadSession(localStorage, "co")).toBeNull();
    expect(loadSession(undefined, "co")).toBeNull();
  });

  it("survives storage that throws", () => {
    const broken = {
      getItem: () => { throw new Error("denied"); },
      setItem: () => { throw new Error("denied"); },
      removeItem: () => { throw new Error("denied"); },
    } as unknown as Storage;
    expect(() => saveSession(broken, "co", { sessionId: "s" })).not.toThrow();
    expect(loadSession(broken, "co")).toBeNull();
    expect(() => clearSession(broken, "co")).not.toThrow();
  });
});
