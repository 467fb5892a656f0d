/**
 * Pins the URN of every resource of every committed stack. A URN is a resource's identity in the
 * state: renaming a logical name, a component or a parent turns into a delete and a create in
 * production. A change here must be deliberate; the pinned files are rewritten with
 * `UPDATE_URNS=1 npx vitest run test/unit/stacks/urns.test.ts`.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { operatorStacks } from "../../support/stack-files";
import { stackGraph } from "../stacks/graph";

const PINNED = join(__dirname, "..", "..", "urns");

describe("resource URNs", () => {
  for (const stack of operatorStacks()) {
    it(`${stack}: every URN is the pinned one`, async () => {
      const { urns } = await stackGraph(stack, true);
      const file = join(PINNED, `${stack}.txt`);
      const text = `${urns.join("\n")}\n`;
      if (process.env.UPDATE_URNS === "1") writeFileSync(file, text);
      expect(existsSync(file), `test/urns/${stack}.txt is missing (run npm run generate)`).toBe(
        true,
      );
      expect(urns.length).toBeGreaterThan(0);
      expect(text, `test/urns/${stack}.txt is stale (run npm run generate)`).toBe(
        readFileSync(file, "utf8"),
      );
    });
  }
  // After the per-stack pins, which write the files under UPDATE_URNS=1.
  it("are pinned for the stacks in stacks/ and no other (run npm run generate)", () => {
    const pinned = readdirSync(PINNED).map((f) => f.replace(/\.txt$/, ""));
    expect(pinned.sort()).toEqual(operatorStacks());
  });
});
