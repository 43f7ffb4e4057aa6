// axe over the whole document, as "rule: targets" lines, for the accessibility tests.
import axe from "axe-core";

export async function violations(): Promise<string[]> {
  // Colour contrast needs layout, which jsdom has not.
  const result = await axe.run(document.body, { rules: { "color-contrast": { enabled: false } } });
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}
