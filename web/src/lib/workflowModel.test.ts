import { describe, expect, it } from "vitest";
import {
  addStep,
  clearError,
  emptyDraft,
  errorCount,
  fromApi,
  hasErrors,
  keepSteps,
  mapFieldErrors,
  moveStep,
  newStep,
  NO_ERRORS,
  placeErrors,
  removeStep,
  replaceStep,
  splitList,
  STEP_TYPES,
  toBody,
  validateDraft,
  type StepDraft,
  type WorkflowBody,
  type WorkflowDraft,
} from "./workflowModel";

const keys = (steps: StepDraft[]) => steps.map((s) => s.key);
const three = () => [newStep("message", "a"), newStep("ask", "b"), newStep("close", "c")];

describe("editing steps", () => {
  it("adds at the end by default, or at a position", () => {
    let steps = addStep([], newStep("message", "a"));
    steps = addStep(steps, newStep("close", "c"));
    steps = addStep(steps, newStep("ask", "b"), 1);
    expect(keys(steps)).toEqual(["a", "b", "c"]);
    expect(keys(addStep(steps, newStep("close", "z"), 99))).toEqual(["a", "b", "c", "z"]);
    expect(keys(addStep(steps, newStep("close", "z"), -5))).toEqual(["z", "a", "b", "c"]);
  });

  it("creates a step of every type with empty fields and a fresh key", () => {
    const made = STEP_TYPES.map((t) => newStep(t));
    expect(made.map((s) => s.type)).toEqual([...STEP_TYPES]);
    expect(new Set(keys(made)).size).toBe(STEP_TYPES.length);
    expect(newStep("tool", "k")).toEqual({ key: "k", type: "tool", tool: "", arguments: "{}", sensitive: false });
  });

  it("removes by index, ignoring an index out of range", () => {
    expect(keys(removeStep(three(), 1))).toEqual(["a", "c"]);
    expect(keys(removeStep(three(), 3))).toEqual(["a", "b", "c"]);
    expect(keys(removeStep(three(), -1))).toEqual(["a", "b", "c"]);
  });

  it("moves a step up, down, to the ends, and clamps", () => {
    expect(keys(moveStep(three(), 1, 0))).toEqual(["b", "a", "c"]);
    expect(keys(moveStep(three(), 1, 2))).toEqual(["a", "c", "b"]);
    expect(keys(moveStep(three(), 0, 2))).toEqual(["b", "c", "a"]);
    expect(keys(moveStep(three(), 2, 0))).toEqual(["c", "a", "b"]);
    expect(keys(moveStep(three(), 0, -1))).toEqual(["a", "b", "c"]);
    expect(keys(moveStep(three(), 2, 9))).toEqual(["a", "b", "c"]);
    expect(keys(moveStep(three(), 5, 0))).toEqual(["a", "b", "c"]);
  });

  it("never changes the array it is given", () => {
    const steps = three();
    const before = [...steps];
    moveStep(steps, 0, 2);
    removeStep(steps, 0);
    addStep(steps, newStep("close"));
    replaceStep(steps, { key: "a", type: "message", content: "x" });
    expect(steps).toEqual(before);
  });

  it("replaces a step by its key", () => {
    const steps = replaceStep(three(), { key: "a", type: "message", content: "Hi" });
    expect(steps[0]).toEqual({ key: "a", type: "message", content: "Hi" });
    expect(steps[1]).toBe(steps[1]);
  });
});

const full: WorkflowBody = {
  name: "Refunds",
  description: "Collects the order number, then refunds.",
  trigger: { type: "keyword", keywords: ["refund", "money back"] },
  steps: [
    { type: "message", content: "Let's sort that out." },
    { type: "ask", field: "order", prompt: "Your order number?", pattern: "\\d{6}" },
    { type: "tool", tool: "refund_order", arguments: { orderId: "{{order}}", full: true }, sensitive: true },
    { type: "tool", tool: "lookup", arguments: {} },
    { type: "set_priority", priority: "critical" },
    { type: "handoff", reason: "Refund over the limit" },
    { type: "close" },
  ],
  enabled: false,
};

describe("to and from the API", () => {
  it("round-trips every step type and the trigger", () => {
    const draft = fromApi(full);
    expect(draft.steps.map((s) => s.type)).toEqual(["message", "ask", "tool", "tool", "set_priority", "handoff", "close"]);
    expect(toBody(draft)).toEqual(full);
  });

  it("writes each trigger type with only its own list", () => {
    const d = emptyDraft();
    d.trigger = { type: "keyword", keywords: "refund, return\nmoney back, ", categories: "billing" };
    expect(toBody(d).trigger).toEqual({ type: "keyword", keywords: ["refund", "return", "money back"] });
    d.trigger.type = "category";
    expect(toBody(d).trigger).toEqual({ type: "category", categories: ["billing"] });
    d.trigger.type = "conversation_start";
    expect(toBody(d).trigger).toEqual({ type: "conversation_start" });
    for (const t of [{ type: "category", categories: ["a", "b"] }, { type: "conversation_start" }] as const) {
      expect(toBody(fromApi({ ...full, trigger: t })).trigger).toEqual(t);
    }
  });

  it("leaves `sensitive` out when false and sends the arguments as an object", () => {
    const tool: StepDraft = { key: "k", type: "tool", tool: "t", arguments: ' { "a": [1, "{{x}}"] } ', sensitive: false };
    expect(toBody({ ...emptyDraft(), steps: [tool] }).steps).toEqual([{ type: "tool", tool: "t", arguments: { a: [1, "{{x}}"] } }]);
    expect(toBody({ ...emptyDraft(), steps: [{ ...tool, arguments: "" }] }).steps[0]).toMatchObject({ arguments: {} });
  });

  it("trims the name, description and an ask's field, but not message text", () => {
    const d: WorkflowDraft = { ...emptyDraft(), name: " N ", description: "  ", steps: [{ key: "a", type: "ask", field: " f ", prompt: " P ", pattern: " x" }] };
    const body = toBody(d);
    expect(body.name).toBe("N");
    expect(body.description).toBe("");
    expect(body.steps[0]).toEqual({ type: "ask", field: "f", prompt: " P ", pattern: " x" });
  });

  it("keeps a step of an unknown type as it came, and tolerates missing fields", () => {
    const odd = { type: "wait", seconds: 5 };
    const draft = fromApi({ name: "x", trigger: { type: "keyword", keywords: ["a"] }, steps: [odd, { type: "set_priority", priority: "bogus" }] });
    expect(draft.steps[0]).toMatchObject({ type: "unknown", raw: odd });
    expect(toBody(draft).steps).toEqual([odd, { type: "set_priority", priority: "medium" }]);
    expect(fromApi({})).toEqual({ ...emptyDraft(), trigger: { type: "keyword", keywords: "", categories: "" } });
  });

  it("splits lists on commas and new lines", () => {
    expect(splitList(" a,b ,, \n c ")).toEqual(["a", "b", "c"]);
    expect(splitList("")).toEqual([]);
  });
});

describe("validateDraft", () => {
  it("passes a complete draft", () => {
    expect(validateDraft(fromApi(full))).toEqual([]);
  });

  it("names what the API would refuse as the API names it", () => {
    const d: WorkflowDraft = {
      ...emptyDraft(),
      steps: [
        { key: "a", type: "message", content: " " },
        { key: "b", type: "ask", field: "", prompt: "", pattern: "" },
        { key: "c", type: "tool", tool: "", arguments: "[1]", sensitive: false },
        { key: "d", type: "handoff", reason: "" },
        { key: "e", type: "close" },
      ],
    };
    expect(validateDraft(d).map((e) => e.field)).toEqual([
      "name",
      "trigger.keywords",
      "steps[0].content",
      "steps[1].field",
      "steps[1].prompt",
      "steps[1].pattern",
      "steps[2].tool",
      "steps[2].arguments",
      "steps[3].reason",
    ]);
    expect(validateDraft({ ...emptyDraft(), name: "x", trigger: { type: "category", keywords: "", categories: " , " } }).map((e) => e.field)).toEqual(["trigger.categories", "steps"]);
    expect(validateDraft({ ...emptyDraft(), name: "x", trigger: { type: "conversation_start", keywords: "", categories: "" }, steps: [newStep("close")] })).toEqual([]);
  });
});

describe("mapFieldErrors", () => {
  it("puts each API message on its step and field, without the API's step prefix", () => {
    const m = mapFieldErrors([
      { field: "steps[2].pattern", message: "ask step 2: not a valid regular expression: x" },
      { field: "steps[0].content", message: "message step 0: {{order}} is not collected by an earlier ask step" },
      { field: "steps[0].content", message: "message step 0: must be 1 to 4000 characters" },
      { field: "steps[1].type", message: "step 1: `wait` is not a known type; expected one of message, ask" },
      { field: "steps[3]", message: "must be an object with a \"type\"" },
      { field: "steps[4].arguments.order.id", message: "tool step 4: {{x}} is not collected by an earlier ask step" },
      { field: "steps[5].priority", message: "set_priority step 5: unknown variant `urgent`" },
    ]);
    expect(m.steps).toEqual({
      0: { content: "{{order}} is not collected by an earlier ask step; Must be 1 to 4000 characters" },
      1: { type: "`wait` is not a known type; expected one of message, ask" },
      2: { pattern: "Not a valid regular expression: x" },
      3: { "": 'Must be an object with a "type"' },
      4: { arguments: "order.id: {{x}} is not collected by an earlier ask step" },
      5: { priority: "Unknown variant `urgent`" },
    });
    expect(m.other).toEqual([]);
  });

  it("puts trigger and workflow problems on their fields, and keeps the rest", () => {
    const m = mapFieldErrors([
      { field: "trigger.keywords", message: "must list 1 to 50" },
      { field: "trigger.keywords[1]", message: "a keyword: must be 1 to 100 characters" },
      { field: "trigger.categories[0]", message: "may contain only a-z" },
      { field: "trigger.type", message: "`x` is not a known type" },
      { field: "trigger", message: "must be an object" },
      { field: "name", message: "must be 1 to 100 characters" },
      { field: "steps", message: "a workflow needs at least one step" },
      { field: "body", message: "is invalid" },
    ]);
    expect(m.fields).toEqual({
      "trigger.keywords": "Must list 1 to 50; Keyword 2: a keyword: must be 1 to 100 characters",
      "trigger.categories": "Category 1: may contain only a-z",
      "trigger.type": "`x` is not a known type",
      trigger: "Must be an object",
      name: "Must be 1 to 100 characters",
      steps: "A workflow needs at least one step",
    });
    expect(m.other).toEqual(["body is invalid"]);
    expect(m.steps).toEqual({});
  });
});

describe("placeErrors", () => {
  it("attaches step errors to the keys of the steps that were sent, so they follow moves", () => {
    const sent = three();
    const placed = placeErrors(
      [
        { field: "steps[1].pattern", message: "ask step 1: bad" },
        { field: "steps[7].content", message: "gone" },
        { field: "name", message: "taken" },
      ],
      sent,
    );
    expect(placed.steps).toEqual({ b: { pattern: "Bad" } });
    expect(placed.other).toEqual(["steps[7].content Gone"]);
    expect(placed.fields).toEqual({ name: "Taken" });
    // Moving the step does not move its message to another step.
    const moved = moveStep(sent, 1, 0);
    expect(placed.steps[moved[0].key]).toEqual({ pattern: "Bad" });
  });

  it("clears one field's message once it is edited", () => {
    const placed = placeErrors(
      [
        { field: "steps[1].pattern", message: "bad" },
        { field: "steps[1].prompt", message: "empty" },
        { field: "name", message: "taken" },
      ],
      three(),
    );
    expect(hasErrors(placed)).toBe(true);
    const a = clearError(placed, { step: "b", field: "pattern" });
    expect(a.steps.b).toEqual({ prompt: "Empty" });
    const b = clearError(clearError(a, { step: "b", field: "prompt" }), { field: "name" });
    expect(hasErrors(b)).toBe(false);
    expect(clearError(b, { field: "name" })).toBe(b);
    expect(clearError(b, { step: "zz", field: "x" })).toBe(b);
    expect(hasErrors(NO_ERRORS)).toBe(false);
  });

  it("forgets the errors of removed steps and counts the rest", () => {
    const steps = three();
    const placed = placeErrors(
      [
        { field: "steps[0].content", message: "empty" },
        { field: "steps[1].pattern", message: "bad" },
        { field: "name", message: "taken" },
        { field: "body", message: "odd" },
      ],
      steps,
    );
    expect(errorCount(placed)).toBe(4);
    const kept = keepSteps(placed, removeStep(steps, 1));
    expect(Object.keys(kept.steps)).toEqual(["a"]);
    expect(errorCount(kept)).toBe(3);
    expect(keepSteps(kept, steps)).toBe(kept);
  });
});
