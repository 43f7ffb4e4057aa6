import { CopyButton } from "@/components/CopyButton";
import { PageHeader, QueryError, NotBuiltYet } from "@/components/PageState";
import { ResourceTable } from "@/components/ResourceTable";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { formatDateTime } from "@/lib/format";
import { useSession } from "@/lib/session";
import type { AuditEntryView } from "@/lib/types";
import { useConfig } from "@/lib/hooks";

export function embedSnippet(origin: string, companyId: string): string {
  return `<script>
  window.customerAIConfig = {
    companyId: '${companyId}',
    user: { id: 'USER_ID', name: 'USER_NAME', email: 'USER_EMAIL' }
  };
</script>
<script src="${origin}/widget.js" async></script>`;
}

export default function Settings() {
  const session = useSession();
  const config = useConfig();
  const snippet = embedSnippet(window.location.origin, session?.companyId ?? "");
  return (
    <div className="grid gap-4">
      <PageHeader title="Settings" description="Embedding the widget, allowed origins and the audit log." />
      <Card>
        <CardHeader>
          <CardTitle>Widget embed snippet</CardTitle>
          <CardDescription>Paste before &lt;/body&gt; on your site; fill in the signed-in user, or leave `user` out for anonymous chats.</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-3">
          <pre className="overflow-x-auto rounded-lg border bg-muted/50 p-3 text-xs"><code>{snippet}</code></pre>
          <div className="flex flex-wrap items-center gap-3">
            <CopyButton text={snippet} label="Copy snippet" />
            <span className="text-xs text-muted-foreground">
              Company ID: <code className="font-mono">{session?.companyId}</code>
            </span>
          </div>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Allowed origins</CardTitle>
          <CardDescription>Sites that may embed the widget. None listed: any site may.</CardDescription>
        </CardHeader>
        <CardContent>
          {config.isPending ? (
            <Skeleton className="h-10 w-full" />
          ) : config.isError ? (
            <QueryError error={config.error} retry={() => void config.refetch()} />
          ) : config.data.allowedOrigins.length === 0 ? (
            <p className="text-sm text-muted-foreground">Any origin.</p>
          ) : (
            <ul className="grid gap-1 font-mono text-sm">
              {config.data.allowedOrigins.map((o) => (
                <li key={o}>{o}</li>
              ))}
            </ul>
          )}
        </CardContent>
      </Card>
      <NotBuiltYet what="The widget script itself (/widget.js), editing allowed origins and rotating the identity secret" />
      <h2 className="mt-2 text-lg font-semibold">Audit log</h2>
      <ResourceTable<AuditEntryView>
        label="Audit log"
        path="/api/admin/audit-log"
        queryKey={["audit-log"]}
        empty="Nothing recorded yet."
        columns={[
          { header: "When", cell: (a) => formatDateTime(a.createdAt) },
          { header: "Action", cell: (a) => <code className="text-xs">{a.action}</code> },
          { header: "Actor", cell: (a) => (a.actorId ? <span className="font-mono text-xs">{a.actorId.slice(0, 8)}</span> : "—"), className: "hidden sm:table-cell" },
          { header: "Address", cell: (a) => a.clientAddr ?? "—", className: "hidden md:table-cell text-muted-foreground" },
        ]}
      />
    </div>
  );
}
