import { NotBuiltYet, PageHeader } from "@/components/PageState";
import { ResourceTable } from "@/components/ResourceTable";
import { Badge } from "@/components/ui/badge";
import { formatDateTime } from "@/lib/format";
import type { ExampleView } from "@/lib/types";

export default function Classification() {
  return (
    <div className="grid gap-4">
      <PageHeader title="Classification" description="Labelled example messages that teach the classifier this company's categories." />
      <ResourceTable<ExampleView>
        label="Classification examples"
        path="/api/ai/classification/examples"
        queryKey={["classification-examples"]}
        empty="No examples yet: the classifier uses its built-in categories."
        columns={[
          { header: "Text", cell: (x) => <span className="line-clamp-2 max-w-xl">{x.text}</span> },
          { header: "Category", cell: (x) => <Badge variant="secondary">{x.label}</Badge> },
          { header: "Added", cell: (x) => formatDateTime(x.createdAt), className: "hidden md:table-cell text-muted-foreground" },
        ]}
      />
      <NotBuiltYet what="Adding examples and bulk import" />
    </div>
  );
}
