import { zodResolver } from "@hookform/resolvers/zod";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { KeyRound, Pencil, Plus, UserX } from "lucide-react";
import { useState } from "react";
import { useForm, type FieldErrors, type UseFormRegister } from "react-hook-form";
import { ConfirmDialog } from "@/components/ConfirmDialog";
import { CopyButton } from "@/components/CopyButton";
import { PageHeader, QueryError, TableSkeleton } from "@/components/PageState";
import { LoadMore } from "@/components/ResourceTable";
import { StatusBadge } from "@/components/badges";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Dialog, DialogContent, DialogFooter, DialogTrigger } from "@/components/ui/dialog";
import { Field, fieldProps } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";
import { api, errorMessage } from "@/lib/api";
import { credentialsLink, credentialsText, formatRelative } from "@/lib/format";
import { applyApiErrors } from "@/lib/forms";
import { agentSchema, type AgentInput, type AgentValues } from "@/lib/schemas";
import { useSession } from "@/lib/session";
import type { AgentView, CreatedAgent, PasswordReset } from "@/lib/types";

const AGENTS = ["agents"] as const;
const AGENT_FIELDS = ["name", "email", "skills", "capacity"] as const;

/** The one-time credentials with the sign-in link, all copied at once. */
function Credentials({ email, password, signInPath }: { email: string; password: string; signInPath?: string }) {
  const session = useSession();
  const link = credentialsLink(window.location.origin, session?.companyId ?? "", email, signInPath);
  return (
    <div className="grid gap-3">
      <Alert kind="info" title="Shown only this once">
        Give these to the agent now. They must choose their own password when they first sign in.
      </Alert>
      <dl className="grid gap-2 rounded-lg border bg-muted/40 p-3 text-sm">
        <div className="grid gap-0.5">
          <dt className="text-xs text-muted-foreground">Sign-in link</dt>
          <dd className="break-all font-mono text-xs">{link}</dd>
        </div>
        <div className="grid gap-0.5">
          <dt className="text-xs text-muted-foreground">Email</dt>
          <dd className="font-mono text-xs">{email}</dd>
        </div>
        <div className="grid gap-0.5">
          <dt className="text-xs text-muted-foreground">Temporary password</dt>
          <dd className="select-all font-mono text-base" data-testid="temporary-password">{password}</dd>
        </div>
      </dl>
      <CopyButton text={credentialsText(link, email, password)} label="Copy link, email and password" />
    </div>
  );
}

function CreateAgentDialog() {
  const [open, setOpen] = useState(false);
  const [created, setCreated] = useState<CreatedAgent | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const { register, handleSubmit, formState, setError, reset } = useForm<AgentInput, unknown, AgentValues>({
    resolver: zodResolver(agentSchema),
    defaultValues: { name: "", email: "", skills: "", capacity: 5 },
  });
  const e = formState.errors;

  const onOpenChange = (next: boolean) => {
    setOpen(next);
    if (!next) {
      // The password is gone once the dialog closes.
      setCreated(null);
      setFormError(null);
      reset();
    }
  };

  const onSubmit = handleSubmit(async (values) => {
    setFormError(null);
    try {
      const agent = await api.post<CreatedAgent>("/api/admin/agents", values);
      setCreated(agent);
      void queryClient.invalidateQueries({ queryKey: AGENTS });
    } catch (err) {
      setFormError(applyApiErrors(err, setError, AGENT_FIELDS));
    }
  });

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button>
          <Plus aria-hidden /> New agent
        </Button>
      </DialogTrigger>
      <DialogContent
        title={created ? `${created.name} can sign in` : "New agent"}
        description={created ? undefined : "The agent gets a temporary password, shown once."}
        onInteractOutside={(ev) => created && ev.preventDefault()}
      >
        {created ? (
          <>
            <Credentials email={created.credentials.email} password={created.credentials.temporaryPassword} signInPath={created.credentials.signInPath} />
            <DialogFooter>
              <Button onClick={() => onOpenChange(false)}>Done</Button>
            </DialogFooter>
          </>
        ) : (
          <form onSubmit={onSubmit} noValidate className="grid gap-4">
            {formError && <Alert kind="error">{formError}</Alert>}
            <AgentFields register={register} errors={e} />
            <DialogFooter>
              <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>
                Cancel
              </Button>
              <Button type="submit" loading={formState.isSubmitting}>
                Create agent
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}

function AgentFields({ register, errors }: { register: UseFormRegister<AgentInput>; errors: FieldErrors<AgentInput> }) {
  const reg = register;
  return (
    <>
      <Field id="agent-name" label="Name" error={errors.name?.message}>
        <Input {...fieldProps("agent-name", errors.name?.message)} autoComplete="off" {...reg("name")} />
      </Field>
      <Field id="agent-email" label="Email" error={errors.email?.message}>
        <Input {...fieldProps("agent-email", errors.email?.message)} type="email" autoComplete="off" {...reg("email")} />
      </Field>
      <Field id="agent-skills" label="Skills" error={errors.skills?.message} hint="Comma-separated, e.g. billing, spanish, tier-2. Routing prefers agents with the skill a conversation needs.">
        <Input {...fieldProps("agent-skills", errors.skills?.message)} autoComplete="off" {...reg("skills")} />
      </Field>
      <Field id="agent-capacity" label="Capacity" error={errors.capacity?.message} hint="How many open conversations and approvals routing may give at once (1–100).">
        <Input {...fieldProps("agent-capacity", errors.capacity?.message)} type="number" min={1} max={100} inputMode="numeric" className="w-28" {...reg("capacity")} />
      </Field>
    </>
  );
}

function EditAgentDialog({ agent }: { agent: AgentView }) {
  const [open, setOpen] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const toast = useToast();
  const initial = { name: agent.name, email: agent.email, skills: agent.skills.join(", "), capacity: agent.capacity };
  const { register, handleSubmit, formState, setError, reset } = useForm<AgentInput, unknown, AgentValues>({
    resolver: zodResolver(agentSchema),
    defaultValues: initial,
  });
  const onSubmit = handleSubmit(async (values) => {
    setFormError(null);
    try {
      await api.put<AgentView>(`/api/admin/agents/${encodeURIComponent(agent.id)}`, values);
      void queryClient.invalidateQueries({ queryKey: AGENTS });
      toast(`Saved ${values.name}.`);
      setOpen(false);
    } catch (err) {
      setFormError(applyApiErrors(err, setError, AGENT_FIELDS));
    }
  });
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (next) reset(initial);
        setFormError(null);
      }}
    >
      <DialogTrigger asChild>
        <Button variant="ghost" size="icon" aria-label={`Edit ${agent.name}`} title="Edit">
          <Pencil />
        </Button>
      </DialogTrigger>
      <DialogContent title={`Edit ${agent.name}`}>
        <form onSubmit={onSubmit} noValidate className="grid gap-4">
          {formError && <Alert kind="error">{formError}</Alert>}
          <AgentFields register={register} errors={formState.errors} />
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button type="submit" loading={formState.isSubmitting}>
              Save
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

function ResetPasswordDialog({ agent }: { agent: AgentView }) {
  const [open, setOpen] = useState(false);
  const [result, setResult] = useState<PasswordReset | null>(null);
  const password = result?.temporaryPassword ?? null;
  const reset = useMutation({
    mutationFn: () => api.post<PasswordReset>(`/api/admin/agents/${encodeURIComponent(agent.id)}/password-reset`),
    onSuccess: setResult,
  });
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) {
          setResult(null);
          reset.reset();
        }
      }}
    >
      <DialogTrigger asChild>
        <Button variant="ghost" size="icon" aria-label={`Reset the password of ${agent.name}`} title="Reset password">
          <KeyRound />
        </Button>
      </DialogTrigger>
      <DialogContent
        title={password ? "New temporary password" : `Reset the password of ${agent.name}?`}
        description={password ? undefined : "Their sessions are signed out and they get a temporary password, shown once."}
        onInteractOutside={(ev) => password && ev.preventDefault()}
      >
        {password ? (
          <>
            <Credentials email={agent.email} password={password} signInPath={result?.signInPath} />
            <DialogFooter>
              <Button onClick={() => setOpen(false)}>Done</Button>
            </DialogFooter>
          </>
        ) : (
          <>
            {reset.isError && <Alert kind="error">{errorMessage(reset.error)}</Alert>}
            <DialogFooter>
              <Button variant="outline" onClick={() => setOpen(false)}>
                Cancel
              </Button>
              <Button variant="destructive" loading={reset.isPending} onClick={() => reset.mutate()}>
                Reset password
              </Button>
            </DialogFooter>
          </>
        )}
      </DialogContent>
    </Dialog>
  );
}

function DeactivateDialog({ agent }: { agent: AgentView }) {
  return (
    <ConfirmDialog
      action={() => api.del<AgentView>(`/api/admin/agents/${encodeURIComponent(agent.id)}`)}
      queryKey={AGENTS}
      icon={<UserX />}
      buttonLabel={`Deactivate ${agent.name}`}
      buttonTitle="Deactivate"
      title={`Deactivate ${agent.name}?`}
      description="They are signed out at once and cannot sign in again; their open conversations and approvals go to other agents."
      confirmLabel="Deactivate"
      done={`${agent.name} was deactivated.`}
    />
  );
}

export default function Agents() {
  const q = useInfiniteQuery({
    queryKey: AGENTS,
    queryFn: ({ pageParam, signal }) => api.page<AgentView>("/api/admin/agents", { limit: 100, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const agents = q.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div>
      <PageHeader title="Agents" description="The people who take over conversations and decide approvals." actions={<CreateAgentDialog />} />
      <Card className="overflow-hidden">
        {q.isPending ? (
          <TableSkeleton />
        ) : q.isError ? (
          <QueryError error={q.error} retry={() => void q.refetch()} />
        ) : agents.length === 0 ? (
          <div className="p-8 text-center text-sm text-muted-foreground">No agents yet. Create the first one with “New agent”.</div>
        ) : (
          <>
            <Table aria-label="Agents">
              <TableHeader>
                <TableRow>
                  <TableHead>Name</TableHead>
                  <TableHead>Status</TableHead>
                  <TableHead className="hidden md:table-cell">Skills</TableHead>
                  <TableHead className="text-right">Open / capacity</TableHead>
                  <TableHead className="hidden lg:table-cell">Last seen</TableHead>
                  <TableHead className="text-right">
                    <span className="sr-only">Actions</span>
                  </TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {agents.map((a) => {
                  const inactive = a.accountStatus === "deactivated";
                  return (
                    <TableRow key={a.id} className={inactive ? "opacity-60" : undefined}>
                      <TableCell>
                        <div className="font-medium">{a.name}</div>
                        <div className="text-xs text-muted-foreground">{a.email}</div>
                      </TableCell>
                      <TableCell>
                        <div className="flex flex-wrap gap-1">
                          {inactive ? <StatusBadge value="deactivated" /> : <StatusBadge value={a.status} />}
                          {a.mustChangePassword && !inactive && <Badge variant="outline">first sign-in pending</Badge>}
                        </div>
                      </TableCell>
                      <TableCell className="hidden md:table-cell">
                        <div className="flex flex-wrap gap-1">
                          {a.skills.length === 0 ? <span className="text-muted-foreground">—</span> : a.skills.map((s) => <Badge key={s} variant="secondary">{s}</Badge>)}
                        </div>
                      </TableCell>
                      <TableCell className="text-right tabular-nums">
                        {a.openItems} / {a.capacity}
                      </TableCell>
                      <TableCell className="hidden text-muted-foreground lg:table-cell">{formatRelative(a.lastSeenAt)}</TableCell>
                      <TableCell className="text-right">
                        {!inactive && (
                          <div className="flex justify-end">
                            <EditAgentDialog agent={a} />
                            <ResetPasswordDialog agent={a} />
                            <DeactivateDialog agent={a} />
                          </div>
                        )}
                      </TableCell>
                    </TableRow>
                  );
                })}
              </TableBody>
            </Table>
            <LoadMore query={q} />
          </>
        )}
      </Card>
      <p className="mt-3 text-xs text-muted-foreground">Availability (online, busy, away, offline) is set by each agent in their own console.</p>
    </div>
  );
}
