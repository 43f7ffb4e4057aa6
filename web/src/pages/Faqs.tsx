import { NotBuiltYet, PageHeader } from "@/components/PageState";
import { ResourceTable } from "@/components/ResourceTable";
import { YesNo } from "@/components/badges";
import type { FaqView } from "@/lib/types";

export default function Faqs() {
  return (
    <div className="grid gap-4">
      <PageHeader title="FAQs" description="Questions answered word for word, with the other phrasings that match them." />
      <ResourceTable<FaqView>
        label="FAQs"
        path="/api/ai/faqs"
        queryKey={["faqs"]}
        empty="No FAQs yet."
        columns={[
          {
            header: "Question",
            cell: (f) => (
              <div className="max-w-md">
                <div className="font-medium">{f.question}</div>
                <div className="line-clamp-2 text-xs text-muted-foreground">{f.answer}</div>
              </div>
            ),
          },
          { header: "Phrasings", cell: (f) => f.variants.length, className: "text-right tabular-nums hidden sm:table-cell" },
          { header: "Category", cell: (f) => f.category ?? "—", className: "hidden md:table-cell" },
          { header: "Enabled", cell: (f) => <YesNo value={f.enabled} /> },
        ]}
      />
      <NotBuiltYet what="Adding and editing FAQs" />
    </div>
  );
}
