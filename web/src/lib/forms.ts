import type { FieldValues, Path, UseFormSetError } from "react-hook-form";
import { ApiError, errorMessage } from "./api";

/**
 * Puts the API's per-field validation messages on the form's fields (for the fields the
 * form has) and returns what is left for a message above the form, or null when every
 * problem was attached to a field.
 */
export function applyApiErrors<T extends FieldValues>(
  error: unknown,
  setError: UseFormSetError<T>,
  formFields: readonly Path<T>[],
): string | null {
  if (!(error instanceof ApiError) || error.code !== "validation_error" || error.fields.length === 0) {
    return errorMessage(error);
  }
  const leftover: string[] = [];
  for (const f of error.fields) {
    const name = formFields.find((n) => n === f.field || f.field.startsWith(`${n}[`) || f.field.startsWith(`${n}.`));
    if (name) setError(name, { type: "server", message: capitalize(f.message) });
    else leftover.push(`${f.field} ${f.message}`);
  }
  return leftover.length ? capitalize(leftover.join("; ")) : null;
}

function capitalize(s: string) {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}
