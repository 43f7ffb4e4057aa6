import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ArrowUpRight, Check, X } from "lucide-react";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { QueryError, TableSkeleton } from "@/components/PageState";
import { StatusBadge } from "@/components/badges";
import { ClassificationPanel } from "@/components/Transcript";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Dialog, DialogContent, DialogFooter, DialogTrigger } from "@/components/ui/dialog";
import { Field, fieldProps } from "@/components/ui/field";
import { Textarea } from "@/components/ui/input";
import { useToast } from "@/components/ui/toast";
import { api, errorMessage } from "@/lib/api";
import { formatRelative } from "@/lib/format";
import { applyApiErrors } from "@/lib/forms";
import { rejectSchema, type RejectInput } from "@/lib/schemas";
import type { ApprovalView } from "@/lib/types";

const APPROVALS = ["agent", "approvals", "pending"] as const;

type Decision = "reject" | "escalate";

const decisionText: Record<Decision, { title: string; button: string; reason: string; done: string }> = {
  reject: { title: "Reject this request", button: "Reject", reason: "Reason (for staff)", done: "Rejected: the customer was told." },
  escalate: {
    title: "Escalate to an admin",
    button: "Escalate",
    reason: "Why an admin should decide",
    done: "Escalated: its priority was raised and it went to the admins' queue.",
  },
};

/** Reject (with an optional word to the customer) or escalate (to the admins), each with a reason. */
function DecisionDialog({ approval, decision, onDone }: { approval: ApprovalView; decision: Decision; onDone: (text: string) => void }) {
  const [open, setOpen] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const { register, handleSubmit, formState, setError, reset } = useForm<RejectInput>({
    resolver: zodResolver(rejectSchema),
    defaultValues: { reason: "", customerMessage: "" },
  });
  const e = formState.errors;
  const t = decisionText[decision];
  const id = `${decision}-${approval.id}`;
  const onSubmit = handleSubmit(async (v) => {
    setFormError(null);
    try {
      await api.post(`/api/agent/approvals/${encodeURIComponent(approval.id)}/${decision}`, {
        reason: v.reason,
        ...(decision === "reject" && v.customerMessage ? { customerMessage: v.customerMessage } : {}),
      });
      setOpen(false);
      onDone(t.done);
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
          {decision === "reject" ? <X aria-hidden /> : <ArrowUpRight aria-hidden />} {t.button}
        </Button>
      </DialogTrigger>
      <DialogContent title={t.title} description={approval.summary}>
        <form onSubmit={onSubmit} noValidate className="grid gap-4">
          {formError && <Alert kind="error">{formError}</Alert>}
          <Field id={`${id}-reason`} label={t.reason} error={e.reason?.message}>
            <Textarea {...fieldProps(`${id}-reason`, e.reason?.message)} {...register("reason")} />
          </Field>
          {decision === "reject" && (
            <Field id={`${id}-customer`} label="Message to the customer (optional)" error={e.customerMessage?.message} hint="Added to the polite refusal the customer receives.">
              <Textarea {...fieldProps(`${id}-customer`, e.customerMessage?.message)} {...register("customerMessage")} />
            </Field>
          )}
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button type="submit" variant={decision === "reject" ? "destructive" : "default"} loading={formState.isSubmitting}>
              {t.button}
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
      <details className="text-xs">
        <summary className="cursor-pointer text-muted-foreground">Why this priority and urgency</summary>
        <div className="mt-2">
          <ClassificationPanel classification={a.reasons} />
        </div>
      </details>
      {approve.isError && <Alert kind="error">{errorMessage(approve.error)}</Alert>}
      <div className="flex flex-wrap gap-2">
        <Button size="sm" loading={approve.isPending} onClick={() => approve.mutate()}>
          <Check aria-hidden /> Approve
        </Button>
        {(["reject", "escalate"] as const).map((d) => (
          <DecisionDialog
            key={d}
            approval={a}
            decision={d}
            onDone={(text) => {
              toast(text);
              onDone();
            }}
          />
        ))}
      </div>
    </li>
  );
}

/** The pending requests routed to this agent; the event socket keeps the list current. */
export function Approvals() {
  const queryClient = useQueryClient();
  const q = useQuery({
    queryKey: APPROVALS,
    queryFn: ({ signal }) => api.page<ApprovalView>("/api/agent/approvals", { status: "pending", limit: 100 }, signal),
    refetchInterval: 60_000,
  });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ["agent"] });
  return (
    <Card>
      <CardHeader>
        <CardTitle>Approvals waiting for you</CardTitle>
        <CardDescription>Actions the assistant proposed that need a person's yes or no. New requests appear as they arrive.</CardDescription>
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
