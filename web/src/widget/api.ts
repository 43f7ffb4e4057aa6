// The widget's calls to the public API, on the origin the script was loaded from.

import type { ChatMessage, Citation, ConversationStatus, WidgetConfig, WidgetUser } from "./types";

export class WidgetApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

interface Envelope<T> {
  success: boolean;
  data?: T;
  nextCursor?: string | null;
  error?: { code: string; message: string };
}

export interface ChatResponse {
  sessionId: string;
  conversationId: string;
  message: ChatMessage;
  reply: { content: string; citations: Citation[]; sender: string; messageId: string } | null;
  status: ConversationStatus;
  greeting: ChatMessage | null;
}

export class WidgetApi {
  readonly base: string;
  token: string | null = null;

  constructor(base: string) {
    this.base = base.replace(/\/+$/, "");
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<Envelope<T>> {
    const headers: Record<string, string> = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    const res = await fetch(this.base + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "omit",
    });
    let envelope: Envelope<T> | null = null;
    try {
      envelope = (await res.json()) as Envelope<T>;
    } catch {
      envelope = null;
    }
    if (!res.ok || !envelope || envelope.success === false) {
      const code = envelope?.error?.code ?? "http_error";
      const message = envelope?.error?.message ?? `HTTP ${res.status}`;
      throw new WidgetApiError(res.status, code, message);
    }
    return envelope;
  }

  async config(companyId: string): Promise<WidgetConfig> {
    const e = await this.request<WidgetConfig>("GET", `/api/widget/config/${encodeURIComponent(companyId)}`);
    return e.data as WidgetConfig;
  }

  /** Signs the site's user in when the embed carries a signed identity; else does nothing. */
  async authenticate(companyId: string, user: WidgetUser | undefined): Promise<void> {
    const hash = user?.userHash ?? user?.hash;
    if (!user?.id || !hash || user.timestamp === undefined) return;
    const body: Record<string, unknown> = {
      companyId,
      userId: String(user.id),
      timestamp: Number(user.timestamp),
      userHash: hash,
    };
    if (user.name) body.name = user.name;
    const e = await this.request<{ token: string }>("POST", "/api/auth/customer/authenticate", body);
    this.token = e.data?.token ?? null;
  }

  async send(companyId: string, message: string, sessionId: string | null, userId?: string): Promise<ChatResponse> {
    const body: Record<string, unknown> = { companyId, message };
    if (sessionId) body.sessionId = sessionId;
    if (userId) body.userId = userId.slice(0, 256);
    const e = await this.request<ChatResponse>("POST", "/api/chat", body);
    return e.data as ChatResponse;
  }

  /** Every message after `after` (all of them without it), following the cursor. */
  async history(sessionId: string, after?: string): Promise<ChatMessage[]> {
    const all: ChatMessage[] = [];
    let cursor = after ?? null;
    for (let page = 0; page < 50; page++) {
      const query = `?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const e = await this.request<ChatMessage[]>("GET", `/api/chat/${encodeURIComponent(sessionId)}/messages${query}`);
      all.push(...(e.data ?? []));
      if (!e.nextCursor) break;
      cursor = e.nextCursor;
    }
    return all;
  }

  async feedback(body: { companyId: string; conversationId: string; sessionId: string; rating: number; comment?: string }): Promise<void> {
    await this.request("POST", "/api/feedback", body);
  }

  /**
   * The customer socket of a conversation (`after`: the last message the widget has), or with
   * `companyId` one whose first message starts a new conversation. A browser socket cannot
   * carry an `Authorization` header, so a customer token goes as `access_token`.
   */
  socketUrl(query: { sessionId: string; after?: string | null } | { companyId: string }): string {
    const url = new URL(`${this.base}/api/chat/ws`);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    for (const [k, v] of Object.entries(query)) if (v) url.searchParams.set(k, v);
    if (this.token) url.searchParams.set("access_token", this.token);
    return url.toString();
  }
}
