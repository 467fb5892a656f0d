/**
 * The assertion file of `keystone-manage mapping_engine --input` (docs/keystone-mapping-engine.md §1):
 * whole text stripped, split with Python's splitlines, each line stripped, blank lines skipped,
 * split at the first ':', key and value stripped, last duplicate wins, optional key prefix filter.
 */
import { fail } from "./errors";

const PY_LINE_BREAKS = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;
// Python's str.strip() whitespace (str.isspace): includes \x1c-\x1f and \x85.
const PY_WS = "[\\s\\x1c-\\x1f\\x85]";
const stripPy = (s: string) => s.replace(new RegExp(`^${PY_WS}+|${PY_WS}+$`, "gu"), "");

export function parseAssertionText(text: string, prefix?: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of stripPy(text).split(PY_LINE_BREAKS)) {
    const line = stripPy(raw);
    if (line === "") continue;
    const colon = line.indexOf(":");
    if (colon < 0) fail("ValueError", `Error while parsing line: '${line}': expected 'key: value'`);
    const key = stripPy(line.slice(0, colon));
    if (prefix && !key.startsWith(prefix)) continue;
    out[key] = stripPy(line.slice(colon + 1));
  }
  return out;
}

/** keystone-manage's JSON output: `json.dumps(mapped, indent=2)` with ensure_ascii. */
export function keystoneJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/[\u007f-\uffff]/g, (c) =>
    c === "\u007f" ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
