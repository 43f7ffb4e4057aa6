import { zodResolver } from "@hookform/resolvers/zod";
import { useQueryClient } from "@tanstack/react-query";
import { Pencil, Plus } from "lucide-react";
import { useState } from "react";
import { Controller, useForm } from "react-hook-form";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogFooter, DialogTrigger } from "@/components/ui/dialog";
import { Field, fieldProps } from "@/components/ui/field";
import { Input, Textarea } from "@/components/ui/input";
import { useToast } from "@/components/ui/toast";
import { api } from "@/lib/api";
import type { ToolView } from "@/lib/types";
import { FunctionFields, WebhookFields } from "./ConfigFields";
import { SwitchField } from "./controls";
import { ParameterEditor } from "./ParameterEditor";
import { applyToolErrors, formToBody, toolFormSchema, toolToForm, type ToolFormValues } from "./toolForm";

export const TOOLS_KEY = ["tools"] as const;

/** Creates a tool (no `tool`) or edits one; the API checks the whole tool, script and schema included. */
export function ToolDialog({ tool }: { tool?: ToolView }) {
  const [open, setOpen] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const toast = useToast();
  const form = useForm<ToolFormValues>({ resolver: zodResolver(toolFormSchema), defaultValues: toolToForm(tool) });
  const { register, handleSubmit, formState, setError, reset, watch, control, getValues } = form;
  const e = formState.errors;
  const type = watch("type");

  const onOpenChange = (next: boolean) => {
    setOpen(next);
    setFormError(null);
    if (next) reset(toolToForm(tool));
  };

  const onSubmit = handleSubmit(async (values) => {
    setFormError(null);
    const body = formToBody(values);
    try {
      const saved = tool
        ? await api.put<ToolView>(`/api/ai/tools/${encodeURIComponent(tool.id)}`, body)
        : await api.post<ToolView>("/api/ai/tools", body);
      void queryClient.invalidateQueries({ queryKey: TOOLS_KEY });
      toast(tool ? `Saved ${saved.name}.` : `Created ${saved.name}.`);
      setOpen(false);
    } catch (err) {
      setFormError(applyToolErrors(err, setError, getValues()));
    }
  });

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        {tool ? (
          <Button variant="ghost" size="icon" aria-label={`Edit ${tool.name}`} title="Edit">
            <Pencil />
          </Button>
        ) : (
          <Button>
            <Plus aria-hidden /> New tool
          </Button>
        )}
      </DialogTrigger>
      <DialogContent title={tool ? `Edit ${tool.name}` : "New tool"} description="An action the AI may take while it answers." className="max-w-2xl">
        <form onSubmit={onSubmit} noValidate className="grid gap-4">
          {formError && <Alert kind="error">{formError}</Alert>}
          <Field id="tool-name" label="Name" error={e.name?.message} hint="The function name the AI calls: a-z, 0-9 and _.">
            <Input {...fieldProps("tool-name", e.name?.message)} autoComplete="off" spellCheck={false} className="font-mono" placeholder="refund_order" {...register("name")} />
          </Field>
          <Field id="tool-description" label="Description" error={e.description?.message} hint="Tells the AI what the tool does and when to use it.">
            <Textarea {...fieldProps("tool-description", e.description?.message)} rows={3} {...register("description")} />
          </Field>
          <fieldset className="grid gap-2">
            <legend className="mb-1.5 text-sm font-medium leading-none">Type</legend>
            <div className="flex flex-wrap gap-4">
              <label className="flex items-center gap-2 text-sm">
                <input type="radio" value="webhook" className="size-4 accent-primary" {...register("type")} /> Webhook
              </label>
              <label className="flex items-center gap-2 text-sm">
                <input type="radio" value="function" className="size-4 accent-primary" {...register("type")} /> Function
              </label>
            </div>
            {e.type?.message && <p role="alert" className="text-xs font-medium text-destructive">{e.type.message}</p>}
          </fieldset>
          {type === "webhook" ? <WebhookFields form={form} /> : <FunctionFields form={form} />}
          <ParameterEditor form={form} />
          <Controller
            control={control}
            name="requiresApproval"
            render={({ field }) => (
              <SwitchField id="tool-approval" label="Requires approval" hint="A person approves every call before it runs." checked={field.value} onChange={field.onChange} />
            )}
          />
          <Controller
            control={control}
            name="enabled"
            render={({ field }) => <SwitchField id="tool-enabled" label="Enabled" hint="A disabled tool is kept but never offered to the AI." checked={field.value} onChange={field.onChange} />}
          />
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>
              Cancel
            </Button>
            <Button type="submit" loading={formState.isSubmitting}>
              {tool ? "Save tool" : "Create tool"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
