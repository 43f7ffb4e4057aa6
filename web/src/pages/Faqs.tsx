import { ConfirmDelete, clip } from "@/components/ConfirmDialog";
import { PageHeader } from "@/components/PageState";
import { ResourceTable } from "@/components/ResourceTable";
import { YesNo } from "@/components/badges";
import { Badge } from "@/components/ui/badge";
import type { FaqView } from "@/lib/types";
import { FaqDialog } from "./faqs/FaqDialog";
import { FAQS_KEY } from "./faqs/schema";

export default function Faqs() {
  return (
    <div className="grid gap-4">
      <PageHeader
        title="FAQs"
        description="Questions answered word for word, with the other phrasings that match them."
        actions={<FaqDialog />}
      />
      <ResourceTable<FaqView>
        label="FAQs"
        path="/api/ai/faqs"
        queryKey={FAQS_KEY}
        empty="No FAQs yet. Add the questions customers ask most with “Add FAQ”."
        columns={[
          {
            header: "Question",
            cell: (f) => (
              <div className="max-w-md">
                <div className="break-words font-medium">{f.question}</div>
                <div className="line-clamp-2 break-words text-xs text-muted-foreground">{f.answer}</div>
                {f.tags.length > 0 && (
                  <div className="mt-1 flex flex-wrap gap-1">
                    {f.tags.map((t) => (
                      <Badge key={t} variant="outline">
                        {t}
                      </Badge>
                    ))}
                  </div>
                )}
              </div>
            ),
          },
          {
            header: "Phrasings",
            cell: (f) => <span title={f.variants.join("\n") || undefined}>{f.variants.length}</span>,
            className: "text-right tabular-nums hidden sm:table-cell",
          },
          { header: "Category", cell: (f) => f.category ?? "—", className: "hidden md:table-cell" },
          { header: "Enabled", cell: (f) => <YesNo value={f.enabled} /> },
          {
            header: "Actions",
            className: "text-right",
            cell: (f) => (
              <div className="flex justify-end">
                <FaqDialog faq={f} />
                <ConfirmDelete
                  path={`/api/ai/faqs/${encodeURIComponent(f.id)}`}
                  queryKey={FAQS_KEY}
                  buttonLabel={`Delete FAQ: ${clip(f.question)}`}
                  title="Delete this FAQ?"
                  description={<>“{clip(f.question, 120)}” stops matching customer questions at once.</>}
                  done="FAQ deleted."
                />
              </div>
            ),
          },
        ]}
      />
    </div>
  );
}
