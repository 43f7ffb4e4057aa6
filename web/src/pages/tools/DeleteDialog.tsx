import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Trash2 } from "lucide-react";
import { useState, type ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogFooter, DialogTrigger } from "@/components/ui/dialog";
import { useToast } from "@/components/ui/toast";
import { api, errorMessage } from "@/lib/api";

/**
 * Confirms and deletes one resource. A refusal (a tool that workflows call is a 409 naming
 * them) stays in the dialog, where the person is looking.
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
  const [open, setOpen] = useState(false);
  const queryClient = useQueryClient();
  const toast = useToast();
  const del = useMutation({
    mutationFn: () => api.del<unknown>(path),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: invalidate });
      toast(`Deleted ${name}.`);
      setOpen(false);
      onDeleted?.();
    },
  });
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        del.reset();
      }}
    >
      <DialogTrigger asChild>
        <Button variant="ghost" size="icon" aria-label={`Delete ${name}`} title="Delete">
          <Trash2 />
        </Button>
      </DialogTrigger>
      <DialogContent title={`Delete ${name}?`} description={description}>
        {del.isError && <Alert kind="error">{errorMessage(del.error)}</Alert>}
        <DialogFooter>
          <Button variant="outline" onClick={() => setOpen(false)}>
            Cancel
          </Button>
          <Button variant="destructive" loading={del.isPending} onClick={() => del.mutate()}>
            Delete {what}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
