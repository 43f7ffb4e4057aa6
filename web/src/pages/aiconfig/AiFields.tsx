// The AI settings of the configuration form: which model answers, and the score cut-offs.
import type { FieldErrors, UseFormReturn } from "react-hook-form";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Field, fieldProps } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/pages/tools/controls";
import type { ConfigInput, ConfigValues } from "./schema";
import { DEFAULT_ANSWER_THRESHOLD, DEFAULT_FAQ_THRESHOLD, DEFAULT_MODEL } from "./types";

type Form = UseFormReturn<ConfigInput, unknown, ConfigValues>;

export function AiFields({ form, apiKeySet, savedBaseUrl }: { form: Form; apiKeySet: boolean; savedBaseUrl: string | null }) {
  const { register, watch } = form;
  const e: FieldErrors<ConfigInput>["ai"] = form.formState.errors.ai;
  const provider = watch("ai.provider");
  const clearKey = watch("ai.clearApiKey");
  const baseUrl = watch("ai.baseUrl").trim();
  const apiKey = watch("ai.apiKey").trim();
  // The server drops a stored key when the URL moves to another site, so that a key meant
  // for one provider is never sent to another (config_outbound.rs).
  const keyWillDrop = apiKeySet && !clearKey && apiKey === "" && baseUrl !== "" && origin(baseUrl) !== origin(savedBaseUrl ?? "");

  return (
    <Card>
      <CardHeader>
        <CardTitle>AI model</CardTitle>
        <CardDescription>Which model writes the answers, and how sure a match must be before it is used.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <Field id="cfg-provider" label="Provider" error={e?.provider?.message}>
          <Select {...fieldProps("cfg-provider", e?.provider?.message)} {...register("ai.provider")}>
            <option value="builtin">Built-in (the server's own models; the default)</option>
            <option value="openai">OpenAI-compatible API</option>
          </Select>
        </Field>
        {provider === "openai" && (
          <>
            <Field id="cfg-base-url" label="Base URL" error={e?.baseUrl?.message} hint="Of any OpenAI-compatible API, e.g. https://api.openai.com/v1.">
              <Input
                {...fieldProps("cfg-base-url", e?.baseUrl?.message)}
                type="url"
                inputMode="url"
                autoComplete="off"
                placeholder="https://api.openai.com/v1"
                {...register("ai.baseUrl")}
              />
            </Field>
            <Field id="cfg-model" label="Model" error={e?.model?.message} hint={`Empty: ${DEFAULT_MODEL}.`}>
              <Input {...fieldProps("cfg-model", e?.model?.message)} autoComplete="off" placeholder={DEFAULT_MODEL} maxLength={200} {...register("ai.model")} />
            </Field>
            <Field
              id="cfg-api-key"
              label="API key"
              error={e?.apiKey?.message}
              hint={
                keyWillDrop
                  ? "The base URL now points at another site: the stored key will be removed unless you enter one here."
                  : apiKeySet
                    ? "A key is stored (it is never shown). Leave empty to keep it; type a new one to replace it."
                    : "No key stored. Stored encrypted and never shown again."
              }
            >
              <Input
                {...fieldProps("cfg-api-key", e?.apiKey?.message)}
                type="password"
                // Keeps password managers from filling in the admin's own sign-in password.
                autoComplete="new-password"
                spellCheck={false}
                disabled={clearKey}
                placeholder={apiKeySet ? "•••••••• (stored)" : undefined}
                {...register("ai.apiKey")}
              />
            </Field>
            {apiKeySet && (
              <label className="flex items-center gap-2 text-sm">
                <input type="checkbox" className="size-4 accent-primary" {...register("ai.clearApiKey")} />
                Remove the stored API key
              </label>
            )}
          </>
        )}
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            id="cfg-faq-threshold"
            label="FAQ match threshold"
            error={e?.faqThreshold?.message}
            hint={`0 to 1; how close a question must be to a curated FAQ for its answer to be used. Empty: ${DEFAULT_FAQ_THRESHOLD}.`}
          >
            <Input
              {...fieldProps("cfg-faq-threshold", e?.faqThreshold?.message)}
              type="number"
              inputMode="decimal"
              min={0}
              max={1}
              step={0.01}
              placeholder={String(DEFAULT_FAQ_THRESHOLD)}
              {...register("ai.faqThreshold")}
            />
          </Field>
          <Field
            id="cfg-answer-threshold"
            label="Answer threshold"
            error={e?.answerThreshold?.message}
            hint={`0 to 1; how relevant a knowledge-base passage must be to answer from. Empty: ${DEFAULT_ANSWER_THRESHOLD}.`}
          >
            <Input
              {...fieldProps("cfg-answer-threshold", e?.answerThreshold?.message)}
              type="number"
              inputMode="decimal"
              min={0}
              max={1}
              step={0.01}
              placeholder={String(DEFAULT_ANSWER_THRESHOLD)}
              {...register("ai.answerThreshold")}
            />
          </Field>
        </div>
      </CardContent>
    </Card>
  );
}

function origin(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}
