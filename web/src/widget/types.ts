// Shapes of the public chat API (../../../shared/spec/api.md, "Public" and "Live updates").

export type Sender = "customer" | "ai" | "agent" | "system";
export type ConversationStatus = "ai" | "awaiting_approval" | "human" | "closed";

export interface Citation {
  documentId: string;
  title: string;
  excerpt: string;
}

/** A message as the server sends it (`MessageView`), or one the widget shows before it is stored. */
export interface ChatMessage {
  id: string;
  conversationId?: string;
  sender: Sender;
  content: string;
  citations: Citation[];
  createdAt: string;
  /** An AI reply still being streamed (built from `delta` frames). */
  streaming?: boolean;
  /** A customer message sent but not yet confirmed by the server (its id is `local-…`). */
  local?: boolean;
  /** A stable key for rendering: the local id a confirmed message replaced. */
  key?: string;
}

export type Frame =
  | ({ type: "message" } & Omit<ChatMessage, "streaming" | "local" | "key">)
  | { type: "delta"; messageId: string; content: string }
  | { type: "status"; status: ConversationStatus; feedbackRequested?: boolean }
  | { type: "typing"; sender: Sender }
  | { type: "error"; code: string; message: string }
  | { type: "resync" }
  /** First frame of a socket opened with `?companyId=`: its first message started this conversation. */
  | { type: "session"; sessionId: string; conversationId: string };

export interface WidgetConfig {
  agentName: string;
  brandingName: string;
  brandingLogo: string | null;
  primaryColor: string;
  greetingMessage: string;
}

export interface WidgetUser {
  id?: string;
  name?: string;
  email?: string;
  /** hex(HMAC-SHA256(identitySecret, id + ":" + timestamp)), computed by the site's server. */
  hash?: string;
  userHash?: string;
  /** Unix seconds when the site signed the id. */
  timestamp?: number | string;
}

export interface EmbedConfig {
  companyId: string;
  user?: WidgetUser;
  /** Which corner the bubble sits in; right by default. */
  position?: "left" | "right";
}
