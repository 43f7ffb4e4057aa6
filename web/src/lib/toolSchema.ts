// A tool's `parameters` is a JSON Schema of the arguments (api.md, "Workflow and tool formats").
// Most tools need only flat, typed arguments, which the dashboard edits as a list; anything
// richer is edited as raw JSON. The list form covers exactly the subset that converts back
// without loss, so switching between the two never drops a keyword silently.

export const PARAM_TYPES = ["string", "number", "integer", "boolean"] as const;
export type ParamType = (typeof PARAM_TYPES)[number];

export interface ParamRow {
  name: string;
  type: ParamType;
  description: string;
  required: boolean;
  /** Allowed values, comma-separated; empty for any value. */
  enumText: string;
}

export type JsonObject = Record<string, unknown>;

/** The server's limit on the schema (it is sent to the LLM with every turn). */
export const MAX_PARAMETERS_BYTES = 32 * 1024;

/** Property names that LLM function-calling APIs accept as they are (the strictest, Anthropic's). */
const PARAM_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

export function emptyParam(): ParamRow {
  return { name: "", type: "string", description: "", required: false, enumText: "" };
}

export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** Parses JSON text that must be an object (tool arguments, a schema). */
export function parseJsonObject(text: string): Parsed<JsonObject> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `Not valid JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (!isJsonObject(value)) return { ok: false, error: "Must be a JSON object: { … }" };
  return { ok: true, value };
}

/** Raw schema text checked with the same shape rules as the server (tool.rs, check_parameters). */
export function parseRawSchema(text: string): Parsed<JsonObject> {
  const parsed = parseJsonObject(text);
  if (!parsed.ok) return parsed;
  const schema = parsed.value;
  if (schema.type !== "object") {
    return { ok: false, error: 'Must describe an object: { "type": "object", "properties": { … } }' };
  }
  if ("properties" in schema && !isJsonObject(schema.properties)) {
    return { ok: false, error: "`properties` must be an object" };
  }
  const req = schema.required;
  if (req !== undefined && !(Array.isArray(req) && req.every((r) => typeof r === "string"))) {
    return { ok: false, error: "`required` must be an array of property names" };
  }
  if (new TextEncoder().encode(JSON.stringify(schema)).length > MAX_PARAMETERS_BYTES) {
    return { ok: false, error: `Must be at most ${MAX_PARAMETERS_BYTES} bytes of JSON` };
  }
  return { ok: true, value: schema };
}

/** The allowed values typed as one comma-separated line, as values of `type`. */
export function parseEnum(text: string, type: ParamType): Parsed<(string | number)[] | undefined> {
  const parts = text.split(",").map((p) => p.trim()).filter((p) => p !== "");
  // A true/false parameter has no list of values; text left from another type is ignored.
  if (parts.length === 0 || type === "boolean") return { ok: true, value: undefined };
  if (type === "string") return { ok: true, value: [...new Set(parts)] };
  const numbers = parts.map(Number);
  const bad = parts.find((_, i) => !Number.isFinite(numbers[i]) || (type === "integer" && !Number.isInteger(numbers[i])));
  if (bad !== undefined) return { ok: false, error: `"${bad}" is not ${type === "integer" ? "a whole number" : "a number"}` };
  return { ok: true, value: [...new Set(numbers)] };
}

export interface ParamProblem {
  index: number;
  field: "name" | "enumText";
  message: string;
}

/** What stops the list from becoming a schema, each problem on its row and field. */
export function validateParams(rows: readonly ParamRow[]): ParamProblem[] {
  const problems: ParamProblem[] = [];
  const seen = new Map<string, number>();
  rows.forEach((row, index) => {
    const name = row.name.trim();
    if (!name) problems.push({ index, field: "name", message: "Enter a name" });
    else if (!PARAM_NAME.test(name)) problems.push({ index, field: "name", message: "1–64 letters, digits, '_', '.' or '-'" });
    else if (seen.has(name)) problems.push({ index, field: "name", message: `Parameter ${seen.get(name)! + 1} has this name` });
    else seen.set(name, index);
    const values = parseEnum(row.enumText, row.type);
    if (!values.ok) problems.push({ index, field: "enumText", message: values.error });
  });
  return problems;
}

/** The JSON Schema of a list of parameters; rows that fail validateParams are not expected. */
export function paramsToSchema(rows: readonly ParamRow[]): JsonObject {
  const properties: JsonObject = {};
  const required: string[] = [];
  for (const row of rows) {
    const name = row.name.trim();
    const prop: JsonObject = { type: row.type };
    if (row.description.trim()) prop.description = row.description.trim();
    const values = parseEnum(row.enumText, row.type);
    if (values.ok && values.value) prop.enum = values.value;
    properties[name] = prop;
    if (row.required) required.push(name);
  }
  const schema: JsonObject = { type: "object", properties };
  if (required.length) schema.required = required;
  return schema;
}

/**
 * The list form of a schema, or why it has none: the schema uses something the list cannot
 * show, and converting it would lose that.
 */
export function schemaToParams(schema: unknown): Parsed<ParamRow[]> {
  if (!isJsonObject(schema) || schema.type !== "object") return { ok: false, error: "It does not describe an object" };
  const extra = Object.keys(schema).filter((k) => !["type", "properties", "required"].includes(k));
  if (extra.length) return { ok: false, error: `It uses ${extra.map((k) => `“${k}”`).join(", ")}` };
  const properties = schema.properties ?? {};
  if (!isJsonObject(properties)) return { ok: false, error: "`properties` is not an object" };
  const required = schema.required ?? [];
  if (!Array.isArray(required) || !required.every((r) => typeof r === "string")) {
    return { ok: false, error: "`required` is not a list of names" };
  }
  const unknownRequired = required.filter((r) => !(r in properties));
  if (unknownRequired.length) return { ok: false, error: `It requires “${unknownRequired[0]}”, which it does not describe` };
  const rows: ParamRow[] = [];
  for (const [name, prop] of Object.entries(properties)) {
    const row = propertyToRow(name, prop, required.includes(name));
    if (!row.ok) return { ok: false, error: `Parameter “${name}”: ${row.error}` };
    rows.push(row.value);
  }
  return { ok: true, value: rows };
}

function propertyToRow(name: string, prop: unknown, required: boolean): Parsed<ParamRow> {
  if (!isJsonObject(prop)) return { ok: false, error: "is not an object" };
  const extra = Object.keys(prop).filter((k) => !["type", "description", "enum"].includes(k));
  if (extra.length) return { ok: false, error: `uses ${extra.map((k) => `“${k}”`).join(", ")}` };
  const type = prop.type;
  if (!PARAM_TYPES.includes(type as ParamType)) return { ok: false, error: `its type ${JSON.stringify(type)} is not one the list offers` };
  if (prop.description !== undefined && typeof prop.description !== "string") return { ok: false, error: "its description is not text" };
  let enumText = "";
  if (prop.enum !== undefined) {
    const values = prop.enum;
    const fits = Array.isArray(values) && values.length > 0 && values.every((v) => (type === "string" ? typeof v === "string" && !v.includes(",") && v.trim() === v && v !== "" : typeof v === "number"));
    if (!fits || type === "boolean") return { ok: false, error: "its allowed values cannot be written as a comma-separated list" };
    enumText = (values as (string | number)[]).join(", ");
  }
  return { ok: true, value: { name, type: type as ParamType, description: (prop.description as string | undefined) ?? "", required, enumText } };
}

/** Arguments that fit a schema, as a starting point for a test call or a workflow step. */
export function exampleArguments(schema: unknown): JsonObject {
  const out: JsonObject = {};
  if (!isJsonObject(schema) || !isJsonObject(schema.properties)) return out;
  for (const [name, prop] of Object.entries(schema.properties)) out[name] = exampleValue(prop);
  return out;
}

function exampleValue(prop: unknown): unknown {
  if (!isJsonObject(prop)) return null;
  if ("default" in prop) return prop.default;
  if (Array.isArray(prop.enum) && prop.enum.length) return prop.enum[0];
  const type = Array.isArray(prop.type) ? prop.type[0] : prop.type;
  switch (type) {
    case "string":
      return "";
    case "number":
    case "integer":
      return 0;
    case "boolean":
      return false;
    case "array":
      return [];
    case "object":
      return exampleArguments(prop);
    default:
      return null;
  }
}
