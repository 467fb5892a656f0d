import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { main } from "../../../infra/cli/new-env";
import { parseStackFile } from "../../../infra/stack-files/stack-file";

const base = (dir: string, name = "qa") => [
  "--name",
  name,
  "--environment",
  "staging",
  "--keycloak-url",
  "https://id.qa.example.com",
  "--keystone-url",
  "https://keystone.qa.example.com:5000",
  "--tenant",
  "acme",
  "--project",
  "web",
  "--project",
  "data",
  "--group",
  "developers",
  "--stacks-dir",
  dir,
];

describe("npm run new-env", () => {
  it("writes a valid, protected stack with every secret as a marker and lists the next commands", () => {
    const dir = mkdtempSync(join(tmpdir(), "okf-new-env-"));
    const r = main([...base(dir), "--keystone-cloud", "qa-admin", "--keycloak-admin-user", "ops"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      [
        `created ${join(dir, "Pulumi.qa.yaml")}`,
        "next:",
        "  pulumi stack init qa    # add --secrets-provider <kms> to keep secrets in a KMS",
        "  pulumi config set --secret keycloakAdminPassword <value> --stack qa",
        "  pulumi config set --secret oidcCryptoPassphrase <value> --stack qa",
        "  npm run generate",
        "  npm run test:stacks",
        "  pulumi preview --diff --stack qa",
        "",
      ].join("\n"),
    );
    const { config } = parseStackFile("qa", dir);
    expect(config.protection.protect).toBe(true);
    expect(config.keystone.cloud).toBe("qa-admin");
    expect(config.access).toEqual([
      {
        tenant: "acme",
        group: "developers",
        grants: [
          { role: "member", project: "web" },
          { role: "member", project: "data" },
        ],
      },
    ]);
    const doc = parse(readFileSync(join(dir, "Pulumi.qa.yaml"), "utf8")) as {
      config: Record<string, unknown>;
    };
    expect(doc.config["openstack-keycloak-federation:keycloakAdminPassword"]).toEqual({
      secure: "SET-ME: pulumi config set --secret keycloakAdminPassword <value> --stack qa",
    });
    expect(doc.config["pulumi:disable-default-providers"]).toEqual([
      "keycloak",
      "openstack",
      "command",
    ]);
  });

  it("refuses bad values before writing anything, naming the key", () => {
    const dir = mkdtempSync(join(tmpdir(), "okf-new-env-"));
    const http = main([
      ...base(dir).map((a) => a.replace("https://id", "http://id")),
      "--keystone-cloud",
      "x",
    ]);
    expect(http.code).toBe(2);
    expect(http.stderr).toMatch(/^invalid configuration for stack "qa" .*\n  keycloak\.url: /);
    expect(main([...base(dir, "Bad_Name"), "--keystone-cloud", "x"]).stderr).toContain(
      '--name "Bad_Name" must be',
    );
    expect(main([...base(dir)]).stderr).toContain("give exactly one of --keystone-cloud");
    expect(
      main([...base(dir), "--keystone-cloud", "x", "--application-credential-id", "y"]).code,
    ).toBe(2);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("never overwrites a stack file", () => {
    const dir = mkdtempSync(join(tmpdir(), "okf-new-env-"));
    expect(main([...base(dir), "--keystone-cloud", "x"]).code).toBe(0);
    const before = readFileSync(join(dir, "Pulumi.qa.yaml"), "utf8");
    const again = main([...base(dir), "--application-credential-id", "abc"]);
    expect(again).toEqual({
      code: 2,
      stdout: "",
      stderr: `new-env: ${join(dir, "Pulumi.qa.yaml")} exists; nothing was changed\n`,
    });
    expect(readFileSync(join(dir, "Pulumi.qa.yaml"), "utf8")).toBe(before);
    expect(existsSync(join(dir, "Pulumi.qa.yaml"))).toBe(true);
  });
});
