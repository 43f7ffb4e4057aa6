import { Plus } from "lucide-react";
import { useEffect, useRef, useState, type DragEvent } from "react";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/label";
import type { ToolView } from "@/lib/types";
import {
  addStep,
  moveStep,
  newStep,
  removeStep,
  STEP_LABELS,
  STEP_TYPES,
  type PlacedErrors,
  type StepDraft,
  type StepType,
  type TriggerDraft,
} from "@/lib/workflowModel";
import { FieldMessage, Select } from "../tools/controls";
import { Connector, StepCard, type DragHandlers } from "./StepCard";
import { TriggerNode } from "./TriggerNode";

/** The API's limit (workflow.rs, MAX_WORKFLOW_STEPS). */
const MAX_STEPS = 50;

type FocusTarget = { key: string; on: "up" | "down" | "first" } | { id: string };

/**
 * The trigger and the steps as a vertical flow. Steps are reordered by dragging their handle
 * or, from the keyboard, with each card's Move up / Move down buttons; focus follows the
 * moved step and a live region says where it went.
 */
export function FlowEditor({
  trigger,
  steps,
  errors,
  tools,
  onTriggerChange,
  onStepsChange,
  onStepChange,
}: {
  trigger: TriggerDraft;
  steps: StepDraft[];
  errors: PlacedErrors;
  tools: ToolView[] | undefined;
  onTriggerChange: (t: TriggerDraft, field: string) => void;
  onStepsChange: (steps: StepDraft[]) => void;
  onStepChange: (step: StepDraft, field: string) => void;
}) {
  const [addType, setAddType] = useState<StepType>("message");
  const [drag, setDrag] = useState<{ from: number; over: number | null } | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const focusNext = useRef<FocusTarget | null>(null);

  // Reordering re-inserts the card's DOM node, which drops focus; put it back where it belongs.
  useEffect(() => {
    const target = focusNext.current;
    focusNext.current = null;
    if (!target) return;
    if ("id" in target) {
      document.getElementById(target.id)?.focus();
      return;
    }
    const card = document.getElementById(target.key);
    if (!card) return;
    if (target.on === "first") {
      (card.querySelector<HTMLElement>("textarea, input, select") ?? document.getElementById(`${target.key}-title`))?.focus();
      return;
    }
    const same = document.getElementById(`${target.key}-${target.on}`) as HTMLButtonElement | null;
    const other = document.getElementById(`${target.key}-${target.on === "up" ? "down" : "up"}`) as HTMLButtonElement | null;
    (same && !same.disabled ? same : other)?.focus();
  }, [steps]);

  const move = (from: number, to: number, focus?: "up" | "down") => {
    if (to < 0 || to >= steps.length || from === to) return;
    if (focus) focusNext.current = { key: steps[from].key, on: focus };
    onStepsChange(moveStep(steps, from, to));
    setAnnouncement(`Step ${from + 1} moved to position ${to + 1} of ${steps.length}.`);
  };

  const add = () => {
    const step = newStep(addType);
    focusNext.current = { key: step.key, on: "first" };
    onStepsChange(addStep(steps, step));
    setAnnouncement(`Added step ${steps.length + 1}: ${STEP_LABELS[addType]}.`);
  };

  const remove = (index: number) => {
    focusNext.current = { id: "wf-add-step" };
    onStepsChange(removeStep(steps, index));
    setAnnouncement(`Removed step ${index + 1}.`);
  };

  const handlers: DragHandlers = {
    onDragStart: (index, e: DragEvent) => {
      // Firefox starts a drag only when some data is set.
      e.dataTransfer?.setData("text/plain", String(index));
      if (e.dataTransfer) e.dataTransfer.effectAllowed = "move";
      const card = document.getElementById(steps[index].key);
      if (card && e.dataTransfer?.setDragImage) e.dataTransfer.setDragImage(card, 24, 24);
      setDrag({ from: index, over: null });
    },
    onDragOver: (index, e) => {
      // Only our own cards may be dropped here, not files or text from elsewhere.
      if (!drag) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = "move";
      if (drag.over !== index) setDrag({ ...drag, over: index });
    },
    onDrop: (index, e) => {
      if (!drag) return;
      e.preventDefault();
      move(drag.from, index);
      setDrag(null);
    },
    onDragEnd: () => setDrag(null),
  };

  return (
    <div className="grid">
      <h2 className="mb-2 text-xs font-semibold uppercase tracking-wide text-muted-foreground">Flow</h2>
      <TriggerNode trigger={trigger} errors={errors.fields} onChange={onTriggerChange} />
      {steps.length > 0 && (
        <ol aria-label="Steps" className="grid">
          {steps.map((step, i) => (
            <StepCard
              key={step.key}
              step={step}
              index={i}
              count={steps.length}
              errors={errors.steps[step.key] ?? {}}
              tools={tools}
              dragging={drag?.from === i}
              dropTarget={drag !== null && drag.over === i && drag.from !== i}
              drag={handlers}
              onChange={onStepChange}
              onMove={(dir) => move(i, dir === "up" ? i - 1 : i + 1, dir)}
              onRemove={() => remove(i)}
            />
          ))}
        </ol>
      )}
      <Connector />
      <div className="grid gap-3 rounded-xl border border-dashed bg-muted/30 p-4">
        {steps.length === 0 && <p className="text-sm text-muted-foreground">No steps yet: add the first one.</p>}
        <div className="flex flex-col gap-2 sm:flex-row sm:items-end">
          <div className="grid flex-1 gap-1.5">
            <Label htmlFor="wf-add-type">Step type</Label>
            <Select id="wf-add-type" value={addType} onChange={(e) => setAddType(e.target.value as StepType)}>
              {STEP_TYPES.map((t) => (
                <option key={t} value={t}>
                  {STEP_LABELS[t]}
                </option>
              ))}
            </Select>
          </div>
          <Button id="wf-add-step" type="button" variant="secondary" disabled={steps.length >= MAX_STEPS} onClick={add} aria-describedby={errors.fields.steps ? "wf-steps-error" : undefined}>
            <Plus aria-hidden /> Add step
          </Button>
        </div>
        <FieldMessage id="wf-steps" error={errors.fields.steps} />
      </div>
      <div aria-live="polite" className="sr-only">
        {announcement}
      </div>
    </div>
  );
}
