import { ConfirmDelete, clip } from "@/components/ConfirmDialog";
import { PageHeader } from "@/components/PageState";
import { ResourceTable } from "@/components/ResourceTable";
import { Badge } from "@/components/ui/badge";
import { formatDateTime } from "@/lib/format";
import type { ExampleView } from "@/lib/types";
import { AddExampleDialog } from "./classification/AddExampleDialog";
import { ImportDialog } from "./classification/ImportDialog";
import { DEFAULT_LABELS, EXAMPLES_KEY } from "./classification/schema";

export default function Classification() {
  return (
    <div className="grid gap-4">
      <PageHeader
        title="Classification"
        description="Labelled example messages that teach the classifier this company's categories."
        actions={
          <>
            <AddExampleDialog />
            <ImportDialog />
          </>
        }
      />
      <ResourceTable<ExampleView>
        label="Classification examples"
        path="/api/ai/classification/examples"
        queryKey={EXAMPLES_KEY}
        empty="No examples yet: the classifier uses its built-in categories."
        columns={[
          { header: "Text", cell: (x) => <span className="line-clamp-2 max-w-xl break-words">{x.text}</span> },
          { header: "Category", cell: (x) => <Badge variant="secondary">{x.label}</Badge> },
          { header: "Added", cell: (x) => formatDateTime(x.createdAt), className: "hidden md:table-cell text-muted-foreground" },
          {
            header: "Actions",
            className: "text-right",
            cell: (x) => (
              <ConfirmDelete
                path={`/api/ai/classification/examples/${encodeURIComponent(x.id)}`}
                queryKey={EXAMPLES_KEY}
                buttonLabel={`Delete example: ${clip(x.text)}`}
                title="Delete this example?"
                description={<>“{clip(x.text, 120)}” ({x.label}) stops teaching the classifier from its next request.</>}
                done="Example deleted."
              />
            ),
          },
        ]}
      />
      <p className="text-xs text-muted-foreground">
        Built-in categories: {DEFAULT_LABELS.join(", ")}. Examples with a new label add a category of this company's.
      </p>
    </div>
  );
}
