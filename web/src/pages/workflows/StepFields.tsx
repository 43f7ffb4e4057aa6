import type { ReactNode } from "react";
import { fieldProps } from "@/components/ui/field";
import { Input, Textarea } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { exampleArguments, isJsonObject } from "@/lib/toolSchema";
import type { ToolView } from "@/lib/types";
import { PRIORITIES, type FieldMessages, type Priority, type StepDraft } from "@/lib/workflowModel";
import { FieldMessage, Select, SrOnly, SwitchField } from "../tools/controls";

/**
 * A label, its control and the API's message for it. Each step repeats the same labels, so
 * the step number is added for screen readers ("Message (step 2)").
 */
export function StepField({ id, label, n, error, hint, children }: { id: string; label: string; n?: number; error?: string; hint?: ReactNode; children: ReactNode }) {
  return (
    <div className="grid gap-1.5">
      <Label htmlFor={id}>
        {label}
        {n !== undefined && <> <SrOnly>(step {n})</SrOnly></>}
      </Label>
      {children}
      {hint && !error && (
        <p id={`${id}-hint`} className="text-xs text-muted-foreground">
          {hint}
        </p>
      )}
      <FieldMessage id={id} error={error} />
    </div>
  );
}

/** fieldProps, pointing at the hint while there is no error. */
function control(id: string, error?: string, hint = false) {
  return { ...fieldProps(id, error), "aria-describedby": error ? `${id}-error` : hint ? `${id}-hint` : undefined };
}

export function StepFields({
  step,
  n,
  errors,
  tools,
  onChange,
}: {
  step: StepDraft;
  n: number;
  errors: FieldMessages;
  tools: ToolView[] | undefined;
  onChange: (step: StepDraft, field: string) => void;
}) {
  const id = (f: string) => `${step.key}-${f}`;
  switch (step.type) {
    case "message":
      return (
        <StepField id={id("content")} label="Message" n={n} error={errors.content} hint="Sent to the customer. {{field}} inserts a detail an earlier step asked for.">
          <Textarea {...control(id("content"), errors.content, true)} rows={3} value={step.content} onChange={(e) => onChange({ ...step, content: e.target.value }, "content")} />
        </StepField>
      );
    case "ask":
      return (
        <div className="grid gap-3">
          <StepField id={id("prompt")} label="Question" n={n} error={errors.prompt} hint="Sent when the customer has not given the detail yet, and again until an answer matches.">
            <Textarea {...control(id("prompt"), errors.prompt, true)} rows={2} value={step.prompt} onChange={(e) => onChange({ ...step, prompt: e.target.value }, "prompt")} />
          </StepField>
          <div className="grid items-start gap-3 sm:grid-cols-2">
            <StepField id={id("field")} label="Field name" n={n} error={errors.field} hint={step.field.trim() ? `Later steps use it as {{${step.field.trim()}}}.` : "Letters, digits and _."}>
              <Input {...control(id("field"), errors.field, true)} className="font-mono" autoComplete="off" spellCheck={false} value={step.field} onChange={(e) => onChange({ ...step, field: e.target.value }, "field")} />
            </StepField>
            <StepField id={id("pattern")} label="Pattern" n={n} error={errors.pattern} hint="A regular expression the answer must contain, e.g. \d{6}.">
              <Input {...control(id("pattern"), errors.pattern, true)} className="font-mono" autoComplete="off" spellCheck={false} value={step.pattern} onChange={(e) => onChange({ ...step, pattern: e.target.value }, "pattern")} />
            </StepField>
          </div>
        </div>
      );
    case "tool":
      return <ToolStepFields step={step} n={n} errors={errors} tools={tools} onChange={onChange} />;
    case "set_priority":
      return (
        <StepField id={id("priority")} label="Priority" n={n} error={errors.priority}>
          <Select {...control(id("priority"), errors.priority)} className="sm:w-48" value={step.priority} onChange={(e) => onChange({ ...step, priority: e.target.value as Priority }, "priority")}>
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </Select>
        </StepField>
      );
    case "handoff":
      return (
        <StepField id={id("reason")} label="Reason" n={n} error={errors.reason} hint="Shown to the agent who takes over.">
          <Input {...control(id("reason"), errors.reason, true)} autoComplete="off" value={step.reason} onChange={(e) => onChange({ ...step, reason: e.target.value }, "reason")} />
        </StepField>
      );
    case "close":
      return <p className="text-sm text-muted-foreground">Ends the conversation; the customer is asked for feedback.</p>;
    case "unknown":
      return (
        <div className="grid gap-2">
          <p className="text-sm text-muted-foreground">The dashboard cannot edit this step; it is saved as it is.</p>
          <pre className="overflow-x-auto rounded-md border bg-muted/50 p-2 font-mono text-xs">{JSON.stringify(step.raw, null, 2)}</pre>
        </div>
      );
  }
}

function ToolStepFields({
  step,
  n,
  errors,
  tools,
  onChange,
}: {
  step: Extract<StepDraft, { type: "tool" }>;
  n: number;
  errors: FieldMessages;
  tools: ToolView[] | undefined;
  onChange: (step: StepDraft, field: string) => void;
}) {
  const id = (f: string) => `${step.key}-${f}`;
  const chosen = tools?.find((t) => t.name === step.tool);
  // Until the tools load (or when the tool is gone), the chosen name still needs an option to show.
  const unlisted = step.tool !== "" && !chosen;
  const pick = (name: string) => {
    const tool = tools?.find((t) => t.name === name);
    const untouched = step.arguments.trim() === "" || step.arguments.trim() === "{}";
    // Starting from the tool's parameters saves looking them up; typed arguments are kept.
    const args = tool && untouched && isJsonObject(tool.parameters) ? JSON.stringify(exampleArguments(tool.parameters), null, 2) : step.arguments;
    onChange({ ...step, tool: name, arguments: args }, "tool");
  };
  return (
    <div className="grid gap-3">
      <StepField id={id("tool")} label="Tool" n={n} error={errors.tool} hint={chosen?.requiresApproval ? "This tool always waits for a person's approval." : tools?.length === 0 ? "There are no tools yet: add one on the Tools page." : undefined}>
        <Select {...control(id("tool"), errors.tool, Boolean(chosen?.requiresApproval) || tools?.length === 0)} value={step.tool} onChange={(e) => pick(e.target.value)}>
          <option value="">Choose a tool…</option>
          {unlisted && (
            <option value={step.tool}>
              {step.tool}
              {tools ? " (not found)" : ""}
            </option>
          )}
          {tools?.map((t) => (
            <option key={t.id} value={t.name}>
              {t.name}
              {t.enabled ? "" : " (disabled)"}
            </option>
          ))}
        </Select>
      </StepField>
      <StepField id={id("arguments")} label="Arguments (JSON)" n={n} error={errors.arguments} hint="A JSON object; {{field}} in a string inserts a detail an earlier step asked for.">
        <Textarea {...control(id("arguments"), errors.arguments, true)} rows={4} spellCheck={false} className="font-mono text-xs" value={step.arguments} onChange={(e) => onChange({ ...step, arguments: e.target.value }, "arguments")} />
      </StepField>
      <SwitchField
        id={id("sensitive")}
        label={
          <>
            Sensitive <SrOnly>(step {n})</SrOnly>
          </>
        }
        hint="A person approves this call before it runs, even when the tool itself does not require approval."
        checked={step.sensitive}
        onChange={(on) => onChange({ ...step, sensitive: on }, "sensitive")}
      />
      {errors.sensitive && <FieldMessage id={id("sensitive")} error={errors.sensitive} />}
    </div>
  );
}
