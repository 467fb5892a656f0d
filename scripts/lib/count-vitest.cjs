// Prints "passed failed skipped" from a vitest JSON report. A missing or unreadable report (the
// runner crashed) counts as one failure. A test file that failed without a failed test of its own
// (it did not load, or a beforeAll/afterAll hook threw and its tests were skipped) counts as one
// failure, so a suite whose environment could not start never passes as "skipped".
const fs = require("node:fs");
const file = process.argv[2];
try {
  const r = JSON.parse(fs.readFileSync(file, "utf8"));
  const fileFailures = (r.testResults || []).filter(
    (t) => t.status === "failed" && !(t.assertionResults || []).some((a) => a.status === "failed"),
  ).length;
  const skipped = (r.numPendingTests || 0) + (r.numTodoTests || 0);
  console.log(`${r.numPassedTests || 0} ${(r.numFailedTests || 0) + fileFailures} ${skipped}`);
} catch {
  console.log("0 1 0");
}
