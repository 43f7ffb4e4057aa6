import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { Link, useNavigate } from "react-router-dom";
import { AuthLayout } from "@/components/AuthLayout";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, fieldProps } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { request } from "@/lib/api";
import { applyApiErrors } from "@/lib/forms";
import { registerBody, registerSchema, type RegisterInput, type RegisterValues } from "@/lib/schemas";
import { setSession } from "@/lib/session";
import type { AuthResponse } from "@/lib/types";

const FIELDS = ["companyName", "companyEmail", "adminName", "adminEmail", "adminPassword"] as const;

export default function Register() {
  const navigate = useNavigate();
  const [formError, setFormError] = useState<string | null>(null);
  const { register, handleSubmit, formState, setError } = useForm<RegisterInput, unknown, RegisterValues>({
    resolver: zodResolver(registerSchema),
    defaultValues: { companyName: "", companyEmail: "", adminName: "", adminEmail: "", adminPassword: "", confirmPassword: "" },
  });
  const e = formState.errors;

  const onSubmit = handleSubmit(async (values) => {
    setFormError(null);
    try {
      const auth = await request<AuthResponse>("/api/auth/register", { method: "POST", body: registerBody(values), auth: false });
      setSession({ token: auth.token, companyId: auth.companyId, user: auth.user, mustChangePassword: auth.mustChangePassword });
      navigate("/", { replace: true });
    } catch (err) {
      setFormError(applyApiErrors(err, setError, FIELDS));
    }
  });

  return (
    <AuthLayout
      title="Register your company"
      description="Creates the company and its first administrator (you)."
      footer={
        <>
          Already registered? <Link className="font-medium text-primary underline-offset-4 hover:underline" to="/login">Sign in</Link>
        </>
      }
    >
      <form onSubmit={onSubmit} noValidate className="grid gap-4">
        {formError && <Alert kind="error">{formError}</Alert>}
        <fieldset className="grid gap-4">
          <legend className="mb-2 text-xs font-semibold uppercase tracking-wide text-muted-foreground">Company</legend>
          <Field id="companyName" label="Company name" error={e.companyName?.message}>
            <Input {...fieldProps("companyName", e.companyName?.message)} autoComplete="organization" autoFocus {...register("companyName")} />
          </Field>
          <Field id="companyEmail" label="Company email" error={e.companyEmail?.message}>
            <Input {...fieldProps("companyEmail", e.companyEmail?.message)} type="email" autoComplete="email" {...register("companyEmail")} />
          </Field>
        </fieldset>
        <fieldset className="grid gap-4">
          <legend className="mb-2 text-xs font-semibold uppercase tracking-wide text-muted-foreground">Administrator</legend>
          <Field id="adminName" label="Your name" error={e.adminName?.message}>
            <Input {...fieldProps("adminName", e.adminName?.message)} autoComplete="name" {...register("adminName")} />
          </Field>
          <Field id="adminEmail" label="Your email" error={e.adminEmail?.message}>
            <Input {...fieldProps("adminEmail", e.adminEmail?.message)} type="email" autoComplete="username" {...register("adminEmail")} />
          </Field>
          <Field id="adminPassword" label="Password" error={e.adminPassword?.message} hint="8 to 128 characters.">
            <Input {...fieldProps("adminPassword", e.adminPassword?.message)} type="password" autoComplete="new-password" {...register("adminPassword")} />
          </Field>
          <Field id="confirmPassword" label="Repeat the password" error={e.confirmPassword?.message}>
            <Input {...fieldProps("confirmPassword", e.confirmPassword?.message)} type="password" autoComplete="new-password" {...register("confirmPassword")} />
          </Field>
        </fieldset>
        <Button type="submit" loading={formState.isSubmitting} className="w-full">
          Create company
        </Button>
      </form>
    </AuthLayout>
  );
}
