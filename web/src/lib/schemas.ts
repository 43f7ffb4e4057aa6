// Client-side validation of the forms, with the same rules as the API (api.md and the
// OpenAPI document): the API stays the judge, these only catch mistakes before a round trip.
import { z } from "zod";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const email = z
  .string()
  .trim()
  .min(1, "Enter an email address")
  .max(254, "At most 254 characters")
  .email("Enter a valid email address")
  .transform((s) => s.toLowerCase());

/** A new password as the API accepts it: 8 to 128 characters. */
export const newPassword = z
  .string()
  .min(8, "At least 8 characters")
  .max(128, "At most 128 characters");

const personName = z.string().trim().min(1, "Enter a name").max(200, "At most 200 characters");

export const loginSchema = z.object({
  email,
  // Not length-checked, like the API: a login only compares.
  password: z.string().min(1, "Enter your password"),
  // Optional (api.md): without it the email and password must match exactly one active
  // account. Needed only by someone with accounts in more than one company.
  companyId: z
    .string()
    .trim()
    .refine((s) => s === "" || UUID.test(s), "A company ID looks like 0190a1b2-…: copy it from your sign-in link")
    .transform((s) => (s === "" ? undefined : s)),
});
export type LoginInput = z.input<typeof loginSchema>;
export type LoginValues = z.output<typeof loginSchema>;

export const registerSchema = z
  .object({
    companyName: z.string().trim().min(1, "Enter the company's name").max(200, "At most 200 characters"),
    companyEmail: email,
    adminName: personName,
    adminEmail: email,
    adminPassword: newPassword,
    confirmPassword: z.string(),
  })
  .refine((v) => v.adminPassword === v.confirmPassword, {
    path: ["confirmPassword"],
    message: "The passwords do not match",
  });
export type RegisterInput = z.input<typeof registerSchema>;
export type RegisterValues = z.output<typeof registerSchema>;

/** The body of POST /api/auth/register (the confirmation stays in the browser). */
export function registerBody(v: RegisterValues) {
  const { confirmPassword: _confirm, ...body } = v;
  return body;
}

export const changePasswordSchema = z
  .object({
    currentPassword: z.string().min(1, "Enter your current password"),
    newPassword,
    confirmPassword: z.string(),
  })
  .refine((v) => v.newPassword === v.confirmPassword, {
    path: ["confirmPassword"],
    message: "The passwords do not match",
  })
  .refine((v) => v.newPassword !== v.currentPassword, {
    path: ["newPassword"],
    message: "Choose a password different from the current one",
  });
export type ChangePasswordInput = z.input<typeof changePasswordSchema>;

/**
 * Skills typed as one comma-separated line: trimmed, lower-cased (the API treats "Billing"
 * and "billing" alike), duplicates and empties dropped, each 1–50 characters, at most 50.
 */
export const skillsField = z
  .string()
  .transform((raw) => {
    const seen = new Set<string>();
    for (const part of raw.split(",")) {
      const s = part.trim().toLowerCase();
      if (s) seen.add(s);
    }
    return [...seen];
  })
  .pipe(
    z
      .array(z.string().max(50, "Each skill is at most 50 characters"))
      .max(50, "At most 50 skills"),
  );

const capacity = z.coerce
  .number({ message: "Enter a number" })
  .int("Enter a whole number")
  .min(1, "At least 1")
  .max(100, "At most 100");

/** Creating and editing an agent take the same fields (PUT sends them all). */
export const agentSchema = z.object({
  name: personName,
  email,
  skills: skillsField,
  capacity,
});
export type AgentInput = z.input<typeof agentSchema>;
export type AgentValues = z.output<typeof agentSchema>;

export const rejectSchema = z.object({
  reason: z.string().trim().min(1, "Say why (only staff see this)").max(1000, "At most 1000 characters"),
  customerMessage: z.string().trim().max(1000, "At most 1000 characters"),
});
export type RejectInput = z.input<typeof rejectSchema>;
