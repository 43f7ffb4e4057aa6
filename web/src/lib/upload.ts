// Multipart uploads with progress. fetch cannot report how much of a request body has been
// sent, so this uses XMLHttpRequest, with the same bearer token and the same reading of the
// API's envelope (parseEnvelope, ApiError) as lib/api.ts, so callers handle errors alike.
import { ApiError, parseEnvelope } from "./api";
import { clearSession, getSession, updateSession } from "./session";

export interface UploadProgress {
  /** Bytes of the request body sent so far. */
  loaded: number;
  /** The body's size, when the browser knows it. */
  total: number | null;
  /** 0–1, or null when the size is unknown. */
  fraction: number | null;
}

export interface UploadOptions {
  method?: "POST" | "PUT";
  onProgress?: (progress: UploadProgress) => void;
  signal?: AbortSignal;
}

function abortError(): DOMException {
  return new DOMException("The upload was cancelled.", "AbortError");
}

/** Sends `body` (a FormData) to `path` and resolves with the envelope's `data`, or rejects with an ApiError. */
export function upload<T>(path: string, body: FormData, opts: UploadOptions = {}): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (opts.signal?.aborted) {
      reject(abortError());
      return;
    }
    const xhr = new XMLHttpRequest();
    const token = getSession()?.token;
    const report = (loaded: number, total: number | null) =>
      opts.onProgress?.({ loaded, total, fraction: total ? Math.min(1, loaded / total) : null });
    const onAbortSignal = () => xhr.abort();
    const done = () => opts.signal?.removeEventListener("abort", onAbortSignal);

    xhr.open(opts.method ?? "POST", path);
    xhr.setRequestHeader("Accept", "application/json");
    if (token) xhr.setRequestHeader("Authorization", `Bearer ${token}`);
    // No Content-Type: the browser sets multipart/form-data with its boundary.

    xhr.upload.onprogress = (e) => report(e.loaded, e.lengthComputable ? e.total : null);
    xhr.upload.onload = (e) => {
      const total = e.lengthComputable ? e.total : e.loaded;
      report(total, total);
    };
    xhr.onload = () => {
      done();
      try {
        resolve(parseEnvelope<T>(xhr.status, xhr.responseText ?? "", xhr.getResponseHeader("Retry-After")).data);
      } catch (e) {
        if (e instanceof ApiError && e.status === 401 && token) {
          // As in lib/api.ts: a revoked or expired token ends the session.
          clearSession();
        } else if (e instanceof ApiError && e.code === "password_change_required" && token) {
          updateSession({ mustChangePassword: true });
        }
        reject(e);
      }
    };
    xhr.onerror = () => {
      done();
      reject(new ApiError(0, "network_error", "The upload did not reach the server. Check your connection and retry."));
    };
    xhr.onabort = () => {
      done();
      reject(abortError());
    };
    opts.signal?.addEventListener("abort", onAbortSignal);
    xhr.send(body);
  });
}

export function isAbort(e: unknown): boolean {
  return e instanceof DOMException && e.name === "AbortError";
}

/** Bytes for people: 512 B, 3.4 KB, 2.1 MB. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}
