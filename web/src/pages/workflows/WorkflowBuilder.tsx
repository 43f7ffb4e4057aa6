import { useQuery, useQueryClient } from "@tanstack/react-query";
import { ArrowLeft } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import { DeleteDialog } from "@/components/ConfirmDialog";
import { PageHeader, QueryError } from "@/components/PageState";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { Field, fieldProps } from "@/components/ui/field";
import { Input, Textarea } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import { useToast } from "@/components/ui/toast";
import { api, ApiError, errorMessage } from "@/lib/api";
import type { ToolView } from "@/lib/types";
import {
  clearError,
  emptyDraft,
  errorCount,
  fromApi,
  hasErrors,
  keepSteps,
  NO_ERRORS,
  placeErrors,
  replaceStep,
  toBody,
  validateDraft,
  type PlacedErrors,
  type WorkflowDraft,
  type WorkflowResource,
} from "@/lib/workflowModel";
import { SwitchField } from "../tools/controls";
import { FlowEditor } from "./FlowEditor";

export const WORKFLOWS_KEY = ["workflows"] as const;

/** Loads the workflow being edited (`id`), or starts an empty one (`null`). */
export function WorkflowBuilder({ id, onDone }: { id: string | null; onDone: () => void }) {
  const q = useQuery({
    queryKey: [...WORKFLOWS_KEY, "one", id],
    queryFn: ({ signal }) => api.get<WorkflowResource>(`/api/ai/workflows/${encodeURIComponent(id ?? "")}`, undefined, signal),
    enabled: id !== null,
  });
  if (id !== null && q.isPending) {
    return (
      <div className="grid gap-4" aria-busy="true" aria-label="Loading">
        <Skeleton className="h-8 w-56" />
        <Skeleton className="h-64 w-full" />
      </div>
    );
  }
  if (id !== null && q.isError) {
    return (
      <div className="grid gap-4">
        <BackButton onClick={onDone} />
        <QueryError error={q.error} retry={() => void q.refetch()} />
      </div>
    );
  }
  // Keyed so that a refetch in the background never overwrites what is being edited.
  return <BuilderForm key={id ?? "new"} workflow={id !== null ? q.data : undefined} onDone={onDone} />;
}

function BackButton({ onClick }: { onClick: () => void }) {
  return (
    <div>
      <Button variant="ghost" size="sm" onClick={onClick}>
        <ArrowLeft aria-hidden /> Back to workflows
      </Button>
    </div>
  );
}

function BuilderForm({ workflow, onDone }: { workflow?: WorkflowResource; onDone: () => void }) {
  const [draft, setDraft] = useState<WorkflowDraft>(() => (workflow ? fromApi(workflow) : emptyDraft()));
  const [errors, setErrors] = useState<PlacedErrors>(NO_ERRORS);
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const failed = useRef(false);
  const summary = useRef<HTMLDivElement>(null);
  const queryClient = useQueryClient();
  const toast = useToast();
  const tools = useQuery({
    queryKey: ["tools", "names"],
    queryFn: ({ signal }) => api.page<ToolView>("/api/ai/tools", { limit: 200 }, signal),
  });

  // After a refused save, take the keyboard to the first field that needs attention.
  useEffect(() => {
    if (!failed.current) return;
    failed.current = false;
    const first = document.querySelector<HTMLElement>("[data-builder] [aria-invalid='true']");
    (first ?? summary.current)?.focus();
  }, [errors, formError]);

  const set = <K extends keyof WorkflowDraft>(key: K, value: WorkflowDraft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    setErrors((e) => clearError(e, { field: key }));
  };

  const save = async () => {
    setFormError(null);
    const problems = validateDraft(draft);
    if (problems.length) {
      failed.current = true;
      setErrors(placeErrors(problems, draft.steps));
      return;
    }
    // Errors name steps by index: resolve them against the steps as sent, not as they are when the answer comes.
    const sent = draft.steps;
    setSaving(true);
    try {
      const body = toBody(draft);
      const saved = workflow
        ? await api.put<WorkflowResource>(`/api/ai/workflows/${encodeURIComponent(workflow.id)}`, body)
        : await api.post<WorkflowResource>("/api/ai/workflows", body);
      setErrors(NO_ERRORS);
      void queryClient.invalidateQueries({ queryKey: WORKFLOWS_KEY });
      toast(`Saved workflow ${saved.name}.`);
      onDone();
    } catch (e) {
      failed.current = true;
      if (e instanceof ApiError && e.code === "validation_error" && e.fields.length) setErrors(placeErrors(e.fields, sent));
      // The one 409 of the workflow routes: the name is taken.
      else if (e instanceof ApiError && e.code === "conflict") setErrors({ ...NO_ERRORS, fields: { name: errorMessage(e) } });
      else setFormError(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  const title = workflow ? `Edit ${workflow.name}` : "New workflow";
  const count = errorCount(errors);
  return (
    <div data-builder className="grid gap-4">
      <BackButton onClick={onDone} />
      <PageHeader
        title={title}
        description="The trigger starts the workflow; the steps run in order, top to bottom."
        actions={
          workflow && (
            <DeleteDialog
              path={`/api/ai/workflows/${encodeURIComponent(workflow.id)}`}
              name={workflow.name}
              what="workflow"
              description="Conversations where it is running stop following it."
              invalidate={WORKFLOWS_KEY}
              onDeleted={onDone}
            />
          )
        }
      />
      <form
        noValidate
        aria-label={title}
        className="grid gap-4"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <div ref={summary} tabIndex={-1} className="grid gap-2 focus:outline-none">
          {formError && <Alert kind="error">{formError}</Alert>}
          {hasErrors(errors) && (
            <Alert kind="error" title={`Not saved: ${count === 1 ? "1 problem" : `${count} problems`}, shown below.`}>
              {errors.other.length > 0 && errors.other.join("; ")}
            </Alert>
          )}
        </div>
        <Card>
          <CardContent className="grid gap-4 pt-5">
            <Field id="wf-name" label="Name" error={errors.fields.name}>
              <Input {...fieldProps("wf-name", errors.fields.name)} autoComplete="off" value={draft.name} onChange={(e) => set("name", e.target.value)} />
            </Field>
            <Field id="wf-description" label="Description" error={errors.fields.description} hint="Optional; for the people who maintain it.">
              <Textarea {...fieldProps("wf-description", errors.fields.description)} rows={2} value={draft.description} onChange={(e) => set("description", e.target.value)} />
            </Field>
            <SwitchField id="wf-enabled" label="Enabled" hint="A disabled workflow is kept but never triggered." checked={draft.enabled} onChange={(on) => set("enabled", on)} />
          </CardContent>
        </Card>
        <div className="mx-auto w-full max-w-3xl">
          <FlowEditor
            trigger={draft.trigger}
            steps={draft.steps}
            errors={errors}
            tools={tools.data?.items}
            onTriggerChange={(trigger, field) => {
              setDraft((d) => ({ ...d, trigger }));
              setErrors((e) => clearError(clearError(e, { field }), { field: "trigger" }));
            }}
            onStepsChange={(steps) => {
              setDraft((d) => ({ ...d, steps }));
              setErrors((e) => keepSteps(clearError(e, { field: "steps" }), steps));
            }}
            onStepChange={(step, field) => {
              setDraft((d) => ({ ...d, steps: replaceStep(d.steps, step) }));
              setErrors((e) => clearError(e, { step: step.key, field }));
            }}
          />
        </div>
        <div className="sticky bottom-0 z-10 -mx-4 flex justify-end gap-2 border-t bg-background/95 px-4 py-3 backdrop-blur sm:-mx-6 sm:px-6">
          <Button type="button" variant="outline" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={saving}>
            Save workflow
          </Button>
        </div>
      </form>
    </div>
  );
}
