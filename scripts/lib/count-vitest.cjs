// Prints "passed failed skipped" from a vitest JSON report. A missing or unreadable report (the
// runner crashed) counts as one failure; a test file that failed to load counts as one failure.
const fs = require("node:fs");
const file = process.argv[2];
try {
  const r = JSON.parse(fs.readFileSync(file, "utf8"));
  const loadFailures = (r.testResults || []).filter((t) => t.status === "failed" && (t.assertionResults || []).length === 0).length;
  const skipped = (r.numPendingTests || 0) + (r.numTodoTests || 0);
  console.log(`${r.numPassedTests || 0} ${(r.numFailedTests || 0) + loadFailures} ${skipped}`);
} catch {
  console.log("0 1 0");
}
