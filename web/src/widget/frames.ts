// The conversation as the widget shows it, and how each socket frame or REST reply changes it.
// Pure: every function returns a new state.

import type { ChatMessage, Citation, ConversationStatus, Frame, Sender } from "./types";

export interface ChatState {
  messages: ChatMessage[];
  status: ConversationStatus;
  /** Who is typing (agent or ai), cleared by their next message. */
  typing: Sender | null;
  feedbackRequested: boolean;
  /** The last refusal the socket sent, for the widget to show. */
  error: string | null;
}

export const initialState: ChatState = {
  messages: [],
  status: "ai",
  typing: null,
  feedbackRequested: false,
  error: null,
};

export function isLocalId(id: string): boolean {
  return id.startsWith("local-");
}

/** The id of the last message the server stored: the `after` of a reconnecting socket. */
export function lastStoredId(state: ChatState): string | null {
  for (let i = state.messages.length - 1; i >= 0; i--) {
    const m = state.messages[i];
    if (!m.local && !m.streaming && !isLocalId(m.id)) return m.id;
  }
  return null;
}

/** Adds a customer message that is sent but not stored yet. */
export function addLocal(state: ChatState, id: string, content: string, now: string): ChatState {
  const message: ChatMessage = { id, sender: "customer", content, citations: [], createdAt: now, local: true };
  return { ...state, messages: [...state.messages, message], error: null };
}

/** Drops a local message whose sending failed. */
export function dropLocal(state: ChatState, id: string): ChatState {
  return { ...state, messages: state.messages.filter((m) => m.id !== id) };
}

/**
 * Puts a stored message in the list: replaces the message with its id (a streamed reply or a
 * repeat after a reconnect), or the local message it confirms (same content, still local;
 * `localId` names it when the caller knows), or appends it.
 */
export function upsertMessage(state: ChatState, incoming: ChatMessage, localId?: string): ChatState {
  const message: ChatMessage = {
    id: incoming.id,
    conversationId: incoming.conversationId,
    sender: incoming.sender,
    content: incoming.content,
    citations: incoming.citations ?? [],
    createdAt: incoming.createdAt,
  };
  const messages = state.messages.slice();
  const typing = state.typing === message.sender ? null : state.typing;
  const same = messages.findIndex((m) => m.id === message.id);
  if (same >= 0) {
    const old = messages[same];
    messages[same] = { ...message, key: old.key };
    return { ...state, messages, typing };
  }
  if (message.sender === "customer") {
    const local = messages.findIndex((m) =>
      m.local && (localId ? m.id === localId : m.content === message.content),
    );
    if (local >= 0) {
      messages[local] = { ...message, key: messages[local].key ?? messages[local].id };
      return { ...state, messages, typing };
    }
  }
  messages.push(message);
  return { ...state, messages, typing };
}

/** Puts a stored message first unless it is there already: the greeting of a new conversation. */
export function insertFirst(state: ChatState, incoming: ChatMessage): ChatState {
  if (state.messages.some((m) => m.id === incoming.id)) return upsertMessage(state, incoming);
  const placed = upsertMessage(initialState, incoming).messages[0];
  return { ...state, messages: [placed, ...state.messages] };
}

/** Applies one socket frame. Unknown frames change nothing. */
export function applyFrame(state: ChatState, frame: Frame): ChatState {
  switch (frame.type) {
    case "message": {
      const { type: _type, ...message } = frame;
      return upsertMessage(state, message as ChatMessage);
    }
    case "delta": {
      const at = state.messages.findIndex((m) => m.id === frame.messageId);
      if (at < 0) {
        const message: ChatMessage = {
          id: frame.messageId,
          sender: "ai",
          content: frame.content,
          citations: [],
          createdAt: new Date().toISOString(),
          streaming: true,
        };
        return { ...state, messages: [...state.messages, message], typing: null };
      }
      const old = state.messages[at];
      // A delta of a reply that is already whole (a late or repeated frame) is ignored.
      if (!old.streaming) return state;
      const messages = state.messages.slice();
      messages[at] = { ...old, content: old.content + frame.content };
      return { ...state, messages, typing: null };
    }
    case "status":
      return {
        ...state,
        status: frame.status,
        feedbackRequested: frame.status === "closed" ? Boolean(frame.feedbackRequested) || state.feedbackRequested : false,
        typing: frame.status === "closed" ? null : state.typing,
      };
    case "typing":
      return frame.sender === "customer" ? state : { ...state, typing: frame.sender };
    case "error":
      return { ...state, error: frame.message };
    default:
      return state;
  }
}

/**
 * Applies a frame of a conversation a socket has just started, while its first message
 * (`localId`) is still local: the greeting goes before it and the stored copy replaces it.
 */
export function applyOpeningFrame(state: ChatState, frame: Frame, localId: string): ChatState {
  if (frame.type !== "message" || !state.messages.some((m) => m.id === localId)) return applyFrame(state, frame);
  const { type: _type, ...message } = frame;
  return message.sender === "customer" ? upsertMessage(state, message, localId) : insertFirst(state, message);
}

/** Merges a page of history (oldest first) read from `GET /api/chat/:sessionId/messages`. */
export function mergeHistory(state: ChatState, page: ChatMessage[]): ChatState {
  return page.reduce((s, m) => upsertMessage(s, m), state);
}

/**
 * Parses a socket frame; `null` for anything that is not a JSON object with a string `type`,
 * and for a `session` frame without a sessionId and a conversationId.
 */
export function parseFrame(data: unknown): Frame | null {
  if (typeof data !== "string") return null;
  try {
    const value = JSON.parse(data) as Record<string, unknown> | null;
    if (value && typeof value === "object" && typeof value.type === "string") {
      const ok = value.type !== "session" || (isText(value.sessionId) && isText(value.conversationId));
      return ok ? (value as unknown as Frame) : null;
    }
  } catch {
    // not JSON
  }
  return null;
}

function isText(v: unknown): v is string {
  return typeof v === "string" && v.length > 0;
}

/**
 * The text a customer reads: a model's passage markers (`[P1]`, `[P2, P3]`) are for staff and
 * the citation chips; an unfinished marker at the end of a streamed piece is held back too.
 */
export function displayText(content: string): string {
  return content.replace(/\s*\[P\d+(?:\s*,\s*P\d+)*\]/g, "").replace(/\s*\[(?:P\d*(?:\s*,\s*P?\d*)*)?$/, "");
}

export interface Chip {
  text: string;
  title: string;
  label?: string;
}

/**
 * The source chips under a message. When the content quotes passages with `[1]`, `[2]` markers
 * (the builtin responder's answers), citation n is chip n, numbered so the markers point at it;
 * otherwise (FAQ and model answers) one unnumbered chip per distinct title.
 */
export function citationChips(content: string, citations: Citation[]): Chip[] {
  const numbered = [...content.matchAll(/\[(\d+)\]/g)].some((m) => +m[1] >= 1 && +m[1] <= citations.length);
  if (numbered) {
    return citations.map((c, i) => {
      const n = i + 1;
      const title = c.title || `Source ${n}`;
      return { text: c.title ? `${n} · ${c.title}` : String(n), title, label: c.title ? `Source ${n}: ${c.title}` : title };
    });
  }
  return [...new Set(citations.map((c) => c.title).filter(Boolean))].map((t) => ({ text: t, title: t }));
}
