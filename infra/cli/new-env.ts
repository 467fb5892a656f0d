/**
 * npm run new-env -- --name <env> --environment <kind> --keycloak-url <url> --keystone-url <url>
 *   (--keystone-cloud <name> | --application-credential-id <id>) --tenant <name> --project <name>...
 *   --group <name> [--role member]
 *   [--realm openstack] [--horizon-url <url>...] [--keycloak-admin-client pulumi-admin | --keycloak-admin-user <name>]
 * Writes stacks/Pulumi.<env>.yaml, validated, with secrets left as markers, and prints the next
 * commands. Never overwrites a stack file.
 */
import { existsSync, writeFileSync } from "node:fs";
import { Command, Option } from "commander";
import { newStackFile, newStackSecrets, type NewStackOptions } from "../stack-files/new-stack";
import { EnvironmentSchema } from "../config/schema";
import { stackFilePath, STACKS_DIR } from "../stack-files/stack-file";
import { type CliResult, finish, runCli, UsageError } from "./run";

interface Flags {
  name: string;
  environment: NewStackOptions["environment"];
  keycloakUrl: string;
  keystoneUrl: string;
  horizonUrl: string[];
  realm: string;
  keycloakAdminClient?: string;
  keycloakAdminUser?: string;
  keystoneCloud?: string;
  applicationCredentialId?: string;
  tenant: string;
  project: string[];
  group: string;
  role: string;
  stacksDir: string;
}

function options(f: Flags): NewStackOptions {
  if (!/^[a-z0-9][a-z0-9-]{0,39}$/.test(f.name)) {
    throw new UsageError(
      `new-env: --name "${f.name}" must be lower-case letters, digits and '-' (a stack name)`,
    );
  }
  if ((f.keystoneCloud === undefined) === (f.applicationCredentialId === undefined)) {
    throw new UsageError(
      "new-env: give exactly one of --keystone-cloud <name> or --application-credential-id <id> (Pulumi's Keystone login)",
    );
  }
  if (f.project.length === 0) {
    throw new UsageError(
      "new-env: give the first tenant's projects with --project <name> (repeatable)",
    );
  }
  if (f.keycloakAdminClient !== undefined && f.keycloakAdminUser !== undefined) {
    throw new UsageError(
      "new-env: give one of --keycloak-admin-client or --keycloak-admin-user, not both",
    );
  }
  return {
    name: f.name,
    environment: f.environment,
    keycloakUrl: f.keycloakUrl,
    keystoneUrl: f.keystoneUrl,
    horizonUrls: f.horizonUrl,
    realm: f.realm,
    keycloakAdmin:
      f.keycloakAdminUser !== undefined
        ? { username: f.keycloakAdminUser }
        : { clientId: f.keycloakAdminClient ?? "pulumi-admin" },
    keystoneAuth:
      f.keystoneCloud !== undefined
        ? { cloud: f.keystoneCloud }
        : { applicationCredentialId: f.applicationCredentialId! },
    tenant: f.tenant,
    projects: f.project,
    group: f.group,
    role: f.role,
  };
}

function newEnv(f: Flags): CliResult {
  const o = options(f);
  const file = stackFilePath(o.name, f.stacksDir);
  if (existsSync(file)) throw new UsageError(`new-env: ${file} exists; nothing was changed`);
  const text = newStackFile(o);
  writeFileSync(file, text, { flag: "wx" });
  const next = [
    `pulumi stack init ${o.name}    # add --secrets-provider <kms> to keep secrets in a KMS`,
    ...newStackSecrets(o).map((k) => `pulumi config set --secret ${k} <value> --stack ${o.name}`),
    "npm run generate",
    "npm run test:stacks",
    `pulumi preview --diff --stack ${o.name}`,
  ];
  return {
    code: 0,
    stdout: `created ${file}\nnext:\n${next.map((l) => `  ${l}\n`).join("")}`,
    stderr: "",
  };
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function main(argv: readonly string[]): CliResult {
  const program = new Command("new-env");
  return runCli(program, argv, (set) => {
    program
      .requiredOption("--name <env>", "stack name: stacks/Pulumi.<env>.yaml")
      .addOption(
        new Option("--environment <kind>", "kind of environment")
          .choices(EnvironmentSchema.options)
          .makeOptionMandatory(),
      )
      .requiredOption("--keycloak-url <url>", "Keycloak base URL, e.g. https://id.example.com")
      .requiredOption(
        "--keystone-url <url>",
        "Keystone public URL, e.g. https://keystone.example.com:5000",
      )
      .option("--horizon-url <url>", "a Horizon dashboard URL (repeatable)", collect, [])
      .option("--realm <name>", "proxy realm", "openstack")
      .option(
        "--keycloak-admin-client <clientId>",
        "Pulumi logs in to Keycloak with this admin client (default pulumi-admin)",
      )
      .option("--keycloak-admin-user <name>", "... or with this admin user")
      .option("--keystone-cloud <name>", "Pulumi logs in to Keystone with this clouds.yaml entry")
      .option("--application-credential-id <id>", "... or with this application credential")
      .requiredOption("--tenant <name>", "the first tenant (Keystone domain)")
      .requiredOption("--project <name>", "a project of that tenant (repeatable)", collect, [])
      .requiredOption(
        "--group <name>",
        "the tenant's first access group (Keycloak /<tenant>/<group>)",
      )
      .option("--role <role>", "role the group gets on each project", "member")
      .option("--stacks-dir <dir>", "folder of the stack files", STACKS_DIR)
      .action((f: Flags) => set(newEnv(f)));
  });
}

if (require.main === module) finish(main(process.argv.slice(2)));
