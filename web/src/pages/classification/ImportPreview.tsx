import { Badge } from "@/components/ui/badge";
import { countByLabel, MAX_IMPORT_EXAMPLES, type ImportParse } from "@/lib/importParse";

/** At most this many line errors are listed; a pasted file of the wrong kind would list every line. */
const SHOWN_ERRORS = 20;

export function LabelCounts({ counts, label }: { counts: [string, number][]; label: string }) {
  if (counts.length === 0) return null;
  return (
    <ul aria-label={label} className="flex flex-wrap gap-1.5">
      {counts.map(([name, n]) => (
        <li key={name}>
          <Badge variant="secondary">
            {name} <span className="tabular-nums text-muted-foreground">{n}</span>
          </Badge>
        </li>
      ))}
    </ul>
  );
}

/** What the pasted lines will send: how many examples, per category, and which lines are wrong. */
export function ImportPreview({ id, parsed, typed }: { id: string; parsed: ImportParse; typed: boolean }) {
  const ready = parsed.examples.length;
  const errors = parsed.errors;
  return (
    <div id={id} className="grid gap-2 rounded-lg border bg-muted/40 p-3 text-sm">
      <p role="status" className="font-medium">
        {!typed
          ? "Nothing to import yet."
          : `${ready} ${ready === 1 ? "example" : "examples"} ready to import${errors.length ? `; ${errors.length} ${errors.length === 1 ? "problem" : "problems"} to fix first` : ""}.`}
      </p>
      <LabelCounts counts={countByLabel(parsed.examples)} label="Examples by category" />
      {errors.length > 0 && (
        <ul aria-label="Lines with problems" className="grid gap-0.5 text-xs text-destructive">
          {errors.slice(0, SHOWN_ERRORS).map((err) => (
            <li key={`${err.line}-${err.message}`}>{err.line === 0 ? err.message : `Line ${err.line}: ${err.message}`}</li>
          ))}
          {errors.length > SHOWN_ERRORS && <li>…and {errors.length - SHOWN_ERRORS} more.</li>}
        </ul>
      )}
      {ready > 0 && errors.length === 0 && ready <= MAX_IMPORT_EXAMPLES && (
        <p className="text-xs text-muted-foreground">All are stored together, or none if the server refuses one.</p>
      )}
    </div>
  );
}
