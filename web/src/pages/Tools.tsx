import { DeleteDialog } from "@/components/ConfirmDialog";
import { PageHeader } from "@/components/PageState";
import { ResourceTable } from "@/components/ResourceTable";
import { YesNo } from "@/components/badges";
import { Badge } from "@/components/ui/badge";
import type { ToolView } from "@/lib/types";
import { TestToolDialog } from "./tools/TestToolDialog";
import { ToolDialog, TOOLS_KEY } from "./tools/ToolDialog";

export default function Tools() {
  return (
    <div className="grid gap-4">
      <PageHeader title="Tools" description="Actions the AI may take: webhooks and sandboxed functions." actions={<ToolDialog />} />
      <ResourceTable<ToolView>
        label="Tools"
        path="/api/ai/tools"
        queryKey={TOOLS_KEY}
        empty="No tools yet. Add the first one with “New tool”."
        columns={[
          {
            header: "Name",
            cell: (t) => (
              <div className="max-w-md">
                <div className="font-mono text-sm font-medium">{t.name}</div>
                <div className="line-clamp-2 text-xs text-muted-foreground">{t.description}</div>
              </div>
            ),
          },
          { header: "Type", cell: (t) => <Badge variant="outline">{t.type}</Badge>, className: "hidden sm:table-cell" },
          { header: "Needs approval", cell: (t) => <YesNo value={t.requiresApproval} />, className: "hidden md:table-cell" },
          { header: "Enabled", cell: (t) => <YesNo value={t.enabled} /> },
          {
            header: "Actions",
            className: "text-right",
            cell: (t) => (
              <div className="flex justify-end">
                <TestToolDialog tool={t} />
                <ToolDialog tool={t} />
                <DeleteDialog
                  path={`/api/ai/tools/${encodeURIComponent(t.id)}`}
                  name={t.name}
                  what="tool"
                  description="The AI can no longer call it. A tool that workflows call cannot be deleted until they stop calling it."
                  invalidate={TOOLS_KEY}
                />
              </div>
            ),
          },
        ]}
      />
    </div>
  );
}
