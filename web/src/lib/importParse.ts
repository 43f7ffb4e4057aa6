// Parses pasted classification examples (one per line, CSV `text,label` or a JSON object
// `{"text","label"}`) into the body of POST /api/ai/classification/examples/import. The rules
// mirror the API's (ExampleText, CategoryLabel) so that mistakes show per line before sending;
// the API, which stores all or nothing, stays the judge.

export const MAX_IMPORT_EXAMPLES = 1000;
export const MAX_EXAMPLE_CHARS = 1000;
export const MAX_LABEL_CHARS = 40;

/** One parsed example and the 1-based line it came from. */
export interface ImportExample {
  line: number;
  text: string;
  label: string;
}

export interface ImportLineError {
  /** 1-based; 0 for a problem with the whole input. */
  line: number;
  message: string;
}

export interface ImportParse {
  examples: ImportExample[];
  errors: ImportLineError[];
}

export interface ImportBody {
  examples: { text: string; label: string }[];
}

/** The API's rule for a category: 1–40 of a-z, 0-9, `_`, `-`, trimmed and lower-cased. */
export function checkLabel(raw: string): { label: string } | { error: string } {
  const s = raw.trim();
  if (s.length === 0 || s.length > MAX_LABEL_CHARS) return { error: `The label must be 1 to ${MAX_LABEL_CHARS} characters` };
  if (!/^[A-Za-z0-9_-]+$/.test(s)) return { error: "The label may contain only a-z, 0-9, '_' and '-'" };
  return { label: s.toLowerCase() };
}

/** The API's rule for an example's text: 1–1000 characters (code points, as Rust counts), trimmed. */
export function checkText(raw: string): { text: string } | { error: string } {
  const s = raw.trim();
  if (s.length === 0) return { error: "The text is empty" };
  if ([...s].length > MAX_EXAMPLE_CHARS) return { error: `The text is longer than ${MAX_EXAMPLE_CHARS} characters` };
  return { text: s };
}

/** Reads a CSV field that opens with a quote; returns it and the index after its closing quote. */
function quoted(line: string, start: number): { value: string; end: number } | null {
  let value = "";
  let i = start + 1;
  while (i < line.length) {
    const c = line[i];
    if (c === '"') {
      if (line[i + 1] === '"') {
        value += '"';
        i += 2;
        continue;
      }
      return { value, end: i + 1 };
    }
    value += c;
    i += 1;
  }
  return null;
}

function unquote(field: string): string | null {
  const t = field.trim();
  if (!t.startsWith('"')) return t;
  const q = quoted(t, 0);
  return q && q.end === t.length ? q.value : null;
}

/**
 * A CSV line `text,label`. The label is a slug without commas, so an unquoted text may hold
 * commas itself: everything before the last comma is the text.
 */
function csvLine(line: string): { text: string; label: string } | { error: string } {
  const trimmed = line.trimStart();
  if (trimmed.startsWith('"')) {
    const q = quoted(trimmed, 0);
    if (!q) return { error: "A quoted text is not closed" };
    const rest = trimmed.slice(q.end).trimStart();
    if (!rest.startsWith(",")) return { error: "Expected a comma and a label after the quoted text" };
    const label = unquote(rest.slice(1));
    if (label === null) return { error: "A quoted label is not closed" };
    return { text: q.value, label };
  }
  const comma = line.lastIndexOf(",");
  if (comma < 0) return { error: "Expected text,label or a JSON object" };
  const label = unquote(line.slice(comma + 1));
  if (label === null) return { error: "A quoted label is not closed" };
  return { text: line.slice(0, comma), label };
}

function jsonLine(line: string): { text: string; label: string } | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { error: "Not valid JSON" };
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) return { error: "Expected a JSON object with text and label" };
  const { text, label } = value as Record<string, unknown>;
  if (typeof text !== "string") return { error: 'Missing "text" (a string)' };
  if (typeof label !== "string") return { error: 'Missing "label" (a string)' };
  return { text, label };
}

const HEADER = /^\s*"?text"?\s*,\s*"?label"?\s*$/i;

export function parseImport(input: string): ImportParse {
  const examples: ImportExample[] = [];
  const errors: ImportLineError[] = [];
  const lines = input.split(/\r\n|\n|\r/);
  let seenContent = false;
  lines.forEach((raw, index) => {
    const line = index === 0 ? raw.replace(/^\uFEFF/, "") : raw;
    const number = index + 1;
    if (line.trim() === "") return;
    // A spreadsheet export usually starts with its column names.
    if (!seenContent && HEADER.test(line)) {
      seenContent = true;
      return;
    }
    seenContent = true;
    const parsed = line.trimStart().startsWith("{") ? jsonLine(line.trim()) : csvLine(line);
    if ("error" in parsed) {
      errors.push({ line: number, message: parsed.error });
      return;
    }
    const text = checkText(parsed.text);
    const label = checkLabel(parsed.label);
    if ("error" in text || "error" in label) {
      const message = [text, label].flatMap((r) => ("error" in r ? [r.error] : [])).join("; ");
      errors.push({ line: number, message });
      return;
    }
    examples.push({ line: number, text: text.text, label: label.label });
  });
  if (examples.length > MAX_IMPORT_EXAMPLES) {
    errors.unshift({ line: 0, message: `At most ${MAX_IMPORT_EXAMPLES} examples per import (found ${examples.length}); split the list` });
  }
  return { examples, errors };
}

export function importBody(parsed: ImportParse): ImportBody {
  return { examples: parsed.examples.map(({ text, label }) => ({ text, label })) };
}

/**
 * The input line an API error field (`examples[3].label`) refers to, since the API counts
 * the examples sent, not the lines typed (blank and header lines are not sent).
 */
export function lineOfApiField(field: string, examples: readonly ImportExample[]): number | undefined {
  const m = /^examples\[(\d+)\]/.exec(field);
  if (!m) return undefined;
  return examples[Number(m[1])]?.line;
}

/** How many examples each label gets, most first, for a summary. */
export function countByLabel(examples: readonly { label: string }[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const e of examples) counts.set(e.label, (counts.get(e.label) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}
