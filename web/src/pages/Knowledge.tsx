import { NotBuiltYet, PageHeader } from "@/components/PageState";
import { ResourceTable } from "@/components/ResourceTable";
import { StatusBadge } from "@/components/badges";
import { formatDateTime } from "@/lib/format";
import type { DocumentView } from "@/lib/types";

export default function Knowledge() {
  return (
    <div className="grid gap-4">
      <PageHeader title="Knowledge Base" description="Documents the AI answers from, with their indexing status." />
      <ResourceTable<DocumentView>
        label="Documents"
        path="/api/ai/knowledge-base"
        queryKey={["knowledge-base"]}
        empty="No documents yet."
        columns={[
          { header: "Title", cell: (d) => <span className="font-medium">{d.title}</span> },
          { header: "Format", cell: (d) => d.format, className: "hidden sm:table-cell" },
          { header: "Status", cell: (d) => <span title={d.error ?? undefined}><StatusBadge value={d.status} /></span> },
          { header: "Chunks", cell: (d) => d.chunkCount, className: "text-right tabular-nums" },
          { header: "Updated", cell: (d) => formatDateTime(d.updatedAt), className: "hidden md:table-cell text-muted-foreground" },
        ]}
      />
      <NotBuiltYet what="Uploading files, pasting text and the retrieval testing box" />
    </div>
  );
}
