// Shapes of GET/PUT /api/admin/config beyond what lib/types.ts spells out (its `ai` is an
// untyped record), from crates/server/src/routes/admin/config.rs and config_update.rs.
import type { ConfigView } from "@/lib/types";

export type Provider = "builtin" | "openai";

/** `ai` of the config as GET returns it; the API key itself is never returned. */
export interface AiSettingsView {
  provider: Provider;
  model: string | null;
  baseUrl: string | null;
  apiKeySet: boolean;
  faqThreshold: number | null;
  answerThreshold: number | null;
}

/**
 * The body of PUT /api/admin/config. Every field is optional (only those sent change);
 * null clears the nullable ones. The server refuses unknown fields by name.
 */
export interface ConfigUpdate {
  agentName?: string;
  agentPersona?: string;
  brandingName?: string;
  brandingLogo?: string | null;
  brandingPrimaryColor?: string;
  greetingMessage?: string;
  allowedOrigins?: string[];
  identityRequired?: boolean;
  ai?: {
    provider?: Provider;
    model?: string | null;
    baseUrl?: string | null;
    /** Write-only: a string replaces the stored key, null removes it. */
    apiKey?: string | null;
    faqThreshold?: number | null;
    answerThreshold?: number | null;
  };
}

/** POST /api/admin/config/identity-secret: the new secret, shown in this response only. */
export interface IdentitySecretView {
  identitySecret: string;
}

/** The server's defaults when a threshold is not set (crates/ai/src/knowledge/mod.rs). */
export const DEFAULT_FAQ_THRESHOLD = 0.75;
export const DEFAULT_ANSWER_THRESHOLD = 0.48;
/** The model used with an OpenAI-compatible provider when none is set (engine/src/reply.rs). */
export const DEFAULT_MODEL = "gpt-4o-mini";

const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : null);
const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : null);

/** Reads `config.ai` defensively: lib/types types it as a plain record. */
export function aiSettings(config: ConfigView): AiSettingsView {
  const ai = config.ai ?? {};
  return {
    provider: ai.provider === "openai" ? "openai" : "builtin",
    model: str(ai.model),
    baseUrl: str(ai.baseUrl),
    apiKeySet: ai.apiKeySet === true,
    faqThreshold: num(ai.faqThreshold),
    answerThreshold: num(ai.answerThreshold),
  };
}
