import { zodResolver } from "@hookform/resolvers/zod";
import { useQueryClient, type InfiniteData } from "@tanstack/react-query";
import { Plus } from "lucide-react";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogFooter, DialogTrigger } from "@/components/ui/dialog";
import { Field, fieldProps } from "@/components/ui/field";
import { Input, Textarea } from "@/components/ui/input";
import { useToast } from "@/components/ui/toast";
import { api, type Page } from "@/lib/api";
import { applyApiErrors } from "@/lib/forms";
import type { ExampleView } from "@/lib/types";
import { LabelOptions } from "./LabelOptions";
import { EXAMPLES_KEY, exampleSchema, type ExampleInput, type ExampleValues } from "./schema";

const EXAMPLE_FIELDS = ["text", "label"] as const;
const EMPTY: ExampleInput = { text: "", label: "" };

/** The categories the company's examples already use, from the list on screen. */
export function useKnownLabels(): string[] {
  const data = useQueryClient().getQueryData<InfiniteData<Page<ExampleView>>>(EXAMPLES_KEY);
  return [...new Set(data?.pages.flatMap((p) => p.items.map((x) => x.label)) ?? [])].sort();
}

export function AddExampleDialog() {
  const [open, setOpen] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const toast = useToast();
  const known = useKnownLabels();
  const { register, handleSubmit, formState, setError, reset } = useForm<ExampleInput, unknown, ExampleValues>({
    resolver: zodResolver(exampleSchema),
    defaultValues: EMPTY,
  });
  const e = formState.errors;

  const onOpenChange = (next: boolean) => {
    setOpen(next);
    setFormError(null);
    if (next) reset(EMPTY);
  };

  const onSubmit = handleSubmit(async (values) => {
    setFormError(null);
    try {
      const created = await api.post<ExampleView>("/api/ai/classification/examples", values);
      void queryClient.invalidateQueries({ queryKey: EXAMPLES_KEY });
      toast(`Example added to “${created.label}”.`);
      setOpen(false);
    } catch (err) {
      setFormError(applyApiErrors(err, setError, EXAMPLE_FIELDS));
    }
  });

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button>
          <Plus aria-hidden /> Add example
        </Button>
      </DialogTrigger>
      <DialogContent title="Add an example" description="A message as a customer might write it, and the category it belongs to.">
        <form onSubmit={onSubmit} noValidate className="grid gap-4">
          {formError && <Alert kind="error">{formError}</Alert>}
          <Field id="example-text" label="Text" error={e.text?.message}>
            <Textarea {...fieldProps("example-text", e.text?.message)} rows={3} {...register("text")} />
          </Field>
          <Field
            id="example-label"
            label="Category"
            error={e.label?.message}
            hint="Pick a suggestion or type a new category: letters, digits, '-' and '_'."
          >
            <Input {...fieldProps("example-label", e.label?.message)} list="example-label-options" autoComplete="off" autoCapitalize="none" spellCheck={false} {...register("label")} />
          </Field>
          <LabelOptions id="example-label-options" extra={known} />
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button type="submit" loading={formState.isSubmitting}>
              Save example
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
