import { describe, expect, it } from "vitest";
import { agentSchema, changePasswordSchema, loginSchema, registerBody, registerSchema, rejectSchema, skillsField } from "./schemas";

const COMPANY = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";

function messages(r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) {
  return Object.fromEntries((r.error?.issues ?? []).map((i) => [i.path.join("."), i.message]));
}

describe("loginSchema", () => {
  it("accepts a login and normalizes the email", () => {
    const r = loginSchema.parse({ email: "  Ada@Example.COM ", password: "x", companyId: ` ${COMPANY} ` });
    expect(r).toEqual({ email: "ada@example.com", password: "x", companyId: COMPANY });
  });

  it("names each missing or malformed field", () => {
    const r = loginSchema.safeParse({ email: "nope", password: "", companyId: "acme" });
    expect(r.success).toBe(false);
    const m = messages(r);
    expect(m.email).toMatch(/valid email/);
    expect(m.password).toMatch(/password/);
    expect(m.companyId).toMatch(/company ID/i);
  });

  it("leaves the company out when it is blank (the API then finds the one account)", () => {
    const r = loginSchema.parse({ email: "a@b.co", password: "x", companyId: "  " });
    expect(r.companyId).toBeUndefined();
    expect(JSON.parse(JSON.stringify(r))).toEqual({ email: "a@b.co", password: "x" });
  });

  it("does not length-check the password (the API only compares)", () => {
    expect(loginSchema.safeParse({ email: "a@b.co", password: "1", companyId: COMPANY }).success).toBe(true);
  });
});

describe("registerSchema", () => {
  const valid = {
    companyName: "Acme",
    companyEmail: "Support@Acme.test",
    adminName: "Ada",
    adminEmail: "ada@acme.test",
    adminPassword: "correct horse",
    confirmPassword: "correct horse",
  };

  it("accepts a registration and sends only the API's fields", () => {
    const v = registerSchema.parse(valid);
    expect(registerBody(v)).toEqual({
      companyName: "Acme",
      companyEmail: "support@acme.test",
      adminName: "Ada",
      adminEmail: "ada@acme.test",
      adminPassword: "correct horse",
    });
  });

  it("keeps the API's password bounds (8 to 128)", () => {
    expect(messages(registerSchema.safeParse({ ...valid, adminPassword: "short", confirmPassword: "short" })).adminPassword).toMatch(/8/);
    const long = "x".repeat(129);
    expect(messages(registerSchema.safeParse({ ...valid, adminPassword: long, confirmPassword: long })).adminPassword).toMatch(/128/);
    const max = "x".repeat(128);
    expect(registerSchema.safeParse({ ...valid, adminPassword: max, confirmPassword: max }).success).toBe(true);
  });

  it("puts a mismatched confirmation on the confirmation field", () => {
    expect(messages(registerSchema.safeParse({ ...valid, confirmPassword: "other thing" }))).toEqual({ confirmPassword: "The passwords do not match" });
  });

  it("refuses blank names", () => {
    const m = messages(registerSchema.safeParse({ ...valid, companyName: "   ", adminName: "" }));
    expect(Object.keys(m).sort()).toEqual(["adminName", "companyName"]);
  });
});

describe("skillsField", () => {
  it("splits, trims, lower-cases and de-duplicates", () => {
    expect(skillsField.parse(" Billing, spanish ,billing,, Tier-2 ")).toEqual(["billing", "spanish", "tier-2"]);
    expect(skillsField.parse("")).toEqual([]);
  });

  it("enforces the API's limits", () => {
    expect(skillsField.safeParse("x".repeat(51)).success).toBe(false);
    expect(skillsField.safeParse(Array.from({ length: 51 }, (_, i) => `s${i}`).join(",")).success).toBe(false);
    expect(skillsField.safeParse(Array.from({ length: 50 }, (_, i) => `s${i}`).join(",")).success).toBe(true);
  });
});

describe("agentSchema", () => {
  it("coerces the capacity typed in a number field", () => {
    expect(agentSchema.parse({ name: "Bo", email: "BO@x.test", skills: "billing", capacity: "7" })).toEqual({
      name: "Bo",
      email: "bo@x.test",
      skills: ["billing"],
      capacity: 7,
    });
  });

  it("keeps capacity within 1 to 100 and whole", () => {
    for (const capacity of ["0", "101", "2.5", "abc"]) {
      expect(agentSchema.safeParse({ name: "Bo", email: "bo@x.test", skills: "", capacity }).success, capacity).toBe(false);
    }
  });
});

describe("changePasswordSchema", () => {
  it("requires a new password that differs and is confirmed", () => {
    expect(changePasswordSchema.safeParse({ currentPassword: "temp-1234", newPassword: "my new secret", confirmPassword: "my new secret" }).success).toBe(true);
    expect(messages(changePasswordSchema.safeParse({ currentPassword: "same-pass", newPassword: "same-pass", confirmPassword: "same-pass" })).newPassword).toMatch(/different/);
    expect(messages(changePasswordSchema.safeParse({ currentPassword: "a", newPassword: "abcdefgh", confirmPassword: "abcdefgX" })).confirmPassword).toMatch(/match/);
  });
});

describe("rejectSchema", () => {
  it("needs a reason of at most 1000 characters", () => {
    expect(rejectSchema.safeParse({ reason: "  ", customerMessage: "" }).success).toBe(false);
    expect(rejectSchema.safeParse({ reason: "x".repeat(1001), customerMessage: "" }).success).toBe(false);
    expect(rejectSchema.parse({ reason: " not eligible ", customerMessage: "" })).toEqual({ reason: "not eligible", customerMessage: "" });
  });
});
