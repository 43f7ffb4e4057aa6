import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import { AuthLayout } from "@/components/AuthLayout";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, fieldProps } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { request } from "@/lib/api";
import { applyApiErrors } from "@/lib/forms";
import { loginSchema, type LoginInput, type LoginValues } from "@/lib/schemas";
import { homeFor, lastCompanyId, setSession } from "@/lib/session";
import type { AuthResponse } from "@/lib/types";

/** Only paths of this app: never an open redirect. */
function safeNext(next: string | null): string | null {
  return next && next.startsWith("/") && !next.startsWith("//") ? next : null;
}

export default function Login() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [formError, setFormError] = useState<string | null>(null);
  const fromLink = params.get("company");
  const form = useForm<LoginInput, unknown, LoginValues>({
    resolver: zodResolver(loginSchema),
    defaultValues: {
      email: params.get("email") ?? "",
      password: "",
      companyId: fromLink ?? lastCompanyId(),
    },
  });
  const { register, handleSubmit, formState, setError } = form;
  const errors = formState.errors;

  const onSubmit = handleSubmit(async (values) => {
    setFormError(null);
    try {
      const auth = await request<AuthResponse>("/api/auth/login", { method: "POST", body: values, auth: false });
      setSession({
        token: auth.token,
        companyId: auth.companyId,
        user: auth.user,
        mustChangePassword: auth.mustChangePassword,
      });
      const next = safeNext(params.get("next"));
      navigate(auth.mustChangePassword ? "/change-password" : (next ?? homeFor(auth.user.role)), { replace: true });
    } catch (e) {
      setFormError(applyApiErrors(e, setError, ["email", "password", "companyId"]));
    }
  });

  return (
    <AuthLayout
      title="Sign in"
      description="Company admins and support agents sign in here."
      footer={
        <>
          New to Switchboard? <Link className="font-medium text-primary underline-offset-4 hover:underline" to="/register">Register your company</Link>
        </>
      }
    >
      <form onSubmit={onSubmit} noValidate className="grid gap-4">
        {formError && <Alert kind="error">{formError}</Alert>}
        <Field id="email" label="Email" error={errors.email?.message}>
          <Input {...fieldProps("email", errors.email?.message)} type="email" autoComplete="username" autoFocus {...register("email")} />
        </Field>
        <Field id="password" label="Password" error={errors.password?.message}>
          <Input {...fieldProps("password", errors.password?.message)} type="password" autoComplete="current-password" {...register("password")} />
        </Field>
        <Field
          id="companyId"
          label="Company ID (optional)"
          error={errors.companyId?.message}
          hint={
            fromLink
              ? "Filled in from your sign-in link."
              : "Needed only if your email has accounts in more than one company. It is in your sign-in link and remembered here."
          }
        >
          <Input {...fieldProps("companyId", errors.companyId?.message)} autoComplete="organization" spellCheck={false} className="font-mono text-xs" {...register("companyId")} />
        </Field>
        <Button type="submit" loading={formState.isSubmitting} className="w-full">
          Sign in
        </Button>
      </form>
    </AuthLayout>
  );
}
