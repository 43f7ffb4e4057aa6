import { describe, expect, it } from "vitest";
import { MAX_ORIGINS, addOrigin, parseOrigin } from "./origins";
import { embedSnippet, identityMode } from "./snippet";

const ok = (raw: string) => {
  const r = parseOrigin(raw);
  if (!r.ok) throw new Error(`${raw}: ${r.message}`);
  return r.origin;
};

describe("parseOrigin", () => {
  // The same cases as the server's `Origin::parse` tests (crates/domain/src/config.rs).
  it("normalises to what browsers send", () => {
    expect(ok("https://Example.COM")).toBe("https://example.com");
    expect(ok(" https://example.com/ ")).toBe("https://example.com");
    expect(ok("https://example.com:443")).toBe("https://example.com");
    expect(ok("http://localhost:3000")).toBe("http://localhost:3000");
    expect(ok("https://bücher.example")).toBe("https://xn--bcher-kva.example");
    expect(ok("http://[::1]:8080")).toBe("http://[::1]:8080");
  });

  it.each([
    "https://example.com/widget",
    "https://example.com?x=1",
    "https://example.com?",
    "https://example.com#top",
    "ftp://example.com",
    "javascript:alert(1)",
    "example.com",
    "https://user:pw@example.com",
    "null",
    "",
    "*",
  ])("refuses %j", (bad) => {
    expect(parseOrigin(bad).ok).toBe(false);
  });
});

describe("addOrigin", () => {
  it("adds the normalised origin and refuses duplicates and a 51st", () => {
    expect(addOrigin([], "https://A.com/")).toEqual({ list: ["https://a.com"] });
    expect(addOrigin(["https://a.com"], "https://a.com:443")).toEqual({ error: "https://a.com is already in the list" });
    const full = Array.from({ length: MAX_ORIGINS }, (_, i) => `https://s${i}.example`);
    expect(addOrigin(full, "https://one-more.example")).toEqual({ error: `At most ${MAX_ORIGINS} origins` });
    expect("error" in addOrigin([], "https://a.com/path")).toBe(true);
  });
});

describe("embed snippet", () => {
  it("mentions the identity hash only when a secret is set", () => {
    expect(identityMode(false, false)).toBe("off");
    expect(embedSnippet("https://sb.test", "c1")).not.toContain("hash");
    const optional = embedSnippet("https://sb.test", "c1", identityMode(true, false));
    expect(optional).toContain("Identity verification (optional)");
    expect(optional).toContain("hash: 'USER_HASH'");
    expect(optional).toContain("timestamp: UNIX_TIMESTAMP");
    expect(embedSnippet("https://sb.test", "c1", identityMode(true, true))).toContain("(required)");
    expect(optional).toContain('<script src="https://sb.test/widget.js" async></script>');
  });
});
