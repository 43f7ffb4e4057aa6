import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "./api";
import { getSession, setSession } from "./session";
import { isAbort, upload, type UploadProgress } from "./upload";

type Handler = ((e: ProgressEvent) => void) | null;

/** Enough of XMLHttpRequest to drive upload(): the test plays the network. */
class FakeXhr {
  static last: FakeXhr | null = null;
  method = "";
  url = "";
  headers: Record<string, string> = {};
  body: unknown = undefined;
  status = 0;
  responseText = "";
  responseHeaders: Record<string, string> = {};
  upload: { onprogress: Handler; onload: Handler } = { onprogress: null, onload: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  aborted = false;

  constructor() {
    FakeXhr.last = this;
  }
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  getResponseHeader(name: string) {
    return this.responseHeaders[name] ?? null;
  }
  send(body: unknown) {
    this.body = body;
  }
  abort() {
    this.aborted = true;
    this.onabort?.();
  }

  progress(loaded: number, total: number | null) {
    const e = { loaded, total: total ?? 0, lengthComputable: total !== null } as ProgressEvent;
    this.upload.onprogress?.(e);
  }
  sent(total: number) {
    this.upload.onload?.({ loaded: total, total, lengthComputable: true } as ProgressEvent);
  }
  respond(status: number, body: unknown, headers: Record<string, string> = {}) {
    this.status = status;
    this.responseText = typeof body === "string" ? body : JSON.stringify(body);
    this.responseHeaders = headers;
    this.onload?.();
  }
  fail() {
    this.onerror?.();
  }
}

function xhr(): FakeXhr {
  if (!FakeXhr.last) throw new Error("no request was made");
  return FakeXhr.last;
}

const COMPANY = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";

describe("upload", () => {
  beforeEach(() => {
    localStorage.clear();
    FakeXhr.last = null;
    vi.stubGlobal("XMLHttpRequest", FakeXhr);
    setSession({
      token: "tok",
      companyId: COMPANY,
      mustChangePassword: false,
      user: { id: "u", name: "Ada", email: "ada@x.test", role: "company_admin", companyId: COMPANY, mustChangePassword: false },
    });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("sends the form with the bearer token, reports progress and resolves with the envelope's data", async () => {
    const form = new FormData();
    form.append("file", new File(["hello"], "a.txt", { type: "text/plain" }));
    const seen: UploadProgress[] = [];
    const done = upload<{ id: string }>("/api/ai/knowledge-base", form, { onProgress: (p) => seen.push(p) });

    const r = xhr();
    expect(r.method).toBe("POST");
    expect(r.url).toBe("/api/ai/knowledge-base");
    expect(r.headers.Authorization).toBe("Bearer tok");
    expect(r.headers.Accept).toBe("application/json");
    // The browser must set multipart/form-data with its boundary itself.
    expect(r.headers["Content-Type"]).toBeUndefined();
    expect(r.body).toBe(form);

    r.progress(250, 1000);
    r.progress(600, null);
    r.sent(1000);
    r.respond(201, { success: true, data: { id: "d1" } });

    await expect(done).resolves.toEqual({ id: "d1" });
    expect(seen).toEqual([
      { loaded: 250, total: 1000, fraction: 0.25 },
      { loaded: 600, total: null, fraction: null },
      { loaded: 1000, total: 1000, fraction: 1 },
    ]);
  });

  it("uses PUT when asked", async () => {
    const done = upload("/api/ai/knowledge-base/d1", new FormData(), { method: "PUT" });
    expect(xhr().method).toBe("PUT");
    xhr().respond(200, { success: true, data: {} });
    await done;
  });

  it("rejects with the API's error, fields and all", async () => {
    const done = upload("/api/ai/knowledge-base", new FormData());
    xhr().respond(400, {
      success: false,
      error: { code: "validation_error", message: "invalid", details: { fields: [{ field: "file", message: "the PDF is encrypted" }] } },
    });
    const err = await done.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(400);
    expect((err as ApiError).fieldMessage("file")).toBe("the PDF is encrypted");
  });

  it("turns a bare 413 or 415 into an ApiError with the right code", async () => {
    const big = upload("/api/ai/knowledge-base", new FormData());
    xhr().respond(413, "");
    await expect(big).rejects.toMatchObject({ status: 413, code: "payload_too_large" });

    const odd = upload("/api/ai/knowledge-base", new FormData());
    xhr().respond(415, { success: false, error: { code: "unsupported_media_type", message: "the file must be text, markdown, HTML or PDF" } });
    await expect(odd).rejects.toMatchObject({ status: 415, code: "unsupported_media_type", message: "the file must be text, markdown, HTML or PDF" });
  });

  it("reads Retry-After on a 429", async () => {
    const done = upload("/api/ai/knowledge-base", new FormData());
    xhr().respond(429, "", { "Retry-After": "7" });
    const err = (await done.catch((e: unknown) => e)) as ApiError;
    expect(err.code).toBe("rate_limited");
    expect(err.retryAfterSeconds).toBe(7);
  });

  it("ends the session on a 401", async () => {
    const done = upload("/api/ai/knowledge-base", new FormData());
    xhr().respond(401, { success: false, error: { code: "unauthorized", message: "session expired" } });
    await expect(done).rejects.toMatchObject({ status: 401 });
    expect(getSession()).toBeNull();
  });

  it("reports a network failure as network_error", async () => {
    const done = upload("/api/ai/knowledge-base", new FormData());
    xhr().fail();
    await expect(done).rejects.toMatchObject({ status: 0, code: "network_error" });
  });

  it("aborts through the signal, and refuses to start with an aborted one", async () => {
    const controller = new AbortController();
    const done = upload("/api/ai/knowledge-base", new FormData(), { signal: controller.signal });
    controller.abort();
    const err = await done.catch((e: unknown) => e);
    expect(isAbort(err)).toBe(true);
    expect(xhr().aborted).toBe(true);

    FakeXhr.last = null;
    const again = await upload("/api/ai/knowledge-base", new FormData(), { signal: controller.signal }).catch((e: unknown) => e);
    expect(isAbort(again)).toBe(true);
    expect(FakeXhr.last).toBeNull();
  });

  it("sends no Authorization header without a session", async () => {
    localStorage.clear();
    const done = upload("/api/ai/knowledge-base", new FormData());
    expect(xhr().headers.Authorization).toBeUndefined();
    xhr().respond(201, { success: true, data: null });
    await done;
  });
});
