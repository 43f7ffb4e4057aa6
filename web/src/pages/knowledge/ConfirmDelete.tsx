import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Trash2 } from "lucide-react";
import { useState, type ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogFooter, DialogTrigger } from "@/components/ui/dialog";
import { useToast } from "@/components/ui/toast";
import { api, ApiError, errorMessage } from "@/lib/api";

/**
 * An icon button that deletes one resource after a confirmation dialog, then refreshes its
 * list. Shared by the knowledge, FAQ and classification pages.
 */
export function ConfirmDelete({
  path,
  queryKey,
  buttonLabel,
  title,
  description,
  done,
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
  const [open, setOpen] = useState(false);
  const queryClient = useQueryClient();
  const toast = useToast();
  const remove = useMutation({
    mutationFn: async () => {
      try {
        await api.del<unknown>(path);
      } catch (e) {
        // Already deleted (in another tab, by another admin): the goal is reached.
        if (!(e instanceof ApiError && e.status === 404)) throw e;
      }
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey });
      toast(done);
      setOpen(false);
    },
  });
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        remove.reset();
      }}
    >
      <DialogTrigger asChild>
        <Button variant="ghost" size="icon" aria-label={buttonLabel} title="Delete">
          <Trash2 />
        </Button>
      </DialogTrigger>
      <DialogContent title={title} description={description}>
        {remove.isError && <Alert kind="error">{errorMessage(remove.error)}</Alert>}
        <DialogFooter>
          <Button variant="outline" onClick={() => setOpen(false)}>
            Cancel
          </Button>
          <Button variant="destructive" loading={remove.isPending} onClick={() => remove.mutate()}>
            Delete
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}

/** A long text cut for a button name or a dialog title. */
export function clip(s: string, max = 60): string {
  const t = s.trim().replace(/\s+/g, " ");
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}
