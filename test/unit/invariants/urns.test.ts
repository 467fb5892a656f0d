/**
 * Pins the URN of every resource of every committed stack. A URN is a resource's identity in the
 * state: renaming a logical name, a component or a parent turns into a delete and a create in
 * production. A change here must be deliberate: `npm run generate` rewrites test/urns/<stack>.txt
 * (through test/support/urn-pins.ts, the same function this test compares with).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { operatorStacks } from "../../support/stack-files";
import { urnPinText } from "../../support/urn-pins";

const PINNED = join(__dirname, "..", "..", "urns");

describe("resource URNs", () => {
  for (const stack of operatorStacks()) {
    it(`${stack}: every URN is the pinned one`, async () => {
      const file = join(PINNED, `${stack}.txt`);
      expect(existsSync(file), `test/urns/${stack}.txt is missing (run npm run generate)`).toBe(
        true,
      );
      expect(
        await urnPinText(stack),
        `test/urns/${stack}.txt is stale (run npm run generate)`,
      ).toBe(readFileSync(file, "utf8"));
    });
  }
  it("are pinned for the stacks in stacks/ and no other (run npm run generate)", () => {
    const pinned = readdirSync(PINNED).map((f) => f.replace(/\.txt$/, ""));
    expect(pinned.sort()).toEqual(operatorStacks());
  });
});
