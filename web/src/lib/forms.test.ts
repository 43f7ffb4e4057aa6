import { describe, expect, it, vi } from "vitest";
import { ApiError } from "./api";
import { applyApiErrors } from "./forms";
import { credentialsLink, credentialsText, signInLink } from "./format";

describe("applyApiErrors", () => {
  it("puts the API's field messages on the form's fields and returns the rest", () => {
    const setError = vi.fn();
    const e = new ApiError(400, "validation_error", "some fields are invalid", {
      fields: [
        { field: "email", message: "is already used" },
        { field: "skills[2]", message: "is too long" },
        { field: "other", message: "is odd" },
      ],
    });
    const left = applyApiErrors(e, setError, ["name", "email", "skills"]);
    expect(setError).toHaveBeenCalledWith("email", { type: "server", message: "Is already used" });
    expect(setError).toHaveBeenCalledWith("skills", { type: "server", message: "Is too long" });
    expect(left).toBe("Other is odd");
  });

  it("returns null when every problem found its field, and a sentence for other errors", () => {
    const setError = vi.fn();
    expect(applyApiErrors(new ApiError(400, "validation_error", "x", { fields: [{ field: "name", message: "is required" }] }), setError, ["name"])).toBeNull();
    expect(applyApiErrors(new ApiError(409, "conflict", "an account with this email exists"), setError, ["name"])).toBe("An account with this email exists.");
  });
});

describe("signInLink", () => {
  it("carries the company and the email to the login page", () => {
    const link = signInLink("http://127.0.0.1:8080/", "c-1", "bo+1@x.test");
    expect(link).toBe("http://127.0.0.1:8080/login?company=c-1&email=bo%2B1%40x.test");
    const url = new URL(link);
    expect(url.searchParams.get("email")).toBe("bo+1@x.test");
    expect(credentialsText(link, "bo+1@x.test", "pw")).toContain("Temporary password: pw");
  });
});

describe("credentialsLink", () => {
  it("prefers the API's sign-in path on this origin, and builds one without it", () => {
    expect(credentialsLink("http://h:1", "c-1", "a@b.c", "/login?company=c-1&email=a%40b.c")).toBe("http://h:1/login?company=c-1&email=a%40b.c");
    expect(credentialsLink("http://h:1", "c-1", "a@b.c")).toBe("http://h:1/login?company=c-1&email=a%40b.c");
    // Never a link to elsewhere.
    expect(credentialsLink("http://h:1", "c-1", "a@b.c", "//evil.test/x")).toBe("http://h:1/login?company=c-1&email=a%40b.c");
  });
});
