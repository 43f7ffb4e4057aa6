// The assistant's and the brand's fields of the AI configuration form.
import type { FieldErrors, UseFormReturn } from "react-hook-form";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Field, fieldProps } from "@/components/ui/field";
import { Input, Textarea } from "@/components/ui/input";
import { isHexColor, type ConfigInput, type ConfigValues } from "./schema";

type Form = UseFormReturn<ConfigInput, unknown, ConfigValues>;

export function AssistantFields({ form }: { form: Form }) {
  const { register } = form;
  const e: FieldErrors<ConfigInput> = form.formState.errors;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Assistant</CardTitle>
        <CardDescription>How the assistant introduces itself and speaks to customers.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <Field id="cfg-agent-name" label="Agent name" error={e.agentName?.message} hint="Shown as the chat's title and above the assistant's messages.">
          <Input {...fieldProps("cfg-agent-name", e.agentName?.message)} autoComplete="off" maxLength={100} {...register("agentName")} />
        </Field>
        <Field
          id="cfg-persona"
          label="Persona"
          error={e.agentPersona?.message}
          hint="Instructions on tone and role, e.g. “Friendly and brief; you help with orders and returns.” Used with an OpenAI-compatible model."
        >
          <Textarea {...fieldProps("cfg-persona", e.agentPersona?.message)} rows={5} maxLength={4000} {...register("agentPersona")} />
        </Field>
        <Field id="cfg-greeting" label="Greeting" error={e.greetingMessage?.message} hint="The assistant's first message in every chat.">
          <Textarea {...fieldProps("cfg-greeting", e.greetingMessage?.message)} rows={2} maxLength={1000} {...register("greetingMessage")} />
        </Field>
      </CardContent>
    </Card>
  );
}

/** `savedColor`: what the picker shows while the hex text is not (yet) a colour. */
export function BrandingFields({ form, savedColor }: { form: Form; savedColor: string }) {
  const { register, setValue, watch } = form;
  const e: FieldErrors<ConfigInput> = form.formState.errors;
  const color = watch("brandingPrimaryColor");
  const colorError = e.brandingPrimaryColor?.message;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Branding</CardTitle>
        <CardDescription>How the chat widget looks on your site.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <Field id="cfg-branding-name" label="Branding name" error={e.brandingName?.message} hint="Your company or product, shown under the agent name.">
          <Input {...fieldProps("cfg-branding-name", e.brandingName?.message)} autoComplete="organization" maxLength={200} {...register("brandingName")} />
        </Field>
        <Field id="cfg-logo" label="Logo URL" error={e.brandingLogo?.message} hint="An https address of a square image. Empty: no logo.">
          <Input
            {...fieldProps("cfg-logo", e.brandingLogo?.message)}
            type="url"
            inputMode="url"
            autoComplete="url"
            placeholder="https://cdn.example.com/logo.png"
            {...register("brandingLogo")}
          />
        </Field>
        <Field id="cfg-color" label="Primary colour" error={colorError} hint="The launcher, header and the customer's messages. Written #rrggbb.">
          <div className="flex items-center gap-2">
            {/* A colour input only holds a valid colour, so half-typed text must not reach it. */}
            <input
              type="color"
              aria-label="Colour picker"
              className="h-9 w-12 shrink-0 cursor-pointer rounded-md border border-input bg-background p-1"
              value={(isHexColor(color) ? color : savedColor).trim().toLowerCase()}
              onChange={(ev) => setValue("brandingPrimaryColor", ev.target.value, { shouldDirty: true, shouldValidate: true })}
            />
            <Input
              {...fieldProps("cfg-color", colorError)}
              className="w-36 font-mono"
              autoComplete="off"
              spellCheck={false}
              placeholder="#2563eb"
              {...register("brandingPrimaryColor")}
            />
          </div>
        </Field>
      </CardContent>
    </Card>
  );
}
