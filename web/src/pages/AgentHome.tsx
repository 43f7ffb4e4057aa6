import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Check, X } from "lucide-react";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { NotBuiltYet, PageHeader, QueryError, TableSkeleton } from "@/components/PageState";
import { StatusBadge } from "@/components/badges";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Dialog, DialogContent, DialogFooter, DialogTrigger } from "@/components/ui/dialog";
import { Field, fieldProps } from "@/components/ui/field";
import { Label } from "@/components/ui/label";
import { Skeleton } from "@/components/ui/skeleton";
import { Switch } from "@/components/ui/switch";
import { Textarea } from "@/components/ui/input";
import { useToast } from "@/components/ui/toast";
import { api, errorMessage } from "@/lib/api";
import { formatRelative } from "@/lib/format";
import { applyApiErrors } from "@/lib/forms";
import { rejectSchema, type RejectInput } from "@/lib/schemas";
import type { AgentStatus, ApprovalView, StatusView } from "@/lib/types";

const STATUS = ["agent", "status"] as const;
const APPROVALS = ["agent", "approvals", "pending"] as const;

function StatusCard() {
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

function RejectDialog({ approval, onDone }: { approval: ApprovalView; onDone: () => void }) {
  const [open, setOpen] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const { register, handleSubmit, formState, setError, reset } = useForm<RejectInput>({
    resolver: zodResolver(rejectSchema),
    defaultValues: { reason: "", customerMessage: "" },
  });
  const e = formState.errors;
  const onSubmit = handleSubmit(async (v) => {
    setFormError(null);
    try {
      await api.post(`/api/agent/approvals/${encodeURIComponent(approval.id)}/reject`, {
        reason: v.reason,
        ...(v.customerMessage ? { customerMessage: v.customerMessage } : {}),
      });
      setOpen(false);
      onDone();
    } catch (err) {
      setFormError(applyApiErrors(err, setError, ["reason", "customerMessage"]));
    }
  });
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) reset();
        setFormError(null);
      }}
    >
      <DialogTrigger asChild>
        <Button size="sm" variant="outline">
          <X aria-hidden /> Reject
        </Button>
      </DialogTrigger>
      <DialogContent title="Reject this request" description={approval.summary}>
        <form onSubmit={onSubmit} noValidate className="grid gap-4">
          {formError && <Alert kind="error">{formError}</Alert>}
          <Field id="reject-reason" label="Reason (for staff)" error={e.reason?.message}>
            <Textarea {...fieldProps("reject-reason", e.reason?.message)} {...register("reason")} />
          </Field>
          <Field id="reject-customer" label="Message to the customer (optional)" error={e.customerMessage?.message} hint="Added to the polite refusal the customer receives.">
            <Textarea {...fieldProps("reject-customer", e.customerMessage?.message)} {...register("customerMessage")} />
          </Field>
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button type="submit" variant="destructive" loading={formState.isSubmitting}>
              Reject
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

function ApprovalCard({ a, onDone }: { a: ApprovalView; onDone: () => void }) {
  const toast = useToast();
  const approve = useMutation({
    mutationFn: () => api.post<ApprovalView>(`/api/agent/approvals/${encodeURIComponent(a.id)}/approve`, {}),
    onSuccess: () => {
      toast("Approved: the action ran and the customer was told.");
      onDone();
    },
  });
  const args = a.proposedAction.arguments;
  return (
    <li className="grid gap-3 rounded-lg border p-4">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="grid gap-1">
          <p className="font-medium">{a.summary}</p>
          <p className="text-xs text-muted-foreground">Requested {formatRelative(a.createdAt)}</p>
        </div>
        <div className="flex gap-1">
          <StatusBadge value={a.priority} />
          <StatusBadge value={a.urgency} />
        </div>
      </div>
      {typeof a.proposedAction.tool === "string" && (
        <div className="rounded-md bg-muted/60 p-2 text-xs">
          <span className="font-mono font-medium">{a.proposedAction.tool}</span>
          {args !== undefined && <pre className="mt-1 overflow-x-auto whitespace-pre-wrap font-mono">{JSON.stringify(args, null, 2)}</pre>}
        </div>
      )}
      {approve.isError && <Alert kind="error">{errorMessage(approve.error)}</Alert>}
      <div className="flex flex-wrap gap-2">
        <Button size="sm" loading={approve.isPending} onClick={() => approve.mutate()}>
          <Check aria-hidden /> Approve
        </Button>
        <RejectDialog
          approval={a}
          onDone={() => {
            toast("Rejected: the customer was told.");
            onDone();
          }}
        />
      </div>
    </li>
  );
}

function Approvals() {
  const queryClient = useQueryClient();
  const q = useQuery({
    queryKey: APPROVALS,
    queryFn: ({ signal }) => api.page<ApprovalView>("/api/agent/approvals", { status: "pending", limit: 100 }, signal),
    refetchInterval: 15_000,
  });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ["agent"] });
  return (
    <Card>
      <CardHeader>
        <CardTitle>Approvals waiting for you</CardTitle>
        <CardDescription>Actions the assistant proposed that need a person's yes or no. Refreshed every 15 seconds.</CardDescription>
      </CardHeader>
      <CardContent>
        {q.isPending ? (
          <TableSkeleton rows={3} />
        ) : q.isError ? (
          <QueryError error={q.error} retry={() => void q.refetch()} />
        ) : q.data.items.length === 0 ? (
          <p className="py-6 text-center text-sm text-muted-foreground">Nothing waiting. New requests appear here.</p>
        ) : (
          <ul className="grid gap-3">
            {q.data.items.map((a) => (
              <ApprovalCard key={a.id} a={a} onDone={refresh} />
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}

export default function AgentHome() {
  return (
    <div className="grid gap-4">
      <PageHeader title="My work" description="Your availability and the requests waiting for your decision." />
      <StatusCard />
      <Approvals />
      <NotBuiltYet what="Escalating, the conversations inbox (takeover, reply, release, close), live updates and your own performance" />
    </div>
  );
}
