// The signed-in session, kept in localStorage so a reload stays signed in, plus the last
// company id used to sign in (prefilled on the login page). Components read it through
// `useSession`, which re-renders when it changes in this tab or another.
import { useSyncExternalStore } from "react";
import type { Role, UserView } from "./types";

export interface Session {
  token: string;
  companyId: string;
  user: UserView;
  mustChangePassword: boolean;
}

const SESSION_KEY = "switchboard.session";
const LAST_COMPANY_KEY = "switchboard.lastCompanyId";

type Listener = () => void;
const listeners = new Set<Listener>();
let cached: { raw: string | null; value: Session | null } = { raw: null, value: null };

function storage(): Storage | null {
  try {
    return typeof window === "undefined" ? null : window.localStorage;
  } catch {
    return null;
  }
}

function isSession(v: unknown): v is Session {
  if (!v || typeof v !== "object") return false;
  const s = v as Record<string, unknown>;
  const user = s.user as Record<string, unknown> | undefined;
  return (
    typeof s.token === "string" &&
    typeof s.companyId === "string" &&
    !!user &&
    typeof user.id === "string" &&
    typeof user.role === "string"
  );
}

export function getSession(): Session | null {
  const raw = storage()?.getItem(SESSION_KEY) ?? null;
  if (raw === cached.raw) return cached.value;
  let value: Session | null = null;
  if (raw) {
    try {
      const parsed: unknown = JSON.parse(raw);
      value = isSession(parsed) ? parsed : null;
    } catch {
      value = null;
    }
  }
  cached = { raw, value };
  return value;
}

function emit() {
  for (const l of listeners) l();
}

export function setSession(session: Session) {
  storage()?.setItem(SESSION_KEY, JSON.stringify(session));
  rememberCompany(session.companyId);
  emit();
}

export function updateSession(patch: Partial<Session>) {
  const current = getSession();
  if (!current) return;
  setSession({ ...current, ...patch });
}

export function clearSession() {
  storage()?.removeItem(SESSION_KEY);
  emit();
}

export function rememberCompany(companyId: string) {
  if (companyId) storage()?.setItem(LAST_COMPANY_KEY, companyId);
}

export function lastCompanyId(): string {
  return storage()?.getItem(LAST_COMPANY_KEY) ?? "";
}

export function subscribe(listener: Listener) {
  listeners.add(listener);
  const onStorage = (e: StorageEvent) => {
    if (e.key === SESSION_KEY || e.key === null) listener();
  };
  window.addEventListener("storage", onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", onStorage);
  };
}

export function useSession(): Session | null {
  return useSyncExternalStore(subscribe, getSession, () => null);
}

/** Where a freshly signed-in user lands. */
export function homeFor(role: Role): string {
  return role === "company_agent" ? "/agent" : "/";
}
