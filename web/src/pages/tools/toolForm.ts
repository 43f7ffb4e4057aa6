// The tool dialog's form: its values, their checks (the API's rules from tool.rs and
// tool_input.rs, caught before a round trip), and the conversion to and from the API.
import type { UseFormSetError } from "react-hook-form";
import { z } from "zod";
import { ApiError, errorMessage } from "@/lib/api";
import { paramsToSchema, parseRawSchema, PARAM_TYPES, schemaToParams, validateParams, type JsonObject } from "@/lib/toolSchema";
import type { ToolView } from "@/lib/types";

export const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
/** How the API shows a stored header value; sent back, it keeps that value. */
export const SECRET_MASK = "********";

const param = z.object({
  name: z.string(),
  type: z.enum(PARAM_TYPES),
  description: z.string(),
  required: z.boolean(),
  enumText: z.string(),
});

export const toolFormSchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, "Enter a name")
      .max(64, "At most 64 characters")
      .regex(/^[a-z0-9_]+$/, "Only a-z, 0-9 and _ (the AI calls the tool by this name)"),
    description: z.string().trim().min(1, "Say what the tool does and when the AI should use it").max(1024, "At most 1024 characters"),
    type: z.enum(["webhook", "function"]),
    url: z.string(),
    method: z.enum(METHODS),
    timeoutMs: z.string(),
    headers: z.array(z.object({ name: z.string(), value: z.string() })),
    script: z.string(),
    requiresApproval: z.boolean(),
    enabled: z.boolean(),
    rawMode: z.boolean(),
    params: z.array(param),
    rawParameters: z.string(),
  })
  .superRefine((v, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });
    if (v.type === "webhook") {
      const url = v.url.trim();
      if (!url) issue(["url"], "Enter the URL to call");
      else if (!/^https?:\/\/\S+$/i.test(url)) issue(["url"], "An http:// or https:// URL");
      const t = v.timeoutMs.trim();
      if (t && !(/^\d+$/.test(t) && Number(t) >= 100 && Number(t) <= 30000)) issue(["timeoutMs"], "A whole number from 100 to 30000, or empty for the default");
      const seen = new Set<string>();
      v.headers.forEach((h, i) => {
        const name = h.name.trim();
        if (!name && !h.value) return;
        if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/.test(name)) issue(["headers", i, "name"], "1–100 letters, digits or !#$%&'*+-.^_`|~");
        else if (seen.has(name.toLowerCase())) issue(["headers", i, "name"], "Given twice (header names ignore case)");
        seen.add(name.toLowerCase());
        if (!h.value) issue(["headers", i, "value"], "Enter a value");
      });
    } else if (!v.script.trim()) {
      issue(["script"], "Enter the script");
    }
    if (v.rawMode) {
      const parsed = parseRawSchema(v.rawParameters);
      if (!parsed.ok) issue(["rawParameters"], parsed.error);
    } else {
      for (const p of validateParams(v.params)) issue(["params", p.index, p.field], p.message);
    }
  });

export type ToolFormValues = z.infer<typeof toolFormSchema>;

export interface ToolBody {
  name: string;
  description: string;
  type: "webhook" | "function";
  parameters: JsonObject;
  config: JsonObject;
  requiresApproval: boolean;
  enabled: boolean;
}

function text(v: unknown, fallback = ""): string {
  return typeof v === "string" ? v : fallback;
}

export function toolToForm(tool?: ToolView): ToolFormValues {
  const c = tool?.config ?? {};
  const isWebhook = tool?.type !== "function";
  const headers = isWebhook && c.headers && typeof c.headers === "object" ? Object.entries(c.headers as Record<string, unknown>).map(([name, value]) => ({ name, value: text(value) })) : [];
  const schema = tool?.parameters ?? { type: "object", properties: {} };
  const rows = schemaToParams(schema);
  return {
    name: tool?.name ?? "",
    description: tool?.description ?? "",
    type: tool?.type ?? "webhook",
    url: isWebhook ? text(c.url) : "",
    method: METHODS.includes(c.method as (typeof METHODS)[number]) ? (c.method as (typeof METHODS)[number]) : "POST",
    timeoutMs: isWebhook && typeof c.timeoutMs === "number" ? String(c.timeoutMs) : "",
    headers,
    script: isWebhook ? "" : text(c.script),
    requiresApproval: tool?.requiresApproval ?? false,
    enabled: tool?.enabled ?? true,
    // A schema the list cannot show opens as JSON, so that nothing in it is lost.
    rawMode: !rows.ok,
    params: rows.ok ? rows.value : [],
    rawParameters: JSON.stringify(schema, null, 2),
  };
}

export function formToBody(v: ToolFormValues): ToolBody {
  let config: JsonObject;
  if (v.type === "webhook") {
    const headers: Record<string, string> = {};
    for (const h of v.headers) if (h.name.trim()) headers[h.name.trim()] = h.value;
    config = { url: v.url.trim(), method: v.method, headers };
    if (v.timeoutMs.trim()) config.timeoutMs = Number(v.timeoutMs.trim());
  } else {
    config = { script: v.script };
  }
  const raw = parseRawSchema(v.rawParameters);
  return {
    name: v.name.trim(),
    description: v.description.trim(),
    type: v.type,
    parameters: v.rawMode && raw.ok ? raw.value : paramsToSchema(v.params),
    config,
    requiresApproval: v.requiresApproval,
    enabled: v.enabled,
  };
}

type FormField = Parameters<UseFormSetError<ToolFormValues>>[0];

/** Where an API field (tool_input.rs names `config.url`, `config.headers.X-Key`, …) shows in the form. */
export function formFieldFor(apiField: string, values: ToolFormValues): FormField | null {
  const direct: Record<string, FormField> = {
    name: "name",
    description: "description",
    type: "type",
    "config.url": "url",
    "config.method": "method",
    "config.timeoutMs": "timeoutMs",
    "config.script": "script",
  };
  if (direct[apiField]) return direct[apiField];
  if (apiField === "parameters" && values.rawMode) return "rawParameters";
  const header = /^config\.headers\.(.+)$/.exec(apiField);
  if (header) {
    const i = values.headers.findIndex((h) => h.name.trim() === header[1]);
    if (i >= 0) return `headers.${i}.name`;
  }
  return null;
}

/** Puts the API's field messages on the form; returns what is left for the alert above it. */
export function applyToolErrors(error: unknown, setError: UseFormSetError<ToolFormValues>, values: ToolFormValues): string | null {
  // Every 409 of the tool routes is about the name: taken, or still called by workflows.
  if (error instanceof ApiError && error.code === "conflict") {
    setError("name", { type: "server", message: errorMessage(error) });
    return null;
  }
  if (!(error instanceof ApiError) || error.code !== "validation_error" || error.fields.length === 0) return errorMessage(error);
  const left: string[] = [];
  for (const f of error.fields) {
    const field = formFieldFor(f.field, values);
    const message = f.message ? f.message[0].toUpperCase() + f.message.slice(1) : f.message;
    if (field) setError(field, { type: "server", message });
    else left.push(`${f.field} ${f.message}`);
  }
  return left.length ? left.join("; ") : null;
}
