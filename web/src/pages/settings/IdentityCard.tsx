// Identity verification: the site signs its user ids with the company's identity secret, and
// the company may refuse customers without a valid signature.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { YesNo } from "@/components/badges";
import { Alert } from "@/components/ui/alert";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { useToast } from "@/components/ui/toast";
import { api, errorMessage } from "@/lib/api";
import type { ConfigView } from "@/lib/types";
import { SwitchField } from "@/pages/tools/controls";
import type { ConfigUpdate } from "../aiconfig/types";
import { RotateSecretDialog } from "./RotateSecretDialog";
import { SIGNING_EXAMPLE } from "./snippet";

export function IdentityCard({ config }: { config: ConfigView }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const { identitySecretSet: secretSet, identityRequired: required } = config;
  const setRequired = useMutation({
    mutationFn: (on: boolean) => api.put<ConfigView>("/api/admin/config", { identityRequired: on } satisfies ConfigUpdate),
    onSuccess: (updated) => {
      queryClient.setQueryData(["config"], updated);
      void queryClient.invalidateQueries({ queryKey: ["audit-log"] });
      toast(updated.identityRequired ? "Verified identity is now required." : "Verified identity is now optional.");
    },
  });
  const shown = setRequired.isPending && setRequired.variables !== undefined ? setRequired.variables : required;

  return (
    <Card>
      <CardHeader>
        <CardTitle>Identity verification</CardTitle>
        <CardDescription>
          Your server signs the signed-in user's id, so a customer cannot pose as someone else by editing the page.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <dl className="grid gap-2 text-sm sm:grid-cols-2">
          <div className="flex items-center gap-2">
            <dt className="text-muted-foreground">Identity secret set</dt>
            <dd>
              <YesNo value={secretSet} />
            </dd>
          </div>
          <div className="flex items-center gap-2">
            <dt className="text-muted-foreground">Identity required</dt>
            <dd>
              <YesNo value={required} />
            </dd>
          </div>
        </dl>
        <SwitchField
          id="identity-required"
          label="Require verified identity"
          hint={
            secretSet
              ? "Customers without a valid signed user id are refused, anonymous chats included."
              : "Generate an identity secret first: without one nobody could sign, and every customer would be refused."
          }
          checked={shown}
          disabled={(!secretSet && !required) || setRequired.isPending}
          onChange={(on) => setRequired.mutate(on)}
        />
        {setRequired.isError && <Alert kind="error">{errorMessage(setRequired.error)}</Alert>}
        <div>
          <RotateSecretDialog secretSet={secretSet} required={required} />
        </div>
        {secretSet && (
          <details className="rounded-lg border bg-muted/30 p-3 text-sm">
            <summary className="cursor-pointer font-medium">How your server signs a user id</summary>
            <pre tabIndex={0} className="mt-2 overflow-x-auto text-xs focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring">
              <code>{SIGNING_EXAMPLE}</code>
            </pre>
          </details>
        )}
      </CardContent>
    </Card>
  );
}
