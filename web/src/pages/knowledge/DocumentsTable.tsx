import { useInfiniteQuery } from "@tanstack/react-query";
import { ConfirmDelete, clip } from "@/components/ConfirmDialog";
import { QueryError, TableSkeleton } from "@/components/PageState";
import { LoadMore } from "@/components/ResourceTable";
import { StatusBadge } from "@/components/badges";
import { Card } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { api } from "@/lib/api";
import { formatDateTime } from "@/lib/format";
import { DOCUMENTS_KEY, type DocumentView } from "./types";

/** How often the list is re-read while a document is still being indexed. */
export const POLL_MS = 2000;

function indexing(pages: { items: DocumentView[] }[] | undefined): boolean {
  return !!pages?.some((p) => p.items.some((d) => d.status === "processing"));
}

export function DocumentsTable() {
  const q = useInfiniteQuery({
    queryKey: DOCUMENTS_KEY,
    queryFn: ({ pageParam, signal }) => api.page<DocumentView>("/api/ai/knowledge-base", { limit: 50, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    // Indexing runs in the background; re-read until no document is left processing.
    refetchInterval: (query) => (indexing(query.state.data?.pages) ? POLL_MS : false),
  });
  const docs = q.data?.pages.flatMap((p) => p.items) ?? [];
  const pending = docs.filter((d) => d.status === "processing").length;
  return (
    <Card className="overflow-hidden">
      {q.isPending ? (
        <TableSkeleton />
      ) : q.isError ? (
        <QueryError error={q.error} retry={() => void q.refetch()} />
      ) : docs.length === 0 ? (
        <div className="p-8 text-center text-sm text-muted-foreground">No documents yet. Add one with “Upload file” or “Paste text”.</div>
      ) : (
        <>
          <Table aria-label="Documents">
            <TableHeader>
              <TableRow>
                <TableHead>Title</TableHead>
                <TableHead className="hidden sm:table-cell">Format</TableHead>
                <TableHead>Status</TableHead>
                <TableHead className="hidden text-right tabular-nums sm:table-cell">Chunks</TableHead>
                <TableHead className="hidden md:table-cell">Updated</TableHead>
                <TableHead className="text-right">
                  <span className="sr-only">Actions</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {docs.map((d) => (
                <TableRow key={d.id}>
                  <TableCell>
                    <div className="max-w-[14rem] break-words font-medium sm:max-w-md">{d.title}</div>
                    {d.sourceName && <div className="max-w-[14rem] truncate text-xs text-muted-foreground sm:max-w-md">{d.sourceName}</div>}
                  </TableCell>
                  <TableCell className="hidden sm:table-cell">{d.format}</TableCell>
                  <TableCell>
                    <StatusBadge value={d.status} />
                    {d.status === "failed" && d.error && <div className="mt-1 max-w-xs text-xs text-destructive">{d.error}</div>}
                  </TableCell>
                  <TableCell className="hidden text-right tabular-nums sm:table-cell">{d.chunkCount}</TableCell>
                  <TableCell className="hidden text-muted-foreground md:table-cell">{formatDateTime(d.updatedAt)}</TableCell>
                  <TableCell className="text-right">
                    <ConfirmDelete
                      path={`/api/ai/knowledge-base/${encodeURIComponent(d.id)}`}
                      queryKey={DOCUMENTS_KEY}
                      buttonLabel={`Delete ${clip(d.title)}`}
                      title={`Delete “${clip(d.title)}”?`}
                      description="Its passages stop appearing in answers at once. This cannot be undone."
                      done={`Deleted “${clip(d.title)}”.`}
                    />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {pending > 0 && (
            <p role="status" className="border-t px-4 py-2 text-xs text-muted-foreground">
              Indexing {pending === 1 ? "1 document" : `${pending} documents`}; this list updates by itself.
            </p>
          )}
          <LoadMore query={q} />
        </>
      )}
    </Card>
  );
}
