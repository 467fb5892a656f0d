/**
 * scripts/lib/count-vitest.cjs turns a vitest JSON report into the totals test.sh prints. A file
 * whose beforeAll threw has only skipped tests in the report: that must count as a failure (a CI
 * run once passed with a system suite whose environment could not start).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const SCRIPT = join(__dirname, "..", "..", "..", "scripts", "lib", "count-vitest.cjs");
const dir = mkdtempSync(join(tmpdir(), "okf-count-"));

function count(report: unknown): string {
  const file = join(dir, `${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(report));
  return execFileSync("node", [SCRIPT, file], { encoding: "utf8" }).trim();
}

describe("count-vitest", () => {
  it("counts passed, failed and skipped tests", () => {
    expect(
      count({
        numPassedTests: 3,
        numFailedTests: 1,
        numPendingTests: 2,
        testResults: [
          { status: "failed", assertionResults: [{ status: "failed" }, { status: "passed" }] },
        ],
      }),
    ).toBe("3 1 2");
  });

  it("counts a file whose hook failed (all its tests skipped) as one failure", () => {
    expect(
      count({
        numPassedTests: 9,
        numFailedTests: 0,
        numPendingTests: 7,
        testResults: [
          { status: "passed", assertionResults: [{ status: "passed" }] },
          { status: "failed", assertionResults: [{ status: "skipped" }, { status: "skipped" }] },
        ],
      }),
    ).toBe("9 1 7");
  });

  it("counts a file that did not load as one failure, and a missing report as one failure", () => {
    expect(
      count({
        numPassedTests: 0,
        numFailedTests: 0,
        testResults: [{ status: "failed", assertionResults: [] }],
      }),
    ).toBe("0 1 0");
    expect(
      execFileSync("node", [SCRIPT, join(dir, "missing.json")], { encoding: "utf8" }).trim(),
    ).toBe("0 1 0");
  });
});
