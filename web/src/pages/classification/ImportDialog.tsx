import { useMutation, useQueryClient } from "@tanstack/react-query";
import { FileUp } from "lucide-react";
import { useDeferredValue, useMemo, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogFooter, DialogTrigger } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input, Textarea } from "@/components/ui/input";
import { useToast } from "@/components/ui/toast";
import { api, ApiError, errorMessage } from "@/lib/api";
import { countByLabel, importBody, lineOfApiField, parseImport, type ImportExample, type ImportLineError } from "@/lib/importParse";
import { ImportPreview, LabelCounts } from "./ImportPreview";
import { EXAMPLES_KEY, type ImportedExamples } from "./schema";

const PLACEHOLDER = `Where is my parcel?,shipping
"I was charged twice, please help",billing
{"text": "The app crashes on login", "label": "technical"}`;

/** The API's refusal, with the example indexes it names turned back into the lines typed. */
function refusal(err: unknown, sent: readonly ImportExample[]): { lines: ImportLineError[]; message: string | null } {
  if (!(err instanceof ApiError) || err.code !== "validation_error" || err.fields.length === 0) return { lines: [], message: errorMessage(err) };
  const lines: ImportLineError[] = [];
  const other: string[] = [];
  for (const f of err.fields) {
    const line = lineOfApiField(f.field, sent);
    const part = /\.(text|label)$/.exec(f.field)?.[1];
    if (line !== undefined) lines.push({ line, message: part ? `${part} ${f.message}` : f.message });
    else other.push(`${f.field} ${f.message}`);
  }
  return { lines, message: other.length ? other.join("; ") : null };
}

export function ImportDialog() {
  const [open, setOpen] = useState(false);
  const [text, setText] = useState("");
  const [fileError, setFileError] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const toast = useToast();
  // Parsing a thousand lines on every keystroke is cheap, but need not block typing.
  const deferred = useDeferredValue(text);
  const parsed = useMemo(() => parseImport(deferred), [deferred]);
  const send = useMutation({
    mutationFn: (examples: ImportExample[]) =>
      api.post<ImportedExamples>("/api/ai/classification/examples/import", importBody({ examples, errors: [] })),
    onSuccess: (result) => {
      void queryClient.invalidateQueries({ queryKey: EXAMPLES_KEY });
      toast(`Imported ${result.imported} ${result.imported === 1 ? "example" : "examples"}.`);
    },
  });
  const refused = send.isError ? refusal(send.error, send.variables ?? []) : null;

  const onOpenChange = (next: boolean) => {
    setOpen(next);
    if (!next) {
      setText("");
      setFileError(null);
      send.reset();
    }
  };

  const loadFile = async (file: File | undefined) => {
    setFileError(null);
    if (!file) return;
    try {
      setText(await file.text());
      send.reset();
    } catch {
      setFileError("Could not read that file.");
    }
  };

  const result = send.data;
  const ready = parsed.examples.length;
  const blocked = ready === 0 || parsed.errors.length > 0 || text !== deferred;
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button variant="outline">
          <FileUp aria-hidden /> Import examples
        </Button>
      </DialogTrigger>
      <DialogContent
        title={result ? "Examples imported" : "Import examples"}
        description={result ? undefined : "One example per line: CSV text,label or a JSON object {\"text\", \"label\"}. All are stored, or none."}
        className="max-w-2xl"
      >
        {result ? (
          <>
            <Alert kind="success" title={`Imported ${result.imported} ${result.imported === 1 ? "example" : "examples"}.`}>
              The classifier uses them from its next request.
            </Alert>
            <LabelCounts counts={countByLabel(result.examples)} label="Imported examples by category" />
            <DialogFooter>
              <Button onClick={() => onOpenChange(false)}>Done</Button>
            </DialogFooter>
          </>
        ) : (
          <form
            noValidate
            className="grid gap-4"
            onSubmit={(ev) => {
              ev.preventDefault();
              if (!blocked) send.mutate(parsed.examples);
            }}
          >
            {refused && (
              <Alert kind="error" title="Nothing was imported">
                {refused.message ?? "The server refused these lines; fix them and import again."}
                {refused.lines.length > 0 && (
                  <ul className="mt-1 grid gap-0.5">
                    {refused.lines.map((l, i) => (
                      <li key={i}>
                        Line {l.line}: {l.message}
                      </li>
                    ))}
                  </ul>
                )}
              </Alert>
            )}
            <Field id="import-text" label="Examples" hint="A first line text,label is taken as a header and skipped. Labels are lower-cased.">
              <Textarea
                id="import-text"
                aria-describedby="import-text-hint import-summary"
                value={text}
                onChange={(ev) => {
                  setText(ev.target.value);
                  if (send.isError) send.reset();
                }}
                rows={10}
                spellCheck={false}
                placeholder={PLACEHOLDER}
                className="font-mono text-xs"
              />
            </Field>
            <Field id="import-file" label="Or load a .csv or .jsonl file" error={fileError ?? undefined}>
              <Input
                id="import-file"
                type="file"
                accept=".csv,.jsonl,.ndjson,.txt,text/csv,text/plain,application/json"
                className="h-auto py-1.5 file:mr-3 file:rounded file:border-0 file:bg-secondary file:px-2 file:py-1 file:text-sm file:text-secondary-foreground"
                onChange={(ev) => void loadFile(ev.target.files?.[0])}
              />
            </Field>
            <ImportPreview id="import-summary" parsed={parsed} typed={text.trim() !== ""} />
            <DialogFooter>
              <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>
                Cancel
              </Button>
              <Button type="submit" disabled={blocked} loading={send.isPending}>
                Import
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}
