// The FAQ form, checked with the API's rules (routes/ai/faqs.rs); the API stays the judge.
import { z } from "zod";
import { ApiError } from "@/lib/api";
import type { FaqView } from "@/lib/types";

export const FAQS_KEY = ["faqs"] as const;
export const MAX_VARIANTS = 50;
export const MAX_TAGS = 20;

export const faqSchema = z.object({
  question: z.string().trim().min(1, "Enter the question").max(500, "At most 500 characters"),
  answer: z.string().trim().min(1, "Enter the answer").max(5000, "At most 5000 characters"),
  // Objects, not strings: react-hook-form's field arrays key their rows by object.
  variants: z
    .array(z.object({ value: z.string().trim().min(1, "Type the phrasing or remove it").max(500, "At most 500 characters") }))
    .max(MAX_VARIANTS, `At most ${MAX_VARIANTS} phrasings`),
  category: z
    .string()
    .trim()
    .max(100, "At most 100 characters")
    .transform((s) => (s === "" ? null : s)),
  tags: z
    .string()
    .transform((raw) => [...new Set(raw.split(",").map((t) => t.trim()).filter(Boolean))])
    .pipe(z.array(z.string().max(50, "Each tag is at most 50 characters")).max(MAX_TAGS, `At most ${MAX_TAGS} tags`)),
  enabled: z.boolean(),
});
export type FaqInput = z.input<typeof faqSchema>;
export type FaqValues = z.output<typeof faqSchema>;

/** The body of POST and PUT /api/ai/faqs: PUT sends every field, so `category: null` clears it. */
export function faqBody(v: FaqValues) {
  return {
    question: v.question,
    answer: v.answer,
    variants: v.variants.map((x) => x.value),
    category: v.category,
    tags: v.tags,
    enabled: v.enabled,
  };
}

export function faqInput(faq?: FaqView): FaqInput {
  return {
    question: faq?.question ?? "",
    answer: faq?.answer ?? "",
    variants: (faq?.variants ?? []).map((value) => ({ value })),
    category: faq?.category ?? "",
    tags: (faq?.tags ?? []).join(", "),
    enabled: faq?.enabled ?? true,
  };
}

/**
 * The API names a phrasing `variants[2]`; the form names it `variants.2.value`. Returns the
 * error with its fields renamed so applyApiErrors puts each message under its own row.
 */
export function toFormFields(err: unknown): unknown {
  if (!(err instanceof ApiError) || err.fields.length === 0) return err;
  const fields = err.fields.map((f) => {
    const m = /^variants\[(\d+)\]$/.exec(f.field);
    return m ? { ...f, field: `variants.${m[1]}.value` } : f;
  });
  return new ApiError(err.status, err.code, err.message, { ...err.details, fields });
}
