/**
 * The system environment, all real and on loopback: Keycloak from Maven Central (TLS, so that
 * mod_auth_openidc can fetch its JWKS), Keystone under Apache with the stack's rendered
 * mod_auth_openidc and keystone.conf, and the real Pulumi CLI (scripts/pulumi.sh) with the provider
 * plugins and a fresh file backend, running the project's own program (infra/index.ts) on a
 * short-lived stack, from a working copy of the project (`workingCopy`) whose stacks/ folder holds
 * only that stack's file. Every Keycloak and Keystone object is created by `pulumi up`; the tests
 * read them back from the services.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { renderAll } from "../../infra/model/artifacts";
import type { DeploymentModel } from "../../infra/model/deployment-model";
import { PROJECT_NAMESPACE as PROJECT } from "../../infra/stack-files/stack-file";
import { modelFromConfig, renderedFileWriter } from "./e2e-env";
import {
  type DeployedKeycloak,
  type KeycloakAdmin,
  keycloakAdmin,
  readDeployed,
} from "./keycloak-admin";
import { call, type KeystoneSession, passwordToken } from "./keystone-admin";
import { notStarted, REPO } from "./keystone-service";
import { startKollaKeystone, stopKollaKeystone } from "./kolla-env";
import { type ConfigMap, createStack, type PulumiResult, type PulumiStack } from "./pulumi-stack";

export type { ConfigMap, PulumiResult } from "./pulumi-stack";
export { expectOk, workingCopy } from "./pulumi-stack";

const KEYCLOAK_SH = join(REPO, "scripts", "keycloak.sh");
const APACHE_SH = join(REPO, "scripts", "apache-keystone.sh");

export interface SystemPorts {
  readonly keycloakHttp: number;
  readonly keycloakHttps: number;
  readonly keystone: number;
}

export interface SystemEnv extends PulumiStack {
  readonly model: DeploymentModel;
  readonly dir: string;
  /** Keycloak's admin API over plain http on loopback (the issuer stays the pinned https URL). */
  readonly keycloak: KeycloakAdmin;
  /** The stack's fixed client secret (the `clientSecret` key). */
  readonly clientSecret: string;
  readonly admin: KeystoneSession;
  /** The stack's rendered clouds.yaml (with the client secret) and Keycloak's CA certificate. */
  readonly cloudsYaml: string;
  readonly keycloakCa: string;
  /** The stack's rendered Horizon websso settings snippet. */
  readonly horizonSettings: string;
  /** The same as `spawnPulumi(args).done`. */
  pulumiInBackground(args: readonly string[]): Promise<PulumiResult>;
  /** What Keycloak holds now: the realm, the Keystone client's id and the groups. */
  deployed(): Promise<DeployedKeycloak>;
  /** The id Keystone gave a domain, by name. */
  domainId(name: string): Promise<string>;
  stopKeycloak(): void;
  startKeycloak(): void;
  stopKeystone(): void;
  startKeystone(): void;
  stop(): void;
}

/**
 * The processes a killed CLI leaves behind: the engine starts the language host and each plugin in
 * a process group of its own, so killing the CLI's group misses them, and the language host, the
 * command plugin and the dynamic provider keep running, now children of init. Those of this
 * stack's Pulumi home, and any orphaned language host or dynamic provider, are stopped.
 */
export async function stopOrphansOfKilledCli(dir: string): Promise<void> {
  // The engine's children notice its end within a moment; what is left after that stays.
  await sleep(1000);
  const ps = spawnSync("ps", ["-eo", "pid=,ppid=,args="], { encoding: "utf8" }).stdout;
  for (const line of ps.split("\n")) {
    const [pid, ppid, ...args] = line.trim().split(/\s+/);
    const cmd = args.join(" ");
    const ours =
      cmd.includes(`${dir}/pulumi-home/plugins/`) ||
      cmd.includes("pulumi-language-nodejs") ||
      cmd.includes("dynamic-provider/index.js");
    if (ppid !== "1" || !ours) continue;
    try {
      process.kill(Number(pid), "SIGKILL");
    } catch {
      // gone already
    }
  }
}

export const PASSPHRASE = "system-test-passphrase";

/**
 * Starts everything for `stack` and, unless `up: false`, runs `pulumi up` of the program;
 * undefined (with a one-line reason) when it cannot outside CI. The configuration must set the
 * `clientSecret` key: Apache is configured with it before Keycloak's client exists.
 */
export async function startSystem(
  stack: string,
  config: ConfigMap,
  secretKeys: readonly string[],
  ports: SystemPorts,
  options: {
    /**
     * Environment for the CLI that chooses another state backend than the fresh file backend
     * (e.g. OKF_STATE_BUCKET + OKF_STATE_ENDPOINT + the S3 credentials); PULUMI_BACKEND_URL is
     * then left to scripts/pulumi.sh.
     */
    backendEnv?: Record<string, string>;
    /** Run `pulumi up` before returning. Default true. */
    up?: boolean;
    /**
     * How Keystone runs: `apache` (default), the program's own Apache configuration in front of
     * mod_wsgi; `kolla`, the way kolla-ansible runs it, from kolla-ansible's own templates
     * (test/support/kolla-env.ts; uWSGI on the Keystone port + 1, memcached on + 2).
     */
    keystone?: "apache" | "kolla";
  } = {},
): Promise<SystemEnv | undefined> {
  const dir = `/tmp/okf-system-${stack}`;
  const kcDir = join(dir, "keycloak");
  const ksDir = join(dir, "keystone");
  const kolla = options.keystone === "kolla";
  const stopKeystone = () =>
    kolla
      ? stopKollaKeystone(ksDir)
      : void spawnSync("bash", [APACHE_SH, "stop", ksDir], { stdio: "ignore" });
  const stopKeycloak = () =>
    void spawnSync("bash", [KEYCLOAK_SH, "stop", kcDir], { stdio: "ignore" });
  const stopAll = () => {
    stopKeystone();
    stopKeycloak();
  };
  try {
    stopAll();
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(join(dir, "etc"), { recursive: true });
    const model = modelFromConfig(stack, config, [...secretKeys]);
    const adminPassword = config[`${PROJECT}:keystonePassword`] ?? "system-admin-password";
    const clientSecret = config[`${PROJECT}:clientSecret`];
    if (clientSecret === undefined)
      throw new Error("the system stack must set clientSecret (Apache is configured before up)");

    // 1. The real Keycloak, empty but for its master realm.
    const startKeycloak = () =>
      void execFileSync(
        "bash",
        [KEYCLOAK_SH, "start", kcDir, String(ports.keycloakHttp), String(ports.keycloakHttps)],
        { stdio: ["ignore", "pipe", "pipe"], timeout: 600_000 },
      );
    startKeycloak();
    const keycloak = keycloakAdmin(`http://127.0.0.1:${ports.keycloakHttp}`);

    // 2. Keystone under Apache with the stack's rendered files; mod_auth_openidc trusts Keycloak's TLS.
    const ca = join(dir, "etc", "keycloak-ca.pem");
    copyFileSync(join(kcDir, "tls", "cert.pem"), ca);
    chmodSync(ca, 0o644);
    const artifacts = renderAll(model, {
      secrets: { clientSecret, cryptoPassphrase: "system-crypto-passphrase" },
      apache: { caBundlePath: ca },
    });
    const write = renderedFileWriter(artifacts, join(dir, "etc"));
    const oidcConf = write("apache/keystone-oidc.conf");
    const overlay = write("keystone/keystone-federation.conf");
    const cloudsYaml = write("clients/clouds.yaml");
    const horizonSettings = write("horizon/local_settings.d/_50_okf_websso.py");
    const startKeystone = () =>
      kolla
        ? void startKollaKeystone(model, join(dir, "kolla"), ksDir, {
            port: ports.keystone,
            uwsgiPort: ports.keystone + 1,
            memcachedPort: ports.keystone + 2,
            caBundle: ca,
            clientSecret,
            adminPassword,
          })
        : void execFileSync(
            "bash",
            [APACHE_SH, "start", ksDir, String(ports.keystone), oidcConf, overlay],
            {
              stdio: ["ignore", "pipe", "pipe"],
              env: { ...process.env, OKF_ADMIN_PASSWORD: adminPassword },
              timeout: 600_000,
            },
          );
    startKeystone();
    const url = model.keystone.url;
    const admin = { url, token: await passwordToken(url, "admin", adminPassword) };

    // The providers reach Keycloak over its TLS port: the stack trusts its certificate.
    const kcKey = `${PROJECT}:keycloak`;
    const withCa = {
      ...config,
      [kcKey]: JSON.stringify({ ...JSON.parse(config[kcKey] ?? "{}"), caBundle: ca }),
    };
    // 3. The stack, in a working copy of the project with a fresh backend.
    const cli = createStack(
      dir,
      stack,
      { config: withCa, secretKeys, passphrase: PASSPHRASE },
      options.backendEnv,
    );
    if (options.up !== false) cli.up();

    return {
      ...cli,
      model,
      dir,
      keycloak,
      clientSecret,
      admin,
      cloudsYaml,
      keycloakCa: ca,
      horizonSettings,
      pulumiInBackground: (args) => cli.spawnPulumi(args).done,
      deployed: () =>
        readDeployed(keycloak, model.keycloak.realm.name, model.keycloak.client.clientId),
      domainId: async (name) => {
        const domains = (await call(admin, "GET", `/domains?name=${encodeURIComponent(name)}`)).json
          .domains as { id: string }[];
        if (domains.length !== 1) throw new Error(`Keystone has no domain ${name}`);
        return domains[0]!.id;
      },
      stopKeycloak,
      startKeycloak,
      stopKeystone,
      startKeystone,
      stop: stopAll,
    };
  } catch (e) {
    stopAll();
    return notStarted("the system environment", e, 3000);
  }
}
