// The AI configuration form, checked with the server's rules (routes/admin/config_update.rs
// and the domain crate's config.rs); the API stays the judge.
import { z } from "zod";
import type { ConfigView } from "@/lib/types";
import { aiSettings, type ConfigUpdate, type Provider } from "./types";

export const MAX_URL_LEN = 2048;
const HEX = /^#[0-9a-fA-F]{6}$/;
// The server refuses control characters other than newline and tab in text fields.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

export function isHexColor(s: string): boolean {
  return HEX.test(s.trim());
}

/**
 * An absolute http(s) URL with a host and no credentials, as the server's `HttpUrl`; with
 * `httpsOnly`, as its `HttpsUrl`. Returns the problem, or null when the URL is fine.
 */
export function urlProblem(raw: string, httpsOnly = false): string | null {
  const s = raw.trim();
  if (s.length > MAX_URL_LEN) return `At most ${MAX_URL_LEN} characters`;
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    return httpsOnly ? "Enter a full https:// address" : "Enter a full http:// or https:// address";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return "Must start with http:// or https://";
  if (!url.hostname) return "Must name a host";
  // A password in the URL would show in every page and log that shows the setting.
  if (url.username || url.password) return "Must not contain a user name or password";
  if (httpsOnly && url.protocol !== "https:") return "Must be an https URL (sites served over https block plain http images)";
  return null;
}

const text = (max: number, min = 0, empty = "Must not be empty") =>
  z
    .string()
    .trim()
    .min(min, empty)
    .max(max, `At most ${max} characters`)
    .refine((s) => !CONTROL.test(s), "Must not contain control characters");

/** A threshold as typed: empty means the server's default (sent as null). */
const threshold = z
  .string()
  .trim()
  .refine((s) => {
    if (s === "") return true;
    const n = Number(s);
    return Number.isFinite(n) && n >= 0 && n <= 1;
  }, "A number from 0 to 1, or empty for the default")
  .transform((s) => (s === "" ? null : Number(s)));

const aiSchema = z
  .object({
    provider: z.enum(["builtin", "openai"]),
    baseUrl: z.string().trim(),
    model: z.string().trim(),
    apiKey: z.string(),
    clearApiKey: z.boolean(),
    faqThreshold: threshold,
    answerThreshold: threshold,
  })
  // The URL, model and key are used (and sent) only with an OpenAI-compatible provider,
  // so they are checked only then: hidden fields must not block saving.
  .superRefine((ai, ctx) => {
    if (ai.provider !== "openai") return;
    if (ai.baseUrl === "") {
      ctx.addIssue({ code: "custom", path: ["baseUrl"], message: "Enter the API's base URL, e.g. https://api.openai.com/v1" });
    } else {
      const problem = urlProblem(ai.baseUrl);
      if (problem) ctx.addIssue({ code: "custom", path: ["baseUrl"], message: problem });
    }
    if (ai.model.length > 200) ctx.addIssue({ code: "custom", path: ["model"], message: "At most 200 characters" });
    if (!ai.clearApiKey && ai.apiKey.length > 1000) ctx.addIssue({ code: "custom", path: ["apiKey"], message: "At most 1000 characters" });
    if (!ai.clearApiKey && ai.apiKey !== "" && ai.apiKey.trim() === "") {
      ctx.addIssue({ code: "custom", path: ["apiKey"], message: "The key is only spaces" });
    }
  });

export const configSchema = z.object({
  agentName: text(100, 1, "Enter the assistant's name"),
  agentPersona: text(4000),
  greetingMessage: text(1000),
  brandingName: text(200),
  brandingLogo: z
    .string()
    .trim()
    .superRefine((s, ctx) => {
      const problem = s === "" ? null : urlProblem(s, true);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .transform((s) => (s === "" ? null : s)),
  brandingPrimaryColor: z
    .string()
    .trim()
    .refine((s) => HEX.test(s), "A colour written #rrggbb, e.g. #2563eb")
    .transform((s) => s.toLowerCase()),
  ai: aiSchema,
});
export type ConfigInput = z.input<typeof configSchema>;
export type ConfigValues = z.output<typeof configSchema>;

/** The form's fields the API names in its 400s (`ai.baseUrl` and so on). */
export const CONFIG_FIELDS = [
  "agentName",
  "agentPersona",
  "greetingMessage",
  "brandingName",
  "brandingLogo",
  "brandingPrimaryColor",
  "ai.provider",
  "ai.baseUrl",
  "ai.model",
  "ai.apiKey",
  "ai.faqThreshold",
  "ai.answerThreshold",
] as const;

export function configInput(c: ConfigView): ConfigInput {
  const ai = aiSettings(c);
  return {
    agentName: c.agentName,
    agentPersona: c.agentPersona,
    greetingMessage: c.greetingMessage,
    brandingName: c.brandingName,
    brandingLogo: c.brandingLogo ?? "",
    brandingPrimaryColor: c.brandingPrimaryColor,
    ai: {
      provider: ai.provider,
      baseUrl: ai.baseUrl ?? "",
      model: ai.model ?? "",
      apiKey: "",
      clearApiKey: false,
      faqThreshold: ai.faqThreshold === null ? "" : String(ai.faqThreshold),
      answerThreshold: ai.answerThreshold === null ? "" : String(ai.answerThreshold),
    },
  };
}

/**
 * The PUT body: only what differs from `saved`, since PUT is partial. That keeps another
 * admin's concurrent change to an untouched field, and keeps the audit log's list of changed
 * fields true. The URL, model and key go only with the OpenAI-compatible provider.
 */
export function configBody(v: ConfigValues, saved: ConfigView): ConfigUpdate {
  const body: ConfigUpdate = {};
  const top = ["agentName", "agentPersona", "greetingMessage", "brandingName", "brandingPrimaryColor"] as const;
  for (const k of top) if (v[k] !== saved[k]) body[k] = v[k];
  if (v.brandingLogo !== (saved.brandingLogo ?? null)) body.brandingLogo = v.brandingLogo;

  const was = aiSettings(saved);
  const ai: NonNullable<ConfigUpdate["ai"]> = {};
  if (v.ai.provider !== was.provider) ai.provider = v.ai.provider as Provider;
  if (v.ai.faqThreshold !== was.faqThreshold) ai.faqThreshold = v.ai.faqThreshold;
  if (v.ai.answerThreshold !== was.answerThreshold) ai.answerThreshold = v.ai.answerThreshold;
  if (v.ai.provider === "openai") {
    const baseUrl = v.ai.baseUrl || null;
    const model = v.ai.model || null;
    if (baseUrl !== was.baseUrl) ai.baseUrl = baseUrl;
    if (model !== was.model) ai.model = model;
    if (v.ai.clearApiKey) {
      if (was.apiKeySet) ai.apiKey = null;
    } else if (v.ai.apiKey.trim() !== "") {
      ai.apiKey = v.ai.apiKey.trim();
    }
  }
  if (Object.keys(ai).length > 0) body.ai = ai;
  return body;
}
