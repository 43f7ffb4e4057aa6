import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MemoryRouter, Route, Routes } from "react-router-dom";
import { getSession, rememberCompany } from "@/lib/session";
import Login from "./Login";

const COMPANY = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";

function renderAt(url: string) {
  render(
    <QueryClientProvider client={new QueryClient()}>
      <MemoryRouter initialEntries={[url]}>
        <Routes>
          <Route path="/login" element={<Login />} />
          <Route path="/" element={<p>admin home</p>} />
          <Route path="/change-password" element={<p>change password</p>} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

describe("Login page", () => {
  beforeEach(() => localStorage.clear());
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it("fills the company and email from a sign-in link", () => {
    rememberCompany("0190a1b2-0000-7000-8000-000000000009");
    renderAt(`/login?company=${COMPANY}&email=bo%40x.test`);
    expect((screen.getByLabelText("Company ID (optional)") as HTMLInputElement).value).toBe(COMPANY);
    expect((screen.getByLabelText("Email") as HTMLInputElement).value).toBe("bo@x.test");
  });

  it("prefills the last company used", () => {
    rememberCompany(COMPANY);
    renderAt("/login");
    expect((screen.getByLabelText("Company ID (optional)") as HTMLInputElement).value).toBe(COMPANY);
  });

  it("shows validation messages without calling the API", async () => {
    const fetchMock = vi.fn();
    vi.stubGlobal("fetch", fetchMock);
    renderAt("/login");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByText("Enter an email address")).toBeTruthy();
    expect(screen.getByText("Enter your password")).toBeTruthy();
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it("signs in, stores the session and goes to the temporary-password page when asked", async () => {
    const fetchMock = vi.fn().mockResolvedValue(
      new Response(
        JSON.stringify({
          success: true,
          data: {
            token: "t1",
            companyId: COMPANY,
            mustChangePassword: true,
            user: { id: "u", name: "Bo", email: "bo@x.test", role: "company_agent", companyId: COMPANY, mustChangePassword: true },
          },
        }),
        { status: 200, headers: { "Content-Type": "application/json" } },
      ),
    );
    vi.stubGlobal("fetch", fetchMock);
    renderAt(`/login?company=${COMPANY}`);
    await userEvent.type(screen.getByLabelText("Email"), "Bo@X.test");
    await userEvent.type(screen.getByLabelText("Password"), "temp-pass");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByText("change password")).toBeTruthy();
    expect(JSON.parse((fetchMock.mock.calls[0][1] as RequestInit).body as string)).toEqual({ email: "bo@x.test", password: "temp-pass", companyId: COMPANY });
    expect(getSession()?.token).toBe("t1");
  });

  it("signs in with email and password alone, and lands an admin on the dashboard", async () => {
    const fetchMock = vi.fn().mockResolvedValue(
      new Response(
        JSON.stringify({
          success: true,
          data: {
            token: "t2",
            companyId: COMPANY,
            mustChangePassword: false,
            user: { id: "u", name: "Ada", email: "ada@x.test", role: "company_admin", companyId: COMPANY, mustChangePassword: false },
          },
        }),
        { status: 200, headers: { "Content-Type": "application/json" } },
      ),
    );
    vi.stubGlobal("fetch", fetchMock);
    renderAt("/login");
    await userEvent.type(screen.getByLabelText("Email"), "ada@x.test");
    await userEvent.type(screen.getByLabelText("Password"), "secret-pass");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByText("admin home")).toBeTruthy();
    expect(JSON.parse((fetchMock.mock.calls[0][1] as RequestInit).body as string)).toEqual({ email: "ada@x.test", password: "secret-pass" });
    // The company is remembered for the next sign-in.
    expect(localStorage.getItem("switchboard.lastCompanyId")).toBe(COMPANY);
  });

  it("shows the API's refusal", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn().mockResolvedValue(
        new Response(JSON.stringify({ success: false, error: { code: "invalid_credentials", message: "invalid email or password", details: {} } }), {
          status: 401,
          headers: { "Content-Type": "application/json" },
        }),
      ),
    );
    renderAt(`/login?company=${COMPANY}`);
    await userEvent.type(screen.getByLabelText("Email"), "bo@x.test");
    await userEvent.type(screen.getByLabelText("Password"), "wrong");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
    await waitFor(() => expect(screen.getByRole("alert").textContent).toContain("Invalid email or password."));
    expect(getSession()).toBeNull();
  });
});
