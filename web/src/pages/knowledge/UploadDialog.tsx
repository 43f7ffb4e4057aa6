import { zodResolver } from "@hookform/resolvers/zod";
import { useQueryClient } from "@tanstack/react-query";
import { Upload } from "lucide-react";
import { useRef, useState } from "react";
import { useForm } from "react-hook-form";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogFooter, DialogTrigger } from "@/components/ui/dialog";
import { Field, fieldProps } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { useToast } from "@/components/ui/toast";
import { ApiError } from "@/lib/api";
import { applyApiErrors } from "@/lib/forms";
import { formatBytes, isAbort, upload, type UploadProgress } from "@/lib/upload";
import { ProgressBar } from "./ProgressBar";
import { DEFAULT_UPLOAD_LIMIT_BYTES, UPLOAD_ACCEPT, uploadSchema, type UploadInput, type UploadValues } from "./schemas";
import { DOCUMENTS_KEY, type DocumentView } from "./types";

const UPLOAD_FIELDS = ["file", "title"] as const;

export function UploadDialog() {
  const [open, setOpen] = useState(false);
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);
  const queryClient = useQueryClient();
  const toast = useToast();
  const { register, handleSubmit, formState, setError, reset, watch } = useForm<UploadInput, unknown, UploadValues>({
    resolver: zodResolver(uploadSchema),
    defaultValues: { file: undefined, title: "" },
  });
  const e = formState.errors;
  const chosen = watch("file")?.[0];
  const uploading = formState.isSubmitting;

  const onOpenChange = (next: boolean) => {
    if (!next) abort.current?.abort();
    setOpen(next);
    setProgress(null);
    setFormError(null);
    reset();
  };

  const onSubmit = handleSubmit(async (values) => {
    setFormError(null);
    const body = new FormData();
    body.append("file", values.file, values.file.name);
    if (values.title) body.append("title", values.title);
    const controller = new AbortController();
    abort.current = controller;
    setProgress({ loaded: 0, total: values.file.size, fraction: 0 });
    try {
      const doc = await upload<DocumentView>("/api/ai/knowledge-base", body, { onProgress: setProgress, signal: controller.signal });
      void queryClient.invalidateQueries({ queryKey: DOCUMENTS_KEY });
      toast(`Uploaded “${doc.title}”; indexing has started.`);
      setOpen(false);
      reset();
      setProgress(null);
    } catch (err) {
      setProgress(null);
      if (isAbort(err)) return;
      if (err instanceof ApiError && err.code === "network_error" && values.file.size > DEFAULT_UPLOAD_LIMIT_BYTES) {
        // A server refusing an oversized body may close the connection before the browser sees the 413.
        setError("file", { type: "server", message: `The upload was cut off; the file (${formatBytes(values.file.size)}) may be larger than the server accepts.` });
        return;
      }
      setFormError(applyApiErrors(err, setError, UPLOAD_FIELDS));
    } finally {
      abort.current = null;
    }
  });

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button>
          <Upload aria-hidden /> Upload file
        </Button>
      </DialogTrigger>
      <DialogContent title="Upload a file" description="Text, markdown, HTML or PDF (with a text layer). It is indexed in the background.">
        <form onSubmit={onSubmit} noValidate className="grid gap-4">
          {formError && <Alert kind="error">{formError}</Alert>}
          <Field id="upload-file" label="File" error={e.file?.message} hint={`.txt, .md, .html or .pdf, up to ${formatBytes(DEFAULT_UPLOAD_LIMIT_BYTES)} unless your server allows more.`}>
            <Input
              {...fieldProps("upload-file", e.file?.message)}
              type="file"
              accept={UPLOAD_ACCEPT}
              disabled={uploading}
              className="h-auto py-1.5 file:mr-3 file:rounded file:border-0 file:bg-secondary file:px-2 file:py-1 file:text-sm file:text-secondary-foreground"
              {...register("file")}
            />
          </Field>
          {chosen && <p className="-mt-2 text-xs text-muted-foreground">{chosen.name} · {formatBytes(chosen.size)}</p>}
          <Field id="upload-title" label="Title (optional)" error={e.title?.message} hint="Defaults to the file name.">
            <Input {...fieldProps("upload-title", e.title?.message)} autoComplete="off" disabled={uploading} {...register("title")} />
          </Field>
          {progress && <ProgressBar label="Upload progress" progress={progress} />}
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>
              {uploading ? "Cancel upload" : "Cancel"}
            </Button>
            <Button type="submit" loading={uploading}>
              Upload
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
