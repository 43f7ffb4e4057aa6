// The API client: a fetch wrapper that sends the bearer token, unwraps the API's envelope
// (`{success: true, data, nextCursor?}` / `{success: false, error: {code, message, details}}`)
// and turns every failure into an ApiError. A 401 on a request that carried a token ends
// the session, which sends the app back to the login page.
import { clearSession, getSession, updateSession } from "./session";

export interface FieldError {
  field: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown>;
  readonly fields: FieldError[];

  constructor(status: number, code: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = details;
    this.fields = readFields(details);
  }

  /** The API's message for one field of a validation error, if it named that field. */
  fieldMessage(field: string): string | undefined {
    return this.fields.find((f) => f.field === field)?.message;
  }

  /** Seconds to wait before retrying a 429, from the details or the Retry-After header. */
  get retryAfterSeconds(): number | undefined {
    const v = this.details.retryAfterSeconds;
    return typeof v === "number" ? v : undefined;
  }
}

function readFields(details: Record<string, unknown>): FieldError[] {
  const raw = details.fields;
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((f): FieldError[] => {
    if (f && typeof f === "object" && typeof (f as FieldError).field === "string") {
      const message = (f as FieldError).message;
      return [{ field: (f as FieldError).field, message: typeof message === "string" ? message : "is invalid" }];
    }
    return [];
  });
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

interface Parsed<T> {
  data: T;
  nextCursor: string | null;
}

const FALLBACK_MESSAGES: Record<number, [string, string]> = {
  400: ["validation_error", "The request was not accepted."],
  401: ["unauthorized", "Please sign in again."],
  403: ["forbidden", "You are not allowed to do this."],
  404: ["not_found", "Not found."],
  409: ["conflict", "This conflicts with existing data."],
  413: ["payload_too_large", "That is too large."],
  429: ["rate_limited", "Too many attempts; wait a moment and retry."],
};

function fallbackError(status: number, retryAfter?: string | null): ApiError {
  const [code, message] =
    FALLBACK_MESSAGES[status] ??
    (status >= 500 ? ["internal", "The server had a problem; try again."] : ["error", `Request failed (${status}).`]);
  const details: Record<string, unknown> = {};
  const secs = retryAfter ? Number(retryAfter) : NaN;
  if (Number.isFinite(secs)) details.retryAfterSeconds = secs;
  return new ApiError(status, code, message, details);
}

/**
 * Reads one response body of the API. `text` is the raw body ("" for none). Returns the
 * unwrapped `data` (and `nextCursor` of a list) or throws an ApiError.
 */
export function parseEnvelope<T>(status: number, text: string, retryAfter?: string | null): Parsed<T> {
  let body: unknown = undefined;
  if (text.trim() !== "") {
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
  }
  const ok = status >= 200 && status < 300;
  if (body && typeof body === "object" && !Array.isArray(body)) {
    const b = body as Record<string, unknown>;
    const err = b.error;
    if (!ok || b.success === false) {
      if (err && typeof err === "object") {
        const e = err as Record<string, unknown>;
        const details = e.details && typeof e.details === "object" && !Array.isArray(e.details)
          ? { ...(e.details as Record<string, unknown>) }
          : {};
        // Accept `fields` beside `details` too, for robustness.
        if (Array.isArray(e.fields) && !details.fields) details.fields = e.fields;
        if (details.retryAfterSeconds === undefined && retryAfter && Number.isFinite(Number(retryAfter))) {
          details.retryAfterSeconds = Number(retryAfter);
        }
        return throwing(
          new ApiError(
            ok ? 500 : status,
            typeof e.code === "string" ? e.code : "error",
            typeof e.message === "string" && e.message ? e.message : fallbackError(status).message,
            details,
          ),
        );
      }
      return throwing(fallbackError(ok ? 500 : status, retryAfter));
    }
    if ("data" in b) {
      const next = b.nextCursor;
      return { data: b.data as T, nextCursor: typeof next === "string" ? next : null };
    }
    return throwing(new ApiError(status, "bad_response", "The server sent an unexpected answer."));
  }
  if (!ok) return throwing(fallbackError(status, retryAfter));
  if (status === 204 || text.trim() === "") return { data: undefined as T, nextCursor: null };
  return throwing(new ApiError(status, "bad_response", "The server sent an unexpected answer."));
}

function throwing(e: ApiError): never {
  throw e;
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  method?: "GET" | "POST" | "PUT" | "DELETE";
  body?: unknown;
  query?: Query;
  signal?: AbortSignal;
  /** Send the session's token (default true). */
  auth?: boolean;
}

export function buildUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined && v !== null && v !== "") params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function send<T>(path: string, opts: RequestOptions): Promise<Parsed<T>> {
  const headers: Record<string, string> = { Accept: "application/json" };
  const token = opts.auth === false ? undefined : getSession()?.token;
  if (token) headers.Authorization = `Bearer ${token}`;
  let body: BodyInit | undefined;
  if (opts.body instanceof FormData) {
    body = opts.body;
  } else if (opts.body !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(opts.body);
  }
  let res: Response;
  try {
    res = await fetch(buildUrl(path, opts.query), {
      method: opts.method ?? "GET",
      headers,
      body,
      signal: opts.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === "AbortError") throw e;
    throw new ApiError(0, "network_error", "Cannot reach the server. Check your connection and retry.");
  }
  const text = await res.text();
  try {
    return parseEnvelope<T>(res.status, text, res.headers.get("Retry-After"));
  } catch (e) {
    if (e instanceof ApiError && e.status === 401 && token) {
      // The token was revoked or expired: forget it; the router shows the login page.
      clearSession();
    } else if (e instanceof ApiError && e.code === "password_change_required" && token) {
      // A temporary password: the router sends the user to choose their own.
      updateSession({ mustChangePassword: true });
    }
    throw e;
  }
}

export async function request<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  return (await send<T>(path, opts)).data;
}

export async function requestPage<T>(path: string, opts: RequestOptions = {}): Promise<Page<T>> {
  const { data, nextCursor } = await send<T[]>(path, opts);
  return { items: Array.isArray(data) ? data : [], nextCursor };
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>(path, { query, signal }),
  page: <T>(path: string, query?: Query, signal?: AbortSignal) => requestPage<T>(path, { query, signal }),
  post: <T>(path: string, body?: unknown) => request<T>(path, { method: "POST", body: body ?? {} }),
  put: <T>(path: string, body: unknown) => request<T>(path, { method: "PUT", body }),
  del: <T>(path: string) => request<T>(path, { method: "DELETE" }),
};

function sentence(s: string): string {
  const t = s.trim();
  if (!t) return t;
  const first = t[0].toUpperCase() + t.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}

/** A sentence for people, from any error a request can throw. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.code === "validation_error" && e.fields.length > 0) {
      return sentence(e.fields.map((f) => `${f.field} ${f.message}`).join("; "));
    }
    if (e.code === "rate_limited" && e.retryAfterSeconds !== undefined) {
      return `Too many attempts; retry in ${e.retryAfterSeconds} s.`;
    }
    return sentence(e.message);
  }
  if (e instanceof Error) return sentence(e.message);
  return "Something went wrong.";
}
