import { describe, expect, it } from "vitest";
import { FIXTURES_DIR, fixtureModel } from "../../support/stack-files";
import { formatFinding, lintMapping } from "../../../infra/verify/mapping-lint";
import { listStacks } from "../../../infra/stack-files/stack-file";

const ISS = { type: "HTTP_OIDC_ISS", any_one_of: ["https://id.example.com/realms/r"] };
const AZP = { type: "OIDC-azp", any_one_of: ["keystone"] };
/** What makes azp exact: no value beside the client id (Keystone splits `other-app;keystone`). */
const AZP_EXACT = { type: "OIDC-azp", not_any_of: ["^(?!(?:keystone)$)"], regex: true };

describe("mapping lint", () => {
  it.each(listStacks(FIXTURES_DIR))(
    "finds nothing in the generated mapping of fixture %s",
    (stack) => {
      expect(lintMapping(fixtureModel(stack).federation.mapping)).toEqual([]);
    },
  );

  it("accepts groups fed from a non-regex whitelist of exact values (the perTenant layout)", () => {
    const ok = {
      rules: [
        {
          local: [
            { user: { id: "{0}", name: "{1}" } },
            { groups: "{2}", domain: { name: "acme" } },
          ],
          remote: [
            { type: "OIDC-sub" },
            { type: "OIDC-preferred_username" },
            ISS,
            AZP,
            { type: "OIDC-groups", any_one_of: ["/acme/a"] },
            { type: "OIDC-groups", whitelist: ["/acme/a"] },
            AZP_EXACT,
          ],
        },
      ],
    };
    expect(lintMapping(ok)).toEqual([]);
    const regex = structuredClone(ok);
    (regex.rules[0]!.remote[5] as Record<string, unknown>).regex = true;
    expect(lintMapping(regex).map((f) => f.problem)).toContain(
      "local[1].groups is fed from claim values: any value in the token becomes a group name",
    );
  });

  it("names the rule, the problem and the fix for each pitfall", () => {
    const bad = {
      rules: [
        {
          local: [{ group: { name: "admins", domain: { name: "d" } } }],
          remote: [{ type: "OIDC-groups", any_one_of: ["/admins"] }],
        },
        {
          local: [{ user: { name: "{0}" } }, { groups: "{1}", domain: { name: "d" } }],
          remote: [
            { type: "OIDC-preferred_username" },
            { type: "OIDC-groups" },
            ISS,
            AZP,
            AZP_EXACT,
          ],
        },
        {
          local: [{ user: { name: "{2}" } }, { groups: "project-names", domain: { name: "d" } }],
          remote: [
            { type: "OIDC-preferred_username" },
            { type: "OIDC-iss", any_one_of: ["iss"], regex: true },
            AZP,
            AZP_EXACT,
          ],
        },
        {
          local: [
            { user: { name: "{x}-{0}" } },
            { projects: [{ name: "p", roles: [{ name: "member" }] }] },
          ],
          remote: [
            { type: "OIDC-preferred_username" },
            ISS,
            AZP,
            { type: "OIDC-groups", whitelist: ["admin"], regex: true },
            AZP_EXACT,
          ],
        },
        {
          local: [
            { user: { name: "{0}" } },
            { projects: [{ name: "{1}", roles: [{ name: "member" }] }] },
          ],
          remote: [
            { type: "OIDC-preferred_username" },
            { type: "OIDC-project" },
            ISS,
            AZP,
            { type: "OIDC-x", not_any_of: ["y"] },
            AZP_EXACT,
          ],
        },
        { local: [], remote: [ISS, AZP, AZP_EXACT] },
      ],
    };
    expect(lintMapping(bad).map(formatFinding)).toEqual([
      'rule 0: error: the rule grants access but produces no user, so Keystone names the user after REMOTE_USER (fix: add {"user": {"id": "{0}", "name": "{1}"}} fed from plain remote entries for the subject and username claims)',
      'rule 0: error: the rule does not require the issuer (HTTP_OIDC_ISS or OIDC-iss); mod_auth_openidc checks only signature and expiry (fix: add {"type": "HTTP_OIDC_ISS", "any_one_of": ["<the realm\'s exact issuer URL>"]})',
      'rule 0: error: the rule does not require the Keystone client as authorized party (OIDC-azp) (fix: add {"type": "OIDC-azp", "any_one_of": ["<keystone client id>"]})',
      "rule 1: error: local[1].groups is fed from claim values: any value in the token becomes a group name (fix: map exact claim values with any_one_of to fixed group names, or feed it from a non-regex whitelist of exact values)",
      "rule 2: error: the issuer condition is an unanchored regex (fix: use exact values (no regex) for the issuer)",
      'rule 2: warning: remote[1] any_one_of regex "iss" is unanchored: Keystone uses re.search, so it matches anywhere in the value (fix: anchor it with ^...$)',
      'rule 2: error: local[0] string "{2}" uses a slot beyond the 1 this rule provides (any_one_of/not_any_of entries do not count) (fix: renumber {N} to the plain/whitelist/blacklist remote entries)',
      'rule 2: error: local[1].groups contains "name": Keystone switches to JSON mode and refuses the login unless each item also contains "domain" (fix: rename the group or use {"group": {"name": ..., "domain": ...}})',
      'rule 3: warning: remote[3] whitelist regex "admin" is unanchored: Keystone uses re.search, so it matches anywhere in the value (fix: anchor it with ^...$)',
      'rule 3: error: local[0] string "{x}-{0}" has literal braces, which Keystone\'s str.format rejects (KeyError) (fix: escape literal braces as {{ and }})',
      "rule 4: warning: remote[4] uses not_any_of on OIDC-x: a token without that claim fails the whole rule (fix: make sure the claim is always present, or express the condition positively)",
      "rule 4: error: local[1] creates projects named after claim values (fix: use fixed project names)",
      "rule 5: warning: the rule has an empty local list: it matches but maps nothing (fix: remove the rule or give it a user)",
      "mapping: error: rules 3, 4 all set projects, but Keystone keeps only the last matching rule's projects (fix: grant through Keystone groups that carry role assignments, or put every project in one rule)",
    ]);
  });

  it("an azp condition without the exactness guard is an error: `other-app;keystone` would pass", () => {
    const rule = {
      local: [
        { user: { id: "{0}", name: "{1}" } },
        { group: { name: "g", domain: { name: "d" } } },
      ],
      remote: [
        { type: "OIDC-sub" },
        { type: "OIDC-preferred_username" },
        ISS,
        AZP,
        { type: "OIDC-groups", any_one_of: ["/d/g"] },
      ],
    };
    expect(lintMapping({ rules: [rule] }).map(formatFinding)).toEqual([
      'rule 0: error: the azp condition can be met by a multi-valued OIDC-azp such as "other-app;keystone": Keystone splits every value on \';\' (fix: add {"type": "OIDC-azp", "not_any_of": ["^(?!(?:<client ids>)$)"], "regex": true})',
    ]);
    expect(lintMapping({ rules: [{ ...rule, remote: [...rule.remote, AZP_EXACT] }] })).toEqual([]);
    // A guard that also stops the client itself is no guard.
    expect(
      lintMapping({
        rules: [{ ...rule, remote: [...rule.remote, { ...AZP_EXACT, not_any_of: [".*"] }] }],
      }).map((f) => f.problem)[0],
    ).toMatch(/^the azp condition can be met/);
  });
});
