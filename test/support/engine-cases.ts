/**
 * Generated mapping-engine cases across the engine's features, for differential tests against
 * Keystone's own RuleProcessor, and the comparison that treats Keystone's set-ordered outputs as
 * unordered (docs/keystone-mapping-engine.md §8).
 */
import fc from "fast-check";
import type { EngineCase, KeystoneOutcome } from "./keystone-engine";
import { evaluateMapping, MappingEngineError } from "../../infra/verify/mapping-engine";

const KEYS = ["A", "B", "C", "OIDC-groups"];
const VALUES = [
  "x",
  "y",
  "z",
  "/g1",
  "/g2",
  "named",
  "dom",
  "['p', 'q']",
  "1234",
  "a b",
  "it's",
  "x",
  "",
  'JSON:{"name": "j", "domain": {"id": "d"}}',
  "[1, 2]",
  "[['n']]",
];
const PATTERNS = [
  "^x$",
  "y",
  "^/g",
  "(?i)X",
  "a.b",
  "^$",
  "\\d+",
  "^[a-z]+$",
  "(?P<n>x)(?P=n)?",
  "x|y",
  "(unclosed",
];
const TEMPLATES = [
  "{0}",
  "{1}",
  "lit",
  "pre-{0}",
  "{{x}}-{0}",
  "{}",
  "{0}{1}",
  "{2}",
  "{0}-{0}",
  "{x}",
  "{",
  "}",
];

const condition = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("plain" as const) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constantFrom(
        "any_one_of" as const,
        "not_any_of" as const,
        "whitelist" as const,
        "blacklist" as const,
      ),
      regex: fc.boolean(),
      list: fc.array(fc.constantFrom(...VALUES), { maxLength: 3 }),
      patterns: fc.array(fc.constantFrom(...PATTERNS), { minLength: 1, maxLength: 2 }),
    }),
  },
);

const requirement = fc.tuple(fc.constantFrom(...KEYS), condition).map(([type, c]) => {
  if (c.kind === "plain") return { type };
  return c.regex ? { type, [c.kind]: c.patterns, regex: true } : { type, [c.kind]: c.list };
});

const template = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom("{0}", "{1}", "lit", "pre-{0}", "{0}-{0}") },
  { weight: 1, arbitrary: fc.constantFrom(...TEMPLATES) },
);
const local = fc.oneof(
  template.map((t) => ({ user: { name: t } })),
  fc.tuple(template, template).map(([a, b]) => ({ user: { id: a, name: b, type: "ephemeral" } })),
  template.map((t) => ({ user: { name: t, type: "local", domain: { name: "d" } } })),
  template.map((t) => ({ group: { name: t, domain: { name: "d" } } })),
  template.map((t) => ({ group: { id: t } })),
  fc
    .tuple(template, fc.boolean())
    .map(([t, withDomain]) => (withDomain ? { groups: t, domain: { id: "did" } } : { groups: t })),
  template.map((t) => ({ group_ids: t })),
  template.map((t) => ({ projects: [{ name: t, roles: [{ name: "member" }] }] })),
  fc.constant({ user: {} }),
  fc.constant({ projects: [{ name: "p", roles: [{ name: "r", id: 5 }] }] }),
);

const rule = fc.record({
  local: fc.array(local, { maxLength: 3 }),
  remote: fc.array(requirement, { minLength: 1, maxLength: 3 }),
});

const assertion = fc
  .uniqueArray(fc.constantFrom(...KEYS), { minLength: 3, maxLength: 4 })
  .chain((keys) =>
    fc.tuple(
      ...keys.map((k) =>
        fc
          .array(fc.constantFrom(...VALUES), { minLength: 1, maxLength: 3 })
          .map((vs) => [k, vs.join(";")] as const),
      ),
    ),
  )
  .map((entries) => Object.fromEntries(entries));

export const engineCaseArb: fc.Arbitrary<EngineCase> = fc.record({
  rules: fc.record({ rules: fc.array(rule, { minLength: 1, maxLength: 3 }) }),
  assertion,
});

/** Locals only schema 2.0 and 3.0 know: a domain beside users and projects, projects_json (3.0). */
const domainRef = fc.constantFrom({ id: "did" }, { name: "d" });
const versionedLocal = (version: "2.0" | "3.0") =>
  fc.oneof(
    local,
    domainRef.map((domain) => ({ domain })),
    fc
      .tuple(template, domainRef)
      .map(([t, domain]) => ({ projects: [{ name: t, roles: [{ name: "member" }], domain }] })),
    fc.tuple(template, domainRef).map(([t, domain]) => ({ user: { name: t, domain } })),
    ...(version === "3.0"
      ? [
          fc
            .tuple(fc.constantFrom("{0}", "{1}", "x{0}"), fc.option(domainRef, { nil: undefined }))
            .map(([t, domain]) => ({ projects_json: t, ...(domain ? { domain } : {}) })),
        ]
      : []),
  );

/** Values that are (or are not quite) JSON lists of projects, for projects_json. */
const PROJECT_JSON = [
  '[{"name": "pj", "roles": [{"name": "member"}]}]',
  '[{"name": "pj", "roles": [{"name": "reader"}], "domain": {"name": "d2"}}]',
  '{"name": "pj"}',
  "[]",
];

/** Cases with `schema_version` set, for Keystone >= 25 (2.0) and >= 29 (3.0). */
export function versionedCaseArb(version: "2.0" | "3.0"): fc.Arbitrary<EngineCase> {
  const vrule = fc.record({
    local: fc.array(versionedLocal(version), { maxLength: 3 }),
    remote: fc.array(requirement, { minLength: 1, maxLength: 3 }),
  });
  const withJson = assertion.chain((a) =>
    fc.constantFrom(...PROJECT_JSON).map((pj) => ({ ...a, [KEYS[0]!]: pj })),
  );
  return fc.record({
    rules: fc
      .array(vrule, { minLength: 1, maxLength: 3 })
      .map((rules) => ({ schema_version: version, rules })),
    assertion: version === "3.0" ? fc.oneof(assertion, withJson) : assertion,
  });
}

/** Sorts the items of any Python list repr inside a string, since Keystone's set order is arbitrary. */
function canonicalString(s: string): string {
  return s.replace(
    /\[(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")(?:, (?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"))*\]/g,
    (m) => `[${m.slice(1, -1).split(", ").sort().join(", ")}]`,
  );
}

function canonical(v: unknown): unknown {
  if (typeof v === "string") return canonicalString(v);
  if (Array.isArray(v)) return v.map(canonical);
  if (v !== null && typeof v === "object")
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, canonical(x)]));
  return v;
}

const sortJson = (xs: unknown[]) => xs.map((x) => JSON.stringify(canonical(x))).sort();

/** A comparable form of either engine's outcome. */
export function comparable(o: KeystoneOutcome | { ok: unknown } | { error: string }): unknown {
  if ("error" in o) return { error: o.error };
  const r = (
    o as {
      ok: { user: unknown; group_ids: unknown[]; group_names: unknown[]; projects: unknown[] };
    }
  ).ok;
  return {
    user: canonical(r.user),
    group_ids: sortJson(r.group_ids),
    group_names: sortJson(r.group_names),
    projects: canonical(r.projects),
  };
}

/** Our engine's outcome in the harness's shape, behaving like Keystone `keystoneMajor`. */
export function ours(
  c: EngineCase,
  keystoneMajor = 22,
): { ok: unknown } | { error: string; message: string } {
  try {
    return { ok: evaluateMapping(c.rules, c.assertion, { keystoneMajor }) };
  } catch (e) {
    if (e instanceof MappingEngineError) return { error: e.keystoneClass, message: e.message };
    throw e;
  }
}
