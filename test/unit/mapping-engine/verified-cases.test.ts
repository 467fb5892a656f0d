/**
 * Table tests of the engine on the cases docs/keystone-mapping-engine.md marks (checked) against the real
 * Keystone 22 (named after them), and on the error rows of its §9.
 */
import { describe, expect, it } from "vitest";
import {
  evaluateMapping,
  MappingEngineError,
  parseAssertionText,
} from "../../../infra/verify/mapping-engine";

type Rules = unknown[];
const run = (rules: Rules, assertion: Record<string, string>) =>
  evaluateMapping({ rules }, assertion);
const errorOf = (rules: Rules, assertion: Record<string, string>) => {
  try {
    run(rules, assertion);
  } catch (e) {
    if (e instanceof MappingEngineError) return e.keystoneClass;
    throw e;
  }
  return "no error";
};
const user = (name: string) => ({ user: { name } });

describe("mapping engine: verified behaviours", () => {
  it("kc_groups_comma_delimited_not_split: only ';' splits values", () => {
    const r = run(
      [{ local: [user("u"), { groups: "{0}", domain: { id: "d" } }], remote: [{ type: "G" }] }],
      { G: "/a,/b" },
    );
    expect(r.group_names).toEqual([{ name: "/a,/b", domain: { id: "d" } }]);
  });

  it("kc_group_ids_accumulate_across_rules: every matching rule contributes", () => {
    const r = run(
      [
        { local: [user("u"), { group_ids: "g1" }], remote: [{ type: "A" }] },
        { local: [{ group_ids: "g2" }], remote: [{ type: "A" }] },
      ],
      { A: "x" },
    );
    expect(r.group_ids).toEqual(["g1", "g2"]);
  });

  it("format_braces_in_rule_without_direct_maps: str.format runs even without slots", () => {
    expect(
      errorOf([{ local: [user("{x}")], remote: [{ type: "A", any_one_of: ["x"] }] }], { A: "x" }),
    ).toBe("KeyError");
    expect(errorOf([{ local: [user("{")], remote: [{ type: "A" }] }], { A: "x" })).toBe(
      "ValueError",
    );
  });

  it("index_skips_any_one_of_entries, and any_one_of alone leaves no slot", () => {
    expect(
      run([{ local: [user("{0}")], remote: [{ type: "A", any_one_of: ["x"] }, { type: "B" }] }], {
        A: "x",
        B: "bee",
      }).user,
    ).toEqual({ name: "bee", type: "ephemeral" });
    expect(
      errorOf([{ local: [user("{0}")], remote: [{ type: "A", any_one_of: ["x"] }] }], { A: "x" }),
    ).toBe("DirectMappingError");
  });

  it("not_any_of_with_missing_attribute_fails_rule; empty_attribute_value_counts_as_present", () => {
    expect(
      errorOf([{ local: [user("u")], remote: [{ type: "MISSING", not_any_of: ["x"] }] }], {
        A: "x",
      }),
    ).toBe("ValidationError");
    expect(run([{ local: [user("<{0}>")], remote: [{ type: "A" }] }], { A: "" }).user).toEqual({
      name: "<>",
      type: "ephemeral",
    });
  });

  it("user_name_from_multi_valued_attribute, user_name_from_empty_whitelist, regex whitelist order", () => {
    expect(run([{ local: [user("{0}")], remote: [{ type: "A" }] }], { A: "x;y" }).user.name).toBe(
      "['x', 'y']",
    );
    expect(
      run([{ local: [user("{0}")], remote: [{ type: "A", whitelist: [] }] }], { A: "x" }).user.name,
    ).toBe("[]");
    expect(
      run([{ local: [user("{0}")], remote: [{ type: "A", whitelist: ["^[ab]$"], regex: true }] }], {
        A: "b;c;a;b",
      }).user.name,
    ).toBe("['b', 'a', 'b']");
    expect(
      run([{ local: [user("{{x}}-{0}")], remote: [{ type: "A" }] }], { A: "u" }).user.name,
    ).toBe("{x}-u");
  });

  it("groups_values_with_quotes_and_backslash round-trip through repr and literal_eval", () => {
    const r = run(
      [{ local: [user("u"), { groups: "{0}", domain: { id: "d" } }], remote: [{ type: "G" }] }],
      { G: "it's;back\\slash" },
    );
    expect(r.group_names).toEqual([
      { name: "it's", domain: { id: "d" } },
      { name: "back\\slash", domain: { id: "d" } },
    ]);
  });

  it("groups_json_with_domain and groups_value_containing_name_substring_fails", () => {
    const r = run([{ local: [user("u"), { groups: "{0}" }], remote: [{ type: "G" }] }], {
      G: 'JSON:{"name":"a","domain":{"id":"d1"}};JSON:{"name":"b","domain":{"name":"d2"}}',
    });
    expect(r.group_names).toEqual([
      { name: "a", domain: { id: "d1" } },
      { name: "b", domain: { name: "d2" } },
    ]);
    expect(
      errorOf(
        [{ local: [user("u"), { groups: "{0}", domain: { id: "d" } }], remote: [{ type: "G" }] }],
        { G: "project-names" },
      ),
    ).toBe("ValidationError");
    expect(
      errorOf([{ local: [user("u"), { groups: "g" }], remote: [{ type: "G" }] }], { G: "x" }),
    ).toBe("ValidationError");
  });

  it("group_by_name_accumulates_duplicates: a, b, a, c(d2) gives [a, a, b, a, b, a, b, c]", () => {
    const g = (name: string, d: string) => ({ group: { name, domain: { name: d } } });
    const r = run(
      [
        {
          local: [user("u"), g("a", "d1"), g("b", "d1"), g("a", "d1"), g("c", "d2")],
          remote: [{ type: "A" }],
        },
      ],
      { A: "x" },
    );
    expect(r.group_names.map((x) => (x as { name: string }).name)).toEqual([
      "a",
      "a",
      "b",
      "a",
      "b",
      "a",
      "b",
      "c",
    ]);
  });

  it("kc_one_rule_per_group_two_memberships_projects_last_wins; first_nonempty_user_wins_across_rules", () => {
    const rule = (group: string, project: string, name: string) => ({
      local: [user(name), { projects: [{ name: project, roles: [{ name: "member" }] }] }],
      remote: [{ type: "G", any_one_of: [group] }],
    });
    const r = run(
      [
        { local: [{ user: {} }], remote: [{ type: "G" }] },
        rule("/team-a", "proj-a", "first"),
        rule("/team-c", "proj-c", "second"),
      ],
      { G: "/team-a;/team-c" },
    );
    expect(r.projects).toEqual([{ name: "proj-c", roles: [{ name: "member" }] }]);
    expect(r.user).toEqual({ name: "first", type: "ephemeral" });
  });

  it("local_user_type_without_domain is accepted by the engine; literal group_ids keep ints", () => {
    expect(
      run([{ local: [{ user: { name: "u", type: "local" } }], remote: [{ type: "A" }] }], {
        A: "x",
      }).user,
    ).toEqual({ name: "u", type: "local" });
    expect(
      run([{ local: [user("u"), { group_ids: "{0}" }], remote: [{ type: "A" }] }], { A: "[1, 2]" })
        .group_ids,
    ).toEqual([1, 2]);
    expect(
      run([{ local: [user("u"), { group_ids: "{0}" }], remote: [{ type: "A" }] }], { A: "0042" })
        .group_ids,
    ).toEqual(["0042"]);
  });

  it("no_rule_matches and rule_matches_but_local_empty raise ValidationError", () => {
    expect(errorOf([{ local: [user("u")], remote: [{ type: "B" }] }], { A: "x" })).toBe(
      "ValidationError",
    );
    expect(errorOf([{ local: [], remote: [{ type: "A" }] }], { A: "x" })).toBe("ValidationError");
  });
});

describe("mapping engine: schema and input", () => {
  it("rejects what Keystone 22's schema rejects, accepts its quirks", () => {
    expect(
      errorOf([{ local: [user("u")], remote: [{ type: "A", regex: true }] }], { A: "x" }),
    ).toBe("ValidationError");
    expect(
      errorOf(
        [{ local: [user("u")], remote: [{ type: "A", any_one_of: ["x"], not_any_of: ["y"] }] }],
        { A: "x" },
      ),
    ).toBe("ValidationError");
    expect(
      errorOf([{ local: [{ group: { id: "g", domain: { id: "d" } } }], remote: [{ type: "A" }] }], {
        A: "x",
      }),
    ).toBe("ValidationError");
    expect(
      errorOf([{ local: [{ user: { name: "u", type: "{0}" } }], remote: [{ type: "A" }] }], {
        A: "x",
      }),
    ).toBe("ValidationError");
    expect(
      run(
        [
          {
            local: [user("u"), { projects: [{ name: "p", roles: [{ name: "r", id: "rid" }] }] }],
            remote: [{ type: "A" }],
          },
        ],
        { A: "x" },
      ).projects,
    ).toEqual([{ name: "p", roles: [{ name: "r", id: "rid" }] }]);
    expect(
      errorOf(
        [
          {
            local: [
              user("u"),
              { projects: [{ name: "p", roles: [{ name: "r", additionalProperties: 1 }] }] },
            ],
            remote: [{ type: "A" }],
          },
        ],
        { A: "x" },
      ),
    ).toBe("ValidationError");
    expect(
      errorOf([{ local: [user("u")], remote: [{ type: "A", any_one_of: ["("], regex: true }] }], {
        A: "x",
      }),
    ).toBe("re.error");
    expect(
      errorOf([{ local: [user("u")], remote: [{ type: "A", any_one_of: [["x"]] }] }], { A: "x" }),
    ).toBe("TypeError");
  });

  it("parses keystone-manage assertion files: splitlines, first ':', stripped, last duplicate wins, prefix", () => {
    expect(parseAssertionText("  A: x: y \r\n\n B :v1\fB: v2\nOTHER: z  ", "")).toEqual({
      A: "x: y",
      B: "v2",
      OTHER: "z",
    });
    expect(parseAssertionText("OIDC-a: 1\nHTTP_X: 2", "OIDC-")).toEqual({ "OIDC-a": "1" });
    expect(() => parseAssertionText("no colon here")).toThrow(MappingEngineError);
  });
});

describe("mapping engine: what changed between Keystone releases", () => {
  const roleWithId = [
    {
      local: [
        { user: { name: "{0}" } },
        { projects: [{ name: "p", roles: [{ name: "r", id: "5" }] }] },
      ],
      remote: [{ type: "A" }],
    },
  ];
  it("a role with extra keys is accepted by 22 and refused from 25 on", () => {
    expect(evaluateMapping({ rules: roleWithId }, { A: "u" }).user).toEqual({
      name: "u",
      type: "ephemeral",
    });
    expect(() => evaluateMapping({ rules: roleWithId }, { A: "u" }, { keystoneMajor: 25 })).toThrow(
      MappingEngineError,
    );
  });

  it("an invalid pattern after one that matched raises before 27 and is never compiled from 27 on", () => {
    const rules = [
      {
        local: [{ user: { name: "{0}" } }],
        remote: [{ type: "A", whitelist: ["^x$", "(unclosed"], regex: true }],
      },
    ];
    expect(() => evaluateMapping({ rules }, { A: "x" }, { keystoneMajor: 26 })).toThrow(
      "Invalid regular expression",
    );
    expect(evaluateMapping({ rules }, { A: "x" }, { keystoneMajor: 27 }).user).toEqual({
      name: "x",
      type: "ephemeral",
    });
  });

  it("schema_version dispatches only from 25 on (and 3.0 from 29)", () => {
    const doc = {
      schema_version: "3.0",
      rules: [{ local: [{ user: { name: "u" } }], remote: [{ type: "A" }] }],
    };
    expect(evaluateMapping(doc, { A: "a" }, { keystoneMajor: 22 }).user).toEqual({
      name: "u",
      type: "ephemeral",
    });
    expect(() => evaluateMapping(doc, { A: "a" }, { keystoneMajor: 25 })).toThrow(
      MappingEngineError,
    );
    expect(evaluateMapping(doc, { A: "a" }, { keystoneMajor: 30 }).user).toEqual({
      name: "u",
      type: "ephemeral",
      domain: null,
    });
  });
});

describe("mapping engine: schema 2.0 and 3.0 processors (proven against Keystone 30 by the conformance suite)", () => {
  const withDomain = [
    {
      local: [
        { user: { name: "{0}" } },
        { domain: { id: "UDOM" } },
        { projects: [{ name: "p", roles: [{ name: "member" }] }], domain: { id: "PDOM" } },
        { domain: { id: "LAST" } },
      ],
      remote: [{ type: "A" }],
    },
  ];
  it("2.0: projects take their local's domain; the user takes the last identity value's domain", () => {
    const r = evaluateMapping({ rules: withDomain }, { A: "alice" }, { schemaVersion: "2.0" });
    expect(r.projects).toEqual([
      { name: "p", roles: [{ name: "member" }], domain: { id: "PDOM" } },
    ]);
    expect(r.user).toEqual({ name: "alice", domain: { id: "LAST" }, type: "ephemeral" });
  });

  it("1.0 (Keystone 22) leaves both without a domain", () => {
    const r = evaluateMapping({ rules: withDomain }, { A: "alice" });
    expect(r.projects).toEqual([{ name: "p", roles: [{ name: "member" }] }]);
    expect(r.user).toEqual({ name: "alice", type: "ephemeral" });
  });

  it("3.0: projects_json adds projects from a claim holding JSON, and rejects other shapes", () => {
    const rules = [
      {
        local: [{ user: { name: "u" } }, { projects_json: "{0}", domain: { name: "d" } }],
        remote: [{ type: "P" }],
      },
    ];
    const r = evaluateMapping(
      { rules },
      { P: '[{"name": "x", "roles": [{"name": "member"}]}]' },
      { schemaVersion: "3.0" },
    );
    expect(r.projects).toEqual([{ name: "x", roles: [{ name: "member" }], domain: { name: "d" } }]);
    expect(() =>
      evaluateMapping({ rules }, { P: '{"name": "x"}' }, { schemaVersion: "3.0" }),
    ).toThrow("projects_json does not hold a list of projects");
    expect(() => evaluateMapping({ rules }, { P: "[]" }, { schemaVersion: "2.0" })).toThrow(
      MappingEngineError,
    );
  });
});
