import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiError, api, buildUrl, errorMessage, parseEnvelope, request, requestPage } from "./api";
import { json } from "@/test/pageTesting";
import { getSession, setSession } from "./session";

const session = {
  token: "tok-123",
  companyId: "0190a1b2-0000-7000-8000-000000000001",
  user: { id: "u1", name: "Ada", email: "ada@example.com", role: "company_admin" as const, companyId: "c", mustChangePassword: false },
  mustChangePassword: false,
};

describe("parseEnvelope", () => {
  it("unwraps data", () => {
    expect(parseEnvelope(200, JSON.stringify({ success: true, data: { a: 1 } }))).toEqual({ data: { a: 1 }, nextCursor: null });
  });

  it("returns the next cursor of a list", () => {
    const r = parseEnvelope<number[]>(200, JSON.stringify({ success: true, data: [1, 2], nextCursor: "abc" }));
    expect(r).toEqual({ data: [1, 2], nextCursor: "abc" });
  });

  it("turns the error envelope into a typed error with the named fields", () => {
    const body = {
      success: false,
      error: {
        code: "validation_error",
        message: "some fields are invalid",
        details: { fields: [{ field: "adminEmail", message: "is not a valid email" }, { field: "adminPassword", message: "must be 8 to 128 characters" }] },
      },
    };
    try {
      parseEnvelope(400, JSON.stringify(body));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ApiError);
      const err = e as ApiError;
      expect(err.status).toBe(400);
      expect(err.code).toBe("validation_error");
      expect(err.message).toBe("some fields are invalid");
      expect(err.fields).toHaveLength(2);
      expect(err.fieldMessage("adminEmail")).toBe("is not a valid email");
      expect(err.fieldMessage("companyName")).toBeUndefined();
    }
  });

  it("keeps the code of a 401 such as invalid_credentials", () => {
    const body = { success: false, error: { code: "invalid_credentials", message: "invalid email or password", details: {} } };
    expect(() => parseEnvelope(401, JSON.stringify(body))).toThrowError(expect.objectContaining({ status: 401, code: "invalid_credentials" }));
  });

  it("reads the retry delay of a 429 from the details or the header", () => {
    const withDetails = { success: false, error: { code: "rate_limited", message: "too many requests; retry later", details: { retryAfterSeconds: 7 } } };
    expect(() => parseEnvelope(429, JSON.stringify(withDetails))).toThrowError(expect.objectContaining({ retryAfterSeconds: 7 }));
    const bare = { success: false, error: { code: "rate_limited", message: "slow down", details: {} } };
    expect(() => parseEnvelope(429, JSON.stringify(bare), "12")).toThrowError(expect.objectContaining({ retryAfterSeconds: 12 }));
  });

  it("accepts fields beside details as well", () => {
    const body = { success: false, error: { code: "validation_error", message: "bad", fields: [{ field: "email", message: "required" }] } };
    expect(() => parseEnvelope(400, JSON.stringify(body))).toThrowError(expect.objectContaining({ fields: [{ field: "email", message: "required" }] }));
  });

  it("gives a status-based error for a body that is not the envelope (a proxy's HTML page)", () => {
    expect(() => parseEnvelope(502, "<html>Bad gateway</html>")).toThrowError(expect.objectContaining({ status: 502, code: "internal" }));
    expect(() => parseEnvelope(404, "")).toThrowError(expect.objectContaining({ status: 404, code: "not_found" }));
  });

  it("refuses a 200 that is not the envelope", () => {
    expect(() => parseEnvelope(200, "<!doctype html>")).toThrowError(expect.objectContaining({ code: "bad_response" }));
    expect(() => parseEnvelope(200, JSON.stringify([1, 2]))).toThrowError(expect.objectContaining({ code: "bad_response" }));
  });

  it("treats success:false under a 2xx as an error", () => {
    const body = { success: false, error: { code: "conflict", message: "taken", details: {} } };
    expect(() => parseEnvelope(200, JSON.stringify(body))).toThrowError(expect.objectContaining({ code: "conflict" }));
  });

  it("accepts an empty 204", () => {
    expect(parseEnvelope(204, "")).toEqual({ data: undefined, nextCursor: null });
  });
});

describe("request", () => {
  let fetchMock: ReturnType<typeof vi.fn>;
  beforeEach(() => {
    localStorage.clear();
    fetchMock = vi.fn();
    vi.stubGlobal("fetch", fetchMock);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("sends the bearer token and a JSON body", async () => {
    setSession(session);
    fetchMock.mockResolvedValue(json(201, { success: true, data: { id: "a1" } }));
    const out = await api.post<{ id: string }>("/api/admin/agents", { name: "Bo", email: "bo@example.com" });
    expect(out).toEqual({ id: "a1" });
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(url).toBe("/api/admin/agents");
    expect(init.method).toBe("POST");
    const headers = init.headers as Record<string, string>;
    expect(headers.Authorization).toBe("Bearer tok-123");
    expect(headers["Content-Type"]).toBe("application/json");
    expect(JSON.parse(init.body as string)).toEqual({ name: "Bo", email: "bo@example.com" });
  });

  it("sends no token when told not to (login)", async () => {
    setSession(session);
    fetchMock.mockResolvedValue(json(200, { success: true, data: {} }));
    await request("/api/auth/login", { method: "POST", body: {}, auth: false });
    const headers = (fetchMock.mock.calls[0][1] as RequestInit).headers as Record<string, string>;
    expect(headers.Authorization).toBeUndefined();
  });

  it("ends the session on a 401 to a request that carried a token", async () => {
    setSession(session);
    fetchMock.mockResolvedValue(json(401, { success: false, error: { code: "unauthorized", message: "authentication required", details: {} } }));
    await expect(api.get("/api/auth/me")).rejects.toMatchObject({ status: 401, code: "unauthorized" });
    expect(getSession()).toBeNull();
  });

  it("keeps the session on other errors, and a login's 401 does not end one", async () => {
    setSession(session);
    fetchMock.mockResolvedValueOnce(json(403, { success: false, error: { code: "forbidden", message: "no", details: {} } }));
    await expect(api.get("/api/admin/agents")).rejects.toMatchObject({ status: 403 });
    fetchMock.mockResolvedValueOnce(json(401, { success: false, error: { code: "invalid_credentials", message: "invalid email or password", details: {} } }));
    await expect(request("/api/auth/login", { method: "POST", body: {}, auth: false })).rejects.toMatchObject({ code: "invalid_credentials" });
    expect(getSession()?.token).toBe("tok-123");
  });

  it("marks the session when the API asks for the temporary password to be changed", async () => {
    setSession(session);
    fetchMock.mockResolvedValue(json(403, { success: false, error: { code: "password_change_required", message: "change your temporary password first", details: {} } }));
    await expect(api.get("/api/agent/status")).rejects.toMatchObject({ status: 403, code: "password_change_required" });
    expect(getSession()?.mustChangePassword).toBe(true);
    expect(getSession()?.token).toBe("tok-123");
  });

  it("reports an unreachable server as a network error", async () => {
    fetchMock.mockRejectedValue(new TypeError("Failed to fetch"));
    await expect(api.get("/api/auth/me")).rejects.toMatchObject({ status: 0, code: "network_error" });
  });

  it("pages through lists with the query string", async () => {
    fetchMock.mockResolvedValue(json(200, { success: true, data: [{ id: "1" }], nextCursor: "n2" }));
    const page = await requestPage("/api/admin/queue", { query: { status: "pending", limit: 50, cursor: undefined, agentId: "" } });
    expect(page).toEqual({ items: [{ id: "1" }], nextCursor: "n2" });
    expect(fetchMock.mock.calls[0][0]).toBe("/api/admin/queue?status=pending&limit=50");
  });
});

describe("buildUrl and errorMessage", () => {
  it("encodes and skips empty parameters", () => {
    expect(buildUrl("/x", { a: "b c", n: 0, e: "", u: undefined, z: null })).toBe("/x?a=b+c&n=0");
    expect(buildUrl("/x")).toBe("/x");
  });

  it("writes sentences for people", () => {
    expect(errorMessage(new ApiError(401, "invalid_credentials", "invalid email or password"))).toBe("Invalid email or password.");
    expect(errorMessage(new ApiError(400, "validation_error", "some fields are invalid", { fields: [{ field: "email", message: "is required" }] }))).toBe(
      "Email is required.",
    );
    expect(errorMessage(new ApiError(429, "rate_limited", "too many", { retryAfterSeconds: 30 }))).toBe("Too many attempts; retry in 30 s.");
    expect(errorMessage("??")).toBe("Something went wrong.");
  });
});
