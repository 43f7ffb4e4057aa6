import { zodResolver } from "@hookform/resolvers/zod";
import { useQueryClient } from "@tanstack/react-query";
import { ClipboardPaste } from "lucide-react";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogFooter, DialogTrigger } from "@/components/ui/dialog";
import { Field, fieldProps } from "@/components/ui/field";
import { Input, Textarea } from "@/components/ui/input";
import { useToast } from "@/components/ui/toast";
import { api } from "@/lib/api";
import { applyApiErrors } from "@/lib/forms";
import { pasteSchema, type PasteInput, type PasteValues } from "./schemas";
import { DOCUMENTS_KEY, type DocumentView } from "./types";

const PASTE_FIELDS = ["title", "format", "content"] as const;
const EMPTY: PasteInput = { title: "", format: "text", content: "" };

export function PasteDialog() {
  const [open, setOpen] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const toast = useToast();
  const { register, handleSubmit, formState, setError, reset } = useForm<PasteInput, unknown, PasteValues>({
    resolver: zodResolver(pasteSchema),
    defaultValues: EMPTY,
  });
  const e = formState.errors;

  const onOpenChange = (next: boolean) => {
    setOpen(next);
    setFormError(null);
    if (!next) reset(EMPTY);
  };

  const onSubmit = handleSubmit(async (values) => {
    setFormError(null);
    try {
      const doc = await api.post<DocumentView>("/api/ai/knowledge-base", values);
      void queryClient.invalidateQueries({ queryKey: DOCUMENTS_KEY });
      toast(`Added “${doc.title}”; indexing has started.`);
      onOpenChange(false);
    } catch (err) {
      setFormError(applyApiErrors(err, setError, PASTE_FIELDS));
    }
  });

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button variant="outline">
          <ClipboardPaste aria-hidden /> Paste text
        </Button>
      </DialogTrigger>
      <DialogContent title="Paste text" description="Add a document by pasting its text. It is indexed in the background." className="max-w-2xl">
        <form onSubmit={onSubmit} noValidate className="grid gap-4">
          {formError && <Alert kind="error">{formError}</Alert>}
          <Field id="paste-title" label="Title" error={e.title?.message}>
            <Input {...fieldProps("paste-title", e.title?.message)} autoComplete="off" {...register("title")} />
          </Field>
          <Field id="paste-format" label="Format" error={e.format?.message} hint="Markup in markdown and HTML is removed before indexing.">
            <select
              {...fieldProps("paste-format", e.format?.message)}
              className="h-9 w-full rounded-md border border-input bg-background px-2 text-sm sm:w-48"
              {...register("format")}
            >
              <option value="text">Plain text</option>
              <option value="markdown">Markdown</option>
              <option value="html">HTML</option>
            </select>
          </Field>
          <Field id="paste-content" label="Content" error={e.content?.message}>
            <Textarea {...fieldProps("paste-content", e.content?.message)} rows={10} className="font-mono text-xs" {...register("content")} />
          </Field>
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>
              Cancel
            </Button>
            <Button type="submit" loading={formState.isSubmitting}>
              Add document
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
