/**
 * Access tables (`mappings/<stack>.access.yaml`: who gets which groups and roles, who is refused)
 * evaluate exactly as written against the stack's generated mapping, for every operator stack
 * that has one, and for every fixture.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseStackFile } from "../../../infra/stack-files/stack-file";
import { REPO_ROOT } from "../../../infra/generator/files";
import { buildModel, type DeploymentModel } from "../../../infra/model/deployment-model";
import { accessFor } from "../../../infra/verify/access-evaluate";
import { caseClaims, expectedOutcome, parseAccessTable } from "../../../infra/verify/access-table";
import {
  fixtureAccessTable,
  fixtureModel,
  FIXTURES_DIR,
  operatorStacks,
} from "../../support/stack-files";
import { listStacks } from "../../../infra/stack-files/stack-file";

const tablePath = (stack: string) => join(REPO_ROOT, "mappings", `${stack}.access.yaml`);

function tableTests(model: () => DeploymentModel, text: () => string): void {
  const table = parseAccessTable(text());

  it("has cases that grant and cases that deny", () => {
    expect(table.cases.some((c) => c.expect === "deny")).toBe(true);
    expect(table.cases.some((c) => c.expect !== "deny")).toBe(true);
  });

  it.each(table.cases.map((c) => [c.name, c] as const))("%s", (_n, c) => {
    const m = model();
    const outcome = accessFor(m, caseClaims(m, table, c));
    const want = expectedOutcome(c);
    if (want.denied) {
      expect(outcome.denied).toBe(true);
    } else {
      expect(outcome.denied).toBe(false);
      if (!outcome.denied)
        expect({
          user: { name: outcome.user.name },
          groups: outcome.groups,
          roles: outcome.roles,
        }).toEqual({ user: want.user, groups: want.groups, roles: want.roles });
    }
  });
}

describe.each(operatorStacks().filter((s) => existsSync(tablePath(s))))(
  "access table of stack %s (mappings/<stack>.access.yaml)",
  (stack) => {
    tableTests(
      () => buildModel(parseStackFile(stack).config, stack),
      () => readFileSync(tablePath(stack), "utf8"),
    );
  },
);

describe.each(listStacks(FIXTURES_DIR))("access table of fixture %s", (stack) => {
  tableTests(
    () => fixtureModel(stack),
    () => fixtureAccessTable(stack),
  );
});
