import { useInfiniteQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { QueryError, TableSkeleton } from "@/components/PageState";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { api, type Query } from "@/lib/api";

export interface Column<T> {
  header: string;
  cell: (row: T) => ReactNode;
  className?: string;
}

/**
 * One of the API's list endpoints as a table: pages through `nextCursor` with "Load more".
 * `queryKey` must change when `query` does.
 */
export function ResourceTable<T extends { id?: string }>({
  path,
  query,
  queryKey,
  columns,
  empty,
  rowKey,
  label,
}: {
  path: string;
  query?: Query;
  queryKey: readonly unknown[];
  columns: Column<T>[];
  empty: ReactNode;
  rowKey?: (row: T) => string;
  label: string;
}) {
  const q = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam, signal }) => api.page<T>(path, { ...query, limit: 50, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = q.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Card className="overflow-hidden">
      {q.isPending ? (
        <TableSkeleton />
      ) : q.isError ? (
        <QueryError error={q.error} retry={() => void q.refetch()} />
      ) : rows.length === 0 ? (
        <div className="p-8 text-center text-sm text-muted-foreground">{empty}</div>
      ) : (
        <>
          <Table aria-label={label}>
            <TableHeader>
              <TableRow>
                {columns.map((c) => (
                  <TableHead key={c.header} className={c.className}>
                    {c.header}
                  </TableHead>
                ))}
              </TableRow>
            </TableHeader>
            <TableBody>
              {rows.map((row, i) => (
                <TableRow key={rowKey ? rowKey(row) : (row.id ?? i)}>
                  {columns.map((c) => (
                    <TableCell key={c.header} className={c.className}>
                      {c.cell(row)}
                    </TableCell>
                  ))}
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <LoadMore query={q} />
        </>
      )}
    </Card>
  );
}

/** The "Load more" footer of a paged list; nothing when the last page is shown. */
export function LoadMore({
  query,
}: {
  query: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => Promise<unknown> };
}) {
  if (!query.hasNextPage) return null;
  return (
    <div className="border-t p-3 text-center">
      <Button variant="outline" size="sm" loading={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
        Load more
      </Button>
    </div>
  );
}
