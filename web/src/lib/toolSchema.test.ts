import { describe, expect, it } from "vitest";
import {
  emptyParam,
  exampleArguments,
  paramsToSchema,
  parseEnum,
  parseJsonObject,
  parseRawSchema,
  schemaToParams,
  validateParams,
  type ParamRow,
} from "./toolSchema";

const rows: ParamRow[] = [
  { name: "orderId", type: "string", description: "The order's number", required: true, enumText: "" },
  { name: "reason", type: "string", description: "", required: false, enumText: "damaged, late, other" },
  { name: "amount", type: "number", description: "In euros", required: true, enumText: "" },
  { name: "items", type: "integer", description: "", required: false, enumText: "1, 2, 3" },
  { name: "notify", type: "boolean", description: "Email the customer", required: false, enumText: "" },
];

const schema = {
  type: "object",
  properties: {
    orderId: { type: "string", description: "The order's number" },
    reason: { type: "string", enum: ["damaged", "late", "other"] },
    amount: { type: "number", description: "In euros" },
    items: { type: "integer", enum: [1, 2, 3] },
    notify: { type: "boolean", description: "Email the customer" },
  },
  required: ["orderId", "amount"],
};

describe("paramsToSchema / schemaToParams", () => {
  it("builds an object schema with typed properties, enums and required names", () => {
    expect(paramsToSchema(rows)).toEqual(schema);
    // Property order is the list's order: the LLM sees them in this order.
    expect(Object.keys(paramsToSchema(rows).properties as object)).toEqual(["orderId", "reason", "amount", "items", "notify"]);
  });

  it("round-trips the list through the schema and the schema through the list", () => {
    const back = schemaToParams(paramsToSchema(rows));
    expect(back).toEqual({ ok: true, value: rows });
    const again = schemaToParams(schema);
    expect(again.ok && paramsToSchema(again.value)).toEqual(schema);
  });

  it("gives the empty schema for no parameters, and reads a schema without properties", () => {
    expect(paramsToSchema([])).toEqual({ type: "object", properties: {} });
    expect(schemaToParams({ type: "object" })).toEqual({ ok: true, value: [] });
    expect(schemaToParams({ type: "object", properties: {}, required: [] })).toEqual({ ok: true, value: [] });
  });

  it("trims names and descriptions", () => {
    const s = paramsToSchema([{ ...emptyParam(), name: " q ", description: "  ", required: true }]);
    expect(s).toEqual({ type: "object", properties: { q: { type: "string" } }, required: ["q"] });
  });

  it("refuses, with a reason, schemas the list would lose something of", () => {
    const cases: [unknown, RegExp][] = [
      [{ type: "object", additionalProperties: false }, /additionalProperties/],
      [{ type: "object", properties: { a: { type: "array", items: { type: "string" } } } }, /“a”.*items/],
      [{ type: "object", properties: { a: { type: "array" } } }, /“a”.*"array"/],
      [{ type: "object", properties: { a: { type: "string", minLength: 2 } } }, /minLength/],
      [{ type: "object", properties: { a: { type: "string", enum: ["x, y"] } } }, /comma-separated/],
      [{ type: "object", properties: { a: { type: "boolean", enum: [true] } } }, /comma-separated/],
      [{ type: "object", properties: { a: { type: "number", enum: ["1"] } } }, /comma-separated/],
      [{ type: "object", properties: {}, required: ["ghost"] }, /ghost/],
      [{ type: "string" }, /object/],
      [[], /object/],
    ];
    for (const [s, why] of cases) {
      const r = schemaToParams(s);
      expect(r.ok, JSON.stringify(s)).toBe(false);
      if (!r.ok) expect(r.error).toMatch(why);
    }
  });
});

describe("validateParams", () => {
  it("accepts a good list", () => {
    expect(validateParams(rows)).toEqual([]);
  });

  it("names each problem's row and field", () => {
    const bad: ParamRow[] = [
      { ...emptyParam(), name: "" },
      { ...emptyParam(), name: "has space" },
      { ...emptyParam(), name: "dup" },
      { ...emptyParam(), name: "dup", type: "integer", enumText: "1, 2.5" },
      { ...emptyParam(), name: "flag", type: "boolean", enumText: "left from a string" },
    ];
    expect(validateParams(bad)).toEqual([
      { index: 0, field: "name", message: "Enter a name" },
      { index: 1, field: "name", message: expect.stringContaining("letters") },
      { index: 3, field: "name", message: "Parameter 3 has this name" },
      { index: 3, field: "enumText", message: '"2.5" is not a whole number' },
    ]);
    expect(paramsToSchema([bad[4]])).toEqual({ type: "object", properties: { flag: { type: "boolean" } } });
  });
});

describe("parseEnum", () => {
  it("reads values of the parameter's type, dropping blanks and repeats", () => {
    expect(parseEnum("", "string")).toEqual({ ok: true, value: undefined });
    expect(parseEnum(" a, b ,,a ", "string")).toEqual({ ok: true, value: ["a", "b"] });
    expect(parseEnum("1, 2.5", "number")).toEqual({ ok: true, value: [1, 2.5] });
    expect(parseEnum("x", "number").ok).toBe(false);
  });
});

describe("parseRawSchema", () => {
  it("accepts an object schema, also one the list cannot show", () => {
    const rich = { type: "object", properties: { a: { type: "array" } }, additionalProperties: false };
    expect(parseRawSchema(JSON.stringify(rich))).toEqual({ ok: true, value: rich });
  });

  it("refuses what the server would, with a message", () => {
    expect(parseRawSchema("{").ok).toBe(false);
    expect(parseRawSchema("[]")).toEqual({ ok: false, error: "Must be a JSON object: { … }" });
    expect(parseRawSchema("null").ok).toBe(false);
    expect(parseRawSchema('{"type":"string"}')).toMatchObject({ ok: false, error: expect.stringContaining("describe an object") });
    expect(parseRawSchema('{"type":"object","properties":[]}')).toMatchObject({ ok: false, error: expect.stringContaining("properties") });
    expect(parseRawSchema('{"type":"object","required":[1]}')).toMatchObject({ ok: false, error: expect.stringContaining("required") });
    const huge = JSON.stringify({ type: "object", description: "x".repeat(33 * 1024) });
    expect(parseRawSchema(huge)).toMatchObject({ ok: false, error: expect.stringContaining("bytes") });
  });
});

describe("parseJsonObject", () => {
  it("takes only objects", () => {
    expect(parseJsonObject('{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseJsonObject("1").ok).toBe(false);
    expect(parseJsonObject("not json")).toMatchObject({ ok: false, error: expect.stringContaining("Not valid JSON") });
  });
});

describe("exampleArguments", () => {
  it("fills each property with its default, first allowed value, or an empty value of its type", () => {
    expect(exampleArguments(schema)).toEqual({ orderId: "", reason: "damaged", amount: 0, items: 1, notify: false });
    expect(
      exampleArguments({
        type: "object",
        properties: { tags: { type: "array" }, addr: { type: "object", properties: { zip: { type: "string" } } }, n: { type: ["integer", "null"] }, d: { type: "string", default: "x" } },
      }),
    ).toEqual({ tags: [], addr: { zip: "" }, n: 0, d: "x" });
    expect(exampleArguments({ type: "object" })).toEqual({});
    expect(exampleArguments(null)).toEqual({});
  });
});
