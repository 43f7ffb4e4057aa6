import { useMutation } from "@tanstack/react-query";
import { FlaskConical } from "lucide-react";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogFooter, DialogTrigger } from "@/components/ui/dialog";
import { fieldProps } from "@/components/ui/field";
import { Textarea } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { api, ApiError, errorMessage } from "@/lib/api";
import { exampleArguments, parseJsonObject, type JsonObject } from "@/lib/toolSchema";
import type { ToolView } from "@/lib/types";
import { FieldMessage } from "./controls";

/** POST /api/ai/tools/:id/test: a tool that ran and failed is still a 200, with `ok: false`. */
export interface ToolTestResult {
  ok: boolean;
  result?: unknown;
  error?: { code: string; message: string };
  durationMs: number;
}

function prefill(tool: ToolView) {
  return JSON.stringify(exampleArguments(tool.parameters), null, 2);
}

/** Runs a saved tool once with typed arguments: a real call (a webhook is reached), without approval. */
export function TestToolDialog({ tool }: { tool: ToolView }) {
  const [open, setOpen] = useState(false);
  const [args, setArgs] = useState(() => prefill(tool));
  const [argsError, setArgsError] = useState<string | null>(null);
  const run = useMutation({
    mutationFn: (body: JsonObject) => postTest(tool.id, body),
  });

  const onOpenChange = (next: boolean) => {
    setOpen(next);
    if (next) {
      setArgs(prefill(tool));
      setArgsError(null);
      run.reset();
    }
  };

  const onRun = () => {
    const parsed = parseJsonObject(args);
    if (!parsed.ok) {
      setArgsError(parsed.error);
      return;
    }
    setArgsError(null);
    run.mutate(parsed.value);
  };

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button variant="ghost" size="icon" aria-label={`Test ${tool.name}`} title="Test">
          <FlaskConical />
        </Button>
      </DialogTrigger>
      <DialogContent
        title={`Test ${tool.name}`}
        description={tool.type === "webhook" ? "This calls the webhook for real, with its stored headers." : "This runs the script in its sandbox."}
        className="max-w-2xl"
      >
        <form
          className="grid gap-4"
          noValidate
          onSubmit={(ev) => {
            ev.preventDefault();
            onRun();
          }}
        >
          <div className="grid gap-1.5">
            <Label htmlFor="tool-test-args">Arguments (JSON)</Label>
            <Textarea
              {...fieldProps("tool-test-args", argsError ?? undefined)}
              rows={8}
              spellCheck={false}
              className="font-mono text-xs"
              value={args}
              onChange={(ev) => setArgs(ev.target.value)}
            />
            <FieldMessage id="tool-test-args" error={argsError ?? undefined} />
          </div>
          <DialogFooter>
            <Button type="submit" loading={run.isPending}>
              Run test
            </Button>
          </DialogFooter>
        </form>
        <div aria-live="polite" className="grid gap-2">
          {run.isError && <TestFailure error={run.error} />}
          {run.data && <TestOutcome result={run.data} />}
        </div>
      </DialogContent>
    </Dialog>
  );
}

function postTest(id: string, args: JsonObject) {
  return api.post<ToolTestResult>(`/api/ai/tools/${encodeURIComponent(id)}/test`, { arguments: args });
}

function TestOutcome({ result }: { result: ToolTestResult }) {
  if (!result.ok) {
    return (
      <Alert kind="error" title={`Failed: ${result.error?.code ?? "error"} (${result.durationMs} ms)`}>
        {result.error?.message}
      </Alert>
    );
  }
  return (
    <div className="grid gap-2">
      <Alert kind="success" title={`Succeeded in ${result.durationMs} ms`} />
      <pre aria-label="Result" className="max-h-72 overflow-auto rounded-lg border bg-muted/50 p-3 font-mono text-xs">
        {typeof result.result === "string" ? result.result : JSON.stringify(result.result, null, 2)}
      </pre>
    </div>
  );
}

/** The call did not run: arguments the schema refused (each named) or another refusal. */
function TestFailure({ error }: { error: unknown }) {
  if (error instanceof ApiError && error.code === "validation_error" && error.fields.length) {
    return (
      <Alert kind="error" title="The arguments do not fit the tool's parameters">
        <ul className="list-disc pl-4">
          {error.fields.map((f) => (
            <li key={f.field + f.message}>
              <code className="font-mono">{f.field.replace(/^arguments\.?/, "") || "arguments"}</code> {f.message}
            </li>
          ))}
        </ul>
      </Alert>
    );
  }
  return (
    <Alert kind="error" title={error instanceof ApiError ? `Error: ${error.code}` : "Error"}>
      {errorMessage(error)}
    </Alert>
  );
}
