import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { UserRoundCog } from "lucide-react";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogFooter, DialogTrigger } from "@/components/ui/dialog";
import { Label } from "@/components/ui/label";
import { useToast } from "@/components/ui/toast";
import { api, errorMessage } from "@/lib/api";
import type { AgentPresenceView, ApprovalView } from "@/lib/types";

const order: Record<string, number> = { online: 0, busy: 1, away: 2, offline: 3 };

/** Hands a request to another agent of the admin's choosing. */
export function ReassignDialog({ request }: { request: ApprovalView }) {
  const [open, setOpen] = useState(false);
  const [agentId, setAgentId] = useState("");
  const toast = useToast();
  const queryClient = useQueryClient();
  const agents = useQuery({
    queryKey: ["agents-status"],
    queryFn: ({ signal }) => api.page<AgentPresenceView>("/api/admin/agents-status", { limit: 200 }, signal),
    enabled: open,
  });
  const choices = [...(agents.data?.items ?? [])].filter((a) => a.agentId !== request.agentId).sort((a, b) => (order[a.status] ?? 9) - (order[b.status] ?? 9));
  const reassign = useMutation({
    mutationFn: () => api.post<ApprovalView>(`/api/admin/queue/${encodeURIComponent(request.id)}/reassign`, { agentId }),
    onSuccess: () => {
      setOpen(false);
      toast("Reassigned.");
      void queryClient.invalidateQueries({ queryKey: ["queue"] });
    },
  });
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        setAgentId("");
        reassign.reset();
      }}
    >
      <DialogTrigger asChild>
        <Button size="sm" variant="outline" aria-label={`Reassign: ${request.summary.slice(0, 60)}`}>
          <UserRoundCog aria-hidden /> Reassign
        </Button>
      </DialogTrigger>
      <DialogContent title="Reassign the request" description={request.summary}>
        <div className="grid gap-4">
          {reassign.isError && <Alert kind="error">{errorMessage(reassign.error)}</Alert>}
          <div className="grid gap-1.5">
            <Label htmlFor={`reassign-${request.id}`}>Agent</Label>
            <select
              id={`reassign-${request.id}`}
              value={agentId}
              onChange={(e) => setAgentId(e.target.value)}
              className="h-9 rounded-md border border-input bg-background px-2 text-sm"
            >
              <option value="">{agents.isPending ? "Loading agents…" : "Choose an agent"}</option>
              {choices.map((a) => (
                <option key={a.agentId} value={a.agentId}>
                  {`${a.name} (${a.status}, ${a.openItems} open)`}
                </option>
              ))}
            </select>
          </div>
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button disabled={!agentId} loading={reassign.isPending} onClick={() => reassign.mutate()}>
              Reassign
            </Button>
          </DialogFooter>
        </div>
      </DialogContent>
    </Dialog>
  );
}
