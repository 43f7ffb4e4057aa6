import { zodResolver } from "@hookform/resolvers/zod";
import { useQueryClient } from "@tanstack/react-query";
import { Pencil, Plus } from "lucide-react";
import { useState } from "react";
import { useForm, type Path } from "react-hook-form";
import { clip } from "@/components/ConfirmDialog";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogFooter, DialogTrigger } from "@/components/ui/dialog";
import { useToast } from "@/components/ui/toast";
import { api } from "@/lib/api";
import { applyApiErrors } from "@/lib/forms";
import type { FaqView } from "@/lib/types";
import { FaqFields } from "./FaqFields";
import { FAQS_KEY, faqBody, faqInput, faqSchema, toFormFields, type FaqInput, type FaqValues } from "./schema";

const FAQ_FIELDS = ["question", "answer", "variants", "category", "tags", "enabled"] as const;

/** Adds an FAQ, or edits `faq` when given. */
export function FaqDialog({ faq }: { faq?: FaqView }) {
  const [open, setOpen] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const toast = useToast();
  const { control, register, handleSubmit, formState, setError, reset, getValues } = useForm<FaqInput, unknown, FaqValues>({
    resolver: zodResolver(faqSchema),
    defaultValues: faqInput(faq),
  });

  const onOpenChange = (next: boolean) => {
    setOpen(next);
    setFormError(null);
    // Opening an edit starts from the FAQ as listed now, not from an abandoned edit.
    if (next) reset(faqInput(faq));
  };

  const onSubmit = handleSubmit(async (values) => {
    setFormError(null);
    try {
      const body = faqBody(values);
      if (faq) await api.put<FaqView>(`/api/ai/faqs/${encodeURIComponent(faq.id)}`, body);
      else await api.post<FaqView>("/api/ai/faqs", body);
      void queryClient.invalidateQueries({ queryKey: FAQS_KEY });
      toast(faq ? "FAQ saved." : "FAQ added.");
      setOpen(false);
    } catch (err) {
      // Each phrasing row first, so that `variants.2.value` is not taken for the list as a whole.
      const rows = getValues("variants").map((_, i) => `variants.${i}.value` as Path<FaqInput>);
      setFormError(applyApiErrors(toFormFields(err), setError, [...rows, ...FAQ_FIELDS]));
    }
  });

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        {faq ? (
          <Button variant="ghost" size="icon" aria-label={`Edit FAQ: ${clip(faq.question)}`} title="Edit">
            <Pencil />
          </Button>
        ) : (
          <Button>
            <Plus aria-hidden /> Add FAQ
          </Button>
        )}
      </DialogTrigger>
      <DialogContent
        title={faq ? "Edit FAQ" : "Add an FAQ"}
        description="A customer question that matches closely gets this answer directly."
        className="max-w-2xl"
      >
        <form onSubmit={onSubmit} noValidate className="grid gap-4">
          {formError && <Alert kind="error">{formError}</Alert>}
          <FaqFields control={control} register={register} errors={formState.errors} />
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button type="submit" loading={formState.isSubmitting}>
              Save FAQ
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
