import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Pencil, Plus } from "lucide-react";
import { useSearchParams } from "react-router-dom";
import { DeleteDialog } from "@/components/ConfirmDialog";
import { PageHeader } from "@/components/PageState";
import { ResourceTable } from "@/components/ResourceTable";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Switch } from "@/components/ui/switch";
import { useToast } from "@/components/ui/toast";
import { api, errorMessage } from "@/lib/api";
import { STEP_LABELS, type StepType, type WorkflowResource } from "@/lib/workflowModel";
import { WorkflowBuilder, WORKFLOWS_KEY } from "./workflows/WorkflowBuilder";

function triggerText(t: WorkflowResource["trigger"]): string {
  if (t.type === "keyword") return `keywords: ${t.keywords.join(", ")}`;
  if (t.type === "category") return `category: ${t.categories.join(", ")}`;
  return "conversation start";
}

/** Turns a workflow on or off from the list; the API keeps every field the body leaves out. */
function EnabledToggle({ workflow }: { workflow: WorkflowResource }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const toggle = useMutation({
    mutationFn: (enabled: boolean) => api.put<WorkflowResource>(`/api/ai/workflows/${encodeURIComponent(workflow.id)}`, { enabled }),
    onSuccess: (w) => {
      void queryClient.invalidateQueries({ queryKey: WORKFLOWS_KEY });
      toast(`${w.name} is ${w.enabled ? "enabled" : "disabled"}.`);
    },
    onError: (e) => toast(errorMessage(e), "error"),
  });
  const checked = toggle.isPending ? Boolean(toggle.variables) : workflow.enabled;
  return <Switch checked={checked} disabled={toggle.isPending} aria-label={`${workflow.name} enabled`} onCheckedChange={(on) => toggle.mutate(on)} />;
}

export default function Workflows() {
  const [params, setParams] = useSearchParams();
  // The builder lives at ?workflow=new or ?workflow=<id>, so that reloading or going back works.
  const editing = params.get("workflow");
  const open = (id: string) => setParams({ workflow: id });
  const close = () => setParams({});

  if (editing !== null) return <WorkflowBuilder id={editing === "new" ? null : editing} onDone={close} />;

  return (
    <div className="grid gap-4">
      <PageHeader
        title="Workflows"
        description="Scripted steps that run when a trigger matches."
        actions={
          <Button onClick={() => open("new")}>
            <Plus aria-hidden /> New workflow
          </Button>
        }
      />
      <ResourceTable<WorkflowResource>
        label="Workflows"
        path="/api/ai/workflows"
        queryKey={WORKFLOWS_KEY}
        empty="No workflows yet. Build the first one with “New workflow”."
        columns={[
          {
            header: "Name",
            cell: (w) => (
              <div className="max-w-md">
                <div className="font-medium">{w.name}</div>
                {w.description && <div className="line-clamp-2 text-xs text-muted-foreground">{w.description}</div>}
              </div>
            ),
          },
          { header: "Trigger", cell: (w) => <span className="text-sm">{triggerText(w.trigger)}</span>, className: "hidden sm:table-cell" },
          {
            header: "Steps",
            cell: (w) => (
              <div className="flex flex-wrap gap-1">
                {w.steps.map((s, i) => (
                  <Badge key={i} variant="secondary" title={STEP_LABELS[s.type as StepType]}>{`${i + 1}. ${s.type.replace(/_/g, " ")}`}</Badge>
                ))}
              </div>
            ),
            className: "hidden md:table-cell",
          },
          { header: "Enabled", cell: (w) => <EnabledToggle workflow={w} /> },
          {
            header: "Actions",
            className: "text-right",
            cell: (w) => (
              <div className="flex justify-end">
                <Button variant="ghost" size="icon" aria-label={`Edit ${w.name}`} title="Edit" onClick={() => open(w.id)}>
                  <Pencil />
                </Button>
                <DeleteDialog
                  path={`/api/ai/workflows/${encodeURIComponent(w.id)}`}
                  name={w.name}
                  what="workflow"
                  description="Conversations where it is running stop following it."
                  invalidate={WORKFLOWS_KEY}
                />
              </div>
            ),
          },
        ]}
      />
    </div>
  );
}
