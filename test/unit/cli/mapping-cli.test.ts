import { mkdtempSync, writeFileSync } from "node:fs";
import { FIXTURES_DIR } from "../../support/stack-files";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../../infra/cli/mapping";

const dir = mkdtempSync(join(tmpdir(), "okf-cli-"));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const rules = file(
  "rules.json",
  JSON.stringify({
    rules: [
      {
        local: [{ user: { name: "{0}" } }, { group: { name: "g", domain: { name: "d" } } }],
        remote: [{ type: "OIDC-preferred_username" }, { type: "OIDC-groups", any_one_of: ["/a"] }],
      },
    ],
  }),
);

describe("npm run mapping", () => {
  it("evaluate --input prints keystone-manage's JSON", () => {
    const r = main([
      "evaluate",
      "--rules",
      rules,
      "--input",
      file("a.txt", "OIDC-preferred_username: alice\nOIDC-groups: /a;/b\n"),
    ]);
    expect(r).toEqual({
      code: 0,
      stderr: "",
      stdout: `${JSON.stringify({ user: { name: "alice", type: "ephemeral" }, group_ids: [], group_names: [{ name: "g", domain: { name: "d" } }], projects: [] }, null, 2)}\n`,
    });
  });

  it("evaluate --claims converts a token like mod_auth_openidc", () => {
    const r = main([
      "evaluate",
      "--rules",
      rules,
      "--claims",
      file("t.json", JSON.stringify({ preferred_username: "bob", groups: ["/x", "/a"] })),
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).user).toEqual({ name: "bob", type: "ephemeral" });
  });

  it("evaluate reports Keystone's exception class first on stderr and exits non-zero", () => {
    const r = main([
      "evaluate",
      "--rules",
      rules,
      "--input",
      file("b.txt", "OIDC-preferred_username: alice\nOIDC-groups: /b\n"),
    ]);
    expect(r).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "ValidationError: Could not map any federated user properties to identity values. Check debug logs or the mapping used for additional details.\n",
    });
    const bad = main([
      "evaluate",
      "--rules",
      file(
        "bad.json",
        '{"rules": [{"local": [{"user": {"name": "{3}"}}], "remote": [{"type": "A"}]}]}',
      ),
      "--input",
      file("c.txt", "A: x"),
    ]);
    expect(bad.stderr.startsWith("DirectMappingError: ")).toBe(true);
    expect(bad.code).toBe(1);
  });

  it("explain shows each rule's outcome and the resulting roles", () => {
    const r = main([
      "explain",
      "--stack",
      "dev",
      "--stacks-dir",
      FIXTURES_DIR,
      "--claims",
      join(__dirname, "..", "..", "..", "mappings", "examples", "dev-alice.json"),
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("  rule 0 (grants the whitelisted groups of acme): matched\n");
    expect(r.stdout).toContain(
      '  rule 1 (grants the whitelisted groups of globex): no match: remote[0] OIDC-openstack_access: any_one_of: none of ["globex-researchers"] in ["acme-developers","acme-auditors","other-team"]\n',
    );
    expect(r.stdout).toContain("  project acme/web: member, reader\n");
  });

  it("explain on an invalid or missing stack prints the clean error, not a stack trace", () => {
    const stacks = mkdtempSync(join(tmpdir(), "okf-stacks-"));
    writeFileSync(
      join(stacks, "Pulumi.broken.yaml"),
      "config:\n  openstack-keycloak-federation:environment: moon\n",
    );
    const claims = join(__dirname, "..", "..", "..", "mappings", "examples", "dev-alice.json");
    const r = main(["explain", "--stack", "broken", "--stacks-dir", stacks, "--claims", claims]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^invalid configuration for stack "broken" \(\d+ problems?\):\n  environment: /,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const missing = main([
      "explain",
      "--stack",
      "nosuch",
      "--stacks-dir",
      stacks,
      "--claims",
      claims,
    ]);
    expect(missing).toEqual({
      code: 2,
      stdout: "",
      stderr: `mapping explain: no stack file ${join(stacks, "Pulumi.nosuch.yaml")} (a stack is a file Pulumi.<stack>.yaml in the stacks folder)\n`,
    });
  });

  it("explain labels perTenant rules by the tenant whose whitelisted groups they grant", () => {
    const r = main([
      "explain",
      "--stack",
      "prod",
      "--stacks-dir",
      FIXTURES_DIR,
      "--claims",
      join(__dirname, "..", "..", "..", "mappings", "examples", "dev-alice.json"),
    ]);
    expect(
      r.stdout
        .split("\n")
        .filter((l) => l.startsWith("  rule "))
        .map((l) => l.slice(0, l.indexOf(":"))),
    ).toEqual([
      "  rule 0 (grants the whitelisted groups of acme)",
      "  rule 1 (grants the whitelisted groups of globex)",
    ]);
  });

  it("lint exits 1 on errors and 0 on a clean mapping", () => {
    expect(main(["lint", rules]).code).toBe(1);
    expect(
      main(["lint", join(__dirname, "..", "..", "..", "mappings", "dev.rules.json")]).code,
    ).toBe(0);
  });
});
