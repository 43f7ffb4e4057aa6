import { describe, expect, it } from "vitest";
import { checkLabel, countByLabel, importBody, lineOfApiField, MAX_IMPORT_EXAMPLES, parseImport } from "./importParse";

describe("parseImport", () => {
  it("reads CSV lines, taking the last comma as the separator of an unquoted text", () => {
    const p = parseImport("Where is my parcel?,shipping\nHi, I was charged twice, help,Billing\n");
    expect(p.errors).toEqual([]);
    expect(p.examples).toEqual([
      { line: 1, text: "Where is my parcel?", label: "shipping" },
      { line: 2, text: "Hi, I was charged twice, help", label: "billing" },
    ]);
  });

  it("reads quoted CSV texts with commas and doubled quotes, and a quoted label", () => {
    const p = parseImport('"He said ""refund"", twice", "returns"');
    expect(p.errors).toEqual([]);
    expect(p.examples).toEqual([{ line: 1, text: 'He said "refund", twice', label: "returns" }]);
  });

  it("reads JSON lines and mixes them with CSV", () => {
    const p = parseImport('{"text": "The app crashes", "label": "technical"}\r\nLost my password,account');
    expect(p.errors).toEqual([]);
    expect(importBody(p)).toEqual({
      examples: [
        { text: "The app crashes", label: "technical" },
        { text: "Lost my password", label: "account" },
      ],
    });
  });

  it("skips blank lines, a byte-order mark and a header, keeping the line numbers of the input", () => {
    const p = parseImport("\uFEFFtext,label\n\n  \nFirst,general\n\nSecond,general");
    expect(p.errors).toEqual([]);
    expect(p.examples.map((e) => e.line)).toEqual([4, 6]);
  });

  it("only skips the header as the first line", () => {
    const p = parseImport("a,general\ntext,label");
    expect(p.examples).toEqual([
      { line: 1, text: "a", label: "general" },
      { line: 2, text: "text", label: "label" },
    ]);
  });

  it("names each bad line and why", () => {
    const p = parseImport(
      [
        "no separator here",
        "two words,not a slug",
        ",billing",
        '"never closed,billing',
        "{not json}",
        '{"text": "x"}',
        "label only,",
        `${"é".repeat(1001)},general`,
        "fine,general",
      ].join("\n"),
    );
    expect(p.examples).toEqual([{ line: 9, text: "fine", label: "general" }]);
    expect(p.errors).toEqual([
      { line: 1, message: "Expected text,label or a JSON object" },
      { line: 2, message: "The label may contain only a-z, 0-9, '_' and '-'" },
      { line: 3, message: "The text is empty" },
      { line: 4, message: "A quoted text is not closed" },
      { line: 5, message: "Not valid JSON" },
      { line: 6, message: 'Missing "label" (a string)' },
      { line: 7, message: "The label must be 1 to 40 characters" },
      { line: 8, message: "The text is longer than 1000 characters" },
    ]);
  });

  it("reads a text that starts with a bracket as CSV", () => {
    expect(parseImport("[URGENT] order missing,orders").examples).toEqual([{ line: 1, text: "[URGENT] order missing", label: "orders" }]);
  });

  it("reports both problems of a line with an empty text and a bad label", () => {
    expect(parseImport(" ,a/b").errors).toEqual([{ line: 1, message: "The text is empty; The label may contain only a-z, 0-9, '_' and '-'" }]);
  });

  it("counts text length in code points, as the API does", () => {
    // 1000 emoji are 2000 UTF-16 units but 1000 characters.
    expect(parseImport(`${"😀".repeat(1000)},general`).errors).toEqual([]);
  });

  it("refuses more examples than one import may hold", () => {
    const lines = Array.from({ length: MAX_IMPORT_EXAMPLES + 1 }, (_, i) => `example ${i},general`).join("\n");
    const p = parseImport(lines);
    expect(p.examples).toHaveLength(MAX_IMPORT_EXAMPLES + 1);
    expect(p.errors[0]).toEqual({ line: 0, message: "At most 1000 examples per import (found 1001); split the list" });
  });

  it("gives nothing for empty input", () => {
    expect(parseImport("")).toEqual({ examples: [], errors: [] });
    expect(parseImport("\n \n")).toEqual({ examples: [], errors: [] });
  });
});

describe("checkLabel", () => {
  it("follows the API's category rule", () => {
    expect(checkLabel(" Warranty ")).toEqual({ label: "warranty" });
    expect(checkLabel("tier-2_vip")).toEqual({ label: "tier-2_vip" });
    expect(checkLabel("a".repeat(40))).toEqual({ label: "a".repeat(40) });
    for (const bad of ["", "  ", "two words", "émigré", "a/b", "a".repeat(41)]) {
      expect("error" in checkLabel(bad), bad).toBe(true);
    }
  });
});

describe("lineOfApiField", () => {
  it("maps the API's example index back to the line typed", () => {
    const p = parseImport("text,label\n\nfirst,general\nsecond,BAD-but-valid");
    expect(lineOfApiField("examples[0].text", p.examples)).toBe(3);
    expect(lineOfApiField("examples[1].label", p.examples)).toBe(4);
    expect(lineOfApiField("examples[7].label", p.examples)).toBeUndefined();
    expect(lineOfApiField("examples", p.examples)).toBeUndefined();
  });
});

describe("countByLabel", () => {
  it("counts per label, most first, then by name", () => {
    expect(countByLabel([{ label: "b" }, { label: "a" }, { label: "b" }, { label: "c" }])).toEqual([
      ["b", 2],
      ["a", 1],
      ["c", 1],
    ]);
  });
});
