import { ArrowDown, ArrowUp, GripVertical, Trash2 } from "lucide-react";
import type { DragEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { ToolView } from "@/lib/types";
import { cn } from "@/lib/utils";
import { STEP_LABELS, type FieldMessages, type StepDraft } from "@/lib/workflowModel";
import { StepFields } from "./StepFields";

export interface DragHandlers {
  onDragStart: (index: number, e: DragEvent) => void;
  onDragOver: (index: number, e: DragEvent) => void;
  onDrop: (index: number, e: DragEvent) => void;
  onDragEnd: () => void;
}

/** A connecting line between two nodes of the flow. */
export function Connector() {
  return <div aria-hidden className="mx-auto h-6 w-0.5 bg-border" />;
}

export function StepCard({
  step,
  index,
  count,
  errors,
  tools,
  dragging,
  dropTarget,
  drag,
  onChange,
  onMove,
  onRemove,
}: {
  step: StepDraft;
  index: number;
  count: number;
  errors: FieldMessages;
  tools: ToolView[] | undefined;
  dragging: boolean;
  dropTarget: boolean;
  drag: DragHandlers;
  onChange: (step: StepDraft, field: string) => void;
  onMove: (direction: "up" | "down") => void;
  onRemove: () => void;
}) {
  const n = index + 1;
  const label = step.type === "unknown" ? `“${step.raw.type}” step` : STEP_LABELS[step.type];
  // Problems with the step as a whole (its type, its shape) have no field to sit under.
  const stepLevel = [errors[""], errors.type].filter(Boolean);
  const invalid = Object.values(errors).some(Boolean);
  return (
    <li
      id={step.key}
      aria-labelledby={`${step.key}-title`}
      onDragOver={(e) => drag.onDragOver(index, e)}
      onDrop={(e) => drag.onDrop(index, e)}
    >
      <Connector />
      <div
        className={cn(
          "grid gap-3 rounded-xl border bg-card p-4 text-card-foreground shadow-sm transition-shadow",
          invalid && "border-destructive/60",
          dragging && "opacity-50",
          dropTarget && "ring-2 ring-primary ring-offset-2 ring-offset-background",
        )}
      >
        <div className="flex items-center gap-2">
          <span
            draggable
            onDragStart={(e) => drag.onDragStart(index, e)}
            onDragEnd={drag.onDragEnd}
            title="Drag to reorder"
            aria-hidden
            className="-ml-1 cursor-grab rounded p-1 text-muted-foreground hover:bg-accent active:cursor-grabbing"
          >
            <GripVertical className="size-4" />
          </span>
          <span aria-hidden className="flex size-6 shrink-0 items-center justify-center rounded-full bg-primary/15 text-xs font-semibold text-primary">
            {n}
          </span>
          <h3 id={`${step.key}-title`} tabIndex={-1} className="min-w-0 flex-1 truncate text-sm font-semibold focus:outline-none">
            <span className="sr-only">Step {n}:</span> {label}
          </h3>
          <div className="flex shrink-0">
            <Button id={`${step.key}-up`} type="button" variant="ghost" size="icon" aria-label={`Move up step ${n}`} title="Move up" disabled={index === 0} onClick={() => onMove("up")}>
              <ArrowUp />
            </Button>
            <Button id={`${step.key}-down`} type="button" variant="ghost" size="icon" aria-label={`Move down step ${n}`} title="Move down" disabled={index === count - 1} onClick={() => onMove("down")}>
              <ArrowDown />
            </Button>
            <Button type="button" variant="ghost" size="icon" aria-label={`Remove step ${n}`} title="Remove" onClick={onRemove}>
              <Trash2 />
            </Button>
          </div>
        </div>
        {stepLevel.length > 0 && <Alert kind="error">{stepLevel.join("; ")}</Alert>}
        <StepFields step={step} n={n} errors={errors} tools={tools} onChange={onChange} />
      </div>
    </li>
  );
}
