import { describe, expect, it } from "vitest";
import type { ConfigView } from "@/lib/types";
import { configBody, configInput, configSchema, isHexColor, urlProblem, type ConfigInput } from "./schema";
import { aiSettings } from "./types";

const saved: ConfigView = {
  agentName: "Ava",
  agentPersona: "Friendly.",
  brandingName: "Acme",
  brandingLogo: null,
  brandingPrimaryColor: "#2563eb",
  greetingMessage: "Hi!",
  allowedOrigins: [],
  identityRequired: false,
  identitySecretSet: false,
  ai: { provider: "openai", baseUrl: "https://api.openai.com/v1", model: null, apiKeySet: true, faqThreshold: 0.8, answerThreshold: null },
  updatedAt: "2026-12-01T00:00:00Z",
};

function input(patch: Partial<Omit<ConfigInput, "ai">> & { ai?: Partial<ConfigInput["ai"]> } = {}): ConfigInput {
  const base = configInput(saved);
  return { ...base, ...patch, ai: { ...base.ai, ...patch.ai } };
}

function errors(v: ConfigInput): Record<string, string> {
  const r = configSchema.safeParse(v);
  if (r.success) return {};
  return Object.fromEntries(r.error.issues.map((i) => [i.path.join("."), i.message]));
}

describe("colour", () => {
  it("takes #rrggbb in any case, trimmed, and stores it lower-case", () => {
    expect(isHexColor(" #A1b2C3 ")).toBe(true);
    const r = configSchema.parse(input({ brandingPrimaryColor: " #A1B2C3 " }));
    expect(r.brandingPrimaryColor).toBe("#a1b2c3");
  });

  it.each(["a1b2c3", "#abc", "#a1b2c3d", "#gggggg", "", "red", "#12 345"])("refuses %j", (bad) => {
    expect(isHexColor(bad)).toBe(false);
    expect(errors(input({ brandingPrimaryColor: bad })).brandingPrimaryColor).toMatch(/#rrggbb/);
  });
});

describe("URLs", () => {
  it("logo: https only, empty clears it", () => {
    expect(configSchema.parse(input({ brandingLogo: "  " })).brandingLogo).toBeNull();
    expect(configSchema.parse(input({ brandingLogo: "https://cdn.example.com/logo.png" })).brandingLogo).toBe("https://cdn.example.com/logo.png");
    expect(errors(input({ brandingLogo: "http://cdn.example.com/logo.png" })).brandingLogo).toMatch(/https/);
    expect(errors(input({ brandingLogo: "logo.png" })).brandingLogo).toBeTruthy();
    expect(errors(input({ brandingLogo: "https://user:pw@cdn.example.com/x.png" })).brandingLogo).toMatch(/password/);
  });

  it("base URL: http or https with a host, no credentials, at most 2048 characters", () => {
    expect(urlProblem("http://llm.internal:8080/v1")).toBeNull();
    expect(urlProblem("https://api.openai.com/v1")).toBeNull();
    expect(urlProblem("file:///etc/passwd")).toBeTruthy();
    expect(urlProblem("not a url")).toBeTruthy();
    expect(urlProblem(`https://e.com/${"a".repeat(2048)}`)).toMatch(/2048/);
    expect(errors(input({ ai: { baseUrl: "ftp://x.example" } }))["ai.baseUrl"]).toBeTruthy();
  });

  it("an OpenAI-compatible provider needs a base URL; the built-in one ignores it", () => {
    expect(errors(input({ ai: { baseUrl: "" } }))["ai.baseUrl"]).toMatch(/base URL/);
    expect(errors(input({ ai: { provider: "builtin", baseUrl: "nonsense" } }))).toEqual({});
  });
});

describe("thresholds", () => {
  it("are 0 to 1, empty meaning the default", () => {
    const r = configSchema.parse(input({ ai: { faqThreshold: "0", answerThreshold: "" } }));
    expect(r.ai.faqThreshold).toBe(0);
    expect(r.ai.answerThreshold).toBeNull();
    expect(errors(input({ ai: { faqThreshold: "1.01" } }))["ai.faqThreshold"]).toMatch(/0 to 1/);
    expect(errors(input({ ai: { answerThreshold: "-0.1" } }))["ai.answerThreshold"]).toMatch(/0 to 1/);
  });
});

describe("text", () => {
  it("needs an agent name and keeps to the server's lengths", () => {
    expect(errors(input({ agentName: "   " })).agentName).toBeTruthy();
    expect(errors(input({ greetingMessage: "x".repeat(1001) })).greetingMessage).toMatch(/1000/);
    expect(errors(input({ agentPersona: "a\u0000b" })).agentPersona).toMatch(/control/);
    expect(errors(input({ agentPersona: "line\nline\ttab" }))).toEqual({});
  });
});

describe("configBody", () => {
  const body = (v: ConfigInput) => configBody(configSchema.parse(v), saved);

  it("sends nothing when nothing changed", () => {
    expect(body(input())).toEqual({});
  });

  it("sends only the changed fields, AI ones nested", () => {
    expect(body(input({ greetingMessage: " Hello! ", brandingPrimaryColor: "#0F766E", ai: { answerThreshold: "0.5", model: "gpt-4.1" } }))).toEqual({
      greetingMessage: "Hello!",
      brandingPrimaryColor: "#0f766e",
      ai: { answerThreshold: 0.5, model: "gpt-4.1" },
    });
  });

  it("keeps the stored key unless a new one is typed or removal is asked for", () => {
    expect(body(input({ ai: { apiKey: " sk-new " } }))).toEqual({ ai: { apiKey: "sk-new" } });
    expect(body(input({ ai: { clearApiKey: true, apiKey: "ignored" } }))).toEqual({ ai: { apiKey: null } });
  });

  it("leaves URL, model and key alone when switching to the built-in provider", () => {
    expect(body(input({ ai: { provider: "builtin", baseUrl: "", model: "x", apiKey: "k" } }))).toEqual({ ai: { provider: "builtin" } });
  });

  it("clears the logo with null", () => {
    const withLogo = { ...saved, brandingLogo: "https://cdn.example.com/a.png" };
    expect(configBody(configSchema.parse({ ...configInput(withLogo), brandingLogo: "" }), withLogo)).toEqual({ brandingLogo: null });
  });

  it("reads the AI settings defensively", () => {
    expect(aiSettings({ ...saved, ai: {} })).toEqual({ provider: "builtin", model: null, baseUrl: null, apiKeySet: false, faqThreshold: null, answerThreshold: null });
  });
});
