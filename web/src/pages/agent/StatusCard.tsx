import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { QueryError } from "@/components/PageState";
import { StatusBadge } from "@/components/badges";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Label } from "@/components/ui/label";
import { Skeleton } from "@/components/ui/skeleton";
import { Switch } from "@/components/ui/switch";
import { api, errorMessage } from "@/lib/api";
import type { AgentStatus, StatusView } from "@/lib/types";

const STATUS = ["agent", "status"] as const;

/** The agent's availability switch and how many items it holds. */
export function StatusCard() {
  const queryClient = useQueryClient();
  const q = useQuery({ queryKey: STATUS, queryFn: ({ signal }) => api.get<StatusView>("/api/agent/status", undefined, signal) });
  const set = useMutation({
    mutationFn: (status: AgentStatus) => api.post<StatusView>("/api/agent/status", { status }),
    onSuccess: (v) => queryClient.setQueryData(STATUS, v),
  });
  const status = set.isPending ? set.variables : q.data?.status;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Availability</CardTitle>
        <CardDescription>Routing sends conversations and approvals only to agents who are online.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-3">
        {q.isPending ? (
          <Skeleton className="h-10 w-64" />
        ) : q.isError ? (
          <QueryError error={q.error} retry={() => void q.refetch()} />
        ) : (
          <>
            <div className="flex flex-wrap items-center gap-3">
              <Switch
                id="online"
                checked={status === "online"}
                disabled={set.isPending}
                onCheckedChange={(on) => set.mutate(on ? "online" : "offline")}
              />
              <Label htmlFor="online">{status === "online" ? "Online" : "Not taking new work"}</Label>
              <StatusBadge value={status} />
            </div>
            <div className="flex flex-wrap gap-2" role="group" aria-label="Other statuses">
              {(["busy", "away"] as const).map((s) => (
                <Button key={s} size="sm" variant={status === s ? "secondary" : "outline"} disabled={set.isPending || status === s} onClick={() => set.mutate(s)}>
                  {s === "busy" ? "Busy" : "Away"}
                </Button>
              ))}
            </div>
            <p className="text-xs text-muted-foreground">{q.data.openItems} open items assigned to you.</p>
            {set.isError && <Alert kind="error">{errorMessage(set.error)}</Alert>}
          </>
        )}
      </CardContent>
    </Card>
  );
}
