import { zodResolver } from "@hookform/resolvers/zod";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { PageHeader, QueryError } from "@/components/PageState";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { useToast } from "@/components/ui/toast";
import { api } from "@/lib/api";
import { formatDateTime } from "@/lib/format";
import { applyApiErrors } from "@/lib/forms";
import { useConfig } from "@/lib/hooks";
import type { ConfigView } from "@/lib/types";
import { AiFields } from "./aiconfig/AiFields";
import { AssistantFields, BrandingFields } from "./aiconfig/BrandFields";
import { CONFIG_FIELDS, configBody, configInput, configSchema, isHexColor, type ConfigInput, type ConfigValues } from "./aiconfig/schema";
import { aiSettings } from "./aiconfig/types";
import { WidgetPreview } from "./aiconfig/WidgetPreview";

function ConfigEditor({ config }: { config: ConfigView }) {
  // What the server last said: the baseline for "what changed" and for the hints.
  const [saved, setSaved] = useState(config);
  const [formError, setFormError] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const toast = useToast();
  const form = useForm<ConfigInput, unknown, ConfigValues>({
    resolver: zodResolver(configSchema),
    defaultValues: configInput(config),
  });
  const { formState, watch } = form;
  const ai = aiSettings(saved);
  const color = watch("brandingPrimaryColor");

  const onSubmit = form.handleSubmit(async (values) => {
    setFormError(null);
    const body = configBody(values, saved);
    if (Object.keys(body).length === 0) {
      toast("No changes to save.");
      return;
    }
    try {
      const next = await api.put<ConfigView>("/api/admin/config", body);
      setSaved(next);
      queryClient.setQueryData(["config"], next);
      void queryClient.invalidateQueries({ queryKey: ["audit-log"] });
      form.reset(configInput(next));
      // A new base URL on another site drops the stored key (config_outbound.rs); say so,
      // or the admin learns it only when the assistant stops answering.
      const dropped = ai.apiKeySet && !aiSettings(next).apiKeySet && body.ai?.apiKey !== null;
      toast(dropped ? "Configuration saved. The stored API key was removed because the base URL moved to another site." : "Configuration saved.");
    } catch (err) {
      setFormError(applyApiErrors(err, form.setError, CONFIG_FIELDS));
    }
  });

  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_minmax(0,24rem)] lg:items-start">
      <div className="grid gap-4">
        <AssistantFields form={form} />
        <BrandingFields form={form} savedColor={saved.brandingPrimaryColor} />
        <AiFields form={form} apiKeySet={ai.apiKeySet} savedBaseUrl={ai.baseUrl} />
      </div>
      <Card className="lg:sticky lg:top-4 lg:col-start-2 lg:row-span-2 lg:row-start-1">
        <CardHeader>
          <CardTitle>Widget preview</CardTitle>
          <CardDescription>A sketch of the chat on your site with these settings; it follows your typing before you save.</CardDescription>
        </CardHeader>
        <CardContent>
          {/* A picture of the values already in the form: nothing new for a screen reader. */}
          <div aria-hidden="true" className="rounded-lg border bg-muted/60 p-3 sm:p-4">
            <WidgetPreview
              agentName={watch("agentName")}
              brandingName={watch("brandingName")}
              brandingLogo={watch("brandingLogo")}
              color={isHexColor(color) ? color : saved.brandingPrimaryColor}
              greeting={watch("greetingMessage")}
            />
          </div>
        </CardContent>
      </Card>
      <div className="grid gap-3">
        {formError && <Alert kind="error">{formError}</Alert>}
        <div className="flex flex-col-reverse gap-2 sm:flex-row sm:items-center sm:justify-end">
          <p className="text-xs text-muted-foreground sm:mr-auto" aria-live="polite">
            {formState.isDirty ? "Unsaved changes." : `Last changed ${formatDateTime(saved.updatedAt)}.`}
          </p>
          <Button
            type="button"
            variant="outline"
            disabled={!formState.isDirty || formState.isSubmitting}
            onClick={() => {
              form.reset(configInput(saved));
              setFormError(null);
            }}
          >
            Discard changes
          </Button>
          <Button type="submit" loading={formState.isSubmitting}>
            Save configuration
          </Button>
        </div>
      </div>
    </form>
  );
}

export default function AiConfig() {
  const q = useConfig();
  return (
    <div>
      <PageHeader title="AI Configuration" description="How the assistant introduces itself, which model answers, and how the widget looks." />
      {/* Data first: a failed background refetch keeps the data and must not wipe the edits. */}
      {q.data ? (
        <ConfigEditor config={q.data} />
      ) : q.isError ? (
        <QueryError error={q.error} retry={() => void q.refetch()} />
      ) : (
        <div className="grid gap-4" aria-busy="true" aria-label="Loading">
          <Skeleton className="h-64 w-full" />
          <Skeleton className="h-48 w-full" />
        </div>
      )}
    </div>
  );
}
