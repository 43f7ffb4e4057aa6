// The classification example forms, with the API's rules (domain ExampleText, CategoryLabel).
import { z } from "zod";
import { checkLabel, MAX_EXAMPLE_CHARS } from "@/lib/importParse";
import type { ExampleView } from "@/lib/types";

export const EXAMPLES_KEY = ["classification-examples"] as const;

/** The classifier's built-in categories; a company may add its own. */
export const DEFAULT_LABELS = ["billing", "orders", "shipping", "returns", "technical", "account", "complaint", "general"] as const;

/** The answer of POST /api/ai/classification/examples/import. */
export interface ImportedExamples {
  imported: number;
  examples: ExampleView[];
}

export const exampleSchema = z.object({
  text: z
    .string()
    .trim()
    .min(1, "Type what a customer might write")
    .refine((s) => [...s].length <= MAX_EXAMPLE_CHARS, `At most ${MAX_EXAMPLE_CHARS} characters`),
  label: z.string().transform((raw, ctx) => {
    const r = checkLabel(raw);
    if ("error" in r) {
      ctx.addIssue({ code: "custom", message: r.error });
      return z.NEVER;
    }
    return r.label;
  }),
});
export type ExampleInput = z.input<typeof exampleSchema>;
export type ExampleValues = z.output<typeof exampleSchema>;
