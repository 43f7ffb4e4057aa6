// Client-side checks of the knowledge-base forms, with the API's rules
// (routes/ai/document_input.rs, search.rs); the API stays the judge.
import { z } from "zod";
import type { DocumentFormat } from "./types";

export const MAX_TITLE_CHARS = 200;
/** Largest document text the API stores, in bytes. */
export const MAX_CONTENT_BYTES = 5 * 1024 * 1024;
/** The server's default upload limit; an operator may change it, so it is only a hint. */
export const DEFAULT_UPLOAD_LIMIT_BYTES = 10 * 1024 * 1024;

/** What the file picker offers: the types and extensions the API tells formats by. */
export const UPLOAD_ACCEPT = ".txt,.text,.md,.markdown,.html,.htm,.pdf,text/plain,text/markdown,text/html,application/pdf";

/** The format the API will read a file as (by media type, then extension), or null for one it refuses (415). */
export function formatOfFile(name: string, type: string): DocumentFormat | null {
  const mime = type.split(";")[0].trim().toLowerCase();
  const byMime: Record<string, DocumentFormat> = {
    "text/plain": "text",
    "text/markdown": "markdown",
    "text/x-markdown": "markdown",
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/pdf": "pdf",
  };
  if (byMime[mime]) return byMime[mime];
  const dot = name.lastIndexOf(".");
  const ext = dot >= 0 ? name.slice(dot + 1).toLowerCase() : "";
  const byExt: Record<string, DocumentFormat> = {
    txt: "text",
    text: "text",
    md: "markdown",
    markdown: "markdown",
    html: "html",
    htm: "html",
    pdf: "pdf",
  };
  return byExt[ext] ?? null;
}

const optionalTitle = z
  .string()
  .trim()
  .max(MAX_TITLE_CHARS, `At most ${MAX_TITLE_CHARS} characters`)
  .transform((s) => (s === "" ? undefined : s));

export const uploadSchema = z.object({
  file: z.custom<FileList | null | undefined>().transform((list, ctx): File => {
    const file = list && list.length > 0 ? list[0] : undefined;
    if (!file) {
      ctx.addIssue({ code: "custom", message: "Choose a file" });
      return z.NEVER;
    }
    if (!formatOfFile(file.name, file.type)) {
      ctx.addIssue({ code: "custom", message: "Choose a text, markdown, HTML or PDF file" });
      return z.NEVER;
    }
    if (file.size === 0) {
      ctx.addIssue({ code: "custom", message: "The file is empty" });
      return z.NEVER;
    }
    return file;
  }),
  title: optionalTitle,
});
export type UploadInput = z.input<typeof uploadSchema>;
export type UploadValues = z.output<typeof uploadSchema>;

export const pasteSchema = z.object({
  title: z.string().trim().min(1, "Enter a title").max(MAX_TITLE_CHARS, `At most ${MAX_TITLE_CHARS} characters`),
  format: z.enum(["text", "markdown", "html"]),
  content: z
    .string()
    .refine((s) => s.trim() !== "", "Paste the text")
    .refine((s) => new TextEncoder().encode(s).length <= MAX_CONTENT_BYTES, "At most 5 MiB of text"),
});
export type PasteInput = z.input<typeof pasteSchema>;
export type PasteValues = z.output<typeof pasteSchema>;

export const searchSchema = z.object({
  query: z.string().trim().min(1, "Type a question a customer might ask").max(1000, "At most 1000 characters"),
  topK: z.coerce.number({ message: "Enter a number" }).int("Enter a whole number").min(1, "At least 1").max(50, "At most 50"),
  /** Below-threshold passages too: shows what barely missed, which explains a missing answer. */
  showAll: z.boolean(),
});
export type SearchInput = z.input<typeof searchSchema>;
export type SearchValues = z.output<typeof searchSchema>;
