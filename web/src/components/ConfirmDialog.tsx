import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Trash2 } from "lucide-react";
import { useState, type ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogFooter, DialogTrigger } from "@/components/ui/dialog";
import { useToast } from "@/components/ui/toast";
import { api, ApiError, errorMessage } from "@/lib/api";

/**
 * An icon button that runs one destructive action after a confirmation dialog, then refreshes
 * its list and says so. The dialog shows the action's error and stays open until it succeeds.
 */
export function ConfirmDialog({
  action,
  queryKey,
  icon,
  buttonLabel,
  buttonTitle,
  title,
  description,
  confirmLabel,
  done,
  onDone,
}: {
  /** The action, e.g. a DELETE; rejecting keeps the dialog open with the error. */
  action: () => Promise<unknown>;
  /** The list to refresh afterwards. */
  queryKey: readonly unknown[];
  /** The trigger's icon. */
  icon: ReactNode;
  /** The trigger's accessible name, naming the resource. */
  buttonLabel: string;
  /** The trigger's tooltip. */
  buttonTitle: string;
  title: string;
  description?: ReactNode;
  /** The confirm button's text. */
  confirmLabel: string;
  /** The toast afterwards. */
  done: string;
  /** Called after the toast, e.g. to leave a page whose resource is gone. */
  onDone?: () => void;
}) {
  const [open, setOpen] = useState(false);
  const queryClient = useQueryClient();
  const toast = useToast();
  const confirm = useMutation({
    mutationFn: action,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey });
      toast(done);
      setOpen(false);
      onDone?.();
    },
  });
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        confirm.reset();
      }}
    >
      <DialogTrigger asChild>
        <Button variant="ghost" size="icon" aria-label={buttonLabel} title={buttonTitle}>
          {icon}
        </Button>
      </DialogTrigger>
      <DialogContent title={title} description={description}>
        {confirm.isError && <Alert kind="error">{errorMessage(confirm.error)}</Alert>}
        <DialogFooter>
          <Button variant="outline" onClick={() => setOpen(false)}>
            Cancel
          </Button>
          <Button variant="destructive" loading={confirm.isPending} onClick={() => confirm.mutate()}>
            {confirmLabel}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}

/**
 * Deletes one resource after a confirmation dialog, then refreshes its list. Shared by the
 * knowledge, FAQ and classification pages.
 */
export function ConfirmDelete({
  path,
  ...props
}: {
  /** The resource's URL, e.g. /api/ai/faqs/<id>. */
  path: string;
  queryKey: readonly unknown[];
  /** The trigger's accessible name, naming the resource. */
  buttonLabel: string;
  title: string;
  description?: ReactNode;
  /** The toast after deleting. */
  done: string;
}) {
  const remove = async () => {
    try {
      await api.del<unknown>(path);
    } catch (e) {
      // Already deleted (in another tab, by another admin): the goal is reached.
      if (!(e instanceof ApiError && e.status === 404)) throw e;
    }
  };
  return <ConfirmDialog {...props} action={remove} icon={<Trash2 />} buttonTitle="Delete" confirmLabel="Delete" />;
}

/**
 * Deletes one named resource after a confirmation dialog ("Delete tool"). Unlike ConfirmDelete a
 * refusal (a tool that workflows call is a 409 naming them) or a 404 stays in the dialog, where
 * the person is looking. Shared by the tools and workflows pages.
 */
export function DeleteDialog({
  path,
  name,
  what,
  description,
  invalidate,
  onDeleted,
}: {
  path: string;
  name: string;
  /** "tool", "workflow": the confirm button says "Delete tool". */
  what: string;
  description: ReactNode;
  invalidate: readonly unknown[];
  onDeleted?: () => void;
}) {
  return (
    <ConfirmDialog
      action={() => api.del<unknown>(path)}
      queryKey={invalidate}
      icon={<Trash2 />}
      buttonLabel={`Delete ${name}`}
      buttonTitle="Delete"
      title={`Delete ${name}?`}
      description={description}
      confirmLabel={`Delete ${what}`}
      done={`Deleted ${name}.`}
      onDone={onDeleted}
    />
  );
}

/** A long text cut for a button name or a dialog title. */
export function clip(s: string, max = 60): string {
  const t = s.trim().replace(/\s+/g, " ");
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}
