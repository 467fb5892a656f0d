/**
 * The tools a brownfield test drives: the openstack CLI as Keystone's admin (the way kolla-ansible's
 * bootstrap user and hand-written scripts run it) and `npm run adopt` against a test stack's
 * working copy and backend.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { join } from "node:path";
import { REPO } from "./keystone-service";
import type { PulumiStack } from "./pulumi-stack";

/** Runs `openstack ARGS` as Keystone's bootstrap admin; its standard output. */
export function openstackAsAdmin(keystoneUrl: string, password: string, args: string[]): string {
  return execFileSync("openstack", args, {
    encoding: "utf8",
    env: {
      ...process.env,
      OS_CLOUD: "",
      OS_AUTH_URL: `${keystoneUrl}/v3`,
      OS_IDENTITY_API_VERSION: "3",
      OS_USERNAME: "admin",
      OS_PASSWORD: password,
      OS_PROJECT_NAME: "admin",
      OS_USER_DOMAIN_NAME: "Default",
      OS_PROJECT_DOMAIN_NAME: "Default",
    },
  });
}

/** `npm run adopt -- --stack STACK ...` in the stack's working copy: exit code and all output. */
export function runAdopt(
  stack: PulumiStack,
  o: { dir: string; passphrase: string },
  extra: string[],
): { code: number; out: string } {
  const r = spawnSync(
    "npx",
    [
      "tsx",
      join(REPO, "infra", "cli", "adopt.ts"),
      "--stack",
      stack.stack,
      "--cwd",
      stack.project,
      ...extra,
    ],
    {
      cwd: REPO,
      encoding: "utf8",
      env: {
        ...process.env,
        PULUMI_BACKEND_URL: `file://${stack.backend}`,
        PULUMI_CONFIG_PASSPHRASE: o.passphrase,
        PULUMI_HOME: join(o.dir, "pulumi-home"),
      },
      timeout: 600_000,
    },
  );
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}
