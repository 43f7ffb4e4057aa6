import { DEFAULT_LABELS } from "./schema";

/** Suggestions for a category input: the built-in categories plus the ones this company already uses. */
export function LabelOptions({ id, extra = [] }: { id: string; extra?: readonly string[] }) {
  const labels = [...new Set([...DEFAULT_LABELS, ...extra])];
  return (
    <datalist id={id}>
      {labels.map((l) => (
        <option key={l} value={l} />
      ))}
    </datalist>
  );
}
