// The workflow builder's state, kept out of React so that its rules (ordering, the API body,
// where an API error belongs) can be tested alone. Shapes follow api.md, "Workflow and tool
// formats", and crates/domain/src/workflow.rs, which names every problem `steps[i].field`.
import type { FieldError } from "./api";
import { isJsonObject, parseJsonObject } from "./toolSchema";

export const STEP_TYPES = ["message", "ask", "tool", "set_priority", "handoff", "close"] as const;
export type StepType = (typeof STEP_TYPES)[number];

export const STEP_LABELS: Record<StepType, string> = {
  message: "Send a message",
  ask: "Ask for a detail",
  tool: "Call a tool",
  set_priority: "Set the priority",
  handoff: "Hand off to a person",
  close: "Close the conversation",
};

export const TRIGGER_TYPES = ["keyword", "category", "conversation_start"] as const;
export type TriggerType = (typeof TRIGGER_TYPES)[number];

export const TRIGGER_LABELS: Record<TriggerType, string> = {
  keyword: "A keyword in a customer message",
  category: "The request's category",
  conversation_start: "Every new conversation",
};

export const PRIORITIES = ["low", "medium", "high", "critical"] as const;
export type Priority = (typeof PRIORITIES)[number];

// ---- The API's shapes ----

export type ApiTrigger =
  | { type: "keyword"; keywords: string[] }
  | { type: "category"; categories: string[] }
  | { type: "conversation_start" };

export type ApiStep =
  | { type: "message"; content: string }
  | { type: "ask"; field: string; prompt: string; pattern: string }
  | { type: "tool"; tool: string; arguments: Record<string, unknown>; sensitive?: boolean }
  | { type: "set_priority"; priority: Priority }
  | { type: "handoff"; reason: string }
  | { type: "close" };

/** A step of a type this dashboard does not know, sent back as it came. */
export type UnknownApiStep = { type: string } & Record<string, unknown>;

export interface WorkflowBody {
  name: string;
  description: string;
  trigger: ApiTrigger;
  steps: (ApiStep | UnknownApiStep)[];
  enabled: boolean;
}

export interface WorkflowResource extends WorkflowBody {
  id: string;
  createdAt: string;
  updatedAt: string;
}

// ---- The builder's draft ----

/** Text fields stay text while edited (a half-typed JSON argument is not JSON yet). */
export type StepDraft =
  | { key: string; type: "message"; content: string }
  | { key: string; type: "ask"; field: string; prompt: string; pattern: string }
  | { key: string; type: "tool"; tool: string; arguments: string; sensitive: boolean }
  | { key: string; type: "set_priority"; priority: Priority }
  | { key: string; type: "handoff"; reason: string }
  | { key: string; type: "close" }
  | { key: string; type: "unknown"; raw: UnknownApiStep };

export interface TriggerDraft {
  type: TriggerType;
  /** Comma-separated; both lists are kept so that switching the type back loses nothing. */
  keywords: string;
  categories: string;
}

export interface WorkflowDraft {
  name: string;
  description: string;
  enabled: boolean;
  trigger: TriggerDraft;
  steps: StepDraft[];
}

let lastKey = 0;
/** A key that follows a step through moves, so React state and errors stay with it. */
export function newKey(): string {
  lastKey += 1;
  return `step-${lastKey}`;
}

export function emptyDraft(): WorkflowDraft {
  return { name: "", description: "", enabled: true, trigger: { type: "keyword", keywords: "", categories: "" }, steps: [] };
}

export function newStep(type: StepType, key: string = newKey()): StepDraft {
  switch (type) {
    case "message":
      return { key, type, content: "" };
    case "ask":
      return { key, type, field: "", prompt: "", pattern: "" };
    case "tool":
      return { key, type, tool: "", arguments: "{}", sensitive: false };
    case "set_priority":
      return { key, type, priority: "high" };
    case "handoff":
      return { key, type, reason: "" };
    case "close":
      return { key, type };
  }
}

// ---- Editing the list of steps (each returns a new array) ----

export function addStep(steps: readonly StepDraft[], step: StepDraft, at: number = steps.length): StepDraft[] {
  const i = Math.max(0, Math.min(at, steps.length));
  return [...steps.slice(0, i), step, ...steps.slice(i)];
}

export function removeStep(steps: readonly StepDraft[], index: number): StepDraft[] {
  if (index < 0 || index >= steps.length) return [...steps];
  return steps.filter((_, i) => i !== index);
}

/** Moves the step at `from` so that it ends up at index `to` (clamped to the list). */
export function moveStep(steps: readonly StepDraft[], from: number, to: number): StepDraft[] {
  if (from < 0 || from >= steps.length) return [...steps];
  const target = Math.max(0, Math.min(to, steps.length - 1));
  if (target === from) return [...steps];
  const rest = steps.filter((_, i) => i !== from);
  return [...rest.slice(0, target), steps[from], ...rest.slice(target)];
}

export function replaceStep(steps: readonly StepDraft[], step: StepDraft): StepDraft[] {
  return steps.map((s) => (s.key === step.key ? step : s));
}

// ---- To and from the API ----

/** One list typed on one line: comma- or newline-separated, trimmed, empties dropped. */
export function splitList(text: string): string[] {
  return text.split(/[,\n]/).map((s) => s.trim()).filter((s) => s !== "");
}

export function triggerToApi(t: TriggerDraft): ApiTrigger {
  if (t.type === "keyword") return { type: "keyword", keywords: splitList(t.keywords) };
  if (t.type === "category") return { type: "category", categories: splitList(t.categories) };
  return { type: "conversation_start" };
}

export function stepToApi(s: StepDraft): ApiStep | UnknownApiStep {
  switch (s.type) {
    case "message":
      return { type: "message", content: s.content };
    case "ask":
      return { type: "ask", field: s.field.trim(), prompt: s.prompt, pattern: s.pattern };
    case "tool": {
      const args = parseJsonObject(s.arguments.trim() || "{}");
      const step: ApiStep = { type: "tool", tool: s.tool, arguments: args.ok ? args.value : {} };
      // Left out when false, as the API writes it.
      return s.sensitive ? { ...step, sensitive: true } : step;
    }
    case "set_priority":
      return { type: "set_priority", priority: s.priority };
    case "handoff":
      return { type: "handoff", reason: s.reason };
    case "close":
      return { type: "close" };
    case "unknown":
      return s.raw;
  }
}

/** The request body for POST/PUT; run validateDraft first (a bad arguments text becomes `{}`). */
export function toBody(d: WorkflowDraft): WorkflowBody {
  return {
    name: d.name.trim(),
    description: d.description.trim(),
    trigger: triggerToApi(d.trigger),
    steps: d.steps.map(stepToApi),
    enabled: d.enabled,
  };
}

function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}

function strList(v: unknown): string {
  return Array.isArray(v) ? v.filter((x) => typeof x === "string").join(", ") : "";
}

export function stepFromApi(raw: unknown, key: string = newKey()): StepDraft {
  const s = isJsonObject(raw) ? raw : {};
  switch (s.type) {
    case "message":
      return { key, type: "message", content: str(s.content) };
    case "ask":
      return { key, type: "ask", field: str(s.field), prompt: str(s.prompt), pattern: str(s.pattern) };
    case "tool":
      return { key, type: "tool", tool: str(s.tool), arguments: JSON.stringify(isJsonObject(s.arguments) ? s.arguments : {}, null, 2), sensitive: s.sensitive === true };
    case "set_priority":
      return { key, type: "set_priority", priority: PRIORITIES.includes(s.priority as Priority) ? (s.priority as Priority) : "medium" };
    case "handoff":
      return { key, type: "handoff", reason: str(s.reason) };
    case "close":
      return { key, type: "close" };
    default:
      return { key, type: "unknown", raw: { ...s, type: str(s.type) } };
  }
}

/** A stored workflow as a draft; tolerant of missing fields, since it comes over the wire. */
export function fromApi(w: { name?: unknown; description?: unknown; enabled?: unknown; trigger?: unknown; steps?: unknown }): WorkflowDraft {
  const t = isJsonObject(w.trigger) ? w.trigger : {};
  const type = TRIGGER_TYPES.includes(t.type as TriggerType) ? (t.type as TriggerType) : "keyword";
  return {
    name: str(w.name),
    description: str(w.description),
    enabled: w.enabled !== false,
    trigger: { type, keywords: strList(t.keywords), categories: strList(t.categories) },
    steps: Array.isArray(w.steps) ? w.steps.map((s) => stepFromApi(s)) : [],
  };
}

// ---- Checks before sending, and where each problem is shown ----

/**
 * What the API would surely refuse, named as the API names it (`steps[1].content`), so that
 * one placement serves both. The API stays the judge of everything else (patterns, limits,
 * `{{field}}` references, whether a tool exists).
 */
export function validateDraft(d: WorkflowDraft): FieldError[] {
  const out: FieldError[] = [];
  const need = (field: string, value: string, message: string) => {
    if (!value.trim()) out.push({ field, message });
  };
  need("name", d.name, "Enter a name");
  if (d.trigger.type === "keyword" && splitList(d.trigger.keywords).length === 0) out.push({ field: "trigger.keywords", message: "Enter at least one keyword" });
  if (d.trigger.type === "category" && splitList(d.trigger.categories).length === 0) out.push({ field: "trigger.categories", message: "Enter at least one category" });
  if (d.steps.length === 0) out.push({ field: "steps", message: "Add at least one step" });
  d.steps.forEach((s, i) => {
    const at = `steps[${i}]`;
    if (s.type === "message") need(`${at}.content`, s.content, "Enter the message");
    if (s.type === "ask") {
      need(`${at}.field`, s.field, "Name the detail to collect");
      need(`${at}.prompt`, s.prompt, "Enter the question to ask");
      need(`${at}.pattern`, s.pattern, "Enter a pattern the answer must match");
    }
    if (s.type === "tool") {
      need(`${at}.tool`, s.tool, "Choose a tool");
      const args = parseJsonObject(s.arguments.trim() || "{}");
      if (!args.ok) out.push({ field: `${at}.arguments`, message: args.error });
    }
    if (s.type === "handoff") need(`${at}.reason`, s.reason, "Say why a person takes over");
  });
  return out;
}

/** Messages by field name; "" is the step (or trigger) as a whole. */
export type FieldMessages = Record<string, string>;

export interface MappedErrors {
  /** `name`, `description`, `enabled`, `steps`, `trigger`, `trigger.type`, `trigger.keywords`, `trigger.categories`. */
  fields: FieldMessages;
  /** By step index. */
  steps: Record<number, FieldMessages>;
  /** What names nothing the builder shows. */
  other: string[];
}

const WORKFLOW_FIELDS = ["name", "description", "enabled", "steps", "trigger"];
const STEP_PATH = /^steps\[(\d+)\](?:\.([A-Za-z_]+)(.*))?$/;
const TRIGGER_LIST = /^trigger\.(keywords|categories)(?:\[(\d+)\])?(.*)$/;
// The API's step messages start with "ask step 2: "; the card already says which step, and
// counts from 1 where the API counts from 0, so the prefix would only confuse.
const STEP_PREFIX = /^(?:[a-z_]+ )?step \d+: /;

function sentenceCase(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

function put(target: FieldMessages, field: string, message: string) {
  target[field] = target[field] ? `${target[field]}; ${message}` : message;
}

/** Places each field error of a 400 (or of validateDraft) on the workflow, trigger or step it names. */
export function mapFieldErrors(errors: readonly FieldError[]): MappedErrors {
  const out: MappedErrors = { fields: {}, steps: {}, other: [] };
  for (const { field, message } of errors) {
    const step = STEP_PATH.exec(field);
    if (step) {
      const index = Number(step[1]);
      const name = step[2] ?? "";
      // A problem inside the arguments names its path; keep it, the field is one textarea.
      const inner = step[3] ? `${step[3].replace(/^\./, "")}: ` : "";
      put((out.steps[index] ??= {}), name, inner + sentenceCase(message.replace(STEP_PREFIX, "")));
      continue;
    }
    const list = TRIGGER_LIST.exec(field);
    if (list) {
      const which = list[1] === "keywords" ? "Keyword" : "Category";
      const prefix = list[2] !== undefined ? `${which} ${Number(list[2]) + 1}: ` : "";
      put(out.fields, `trigger.${list[1]}`, prefix ? prefix + message : sentenceCase(message));
      continue;
    }
    if (field === "trigger.type" || WORKFLOW_FIELDS.includes(field)) {
      put(out.fields, field, sentenceCase(message));
      continue;
    }
    out.other.push(`${field} ${message}`);
  }
  return out;
}

export interface PlacedErrors {
  fields: FieldMessages;
  /** By step key, so that a message stays on its step when steps are moved afterwards. */
  steps: Record<string, FieldMessages>;
  other: string[];
}

export const NO_ERRORS: PlacedErrors = { fields: {}, steps: {}, other: [] };

/** mapFieldErrors, with each step index resolved against the steps that were sent. */
export function placeErrors(errors: readonly FieldError[], sent: readonly StepDraft[]): PlacedErrors {
  const mapped = mapFieldErrors(errors);
  const steps: Record<string, FieldMessages> = {};
  const other = [...mapped.other];
  for (const [i, messages] of Object.entries(mapped.steps)) {
    const step = sent[Number(i)];
    if (step) steps[step.key] = messages;
    else other.push(...Object.entries(messages).map(([f, m]) => `steps[${i}]${f ? `.${f}` : ""} ${m}`));
  }
  return { fields: mapped.fields, steps, other };
}

/** The errors once a field was edited: its message no longer applies. */
export function clearError(errors: PlacedErrors, where: { step?: string; field: string }): PlacedErrors {
  if (where.step === undefined) {
    if (!(where.field in errors.fields)) return errors;
    const { [where.field]: _gone, ...fields } = errors.fields;
    return { ...errors, fields };
  }
  const current = errors.steps[where.step];
  if (!current || !(where.field in current)) return errors;
  const { [where.field]: _gone, ...rest } = current;
  return { ...errors, steps: { ...errors.steps, [where.step]: rest } };
}

/** The errors without those of steps that were removed (they would count but show nowhere). */
export function keepSteps(errors: PlacedErrors, steps: readonly StepDraft[]): PlacedErrors {
  const keys = new Set(steps.map((s) => s.key));
  const gone = Object.keys(errors.steps).filter((k) => !keys.has(k));
  if (gone.length === 0) return errors;
  return { ...errors, steps: Object.fromEntries(Object.entries(errors.steps).filter(([k]) => keys.has(k))) };
}

export function errorCount(e: PlacedErrors): number {
  return Object.keys(e.fields).length + e.other.length + Object.values(e.steps).reduce((n, m) => n + Object.keys(m).length, 0);
}

export function hasErrors(e: PlacedErrors): boolean {
  return Object.keys(e.fields).length > 0 || e.other.length > 0 || Object.values(e.steps).some((m) => Object.keys(m).length > 0);
}
