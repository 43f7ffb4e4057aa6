import { afterEach, describe, expect, it, vi } from "vitest";

afterEach(() => {
  vi.unstubAllGlobals();
  delete window.customerAIConfig;
  document.getElementById("switchboard-widget")?.remove();
});

async function load() {
  vi.resetModules();
  await import("./main");
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

describe("widget entry", () => {
  it("mounts nothing and says why when the site's origin is not allowed", async () => {
    window.customerAIConfig = { companyId: "co" };
    const fetchMock = vi.fn().mockResolvedValue(
      new Response(JSON.stringify({ success: false, error: { code: "forbidden", message: "origin not allowed" } }), { status: 403 }),
    );
    vi.stubGlobal("fetch", fetchMock);
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    await load();
    expect(fetchMock.mock.calls[0][0]).toMatch(/\/api\/widget\/config\/co$/);
    expect(error).toHaveBeenCalledWith(expect.stringMatching(/^Switchboard widget: .*not in the allowed origins/));
    expect(document.getElementById("switchboard-widget")).toBeNull();
  });

  it("asks for a company id when the embed has none", async () => {
    const fetchMock = vi.fn();
    vi.stubGlobal("fetch", fetchMock);
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    await load();
    expect(error).toHaveBeenCalledWith(expect.stringContaining("customerAIConfig.companyId is missing"));
    expect(fetchMock).not.toHaveBeenCalled();
  });
});
