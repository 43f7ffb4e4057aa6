import { cleanup, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Route, Routes } from "react-router-dom";
import { getSession, rememberCompany } from "@/lib/session";
import { COMPANY, data, json, renderPage, stubFetch } from "@/test/pageTesting";
import Login from "./Login";

function renderAt(url: string) {
  renderPage(
    <Routes>
      <Route path="/login" element={<Login />} />
      <Route path="/" element={<p>admin home</p>} />
      <Route path="/change-password" element={<p>change password</p>} />
    </Routes>,
    url,
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
    const calls = stubFetch(() => json(500, {}));
    renderAt("/login");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByText("Enter an email address")).toBeTruthy();
    expect(screen.getByText("Enter your password")).toBeTruthy();
    expect(calls).toEqual([]);
  });

  it("signs in, stores the session and goes to the temporary-password page when asked", async () => {
    const calls = stubFetch(() =>
      data(200, {
        token: "t1",
        companyId: COMPANY,
        mustChangePassword: true,
        user: { id: "u", name: "Bo", email: "bo@x.test", role: "company_agent", companyId: COMPANY, mustChangePassword: true },
      }),
    );
    renderAt(`/login?company=${COMPANY}`);
    await userEvent.type(screen.getByLabelText("Email"), "Bo@X.test");
    await userEvent.type(screen.getByLabelText("Password"), "temp-pass");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByText("change password")).toBeTruthy();
    expect(calls[0].body).toEqual({ email: "bo@x.test", password: "temp-pass", companyId: COMPANY });
    expect(getSession()?.token).toBe("t1");
  });

  it("signs in with email and password alone, and lands an admin on the dashboard", async () => {
    const calls = stubFetch(() =>
      data(200, {
        token: "t2",
        companyId: COMPANY,
        mustChangePassword: false,
        user: { id: "u", name: "Ada", email: "ada@x.test", role: "company_admin", companyId: COMPANY, mustChangePassword: false },
      }),
    );
    renderAt("/login");
    await userEvent.type(screen.getByLabelText("Email"), "ada@x.test");
    await userEvent.type(screen.getByLabelText("Password"), "secret-pass");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByText("admin home")).toBeTruthy();
    expect(calls[0].body).toEqual({ email: "ada@x.test", password: "secret-pass" });
    // The company is remembered for the next sign-in.
    expect(localStorage.getItem("switchboard.lastCompanyId")).toBe(COMPANY);
  });

  it("shows the API's refusal", async () => {
    stubFetch(() => json(401, { success: false, error: { code: "invalid_credentials", message: "invalid email or password", details: {} } }));
    renderAt(`/login?company=${COMPANY}`);
    await userEvent.type(screen.getByLabelText("Email"), "bo@x.test");
    await userEvent.type(screen.getByLabelText("Password"), "wrong");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
    await waitFor(() => expect(screen.getByRole("alert").textContent).toContain("Invalid email or password."));
    expect(getSession()).toBeNull();
  });
});
