import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseStackConfig } from "../../../infra/config/parse";
import { readStackFileOffline, stackFilePath } from "../../../infra/config/stack-file";
import { accessFor } from "../../../infra/verify/access-evaluate";
import { caseClaims, expectedOutcome, parseAccessTable } from "../../../infra/verify/access-table";
import { buildModel } from "../../../infra/model/federation-model";
import { STACKS_DIR as STACKS, listStacks as stacks } from "../../../infra/config/stack-file";
import { REPO_ROOT } from "../../../infra/generated/files";
const MAPPINGS = join(REPO_ROOT, "mappings");

describe.each(stacks())("access table of stack %s (mappings/<stack>.access.yaml)", (stack) => {
  const { raw, secretKeys } = readStackFileOffline(stackFilePath(stack, STACKS));
  const model = buildModel(parseStackConfig(raw, { stack, secretKeys }).config, stack);
  const table = parseAccessTable(readFileSync(join(MAPPINGS, `${stack}.access.yaml`), "utf8"));

  it("has cases that grant and cases that deny", () => {
    expect(table.cases.some((c) => c.expect === "deny")).toBe(true);
    expect(table.cases.some((c) => c.expect !== "deny")).toBe(true);
  });

  it.each(table.cases.map((c) => [c.name, c] as const))("%s", (_n, c) => {
    const outcome = accessFor(model, caseClaims(model, table, c));
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
});
