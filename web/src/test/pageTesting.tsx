// Test helpers shared by the page tests: a signed-in admin or agent, JSON responses, a fetch
// that answers by route and records its calls, and the providers a page needs.
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import type { ReactNode } from "react";
import { MemoryRouter } from "react-router-dom";
import { vi } from "vitest";
import { ToastProvider } from "@/components/ui/toast";
import { setSession } from "@/lib/session";
import type { Role, UserView } from "@/lib/types";

// jsdom has no ResizeObserver; Radix's Switch measures itself with one.
if (!("ResizeObserver" in globalThis)) {
  (globalThis as Record<string, unknown>).ResizeObserver = class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
}

export const COMPANY = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";

/** Clears localStorage and signs in a user of `role` (Ada, id "u", unless `user` says otherwise). */
export function signInAs(role: Role, user: Partial<Omit<UserView, "role" | "companyId">> = {}) {
  localStorage.clear();
  setSession({
    token: "t",
    companyId: COMPANY,
    mustChangePassword: false,
    user: { id: "u", name: "Ada", email: "ada@x.test", role, companyId: COMPANY, mustChangePassword: false, ...user },
  });
}

export const signInAdmin = () => signInAs("company_admin");
export const signInAgent = (user?: Partial<Omit<UserView, "role" | "companyId">>) => signInAs("company_agent", user);

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

/** Renders `page` inside the app's providers, with the router at `path`. */
export function renderPage(page: ReactNode, path = "/") {
  return render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <ToastProvider>
        <MemoryRouter initialEntries={[path]}>{page}</MemoryRouter>
      </ToastProvider>
    </QueryClientProvider>,
  );
}
