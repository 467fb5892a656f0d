/**
 * Keystone 22's `RuleProcessor.process` in TypeScript (docs/keystone-mapping-engine.md §3-§6): every rule
 * is evaluated, slots come from plain/whitelist/blacklist requirements only, every string of a
 * matched rule's locals goes through Python `str.format`, and the identity values merge with
 * Keystone's quirks (first non-empty user, group-by-name re-extension, `groups` JSON mode on
 * "name", `projects` last-wins). Where Keystone's output order is a Python set's (group_ids,
 * non-regex whitelist/blacklist), this returns first-occurrence order; compare those as sets.
 */
import { fail, MappingEngineError, NO_MATCH_MESSAGE } from "./errors";
import { astLiteralList } from "./python-literal";
import {
  effectiveSchemaVersion,
  validateMapping,
  validateProjectsJson,
  type ValidateOptions,
} from "./schema";

import { type Assertion, hashKey, normalizeAssertion, type Requirement, verify } from "./match";
import { pyFormat, renderSlot, substitute } from "./format";

export type { Assertion };
export { normalizeAssertion, pyFormat };

export interface MappedProperties {
  user: Record<string, unknown>;
  group_ids: unknown[];
  group_names: unknown[];
  projects: unknown[];
}

/** Why a rule did or did not match. */
export type RuleTrace =
  | {
      readonly rule: number;
      readonly matched: true;
      readonly slots: readonly (readonly string[])[];
    }
  | {
      readonly rule: number;
      readonly matched: false;
      readonly requirement: number;
      readonly type: string;
      readonly reason: string;
    };

interface Rule {
  local: unknown[];
  remote: Requirement[];
}

function truthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === "") return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === "object") return Object.keys(v).length > 0;
  return true;
}

/** Python `'domain' in item`. */
function containsDomain(item: unknown): boolean {
  if (typeof item === "string") return item.includes("domain");
  if (Array.isArray(item)) return item.includes("domain");
  if (item !== null && typeof item === "object") return "domain" in item;
  return fail(
    "TypeError",
    `argument of type '${item === null ? "NoneType" : typeof item === "boolean" ? "bool" : typeof item === "number" ? (Number.isInteger(item) ? "int" : "float") : "object"}' is not iterable`,
  );
}

const GROUPS_DOMAIN_ERROR = "Invalid rule: Both 'groups' and 'domain' keywords must be specified.";

/** Python's `str.lstrip("JSON:")`: strips a leading run of the characters J, S, O, N and ':'. */
function lstripJson(s: string): string {
  return s.replace(/^[JSON:]+/, "");
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    return fail("JSONDecodeError", e instanceof Error ? e.message : String(e));
  }
}

/** Which of Keystone's processors evaluates: 1.0 (Keystone 22), 2.0 (>= 25.0), 3.0 (>= 29.0). */
export type ProcessorVersion = "1.0" | "2.0" | "3.0";

/**
 * Schema 3.0's `projects_json` (docs/keystone-mapping-engine.md §2): the template must start like `{N}`; the slot, rendered as
 * in §4.3, is JSON for a list of projects. Applied before str.format touches the local.
 */
function projectsJson(local: Record<string, unknown>, slots: string[][]): Record<string, unknown> {
  const { projects_json: pj, ...rest } = local;
  const extra: unknown[] = [];
  for (const [key, template] of [
    ["projects_json", pj],
    ["projects", typeof rest.projects === "string" ? rest.projects : undefined],
  ] as const) {
    if (template === undefined) continue;
    const m = /^\{?(\d+)\}?/.exec(String(template));
    if (!m) fail("SchemaValidationError", `${key} must reference a slot like {0}`);
    const slot = slots[Number(m[1])];
    if (!slot) fail("IndexError", "list index out of range");
    // One value is JSON text; any other number of values is the list itself (§4.3).
    const value = slot.length === 1 ? parseJson(slot[0]!) : slot;
    validateProjectsJson(value);
    extra.push(...(value as unknown[]));
    if (key === "projects") delete rest.projects;
  }
  const base = Array.isArray(rest.projects) ? (rest.projects as unknown[]) : [];
  return pj === undefined && extra.length === 0
    ? local
    : { ...rest, projects: [...base, ...extra] };
}

/** Schema >= 2.0: projects without a domain take their local's `domain` (or None), docs/keystone-mapping-engine.md §2. */
function projectDomains(iv: Record<string, unknown>): void {
  if (!Array.isArray(iv.projects)) return;
  iv.projects = (iv.projects as Record<string, unknown>[]).map((p) =>
    truthy(p.domain) ? p : { ...p, domain: iv.domain ?? null },
  );
}

function transform(
  identityValues: Record<string, unknown>[],
  version: ProcessorVersion = "1.0",
): MappedProperties {
  if (version !== "1.0") identityValues.forEach(projectDomains);
  if (identityValues.length === 0) fail("ValidationError", NO_MATCH_MESSAGE);
  let user: Record<string, unknown> = {};
  const groupIds: unknown[] = [];
  const groupIdKeys = new Set<string>();
  const addGroupId = (id: unknown) => {
    const k = hashKey(id);
    if (!groupIdKeys.has(k)) {
      groupIdKeys.add(k);
      groupIds.push(id);
    }
  };
  const groupNames: unknown[] = [];
  const buckets = new Map<string, Record<string, unknown>[]>();
  let projects: unknown[] = [];
  for (const iv of identityValues) {
    if ("user" in iv && !truthy(user)) user = iv.user as Record<string, unknown>;
    if ("group" in iv) {
      const group = iv.group as Record<string, unknown>;
      if ("id" in group) addGroupId(group.id);
      else if ("name" in group) {
        const d = (group.domain ?? {}) as Record<string, unknown>;
        const key = truthy(d.name)
          ? `n:${String(d.name)}`
          : truthy(d.id)
            ? `i:${String(d.id)}`
            : "none";
        if (!buckets.has(key)) buckets.set(key, []);
        buckets.get(key)!.push(group);
        for (const bucket of buckets.values()) {
          const byName = new Map<string, Record<string, unknown>>();
          for (const g of bucket) {
            const n = JSON.stringify(g.name);
            byName.set(n, g); // the value of the last occurrence ...
          }
          const order: string[] = [];
          for (const g of bucket) {
            const n = JSON.stringify(g.name);
            if (!order.includes(n)) order.push(n); // ... at the position of the first
          }
          for (const n of order) groupNames.push(byName.get(n));
        }
      }
    }
    if ("groups" in iv) {
      const s = String(iv.groups);
      if (s.includes("name")) {
        const items = astLiteralList(s).map((item) =>
          typeof item === "string" && item.startsWith("JSON:") ? parseJson(lstripJson(item)) : item,
        );
        for (const item of items)
          if (!containsDomain(item)) fail("ValidationError", GROUPS_DOMAIN_ERROR);
        groupNames.push(...items);
      } else {
        if (!("domain" in iv)) fail("ValidationError", GROUPS_DOMAIN_ERROR);
        for (const item of astLiteralList(s)) groupNames.push({ name: item, domain: iv.domain });
      }
    }
    if ("group_ids" in iv) for (const id of astLiteralList(String(iv.group_ids))) addGroupId(id);
    if ("projects" in iv) projects = iv.projects as unknown[];
  }
  const type = user.type;
  if (type === undefined || type === null) user = { ...user, type: "ephemeral" };
  else if (truthy(type) && type !== "ephemeral" && type !== "local")
    fail("ValidationError", `User type ${String(type)} not supported`);
  if (version !== "1.0" && !truthy(user.domain)) {
    // Keystone >= 25 reads the domain of the LAST identity value (a leaked loop variable), after
    // the type (docs/keystone-mapping-engine.md §2).
    const { domain: _drop, ...rest } = user;
    user = { ...rest, domain: identityValues[identityValues.length - 1]!.domain ?? null };
  }
  return { user, group_ids: groupIds, group_names: groupNames, projects };
}

/** Evaluates a (validated) mapping; returns the mapped properties and why each rule matched or not. */
export function processWithTrace(
  mapping: { rules: unknown[] },
  assertion: Assertion,
  version: ProcessorVersion = "1.0",
  keystoneMajor = 22,
): { result?: MappedProperties; error?: MappingEngineError; trace: RuleTrace[] } {
  const normalized = normalizeAssertion(assertion);
  const identityValues: Record<string, unknown>[] = [];
  const trace: RuleTrace[] = [];
  try {
    for (const [i, r] of (mapping.rules as Rule[]).entries()) {
      const res = verify(r.remote, normalized, keystoneMajor >= 27);
      if (!res.ok) {
        trace.push({
          rule: i,
          matched: false,
          requirement: res.requirement,
          type: res.type,
          reason: res.reason,
        });
        continue;
      }
      trace.push({ rule: i, matched: true, slots: res.slots });
      for (const local of r.local) {
        const prepared =
          version === "3.0" ? projectsJson(local as Record<string, unknown>, res.slots) : local;
        identityValues.push(substitute(prepared, res.slots) as Record<string, unknown>);
      }
    }
    return { result: transform(identityValues, version), trace };
  } catch (e) {
    if (e instanceof MappingEngineError) return { error: e, trace };
    throw e;
  }
}

/**
 * keystone-manage mapping_engine: normalise (a bare array becomes {rules}), validate, evaluate.
 * `schemaVersion` 2.0/3.0 select Keystone >= 25/29's processors (docs/keystone-mapping-engine.md §2): implemented from the
 * spec and upstream code reading, not verifiable against Keystone 22.
 */
export function evaluateMapping(
  mapping: unknown,
  assertion: Assertion,
  opts: ValidateOptions = {},
): MappedProperties {
  const doc = Array.isArray(mapping) ? { rules: mapping } : (mapping as { rules: unknown[] });
  validateMapping(doc, opts);
  const { result, error } = processWithTrace(
    doc,
    assertion,
    effectiveSchemaVersion(doc, opts) as ProcessorVersion,
    opts.keystoneMajor,
  );
  if (error) throw error;
  return result!;
}

export { renderSlot };
