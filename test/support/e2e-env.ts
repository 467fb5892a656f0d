/**
 * The end-to-end environment of a committed stack, all on loopback: a fake Keycloak (TLS JWKS +
 * token minting), Keystone under Apache with the stack's rendered mod_auth_openidc configuration
 * and keystone.conf overlay, and the stack's Keystone side (domains, projects, groups, grants, IdP,
 * mapping, protocol) created by `pulumi up` of the program with the real engine, targeted at the
 * Keystone components (the Keycloak side belongs to the system suite, with the real Keycloak).
 */
import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseStackConfig } from "../../infra/config/parse";
import { fromEngineConfig, PROJECT_NAMESPACE } from "../../infra/stack-files/stack-file";
import { type Artifact, renderAll } from "../../infra/model/artifacts";
import { buildModel, type DeploymentModel } from "../../infra/model/deployment-model";
import { type FakeKeycloak, type FakeUsers, startFakeKeycloak } from "./fake-keycloak";
import { type KeystoneSession, passwordToken } from "./keystone-admin";
import { notStarted, REPO } from "./keystone-service";
import { createStack, type PulumiStack } from "./pulumi-stack";
import { fixtureModel, readFixture } from "./stack-files";

/** The passphrase of the committed fixtures' secrets (test/fixtures/stacks/README.md). */
const FIXTURE_PASSPHRASE = "example-passphrase";
/** What `pulumi up` of an end-to-end stack touches: the Keystone components and their provider. */
export const KEYSTONE_TARGETS = ["**okf:keystone:**", "**pulumi:providers:openstack::**"];

export interface E2eEnv {
  readonly stack: string;
  readonly model: DeploymentModel;
  readonly dir: string;
  readonly keycloak: FakeKeycloak;
  readonly admin: KeystoneSession;
  /** The stack the engine keeps, in its working copy. */
  readonly cli: PulumiStack;
  readonly cloudsYaml: string;
  stop(): Promise<void>;
}

const SCRIPT = join(REPO, "scripts", "apache-keystone.sh");

/** Starts everything for `stack` on `port`; undefined (with a one-line reason) when it cannot outside CI. */
export async function startE2e(
  stack: string,
  port: number,
  opts: {
    config?: Record<string, string>;
    secretKeys?: string[];
    users?: FakeUsers;
    /** Run `pulumi up` of the Keystone side (default true; false leaves Keystone empty). */
    up?: boolean;
  } = {},
): Promise<E2eEnv | undefined> {
  const dir = `/tmp/okf-e2e-${stack}`;
  let keycloak: FakeKeycloak | undefined;
  try {
    const file = opts.config
      ? { config: opts.config, secretKeys: opts.secretKeys ?? [] }
      : readFixture(stack);
    const model = opts.config
      ? modelFromConfig(stack, file.config, file.secretKeys)
      : modelOf(stack);
    const adminPassword =
      file.config[`${PROJECT_NAMESPACE}:keystonePassword`] ?? "e2e-admin-password";

    // 1. Keycloak's stand-in and the rendered host configuration.
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(join(dir, "etc"), { recursive: true });
    keycloak = await startFakeKeycloak(
      model.keycloak.issuer,
      opts.users ?? {},
      model.keycloak.client.clientId,
    );
    const ca = join(dir, "etc", "keycloak-ca.pem");
    copyFileSync(keycloak.caFile, ca);
    chmodSync(ca, 0o644);
    const artifacts = renderAll(model, {
      secrets: { clientSecret: "e2e-client-secret", cryptoPassphrase: "e2e-crypto-passphrase" },
      apache: { caBundlePath: ca },
    });
    const write = renderedFileWriter(artifacts, join(dir, "etc"));
    const oidcConf = write("apache/keystone-oidc.conf");
    const overlay = write("keystone/keystone-federation.conf");
    const cloudsYaml = write("clients/clouds.yaml");
    execFileSync(
      "bash",
      [SCRIPT, "configtest", join(dir, "state"), String(port), oidcConf, overlay],
      { stdio: "pipe", env: { ...process.env, OKF_ADMIN_PASSWORD: adminPassword } },
    );
    execFileSync("bash", [SCRIPT, "start", join(dir, "state"), String(port), oidcConf, overlay], {
      stdio: "pipe",
      env: { ...process.env, OKF_ADMIN_PASSWORD: adminPassword },
      timeout: 600_000,
    });

    // 2. The Keystone side, by the real engine from the program.
    const url = model.keystone.url;
    const admin = { url, token: await passwordToken(url, "admin", adminPassword) };
    const cli = createStack(
      dir,
      stack,
      opts.config
        ? { config: file.config, secretKeys: file.secretKeys, passphrase: FIXTURE_PASSPHRASE }
        : {
            file: join(REPO, "test", "fixtures", "stacks", `Pulumi.${stack}.yaml`),
            passphrase: FIXTURE_PASSPHRASE,
          },
    );
    if (opts.up ?? true) cli.up(KEYSTONE_TARGETS.flatMap((t) => ["--target", t]));

    const kc = keycloak;
    return {
      stack,
      model,
      dir,
      keycloak: kc,
      admin,
      cli,
      cloudsYaml,
      async stop() {
        execFileSync("bash", [SCRIPT, "stop", join(dir, "state")], { stdio: "ignore" });
        await kc.close();
      },
    };
  } catch (e) {
    await keycloak?.close();
    try {
      execFileSync("bash", [SCRIPT, "stop", join(dir, "state")], { stdio: "ignore" });
    } catch {
      // nothing was started
    }
    return notStarted("the end-to-end environment", e, 400);
  }
}

/** Writes one rendered artifact flat into `etcDir` (slashes become `_`) and returns its path. */
export function renderedFileWriter(
  artifacts: readonly Artifact[],
  etcDir: string,
): (path: string) => string {
  return (path) => {
    const a = artifacts.find((x) => x.path === path);
    if (!a) throw new Error(`no rendered ${path}`);
    const target = join(etcDir, path.replace(/\//g, "_"));
    writeFileSync(target, a.content, { mode: a.mode });
    return target;
  };
}

/** The model of a fixture stack (test/fixtures/stacks/). */
export const modelOf = (stack: string): DeploymentModel => fixtureModel(stack);

export function modelFromConfig(
  stack: string,
  config: Record<string, string>,
  secretKeys: string[],
): DeploymentModel {
  const { raw, secretKeys: secrets } = fromEngineConfig({ config, secretKeys });
  return buildModel(parseStackConfig(raw, { stack, secretKeys: secrets }).config, stack);
}

/** Exchanges a bearer token for an unscoped Keystone token: the token, or the HTTP status. */
export async function federatedLogin(
  model: DeploymentModel,
  jwt: string,
  extraHeaders: Record<string, string> = {},
): Promise<{ status: number; token?: string }> {
  const res = await fetch(model.keystone.urls.cliAuth, {
    method: "POST",
    headers: { authorization: `Bearer ${jwt}`, ...extraHeaders },
  });
  await res.text();
  return {
    status: res.status,
    ...(res.status === 201 ? { token: res.headers.get("x-subject-token") ?? "" } : {}),
  };
}

// The smoke check's own request (infra/components/smoke-login.cjs), so both scope the same way.
const { projectScopeRequest } = require("../../infra/components/smoke-login.cjs") as {
  projectScopeRequest(unscoped: string, domain: string, project: string): RequestInit;
};

/** Scopes an unscoped federated token to a project: the role names, or the HTTP status. */
export async function scopeTo(
  model: DeploymentModel,
  unscoped: string,
  domain: string,
  project: string,
): Promise<{ status: number; roles?: string[] }> {
  const res = await fetch(
    `${model.keystone.urls.v3}/auth/tokens`,
    projectScopeRequest(unscoped, domain, project),
  );
  const body = (await res.json()) as { token?: { roles?: { name: string }[] } };
  return {
    status: res.status,
    ...(res.status === 201 ? { roles: (body.token?.roles ?? []).map((r) => r.name).sort() } : {}),
  };
}
