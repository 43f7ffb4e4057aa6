// The conversation a page reload continues, kept per company in localStorage. Storage that
// throws (blocked cookies, private modes) or holds garbage reads as nothing stored.

export interface StoredSession {
  sessionId: string;
  conversationId?: string;
  lastMessageId?: string;
}

export function storageKey(companyId: string): string {
  return `switchboard.widget.${companyId}`;
}

export function loadSession(storage: Storage | undefined, companyId: string): StoredSession | null {
  try {
    const raw = storage?.getItem(storageKey(companyId));
    if (!raw) return null;
    const value: unknown = JSON.parse(raw);
    if (!value || typeof value !== "object") return null;
    const { sessionId, conversationId, lastMessageId } = value as Record<string, unknown>;
    if (typeof sessionId !== "string" || sessionId.length === 0) return null;
    return {
      sessionId,
      conversationId: typeof conversationId === "string" ? conversationId : undefined,
      lastMessageId: typeof lastMessageId === "string" ? lastMessageId : undefined,
    };
  } catch {
    return null;
  }
}

export function saveSession(storage: Storage | undefined, companyId: string, session: StoredSession): void {
  try {
    storage?.setItem(storageKey(companyId), JSON.stringify(session));
  } catch {
    // The conversation still works; it just does not survive a reload.
  }
}

export function clearSession(storage: Storage | undefined, companyId: string): void {
  try {
    storage?.removeItem(storageKey(companyId));
  } catch {
    // nothing to do
  }
}
