import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { expectedRules, rulesPath, stacks } from "../../../scripts/update-mappings";

describe("committed golden mappings (mappings/<stack>.rules.json)", () => {
  it("exist for every committed stack", () => {
    expect(stacks()).toEqual(["dev", "e2e", "prod", "staging", "test-template"]);
  });

  it.each(stacks())("%s is up to date (run `npm run mappings:update` after changing access rules)", (stack) => {
    expect(existsSync(rulesPath(stack))).toBe(true);
    expect(readFileSync(rulesPath(stack), "utf8")).toBe(expectedRules(stack));
  });
});
