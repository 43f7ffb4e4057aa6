import { describe, expect, it } from "vitest";
import { WidgetApi } from "./api";

describe("WidgetApi.socketUrl", () => {
  it("builds a conversation's socket URL, with after= only when given", () => {
    const api = new WidgetApi("https://sb.example/");
    expect(api.socketUrl({ sessionId: "abc", after: "m2" })).toBe("wss://sb.example/api/chat/ws?sessionId=abc&after=m2");
    expect(api.socketUrl({ sessionId: "abc", after: null })).toBe("wss://sb.example/api/chat/ws?sessionId=abc");
  });

  it("builds the socket that starts a new conversation of a company", () => {
    expect(new WidgetApi("http://localhost:8080").socketUrl({ companyId: "co 1" })).toBe("ws://localhost:8080/api/chat/ws?companyId=co+1");
    expect(new WidgetApi("https://sb.example").socketUrl({ companyId: "co" })).toBe("wss://sb.example/api/chat/ws?companyId=co");
  });

  it("carries a customer token as access_token, since a browser socket has no headers", () => {
    const api = new WidgetApi("https://sb.example");
    api.token = "t k";
    expect(api.socketUrl({ companyId: "co" })).toBe("wss://sb.example/api/chat/ws?companyId=co&access_token=t+k");
    expect(api.socketUrl({ sessionId: "abc" })).toBe("wss://sb.example/api/chat/ws?sessionId=abc&access_token=t+k");
  });
});
