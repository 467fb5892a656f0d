/**
 * Keystone 22's `RuleProcessor.process` in TypeScript (KEYSTONE-MAPPING-SPEC.md §3-§6): every rule
 * is evaluated, slots come from plain/whitelist/blacklist requirements only, every string of a
 * matched rule's locals goes through Python `str.format`, and the identity values merge with
 * Keystone's quirks (first non-empty user, group-by-name re-extension, `groups` JSON mode on
 * "name", `projects` last-wins). Where Keystone's output order is a Python set's (group_ids,
 * non-regex whitelist/blacklist), this returns first-occurrence order; compare those as sets.
 */
import { fail, MappingEngineError, NO_MATCH_MESSAGE } from "./errors";
import { astLiteralList } from "./python-literal";
import { pyRepr } from "./python-repr";
import { compileAll, pySearch } from "./python-regex";
import { validateMapping, type ValidateOptions } from "./schema";

export type Assertion = Readonly<Record<string, unknown>>;

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

interface Requirement {
  type: string;
  any_one_of?: unknown[];
  not_any_of?: unknown[];
  blacklist?: unknown[];
  whitelist?: unknown[];
  regex?: unknown;
}

interface Rule {
  local: unknown[];
  remote: Requirement[];
}

/** Step 1 of `process`: drop non-strings, split every value on ';' exactly (§1.1). */
export function normalizeAssertion(assertion: Assertion): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [k, v] of Object.entries(assertion))
    if (typeof v === "string") out.set(k, v.split(";"));
  return out;
}

function hashKey(v: unknown): string {
  if (Array.isArray(v) || (v !== null && typeof v === "object"))
    fail("TypeError", `unhashable type: '${Array.isArray(v) ? "list" : "dict"}'`);
  return typeof v === "string" ? `s:${v}` : `o:${JSON.stringify(v)}`;
}

/** Values kept by a condition list (§4.2). Non-regex: set semantics in first-occurrence order. */
function matches(list: unknown[], values: string[], regex: boolean): string[] {
  if (regex) {
    compileAll(list);
    return values.filter((v) => list.some((p) => pySearch(p, v)));
  }
  const set = new Set(list.map(hashKey));
  return [...new Set(values)].filter((v) => set.has(`s:${v}`));
}

type SlotResult =
  | { ok: true; slots: string[][] }
  | { ok: false; requirement: number; type: string; reason: string };

function verify(remote: Requirement[], assertion: Map<string, string[]>): SlotResult {
  const slots: string[][] = [];
  for (const [i, req] of remote.entries()) {
    const values = assertion.get(req.type);
    if (values === undefined)
      return { ok: false, requirement: i, type: req.type, reason: "attribute missing" };
    const regex = Boolean(req.regex);
    if (req.any_one_of !== undefined && req.any_one_of !== null) {
      if (matches(req.any_one_of, values, regex).length > 0) continue;
      return {
        ok: false,
        requirement: i,
        type: req.type,
        reason: `any_one_of: none of ${JSON.stringify(req.any_one_of)} in ${JSON.stringify(values)}`,
      };
    }
    if (req.not_any_of !== undefined && req.not_any_of !== null) {
      const hit = matches(req.not_any_of, values, regex);
      if (hit.length === 0) continue;
      return {
        ok: false,
        requirement: i,
        type: req.type,
        reason: `not_any_of: ${JSON.stringify(hit)} present`,
      };
    }
    if (req.blacklist !== undefined && req.blacklist !== null) {
      const hit = new Set(matches(req.blacklist, values, regex));
      slots.push([...new Set(values)].filter((v) => !hit.has(v)));
    } else if (req.whitelist !== undefined && req.whitelist !== null) {
      slots.push(matches(req.whitelist, values, regex));
    } else {
      slots.push(values);
    }
  }
  return { ok: true, slots };
}

/** A slot as `str.format` prints it: one value as itself, otherwise Python's str(list) (§4.3). */
function renderSlot(slot: string[]): string {
  return slot.length === 1 ? slot[0]! : pyRepr(slot);
}

/** Python `str.format(*slots)` for `{N}`, `{}`, `{{`, `}}`, `!r`/`!s` and `[N]` indexing (§4.4). */
export function pyFormat(template: string, slots: string[][]): string {
  let out = "";
  let auto = 0;
  let mode: "auto" | "manual" | undefined;
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c === "}") {
      if (template[i + 1] === "}") {
        out += "}";
        i++;
        continue;
      }
      fail("ValueError", "Single '}' encountered in format string");
    }
    if (c !== "{") {
      out += c;
      continue;
    }
    if (template[i + 1] === "{") {
      out += "{";
      i++;
      continue;
    }
    const end = template.indexOf("}", i);
    if (end < 0) fail("ValueError", "expected '}' before end of string");
    const field = template.slice(i + 1, end);
    if (field.includes("{")) fail("ValueError", "unexpected '{' in field name");
    const m = /^([^!:[.]*)((?:\[[^\]]*\])*)(?:!([rsa]))?(?::(.*))?$/.exec(field);
    if (!m) fail("ValueError", `invalid format field ${field}`);
    const [, name, index, conversion, spec] = m;
    let slotIndex: number;
    if (name === "") {
      if (mode === "manual")
        fail(
          "ValueError",
          "cannot switch from manual field specification to automatic field numbering",
        );
      mode = "auto";
      slotIndex = auto++;
    } else if (/^\d+$/.test(name!)) {
      if (mode === "auto")
        fail(
          "ValueError",
          "cannot switch from automatic field numbering to manual field specification",
        );
      mode = "manual";
      slotIndex = Number(name);
    } else {
      fail("KeyError", `'${name}'`);
    }
    if (slotIndex >= slots.length)
      fail(
        "DirectMappingError",
        "An unexpected error prevented the server from fulfilling your request.",
      );
    const slot = slots[slotIndex]!;
    let value: unknown = slot.length === 1 ? slot[0]! : slot;
    for (const idx of (index ?? "").match(/\[[^\]]*\]/g) ?? []) {
      const k = idx.slice(1, -1);
      if (!/^\d+$/.test(k)) fail("NotSupported", `format index ${idx} is not supported`);
      const seq = value as string | string[];
      if (Number(k) >= seq.length)
        fail("ValueError", `${typeof seq === "string" ? "string" : "list"} index out of range`);
      value = seq[Number(k)];
    }
    if (spec !== undefined && spec !== "")
      fail("NotSupported", `format spec '${spec}' is not supported`);
    out +=
      conversion === "r" || conversion === "a"
        ? pyRepr(value)
        : typeof value === "string"
          ? value
          : pyRepr(value);
    i = end;
  }
  return out;
}

/** `_update_local_mapping`: format every string leaf; non-dict list items and other scalars raise (§4.4). */
function substitute(value: unknown, slots: string[][]): unknown {
  if (typeof value === "string") return pyFormat(value, slots);
  if (Array.isArray(value)) {
    return value.map((item) => {
      if (item === null || typeof item !== "object" || Array.isArray(item))
        fail(
          "AttributeError",
          `'${typeof item === "string" ? "str" : "list"}' object has no attribute 'items'`,
        );
      return substitute(item, slots);
    });
  }
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = substitute(v, slots);
    return out;
  }
  return fail(
    "AttributeError",
    `'${value === null ? "NoneType" : typeof value === "boolean" ? "bool" : "int"}' object has no attribute 'format'`,
  );
}

/** Python truthiness of a JSON value. */
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
 * Schema 3.0's `projects_json` (spec §8.3): the template must start like `{N}`; the slot, rendered as
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
    if (!slot)
      fail(
        "DirectMappingError",
        "An unexpected error prevented the server from fulfilling your request.",
      );
    const value = parseJson(renderSlot(slot));
    const ok =
      Array.isArray(value) &&
      value.every(
        (p) =>
          p !== null &&
          typeof p === "object" &&
          typeof (p as Record<string, unknown>).name === "string" &&
          Array.isArray((p as Record<string, unknown>).roles),
      );
    if (!ok) fail("ValidationError", `${key} does not hold a list of projects`);
    extra.push(...(value as unknown[]));
    if (key === "projects") delete rest.projects;
  }
  const base = Array.isArray(rest.projects) ? (rest.projects as unknown[]) : [];
  return pj === undefined && extra.length === 0
    ? local
    : { ...rest, projects: [...base, ...extra] };
}

/** Schema >= 2.0: projects without a domain take their local's `domain` (or None), §8.2. */
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
  if (version !== "1.0" && !truthy(user.domain)) {
    // Keystone >= 25 reads the domain of the LAST identity value (a leaked loop variable), §8.2.
    user = { ...user, domain: identityValues[identityValues.length - 1]!.domain ?? null };
  }
  const type = user.type;
  if (type === undefined || type === null) user = { ...user, type: "ephemeral" };
  else if (truthy(type) && type !== "ephemeral" && type !== "local")
    fail("ValidationError", `User type ${String(type)} not supported`);
  return { user, group_ids: groupIds, group_names: groupNames, projects };
}

/** Evaluates a (validated) mapping; returns the mapped properties and why each rule matched or not. */
export function processWithTrace(
  mapping: { rules: unknown[] },
  assertion: Assertion,
  version: ProcessorVersion = "1.0",
): { result?: MappedProperties; error?: MappingEngineError; trace: RuleTrace[] } {
  const normalized = normalizeAssertion(assertion);
  const identityValues: Record<string, unknown>[] = [];
  const trace: RuleTrace[] = [];
  try {
    for (const [i, r] of (mapping.rules as Rule[]).entries()) {
      const res = verify(r.remote, normalized);
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
 * `schemaVersion` 2.0/3.0 select Keystone >= 25/29's processors (spec §8): implemented from the
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
    (opts.schemaVersion ?? "1.0") as ProcessorVersion,
  );
  if (error) throw error;
  return result!;
}

export { renderSlot };
