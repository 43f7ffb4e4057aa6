// Generates a new identity secret (POST /api/admin/config/identity-secret) after a
// confirmation, and shows it once: the server keeps it encrypted and never returns it again.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { RefreshCw } from "lucide-react";
import { useState } from "react";
import { CopyButton } from "@/components/CopyButton";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogFooter, DialogTrigger } from "@/components/ui/dialog";
import { api, errorMessage } from "@/lib/api";
import type { ConfigView } from "@/lib/types";
import type { IdentitySecretView } from "../aiconfig/types";

export function RotateSecretDialog({ secretSet, required }: { secretSet: boolean; required: boolean }) {
  const [open, setOpen] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const rotate = useMutation({
    mutationFn: () => api.post<IdentitySecretView>("/api/admin/config/identity-secret"),
    onSuccess: (r) => {
      setSecret(r.identitySecret);
      queryClient.setQueryData<ConfigView>(["config"], (c) => (c ? { ...c, identitySecretSet: true } : c));
      void queryClient.invalidateQueries({ queryKey: ["config"] });
      void queryClient.invalidateQueries({ queryKey: ["audit-log"] });
    },
  });

  const onOpenChange = (next: boolean) => {
    setOpen(next);
    if (!next) {
      // The secret is gone once the dialog closes.
      setSecret(null);
      rotate.reset();
    }
  };

  const confirmText = !secretSet
    ? "Your server will sign user ids with it. It is shown only once, so have somewhere safe to keep it."
    : required
      ? "The current secret stops working at once. Identity is required, so every customer is refused until your server signs with the new secret."
      : "The current secret stops working at once: user ids your site signed with it are refused until your server signs with the new one.";

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button variant={secretSet ? "outline" : "default"}>
          <RefreshCw aria-hidden /> Rotate identity secret
        </Button>
      </DialogTrigger>
      <DialogContent
        title={secret ? "New identity secret" : secretSet ? "Rotate the identity secret?" : "Generate an identity secret?"}
        description={secret ? undefined : confirmText}
        onInteractOutside={(ev) => secret && ev.preventDefault()}
      >
        {secret ? (
          <>
            <Alert kind="info" title="Shown only this once">
              Store it on your server (for example in an environment variable) and use these 64 characters as the HMAC key as they are. Never put it in a web page.
            </Alert>
            <code className="block select-all break-all rounded-lg border bg-muted/40 p-3 font-mono text-sm" data-testid="identity-secret">
              {secret}
            </code>
            <CopyButton text={secret} label="Copy secret" />
            <DialogFooter>
              <Button onClick={() => onOpenChange(false)}>Done</Button>
            </DialogFooter>
          </>
        ) : (
          <>
            {rotate.isError && <Alert kind="error">{errorMessage(rotate.error)}</Alert>}
            <DialogFooter>
              <Button variant="outline" onClick={() => onOpenChange(false)}>
                Cancel
              </Button>
              <Button variant={secretSet ? "destructive" : "default"} loading={rotate.isPending} onClick={() => rotate.mutate()}>
                {secretSet ? "Rotate secret" : "Generate secret"}
              </Button>
            </DialogFooter>
          </>
        )}
      </DialogContent>
    </Dialog>
  );
}
