import { PageHeader } from "@/components/PageState";
import { DocumentsTable } from "./knowledge/DocumentsTable";
import { PasteDialog } from "./knowledge/PasteDialog";
import { RetrievalTest } from "./knowledge/RetrievalTest";
import { UploadDialog } from "./knowledge/UploadDialog";

export default function Knowledge() {
  return (
    <div className="grid gap-4">
      <PageHeader
        title="Knowledge Base"
        description="Documents the AI answers from, with their indexing status."
        actions={
          <>
            <UploadDialog />
            <PasteDialog />
          </>
        }
      />
      <DocumentsTable />
      <RetrievalTest />
    </div>
  );
}
