// Allowed origins as the server reads them (domain crate, `Origin::parse`): http or https,
// a host, an optional port, nothing else. Normalised the way browsers send the `Origin`
// header (lower-case host, punycode, default port dropped), so the list shows what the
// server will store and duplicates are caught before saving.

/** The server keeps at most this many (routes/admin/config_update.rs). */
export const MAX_ORIGINS = 50;
const MAX_LEN = 2048;
const SHAPE = "Enter an origin like https://example.com or http://localhost:3000: scheme, host and optional port, no path";

export type OriginResult = { ok: true; origin: string } | { ok: false; message: string };

export function parseOrigin(raw: string): OriginResult {
  let s = raw.trim();
  if (s === "") return { ok: false, message: "Enter an origin, e.g. https://shop.example.com" };
  // A pasted "https://example.com/" is what the admin means; anything longer is a path.
  if (s.endsWith("/")) s = s.slice(0, -1);
  if (s.length > MAX_LEN) return { ok: false, message: SHAPE };
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    return { ok: false, message: SHAPE };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return { ok: false, message: "Must start with http:// or https://" };
  if (!url.hostname) return { ok: false, message: SHAPE };
  if (url.username || url.password) return { ok: false, message: "Must not contain a user name or password" };
  // URL drops an empty "?" or "#", which the server still counts as a query or fragment.
  if (url.pathname !== "/" || url.search || url.hash || s.includes("?") || s.includes("#")) {
    return { ok: false, message: "Only the scheme, host and port: remove the path, query or fragment" };
  }
  return { ok: true, origin: url.origin };
}

/** Adds `raw` to `list`, or says why not. */
export function addOrigin(list: readonly string[], raw: string): { list: string[] } | { error: string } {
  const parsed = parseOrigin(raw);
  if (!parsed.ok) return { error: parsed.message };
  if (list.includes(parsed.origin)) return { error: `${parsed.origin} is already in the list` };
  if (list.length >= MAX_ORIGINS) return { error: `At most ${MAX_ORIGINS} origins` };
  return { list: [...list, parsed.origin] };
}
