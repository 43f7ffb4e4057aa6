import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { useNavigate } from "react-router-dom";
import { AuthLayout } from "@/components/AuthLayout";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, fieldProps } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { useToast } from "@/components/ui/toast";
import { api } from "@/lib/api";
import { applyApiErrors } from "@/lib/forms";
import { changePasswordSchema, type ChangePasswordInput } from "@/lib/schemas";
import { homeFor, updateSession, useSession } from "@/lib/session";
import type { UserView } from "@/lib/types";

export default function ChangePassword() {
  const session = useSession();
  const navigate = useNavigate();
  const toast = useToast();
  const [formError, setFormError] = useState<string | null>(null);
  const { register, handleSubmit, formState, setError } = useForm<ChangePasswordInput>({
    resolver: zodResolver(changePasswordSchema),
    defaultValues: { currentPassword: "", newPassword: "", confirmPassword: "" },
  });
  const e = formState.errors;
  const forced = session?.mustChangePassword ?? false;

  const onSubmit = handleSubmit(async ({ currentPassword, newPassword }) => {
    setFormError(null);
    try {
      await api.post("/api/auth/change-password", { currentPassword, newPassword });
      const me = await api.get<UserView>("/api/auth/me");
      updateSession({ user: me, mustChangePassword: me.mustChangePassword });
      toast("Password changed. Your other sessions were signed out.");
      navigate(homeFor(me.role), { replace: true });
    } catch (err) {
      setFormError(applyApiErrors(err, setError, ["currentPassword", "newPassword"]));
    }
  });

  return (
    <AuthLayout
      title={forced ? "Choose your password" : "Change password"}
      description={
        forced
          ? "You signed in with a temporary password. Choose your own to continue."
          : "Your other sessions are signed out when you change it."
      }
    >
      <form onSubmit={onSubmit} noValidate className="grid gap-4">
        {formError && <Alert kind="error">{formError}</Alert>}
        <Field id="currentPassword" label={forced ? "Temporary password" : "Current password"} error={e.currentPassword?.message}>
          <Input {...fieldProps("currentPassword", e.currentPassword?.message)} type="password" autoComplete="current-password" autoFocus {...register("currentPassword")} />
        </Field>
        <Field id="newPassword" label="New password" error={e.newPassword?.message} hint="8 to 128 characters.">
          <Input {...fieldProps("newPassword", e.newPassword?.message)} type="password" autoComplete="new-password" {...register("newPassword")} />
        </Field>
        <Field id="confirmPassword" label="Repeat the new password" error={e.confirmPassword?.message}>
          <Input {...fieldProps("confirmPassword", e.confirmPassword?.message)} type="password" autoComplete="new-password" {...register("confirmPassword")} />
        </Field>
        <div className="flex gap-2">
          {!forced && session && (
            <Button type="button" variant="outline" onClick={() => navigate(homeFor(session.user.role))}>
              Cancel
            </Button>
          )}
          <Button type="submit" loading={formState.isSubmitting} className="flex-1">
            Save password
          </Button>
        </div>
      </form>
    </AuthLayout>
  );
}
