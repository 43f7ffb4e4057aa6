import { NotBuiltYet, PageHeader } from "@/components/PageState";
import { ResourceTable } from "@/components/ResourceTable";
import { YesNo } from "@/components/badges";
import { Badge } from "@/components/ui/badge";
import type { WorkflowView } from "@/lib/types";

function triggerText(t: WorkflowView["trigger"]): string {
  if (t.type === "keyword" && Array.isArray(t.keywords)) return `keywords: ${(t.keywords as string[]).join(", ")}`;
  if (t.type === "category" && Array.isArray(t.categories)) return `category: ${(t.categories as string[]).join(", ")}`;
  if (t.type === "conversation_start") return "conversation start";
  return t.type;
}

export default function Workflows() {
  return (
    <div className="grid gap-4">
      <PageHeader title="Workflows" description="Scripted steps that run when a trigger matches." />
      <ResourceTable<WorkflowView>
        label="Workflows"
        path="/api/ai/workflows"
        queryKey={["workflows"]}
        empty="No workflows yet."
        columns={[
          { header: "Name", cell: (w) => <span className="font-medium">{w.name}</span> },
          { header: "Trigger", cell: (w) => <span className="text-sm">{triggerText(w.trigger)}</span> },
          {
            header: "Steps",
            cell: (w) => (
              <div className="flex flex-wrap gap-1">
                {w.steps.map((s, i) => (
                  <Badge key={i} variant="secondary">{`${i + 1}. ${s.type.replace(/_/g, " ")}`}</Badge>
                ))}
              </div>
            ),
            className: "hidden md:table-cell",
          },
          { header: "Enabled", cell: (w) => <YesNo value={w.enabled} /> },
        ]}
      />
      <NotBuiltYet what="The visual workflow builder" />
    </div>
  );
}
