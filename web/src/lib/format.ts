export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

export function formatRelative(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return "never";
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return iso;
  const s = Math.round((now - t) / 1000);
  if (s < 60) return "just now";
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

export function formatSeconds(v: number | null | undefined): string {
  if (v === null || v === undefined) return "—";
  if (v < 60) return `${Math.round(v)} s`;
  if (v < 3600) return `${(v / 60).toFixed(1)} min`;
  return `${(v / 3600).toFixed(1)} h`;
}

export function formatPercent(v: number | null | undefined): string {
  if (v === null || v === undefined) return "—";
  return `${Math.round(v * 100)}%`;
}

/**
 * The link an agent signs in with: the login page with the company (and the email)
 * filled in, so nobody has to remember a UUID.
 */
export function signInLink(origin: string, companyId: string, email?: string): string {
  const params = new URLSearchParams({ company: companyId });
  if (email) params.set("email", email);
  return `${origin.replace(/\/+$/, "")}/login?${params.toString()}`;
}

/**
 * The full sign-in link: the API's `signInPath` on this origin when it sent one (only
 * same-site paths are taken), otherwise one built here.
 */
export function credentialsLink(origin: string, companyId: string, email: string, signInPath?: string): string {
  if (signInPath && signInPath.startsWith("/") && !signInPath.startsWith("//")) {
    return `${origin.replace(/\/+$/, "")}${signInPath}`;
  }
  return signInLink(origin, companyId, email);
}

/** What the "copy" button next to new credentials puts on the clipboard. */
export function credentialsText(link: string, email: string, password: string): string {
  return `Sign in to Switchboard: ${link}\nEmail: ${email}\nTemporary password: ${password}\n(You will be asked to choose a new password.)`;
}

/** A count with its noun: `plural(1, "rating", "ratings")` is "1 rating", 0 or 2 take the plural. */
export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
