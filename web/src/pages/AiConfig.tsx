import type { ReactNode } from "react";
import { NotBuiltYet, PageHeader, QueryError } from "@/components/PageState";
import { YesNo } from "@/components/badges";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { formatDateTime } from "@/lib/format";
import { useConfig } from "@/lib/hooks";

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid gap-1 border-b py-2.5 last:border-0 sm:grid-cols-[12rem_1fr]">
      <dt className="text-sm text-muted-foreground">{label}</dt>
      <dd className="text-sm break-words">{children}</dd>
    </div>
  );
}

export default function AiConfig() {
  const q = useConfig();
  const c = q.data;
  const ai = c?.ai as { provider?: string; model?: string | null; apiKeySet?: boolean } | undefined;
  return (
    <div className="grid gap-4">
      <PageHeader title="AI Configuration" description="How the assistant introduces itself, and how the widget looks." />
      {q.isError && <QueryError error={q.error} retry={() => void q.refetch()} />}
      <div className="grid gap-4 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>Assistant</CardTitle>
          </CardHeader>
          <CardContent>
            {q.isPending ? (
              <Skeleton className="h-40 w-full" />
            ) : c ? (
              <dl>
                <Row label="Name">{c.agentName}</Row>
                <Row label="Persona"><span className="whitespace-pre-wrap">{c.agentPersona || "—"}</span></Row>
                <Row label="Greeting">{c.greetingMessage}</Row>
                <Row label="Model provider">{ai?.provider ?? "—"}{ai?.model ? ` · ${ai.model}` : ""}</Row>
                <Row label="API key stored">{ai?.apiKeySet !== undefined ? <YesNo value={ai.apiKeySet} /> : "—"}</Row>
              </dl>
            ) : null}
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Branding</CardTitle>
          </CardHeader>
          <CardContent>
            {q.isPending ? (
              <Skeleton className="h-40 w-full" />
            ) : c ? (
              <dl>
                <Row label="Name">{c.brandingName}</Row>
                <Row label="Primary colour">
                  <span className="inline-flex items-center gap-2">
                    <span className="inline-block size-4 rounded border" style={{ background: c.brandingPrimaryColor }} aria-hidden />
                    <code className="text-xs">{c.brandingPrimaryColor}</code>
                  </span>
                </Row>
                <Row label="Logo">{c.brandingLogo ? <span className="break-all text-xs">{c.brandingLogo}</span> : "—"}</Row>
                <Row label="Last changed">{formatDateTime(c.updatedAt)}</Row>
              </dl>
            ) : null}
          </CardContent>
        </Card>
      </div>
      <NotBuiltYet what="Editing the persona, branding and greeting with a live widget preview" />
    </div>
  );
}
