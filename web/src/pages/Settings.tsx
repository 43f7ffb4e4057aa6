import { CopyButton } from "@/components/CopyButton";
import { PageHeader, QueryError } from "@/components/PageState";
import { ResourceTable } from "@/components/ResourceTable";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { formatDateTime } from "@/lib/format";
import { useConfig } from "@/lib/hooks";
import { useSession } from "@/lib/session";
import type { AuditEntryView } from "@/lib/types";
import { shortId, useAgentNames } from "@/lib/useAgentNames";
import { IdentityCard } from "./settings/IdentityCard";
import { OriginsCard } from "./settings/OriginsCard";
import { embedSnippet, identityMode, type IdentityMode } from "./settings/snippet";

const SNIPPET_HINT: Record<IdentityMode, string> = {
  off: "Paste before </body> on your site; fill in the signed-in user, or leave `user` out for anonymous chats.",
  optional:
    "Paste before </body> on your site; fill in the signed-in user and, to have it verified, the timestamp and hash your server computes. Leave `user` out for anonymous chats.",
  required: "Paste before </body> on your site. Verified identity is required: every chat needs the user's id with the timestamp and hash your server computes.",
};

function SnippetCard({ mode }: { mode: IdentityMode }) {
  const session = useSession();
  const snippet = embedSnippet(window.location.origin, session?.companyId ?? "", mode);
  return (
    <Card>
      <CardHeader>
        <CardTitle>Widget embed snippet</CardTitle>
        <CardDescription>{SNIPPET_HINT[mode]}</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-3">
        {/* Focusable so that keyboard users can scroll it sideways on a narrow screen. */}
        <pre tabIndex={0} className="overflow-x-auto rounded-lg border bg-muted/50 p-3 text-xs focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring" data-testid="embed-snippet">
          <code>{snippet}</code>
        </pre>
        <div className="flex flex-wrap items-center gap-3">
          <CopyButton text={snippet} label="Copy snippet" />
          <span className="text-xs text-muted-foreground">
            Company ID: <code className="font-mono">{session?.companyId}</code>
          </span>
        </div>
      </CardContent>
    </Card>
  );
}

/** Who did it: "you", an agent's name, or the short id of someone no longer listed. */
function Actor({ id, names, you }: { id?: string | null; names: Map<string, string>; you?: { id: string; name: string } }) {
  if (!id) return <span className="text-muted-foreground">—</span>;
  if (you && id === you.id) return <span>{you.name} (you)</span>;
  const name = names.get(id);
  return name ? <span>{name}</span> : <span className="font-mono text-xs" title={id}>{shortId(id)}</span>;
}

export default function Settings() {
  const config = useConfig();
  const session = useSession();
  const names = useAgentNames();
  const c = config.data;
  return (
    <div className="grid gap-4">
      <PageHeader title="Settings" description="Embedding the widget, allowed origins, identity verification and the audit log." />
      <SnippetCard mode={c ? identityMode(c.identitySecretSet, c.identityRequired) : "off"} />
      {/* Data first, and not re-keyed on refetch: a background refresh, failed or not, must
          not wipe an unsaved list. */}
      {c ? (
        <div className="grid gap-4 lg:grid-cols-2 lg:items-start">
          <OriginsCard config={c} />
          <IdentityCard config={c} />
        </div>
      ) : config.isError ? (
        <QueryError error={config.error} retry={() => void config.refetch()} />
      ) : (
        <Skeleton className="h-40 w-full" />
      )}
      <h2 className="mt-2 text-lg font-semibold">Audit log</h2>
      <ResourceTable<AuditEntryView>
        label="Audit log"
        path="/api/admin/audit-log"
        queryKey={["audit-log"]}
        empty="Nothing recorded yet."
        columns={[
          { header: "When", cell: (a) => formatDateTime(a.createdAt) },
          { header: "Action", cell: (a) => <code className="text-xs">{a.action}</code> },
          { header: "Actor", cell: (a) => <Actor id={a.actorId} names={names} you={session?.user} />, className: "hidden sm:table-cell" },
          { header: "Address", cell: (a) => a.clientAddr ?? "—", className: "hidden md:table-cell text-muted-foreground" },
        ]}
      />
    </div>
  );
}
