/**
 * The pull-request comment on the reviewed change of the lifecycle: a project and an access group
 * added, a token lifetime changed. A reviewer who cannot read rules.json reads who gains what.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { main } from "../../../infra/cli/preview-comment";
import { stackFilePath } from "../../../infra/stack-files/stack-file";
import { FIXTURES_DIR } from "../../support/stack-files";

const ns = "openstack-keycloak-federation";
const urn = (type: string, name: string, parent = "") =>
  `urn:pulumi:pr-1::${ns}::${parent ? `${parent}$` : ""}${type}::${name}`;

/** The head: test-template with project test-acme/ops, group test-acme/operators, a 10 min token. */
function headDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "okf-preview-"));
  const doc = parse(readFileSync(stackFilePath("test-template", FIXTURES_DIR), "utf8")) as {
    config: Record<string, unknown>;
  };
  const c = doc.config;
  (c[`${ns}:tenants`] as { name: string; projects: unknown[] }[])[0]!.projects.push({
    name: "ops",
  });
  (c[`${ns}:access`] as unknown[]).push({
    tenant: "test-acme",
    group: "operators",
    grants: [
      { role: "member", project: "ops" },
      { role: "reader", project: "web" },
    ],
  });
  c[`${ns}:realm`] = { ...(c[`${ns}:realm`] as object), tokens: { accessToken: 600 } };
  writeFileSync(join(dir, "Pulumi.test-template.yaml"), stringify(doc));
  const table = readFileSync(join(FIXTURES_DIR, "test-template.access.yaml"), "utf8").replace(
    "cases:\n",
    "cases:\n  - name: an operator\n    claims: { openstack_access: [test-acme-operators] }\n    expect: { user: tester, groups: [test-acme/test-acme-operators], roles: { test-acme/ops: [member], test-acme/web: [reader] } }\n",
  );
  writeFileSync(join(dir, "test-template.access.yaml"), table);
  writeFileSync(
    join(dir, "preview.json"),
    JSON.stringify({
      steps: [
        { op: "same", urn: urn("pulumi:providers:keycloak", "keycloak") },
        {
          op: "update",
          urn: urn("keycloak:index/realm:Realm", "keycloak-realm", "okf:keycloak:Federation"),
        },
        {
          op: "create",
          urn: urn(
            "openstack:identity/project:Project",
            "keystone-project-test-acme-ops",
            "okf:keystone:Tenancy",
          ),
        },
        {
          op: "create",
          urn: urn(
            "keycloak:index/group:Group",
            "keycloak-kcgroup-test-acme-operators",
            "okf:keycloak:Federation",
          ),
        },
        {
          op: "update",
          urn: urn(
            "pulumi-nodejs:dynamic/keystone:Mapping",
            "federation-mapping",
            "okf:keystone:Federation",
          ),
        },
      ],
      changeSummary: { same: 1, update: 2, create: 2 },
    }),
  );
  return dir;
}

/** The command on the head in `dir`, against the fixture as the base. */
const comment = (dir: string, preview: string, ...more: string[]) =>
  main([
    "--stack=test-template",
    `--stacks-dir=${dir}`,
    `--preview=${join(dir, preview)}`,
    `--base=${stackFilePath("test-template", FIXTURES_DIR)}`,
    ...more,
  ]);

describe("npm run preview:comment", () => {
  it("lists the resource changes, who gains what, and the mapping diff", () => {
    const dir = headDir();
    const r = comment(
      dir,
      "preview.json",
      `--access-table=${join(dir, "test-template.access.yaml")}`,
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const head = r.stdout.slice(0, r.stdout.indexOf("```diff"));
    expect(head).toBe(
      [
        "<!-- okf-preview:test-template -->",
        "### `pulumi preview` of test-template",
        "",
        "**Resources:** 2 to create, 2 to update, 0 to replace, 0 to delete.",
        "",
        "create:",
        "- `keycloak:index/group:Group` keycloak-kcgroup-test-acme-operators",
        "- `openstack:identity/project:Project` keystone-project-test-acme-ops",
        "",
        "update:",
        "- `keycloak:index/realm:Realm` keycloak-realm",
        "- `pulumi-nodejs:dynamic/keystone:Mapping` federation-mapping",
        "",
        "**Endpoints** (where Pulumi sends the stack's credentials):",
        "- no change",
        "",
        "**Access:**",
        "- test-acme/operators gains member on test-acme/ops",
        "- test-acme/operators gains reader on test-acme/web",
        "- an operator gains member on test-acme/ops",
        "- an operator gains reader on test-acme/web",
        "",
        "**Mapping** (`mappings/test-template.rules.json`):",
        "",
        "",
      ].join("\n"),
    );
    const diff = r.stdout.slice(r.stdout.indexOf("```diff"));
    expect(diff.startsWith("```diff\n--- base\n+++ head\n@@ ")).toBe(true);
    // One rule per tenant: the new group's value joins the tenant's any_one_of and its whitelist.
    const added = diff.split("\n").filter((l) => l.startsWith("+") && !l.startsWith("+++"));
    const removed = diff.split("\n").filter((l) => l.startsWith("-") && !l.startsWith("---"));
    expect(
      added.filter((l) => l.trim() === '+            "test-acme-operators"'.trim()),
    ).toHaveLength(2);
    expect(removed).toEqual([
      '-            "test-acme-developers"',
      '-            "test-acme-developers"',
    ]);
    expect(diff.trimEnd().endsWith("```")).toBe(true);
  });

  it("says when access and the mapping do not change", () => {
    const dir = headDir();
    writeFileSync(
      join(dir, "Pulumi.test-template.yaml"),
      readFileSync(stackFilePath("test-template", FIXTURES_DIR)),
    );
    writeFileSync(join(dir, "empty.json"), JSON.stringify({ steps: [], changeSummary: {} }));
    const r = comment(dir, "empty.json");
    expect(r.stdout).toContain(
      "**Resources:** 0 to create, 0 to update, 0 to replace, 0 to delete.\n\n**Endpoints** (where Pulumi sends the stack's credentials):\n- no change\n\n**Access:**\n- no change\n\n**Mapping** (`mappings/test-template.rules.json`):\n- no change\n",
    );
  });

  it("makes a change of where the credentials go stand out: authUrl, authHosts and TLS verification", () => {
    const dir = headDir();
    const file = join(dir, "Pulumi.test-template.yaml");
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace(
        /openstack-keycloak-federation:keystone:\n/,
        (m) =>
          `${m}    authUrl: https://keystone-internal.test.example.net/v3\n    authHosts: [keystone-internal.test.example.net]\n`,
      ),
    );
    const r = comment(dir, "preview.json");
    expect(r.stderr).toBe("");
    const section = r.stdout.slice(
      r.stdout.indexOf("**Endpoints**"),
      r.stdout.indexOf("**Access:**"),
    );
    expect(section).toContain(
      "- **keystone.authUrl**: `https://keystone.test.example.com:5000/v3` → `https://keystone-internal.test.example.net/v3`",
    );
    expect(section).toContain(
      "- **keystone.authHosts**: `(none)` → `keystone-internal.test.example.net`",
    );
  });

  it("refuses a file that is not preview JSON, naming it", () => {
    const dir = headDir();
    writeFileSync(join(dir, "bad.json"), "Previewing update (pr-1):");
    const r = comment(dir, "bad.json");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^preview:comment: .*bad\.json is not pulumi preview --json output/);
  });
});
