import { NotBuiltYet, PageHeader } from "@/components/PageState";
import { ResourceTable } from "@/components/ResourceTable";
import { YesNo } from "@/components/badges";
import { Badge } from "@/components/ui/badge";
import type { ToolView } from "@/lib/types";

export default function Tools() {
  return (
    <div className="grid gap-4">
      <PageHeader title="Tools" description="Actions the AI may take: webhooks and sandboxed functions." />
      <ResourceTable<ToolView>
        label="Tools"
        path="/api/ai/tools"
        queryKey={["tools"]}
        empty="No tools yet."
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
          { header: "Type", cell: (t) => <Badge variant="outline">{t.type}</Badge> },
          { header: "Needs approval", cell: (t) => <YesNo value={t.requiresApproval} />, className: "hidden sm:table-cell" },
          { header: "Enabled", cell: (t) => <YesNo value={t.enabled} /> },
        ]}
      />
      <NotBuiltYet what="The parameter editor, webhook/function configuration and the test runner" />
    </div>
  );
}
