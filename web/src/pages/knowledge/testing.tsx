// Test helpers shared by the knowledge, FAQ and classification page tests: a signed-in
// admin, a fetch that answers by route, and the providers a page needs.
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import type { ReactNode } from "react";
import { MemoryRouter } from "react-router-dom";
import { vi } from "vitest";
import { ToastProvider } from "@/components/ui/toast";
import { setSession } from "@/lib/session";

// jsdom has no ResizeObserver; Radix's Switch measures itself with one.
if (!("ResizeObserver" in globalThis)) {
  (globalThis as Record<string, unknown>).ResizeObserver = class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
}

export const COMPANY = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";

export function signInAdmin() {
  localStorage.clear();
  setSession({
    token: "t",
    companyId: COMPANY,
    mustChangePassword: false,
    user: { id: "u", name: "Ada", email: "ada@x.test", role: "company_admin", companyId: COMPANY, mustChangePassword: false },
  });
}

export function json(status: number, body: unknown) {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

export const list = (items: unknown[]) => json(200, { success: true, data: items, nextCursor: null });
export const data = (status: number, value: unknown) => json(status, { success: true, data: value });
export const invalid = (fields: { field: string; message: string }[]) =>
  json(400, { success: false, error: { code: "validation_error", message: "invalid input", details: { fields } } });

export interface Call {
  url: string;
  method: string;
  body: unknown;
}

/** Stubs fetch with `route`, recording every call with its JSON body. */
export function stubFetch(route: (call: Call) => Response | Promise<Response>) {
  const calls: Call[] = [];
  const fn = vi.fn(async (url: string, init?: RequestInit) => {
    const call = { url, method: init?.method ?? "GET", body: typeof init?.body === "string" ? JSON.parse(init.body) : init?.body };
    calls.push(call);
    return route(call);
  });
  vi.stubGlobal("fetch", fn);
  return calls;
}

export function renderPage(page: ReactNode) {
  return render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <ToastProvider>
        <MemoryRouter>{page}</MemoryRouter>
      </ToastProvider>
    </QueryClientProvider>,
  );
}
