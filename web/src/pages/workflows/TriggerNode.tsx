import { Zap } from "lucide-react";
import { Alert } from "@/components/ui/alert";
import { Input } from "@/components/ui/input";
import { TRIGGER_LABELS, TRIGGER_TYPES, type FieldMessages, type TriggerDraft, type TriggerType } from "@/lib/workflowModel";
import { Select } from "../tools/controls";
import { StepField } from "./StepFields";

/** The first node of the flow: when the workflow starts. */
export function TriggerNode({ trigger, errors, onChange }: { trigger: TriggerDraft; errors: FieldMessages; onChange: (t: TriggerDraft, field: string) => void }) {
  const whole = errors.trigger;
  return (
    <section aria-labelledby="wf-trigger-title" className={`grid gap-3 rounded-xl border-2 bg-card p-4 text-card-foreground shadow-sm ${whole || errors["trigger.type"] ? "border-destructive/60" : "border-primary/40"}`}>
      <div className="flex items-center gap-2">
        <span aria-hidden className="flex size-6 items-center justify-center rounded-full bg-primary text-primary-foreground">
          <Zap className="size-3.5" />
        </span>
        <h3 id="wf-trigger-title" className="text-sm font-semibold">
          Trigger
        </h3>
      </div>
      {whole && <Alert kind="error">{whole}</Alert>}
      <StepField id="wf-trigger-type" label="Trigger type" error={errors["trigger.type"]}>
        <Select
          id="wf-trigger-type"
          aria-invalid={errors["trigger.type"] ? true : undefined}
          aria-describedby={errors["trigger.type"] ? "wf-trigger-type-error" : undefined}
          value={trigger.type}
          onChange={(e) => onChange({ ...trigger, type: e.target.value as TriggerType }, "trigger.type")}
        >
          {TRIGGER_TYPES.map((t) => (
            <option key={t} value={t}>
              {TRIGGER_LABELS[t]}
            </option>
          ))}
        </Select>
      </StepField>
      {trigger.type === "keyword" && (
        <ListField
          id="wf-keywords"
          label="Keywords"
          value={trigger.keywords}
          error={errors["trigger.keywords"]}
          hint="Comma-separated. A whole-word, case-insensitive match of any one in a customer message starts the workflow."
          placeholder="refund, money back"
          onChange={(v) => onChange({ ...trigger, keywords: v }, "trigger.keywords")}
        />
      )}
      {trigger.type === "category" && (
        <ListField
          id="wf-categories"
          label="Categories"
          value={trigger.categories}
          error={errors["trigger.categories"]}
          hint="Comma-separated categories the classifier assigns (see Classification), e.g. billing, returns."
          placeholder="billing, returns"
          onChange={(v) => onChange({ ...trigger, categories: v }, "trigger.categories")}
        />
      )}
      {trigger.type === "conversation_start" && <p className="text-sm text-muted-foreground">Runs once at the start of every new conversation.</p>}
    </section>
  );
}

function ListField({ id, label, value, error, hint, placeholder, onChange }: { id: string; label: string; value: string; error?: string; hint: string; placeholder: string; onChange: (v: string) => void }) {
  return (
    <StepField id={id} label={label} error={error} hint={hint}>
      <Input
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : `${id}-hint`}
        autoComplete="off"
        placeholder={placeholder}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </StepField>
  );
}
