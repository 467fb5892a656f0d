/**
 * The drift issue: what `pulumi preview --refresh --json` found, access first with each grant's
 * meaning from the model, other resources with the properties that differ; the exit code tells no
 * drift (0), drift (1) and a failed preview (2) apart, which the drift workflow relies on.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../../infra/cli/drift-report";

const U = "urn:pulumi:dev::openstack-keycloak-federation::";
const dir = mkdtempSync(join(tmpdir(), "okf-drift-"));
function previewFile(steps: unknown[] | undefined): string {
  const f = join(dir, `p${Math.random().toString(16).slice(2)}.json`);
  writeFileSync(f, JSON.stringify(steps === undefined ? { diagnostics: [] } : { steps }));
  return f;
}

describe("drift report", () => {
  it("names a missing grant by what it grants, a changed mapping and a changed realm setting", () => {
    const r = main([
      "--stack",
      "dev",
      "--preview",
      previewFile([
        {
          op: "create",
          urn: `${U}okf:keystone:Tenancy$openstack:identity/roleAssignment:RoleAssignment::keystone-grant-acme-admins-member-web`,
        },
        {
          op: "update",
          urn: `${U}okf:keystone:Federation$pulumi-nodejs:dynamic/keystone:Mapping::federation-mapping`,
          diffReasons: ["rules"],
        },
        {
          op: "update",
          urn: `${U}okf:keycloak:Federation$keycloak:index/realm:Realm::keycloak-realm`,
          diffReasons: ["accessTokenLifespan"],
        },
        {
          op: "same",
          urn: `${U}okf:keycloak:Federation$keycloak:openid/client:Client::keycloak-client`,
        },
      ]),
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("<!-- okf-drift:dev -->");
    expect(r.stdout).toContain("found 3 resources that differ from the stack");
    const access = r.stdout.slice(r.stdout.indexOf("### Access"), r.stdout.indexOf("### Other"));
    expect(access).toContain("- grant member on project acme/web for acme/admins is missing");
    expect(access).toContain("- mapping `federation-mapping` differs (rules)");
    expect(access).not.toContain("realm");
    expect(r.stdout).toContain(
      "- update: `keycloak:index/realm:Realm` keycloak-realm (accessTokenLifespan)",
    );
    expect(r.stdout).not.toContain("keycloak-client");
  });

  it("says there is no drift and exits 0 when every step is `same`", () => {
    const r = main([
      "--stack",
      "dev",
      "--preview",
      previewFile([
        {
          op: "same",
          urn: `${U}okf:keycloak:Federation$keycloak:index/realm:Realm::keycloak-realm`,
        },
      ]),
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("No drift");
  });

  it("refuses a preview without steps (a failed preview is no drift report), exit 2", () => {
    const r = main(["--stack", "dev", "--preview", previewFile(undefined)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("has no steps (did the preview fail?)");
  });
});
