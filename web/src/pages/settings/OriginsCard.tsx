// The sites that may embed the widget: an add/remove list saved in one PUT.
import { useQueryClient } from "@tanstack/react-query";
import { Plus, X } from "lucide-react";
import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Field, fieldProps } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { useToast } from "@/components/ui/toast";
import { ApiError, api, errorMessage } from "@/lib/api";
import type { ConfigView } from "@/lib/types";
import type { ConfigUpdate } from "../aiconfig/types";
import { MAX_ORIGINS, addOrigin } from "./origins";

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export function OriginsCard({ config }: { config: ConfigView }) {
  const [saved, setSaved] = useState(config.allowedOrigins);
  const [list, setList] = useState(config.allowedOrigins);
  const [draft, setDraft] = useState("");
  const [draftError, setDraftError] = useState<string | null>(null);
  // The API names a bad entry `allowedOrigins[2]`; its message goes beside that row.
  const [rowErrors, setRowErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const queryClient = useQueryClient();
  const toast = useToast();
  const dirty = !sameList(list, saved);

  /** Adds the typed origin; returns the list with it, or null when it was refused. */
  const addDraft = (): string[] | null => {
    const result = addOrigin(list, draft);
    if ("error" in result) {
      setDraftError(result.error);
      return null;
    }
    setList(result.list);
    setDraft("");
    setDraftError(null);
    return result.list;
  };

  const onAdd = (ev: FormEvent) => {
    ev.preventDefault();
    addDraft();
  };

  const remove = (origin: string) => {
    setList((l) => l.filter((o) => o !== origin));
    setRowErrors((r) => {
      const { [origin]: _gone, ...rest } = r;
      return rest;
    });
  };

  const save = async () => {
    // An origin typed but not yet added is surely meant to be saved too.
    const next = draft.trim() === "" ? list : addDraft();
    if (!next) return;
    setFormError(null);
    setRowErrors({});
    setSaving(true);
    try {
      const body: ConfigUpdate = { allowedOrigins: next };
      const updated = await api.put<ConfigView>("/api/admin/config", body);
      setSaved(updated.allowedOrigins);
      setList(updated.allowedOrigins);
      queryClient.setQueryData(["config"], updated);
      void queryClient.invalidateQueries({ queryKey: ["audit-log"] });
      toast(updated.allowedOrigins.length === 0 ? "Saved: any site may embed the widget." : "Allowed origins saved.");
    } catch (err) {
      const rows: Record<string, string> = {};
      const other: string[] = [];
      for (const f of err instanceof ApiError ? err.fields : []) {
        const m = /^allowedOrigins\[(\d+)\]$/.exec(f.field);
        if (m && next[Number(m[1])] !== undefined) rows[next[Number(m[1])]] = f.message;
        else other.push(f.message);
      }
      setRowErrors(rows);
      if (Object.keys(rows).length === 0) setFormError(errorMessage(err));
      else setFormError(other.length ? capitalize(other.join("; ")) : null);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card>
      <CardHeader>
        <CardTitle>Allowed origins</CardTitle>
        <CardDescription>
          Sites that may embed the widget, e.g. https://shop.example.com. With none listed, any site may. Up to {MAX_ORIGINS}.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {list.length === 0 ? (
          <p className="text-sm text-muted-foreground">No origins listed: any site may embed the widget.</p>
        ) : (
          <ul className="grid gap-1.5" aria-label="Allowed origins">
            {list.map((o) => (
              <li key={o} className="grid gap-1">
                <div className="flex items-center gap-2 rounded-md border bg-background px-3 py-1.5">
                  <span className="min-w-0 flex-1 break-all font-mono text-sm">{o}</span>
                  {!saved.includes(o) && <span className="text-xs text-muted-foreground">not saved</span>}
                  <Button type="button" variant="ghost" size="icon" className="size-7" aria-label={`Remove ${o}`} title="Remove" onClick={() => remove(o)}>
                    <X aria-hidden />
                  </Button>
                </div>
                {rowErrors[o] && (
                  <p role="alert" className="text-xs font-medium text-destructive">
                    {capitalize(rowErrors[o])}
                  </p>
                )}
              </li>
            ))}
          </ul>
        )}
        <form onSubmit={onAdd} noValidate className="flex flex-col gap-2 sm:flex-row sm:items-start">
          <div className="flex-1">
            <Field id="new-origin" label="New origin" error={draftError ?? undefined}>
              <Input
                {...fieldProps("new-origin", draftError ?? undefined)}
                type="url"
                inputMode="url"
                autoComplete="off"
                spellCheck={false}
                placeholder="https://shop.example.com"
                value={draft}
                onChange={(ev) => {
                  setDraft(ev.target.value);
                  setDraftError(null);
                }}
              />
            </Field>
          </div>
          <Button type="submit" variant="outline" className="sm:mt-5">
            <Plus aria-hidden /> Add origin
          </Button>
        </form>
        {formError && <Alert kind="error">{formError}</Alert>}
        {dirty && list.length === 0 && (
          <Alert kind="info">Saving an empty list lets any site embed the widget.</Alert>
        )}
        <div className="flex flex-col-reverse gap-2 sm:flex-row sm:items-center sm:justify-end">
          {dirty && <p className="text-xs text-muted-foreground sm:mr-auto">Unsaved changes.</p>}
          <Button
            type="button"
            variant="outline"
            disabled={!dirty || saving}
            onClick={() => {
              setList(saved);
              setRowErrors({});
              setFormError(null);
            }}
          >
            Discard changes
          </Button>
          <Button type="button" loading={saving} disabled={!dirty && draft.trim() === ""} onClick={() => void save()}>
            Save origins
          </Button>
        </div>
      </CardContent>
    </Card>
  );
}

function capitalize(s: string) {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}
