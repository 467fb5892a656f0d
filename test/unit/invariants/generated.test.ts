/**
 * Every generated file (mappings, golden renders, the README's configuration reference) is what
 * the stacks and the schema produce now. A stale file fails with its path and the one command that
 * rewrites it.
 */
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { listStacks } from "../../../infra/stack-files/stack-file";
import { GENERATE_COMMAND, generatedFiles, REPO_ROOT } from "../../../infra/generator/files";
import { staleFiles } from "../../../infra/generator/sync";

describe("generated files", () => {
  it(`are up to date (after a change: ${GENERATE_COMMAND})`, () => {
    const stale = staleFiles().map((s) => `${s.path}: ${s.state} (run ${GENERATE_COMMAND})`);
    expect(stale, stale.join("\n")).toEqual([]);
  });

  it("include every stack's mapping and rendered files, and the README", () => {
    const paths = generatedFiles().map((f) => f.path);
    for (const stack of listStacks()) {
      expect(paths).toContain(`mappings/${stack}.rules.json`);
      expect(paths).toContain(`test/golden/${stack}/apache/keystone-oidc.conf`);
    }
    expect(paths).toContain("README.md");
  });

  it("report a changed, a missing and a leftover file (the check can fail)", () => {
    const files = generatedFiles();
    const changed = files.map((f, i) => (i === 0 ? { ...f, content: `${f.content} ` } : f));
    const leftover = join(REPO_ROOT, "test", "golden", `leftover-${process.pid}.conf`);
    writeFileSync(leftover, "x");
    try {
      const missing = [...changed, { path: "mappings/nosuch.rules.json", content: "{}" }];
      expect(staleFiles(missing)).toEqual(
        expect.arrayContaining([
          { path: files[0]!.path, state: "stale" },
          { path: "mappings/nosuch.rules.json", state: "missing" },
          { path: `test/golden/leftover-${process.pid}.conf`, state: "not generated" },
        ]),
      );
    } finally {
      rmSync(leftover);
    }
  });
});
