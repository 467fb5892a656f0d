/**
 * Mapping lint, for generated and hand-written mappings: each finding names the rule, the problem
 * and the fix. The checks follow docs/keystone-mapping-engine.md and docs/security-invariants.md.
 */
import { MappingEngineError } from "./mapping-engine";
import { pyFormat } from "./mapping-engine/evaluate";

export interface LintFinding {
  /** 0-based rule index, or -1 for the whole mapping. */
  readonly rule: number;
  readonly severity: "error" | "warning";
  readonly problem: string;
  readonly fix: string;
}

export interface LintOptions {
  /** Environ keys that carry the issuer. Default HTTP_OIDC_ISS and OIDC-iss. */
  readonly issuerAttributes?: readonly string[];
  /** Environ key of the authorized party. Default OIDC-azp. */
  readonly azpAttribute?: string;
}

interface Req {
  type?: unknown;
  any_one_of?: unknown[];
  not_any_of?: unknown[];
  whitelist?: unknown[];
  blacklist?: unknown[];
  regex?: unknown;
}

type Local = Record<string, unknown>;

function strings(v: unknown, out: string[] = []): string[] {
  if (typeof v === "string") out.push(v);
  else if (Array.isArray(v)) v.forEach((x) => strings(x, out));
  else if (v !== null && typeof v === "object") Object.values(v).forEach((x) => strings(x, out));
  return out;
}

const anchored = (p: unknown) =>
  typeof p === "string" && /^(\^|\\A)/.test(p) && (/(\$|\\Z)$/.test(p) || /^\^\(\?!.*\)$/.test(p));
/** `^(?!(?:a|b)$)` as a not_any_of regex: "any value other than exactly a or b". */
const exactGuard = (q: { not_any_of?: unknown[]; regex?: unknown }, values: readonly unknown[]) => {
  const test = (p: string, v: string): boolean | undefined => {
    try {
      return new RegExp(p, "u").test(v);
    } catch {
      return undefined; // a pattern JavaScript cannot read is not recognised as a guard
    }
  };
  // A guard lets every required value through and stops a value that is not one of them.
  return (
    q.regex === true &&
    Array.isArray(q.not_any_of) &&
    q.not_any_of.some(
      (p) =>
        typeof p === "string" &&
        values.every((v) => typeof v === "string" && test(p, v) === false) &&
        test(p, "other-app") === true,
    )
  );
};

export function lintMapping(mapping: unknown, opts: LintOptions = {}): LintFinding[] {
  const issuerAttrs = opts.issuerAttributes ?? ["HTTP_OIDC_ISS", "OIDC-iss"];
  const azp = opts.azpAttribute ?? "OIDC-azp";
  const rules = (
    Array.isArray(mapping) ? mapping : (mapping as { rules?: unknown } | null)?.rules
  ) as { local?: Local[]; remote?: Req[] }[] | undefined;
  if (!Array.isArray(rules) || rules.length === 0)
    return [
      {
        rule: -1,
        severity: "error",
        problem: "the mapping has no rules",
        fix: 'give a {"rules": [...]} object with at least one rule',
      },
    ];
  const findings: LintFinding[] = [];
  const add = (rule: number, severity: LintFinding["severity"], problem: string, fix: string) =>
    findings.push({ rule, severity, problem, fix });
  const withProjects: number[] = [];

  rules.forEach((r, i) => {
    const local = Array.isArray(r.local) ? r.local : [];
    const remote = Array.isArray(r.remote) ? r.remote : [];
    const slotReqs = remote.filter((q) => q.any_one_of === undefined && q.not_any_of === undefined);
    const slots = slotReqs.length;
    /** A template only uses slots that hold exact, whitelisted values (non-regex whitelist). */
    const onlyWhitelisted = (template: string) => {
      const refs = [...template.replace(/\{\{|\}\}/g, "").matchAll(/\{(\d+)\}/g)].map((m) =>
        Number(m[1]),
      );
      return (
        refs.length > 0 &&
        refs.every((n) => Array.isArray(slotReqs[n]?.whitelist) && slotReqs[n]?.regex !== true)
      );
    };
    const grants = local.some(
      (l) => "group" in l || "groups" in l || "group_ids" in l || "projects" in l,
    );
    const user = local.find((l) => "user" in l)?.user as Record<string, unknown> | undefined;

    if (local.length === 0)
      add(
        i,
        "warning",
        "the rule has an empty local list: it matches but maps nothing",
        "remove the rule or give it a user",
      );
    if (grants && !user)
      add(
        i,
        "error",
        "the rule grants access but produces no user, so Keystone names the user after REMOTE_USER",
        'add {"user": {"id": "{0}", "name": "{1}"}} fed from plain remote entries for the subject and username claims',
      );
    if (user && user.name === undefined && user.id === undefined && user.type !== "local")
      add(
        i,
        "error",
        "the user has neither name nor id, so Keystone falls back to REMOTE_USER",
        "map the user's name (and id) from token claims",
      );
    if (user && user.type === "local" && user.domain === undefined)
      add(
        i,
        "warning",
        "a local user without a domain is looked up by name in no domain and fails",
        "give the local user's domain",
      );

    const exact = (attrs: readonly string[]) =>
      remote.find(
        (q) => typeof q.type === "string" && attrs.includes(q.type) && Array.isArray(q.any_one_of),
      );
    const iss = exact(issuerAttrs);
    if (!iss)
      add(
        i,
        "error",
        `the rule does not require the issuer (${issuerAttrs.join(" or ")}); mod_auth_openidc checks only signature and expiry`,
        `add {"type": "${issuerAttrs[0]}", "any_one_of": ["<the realm's exact issuer URL>"]}`,
      );
    else if (iss.regex === true && !(iss.any_one_of ?? []).every(anchored))
      add(
        i,
        "error",
        "the issuer condition is an unanchored regex",
        "use exact values (no regex) for the issuer",
      );
    const az = exact([azp]);
    if (!az)
      add(
        i,
        "error",
        `the rule does not require the Keystone client as authorized party (${azp})`,
        `add {"type": "${azp}", "any_one_of": ["<keystone client id>"]}`,
      );
    else if (az.regex === true && !(az.any_one_of ?? []).every(anchored))
      add(
        i,
        "error",
        "the azp condition is an unanchored regex",
        "use exact values (no regex) for azp",
      );
    else if (!remote.some((q) => q.type === azp && exactGuard(q, az.any_one_of ?? []))) {
      add(
        i,
        "error",
        `the azp condition can be met by a multi-valued ${azp} such as "other-app;${String((az.any_one_of ?? [])[0])}": Keystone splits every value on ';'`,
        `add {"type": "${azp}", "not_any_of": ["^(?!(?:<client ids>)$)"], "regex": true}`,
      );
    }

    remote.forEach((q, j) => {
      for (const key of ["any_one_of", "not_any_of", "whitelist", "blacklist"] as const) {
        const list = q[key];
        if (q.regex === true && Array.isArray(list)) {
          for (const p of list)
            if (!anchored(p))
              add(
                i,
                "warning",
                `remote[${j}] ${key} regex ${JSON.stringify(p)} is unanchored: Keystone uses re.search, so it matches anywhere in the value`,
                "anchor it with ^...$",
              );
        }
      }
      const required = remote.some((r) => r.type === q.type && Array.isArray(r.any_one_of));
      if (
        (q.not_any_of !== undefined || q.blacklist !== undefined) &&
        typeof q.type === "string" &&
        !required
      ) {
        add(
          i,
          "warning",
          `remote[${j}] uses ${q.not_any_of !== undefined ? "not_any_of" : "blacklist"} on ${q.type}: a token without that claim fails the whole rule`,
          "make sure the claim is always present, or express the condition positively",
        );
      }
    });

    local.forEach((l, k) => {
      if ("projects" in l) withProjects.push(i);
      const groups = l.groups;
      if (typeof groups === "string") {
        if (/\{\d*\}/.test(groups.replace(/\{\{|\}\}/g, "")) && !onlyWhitelisted(groups))
          add(
            i,
            "error",
            `local[${k}].groups is fed from claim values: any value in the token becomes a group name`,
            "map exact claim values with any_one_of to fixed group names, or feed it from a non-regex whitelist of exact values",
          );
        if (groups.includes("name"))
          add(
            i,
            "error",
            `local[${k}].groups contains "name": Keystone switches to JSON mode and refuses the login unless each item also contains "domain"`,
            'rename the group or use {"group": {"name": ..., "domain": ...}}',
          );
      }
      if (typeof l.group_ids === "string" && /\{\d*\}/.test(l.group_ids.replace(/\{\{|\}\}/g, "")))
        add(
          i,
          "error",
          `local[${k}].group_ids is fed from claim values`,
          "map exact claim values with any_one_of to fixed group ids",
        );
      const projects = Array.isArray(l.projects) ? (l.projects as { name?: unknown }[]) : [];
      for (const p of projects)
        if (typeof p.name === "string" && /\{\d*\}/.test(p.name.replace(/\{\{|\}\}/g, "")))
          add(
            i,
            "error",
            `local[${k}] creates projects named after claim values`,
            "use fixed project names",
          );
      for (const s of strings(l)) {
        try {
          pyFormat(
            s,
            Array.from({ length: slots }, () => ["x"]),
          );
        } catch (e) {
          if (!(e instanceof MappingEngineError)) throw e;
          if (e.keystoneClass === "DirectMappingError")
            add(
              i,
              "error",
              `local[${k}] string ${JSON.stringify(s)} uses a slot beyond the ${slots} this rule provides (any_one_of/not_any_of entries do not count)`,
              "renumber {N} to the plain/whitelist/blacklist remote entries",
            );
          else
            add(
              i,
              "error",
              `local[${k}] string ${JSON.stringify(s)} has literal braces, which Keystone's str.format rejects (${e.keystoneClass})`,
              "escape literal braces as {{ and }}",
            );
        }
      }
    });
  });
  if (withProjects.length > 1) {
    add(
      -1,
      "error",
      `rules ${withProjects.join(", ")} all set projects, but Keystone keeps only the last matching rule's projects`,
      "grant through Keystone groups that carry role assignments, or put every project in one rule",
    );
  }
  return findings;
}

export function formatFinding(f: LintFinding): string {
  return `${f.rule < 0 ? "mapping" : `rule ${f.rule}`}: ${f.severity}: ${f.problem} (fix: ${f.fix})`;
}
