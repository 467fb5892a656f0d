/**
 * The remote side of a rule: an assertion's values split as Keystone splits them, and each
 * requirement (any_one_of, not_any_of, whitelist, blacklist, regex) checked in order, collecting the
 * slots that `{0}`, `{1}`… of the locals refer to.
 */
import { fail } from "./errors";
import { compileAll, pySearch } from "./python-regex";

export type Assertion = Readonly<Record<string, unknown>>;

export interface Requirement {
  type: string;
  any_one_of?: unknown[];
  not_any_of?: unknown[];
  blacklist?: unknown[];
  whitelist?: unknown[];
  regex?: unknown;
}

/** Step 1 of `process`: drop non-strings, split every value on ';' exactly (§1.1). */
export function normalizeAssertion(assertion: Assertion): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [k, v] of Object.entries(assertion))
    if (typeof v === "string") out.set(k, v.split(";"));
  return out;
}

export function hashKey(v: unknown): string {
  if (Array.isArray(v) || (v !== null && typeof v === "object"))
    fail("TypeError", `unhashable type: '${Array.isArray(v) ? "list" : "dict"}'`);
  return typeof v === "string" ? `s:${v}` : `o:${JSON.stringify(v)}`;
}

/**
 * Values kept by a condition list (§4.2). Non-regex: set semantics in first-occurrence order.
 * Regex: Keystone before 27 tries every pattern on every value, so any invalid pattern raises;
 * from 27 on (`lazy`) it stops at a value's first matching pattern, and a broken pattern after
 * it is never compiled.
 */
function matches(list: unknown[], values: string[], regex: boolean, lazy: boolean): string[] {
  if (regex) {
    if (!lazy) compileAll(list);
    return values.filter((v) => list.some((p) => pySearch(p, v)));
  }
  const set = new Set(list.map(hashKey));
  return [...new Set(values)].filter((v) => set.has(`s:${v}`));
}

export type SlotResult =
  | { ok: true; slots: string[][] }
  | { ok: false; requirement: number; type: string; reason: string };

export function verify(
  remote: Requirement[],
  assertion: Map<string, string[]>,
  lazyRegex = false,
): SlotResult {
  const slots: string[][] = [];
  for (const [i, req] of remote.entries()) {
    const values = assertion.get(req.type);
    if (values === undefined)
      return { ok: false, requirement: i, type: req.type, reason: "attribute missing" };
    const regex = Boolean(req.regex);
    if (req.any_one_of !== undefined && req.any_one_of !== null) {
      if (matches(req.any_one_of, values, regex, lazyRegex).length > 0) continue;
      return {
        ok: false,
        requirement: i,
        type: req.type,
        reason: `any_one_of: none of ${JSON.stringify(req.any_one_of)} in ${JSON.stringify(values)}`,
      };
    }
    if (req.not_any_of !== undefined && req.not_any_of !== null) {
      const hit = matches(req.not_any_of, values, regex, lazyRegex);
      if (hit.length === 0) continue;
      return {
        ok: false,
        requirement: i,
        type: req.type,
        reason: `not_any_of: ${JSON.stringify(hit)} present`,
      };
    }
    if (req.blacklist !== undefined && req.blacklist !== null) {
      const hit = new Set(matches(req.blacklist, values, regex, lazyRegex));
      slots.push([...new Set(values)].filter((v) => !hit.has(v)));
    } else if (req.whitelist !== undefined && req.whitelist !== null) {
      slots.push(matches(req.whitelist, values, regex, lazyRegex));
    } else {
      slots.push(values);
    }
  }
  return { ok: true, slots };
}

/** A slot as `str.format` prints it: one value as itself, otherwise Python's str(list) (§4.3). */
