/**
 * The system environment, all real and on loopback: Keycloak from Maven Central (TLS, so that
 * mod_auth_openidc can fetch its JWKS), Keystone under Apache with the stack's rendered
 * mod_auth_openidc and keystone.conf, and the real Pulumi CLI (scripts/pulumi.sh) with the provider
 * plugins and a fresh file backend, running the project's own program (infra/index.ts) on a
 * short-lived stack whose file lives in the environment's folder (`--config-file`). Every Keycloak
 * and Keystone object is created by `pulumi up`; the tests read them back from the services.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { renderAll } from "../../infra/model/artifacts";
import type { FederationModel } from "../../infra/model/federation-model";
import { PROJECT_NAMESPACE as PROJECT } from "../../infra/config/stack-file";
import { modelFromConfig, renderedFileWriter } from "./e2e-env";
import {
  type DeployedKeycloak,
  type KeycloakAdmin,
  keycloakAdmin,
  readDeployed,
} from "./keycloak-admin";
import { type KeystoneSession, passwordToken } from "./keystone-admin";
import { notStarted, REPO } from "./keystone-service";

const KEYCLOAK_SH = join(REPO, "scripts", "keycloak.sh");
const APACHE_SH = join(REPO, "scripts", "apache-keystone.sh");
const PULUMI_SH = join(REPO, "scripts", "pulumi.sh");

export interface SystemPorts {
  readonly keycloakHttp: number;
  readonly keycloakHttps: number;
  readonly keystone: number;
}

export interface PulumiResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface SystemEnv {
  readonly stack: string;
  readonly model: FederationModel;
  readonly dir: string;
  /** The stack's file (`Pulumi.<stack>.yaml` in `dir`), passed to the CLI as `--config-file`. */
  readonly stackFile: string;
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
  /** Runs the real CLI on the project with this environment's backend, passphrase and stack file. */
  pulumi(args: readonly string[], opts?: { timeoutMs?: number }): PulumiResult;
  /** `pulumi up` of the stack; throws with the CLI's output when it fails. */
  up(extra?: readonly string[]): PulumiResult;
  /** The same, without waiting: resolves with the result when the CLI exits. */
  pulumiInBackground(args: readonly string[]): Promise<PulumiResult>;
  /**
   * The CLI in its own process group, from `cwd` (default: the project with this environment's
   * stack file; another working copy reads its own), with this environment's backend and
   * passphrase plus `env`; `kill()` ends the whole group with SIGKILL.
   */
  spawnPulumi(
    args: readonly string[],
    opts?: { cwd?: string; env?: Record<string, string> },
  ): { done: Promise<PulumiResult>; kill(): void };
  /** What Keycloak holds now: the realm, the Keystone client's id and the groups. */
  deployed(): Promise<DeployedKeycloak>;
  /** The inputs the engine holds in the stack's state for each resource of a type. */
  declared(type: string): Record<string, unknown>[];
  /** The id Keystone gave a domain, by name. */
  domainId(name: string): Promise<string>;
  /** The file backend's folder (unused when `options.backendEnv` names another backend). */
  readonly backend: string;
  stopKeycloak(): void;
  startKeycloak(): void;
  stopKeystone(): void;
  startKeystone(): void;
  stop(): void;
}

/** The stack configuration as the engine hands it over: `namespace:key` -> string (JSON for objects). */
export type ConfigMap = Record<string, string>;

export const PASSPHRASE = "system-test-passphrase";

/** Commands that read the stack's configuration, and so take `--config-file`. */
const WITH_CONFIG = new Set(["up", "preview", "destroy", "refresh", "config", "import"]);

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
  } = {},
): Promise<SystemEnv | undefined> {
  const dir = `/tmp/okf-system-${stack}`;
  const kcDir = join(dir, "keycloak");
  const ksDir = join(dir, "keystone");
  const stopKeystone = () =>
    void spawnSync("bash", [APACHE_SH, "stop", ksDir], { stdio: "ignore" });
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
      void execFileSync(
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

    // 3. The stack: a fresh backend, its own PULUMI_HOME (plugins installed there by
    // scripts/pulumi.sh), the configuration in a stack file of its own, secrets encrypted.
    const backend = join(dir, "state");
    mkdirSync(backend, { recursive: true });
    const stackFile = join(dir, `Pulumi.${stack}.yaml`);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PULUMI_BACKEND_URL: `file://${backend}`,
      PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
      PULUMI_HOME: join(dir, "pulumi-home"),
    };
    if (options.backendEnv) {
      delete env.PULUMI_BACKEND_URL;
      Object.assign(env, options.backendEnv);
    }
    const cliArgs = (args: readonly string[]) =>
      WITH_CONFIG.has(args[0] ?? "") ? [...args, "--config-file", stackFile] : [...args];
    const pulumi = (args: readonly string[], opts: { timeoutMs?: number } = {}): PulumiResult => {
      const r = spawnSync("bash", [PULUMI_SH, "--cwd", REPO, ...cliArgs(args)], {
        env,
        encoding: "utf8",
        timeout: opts.timeoutMs ?? 900_000,
        maxBuffer: 64 * 1024 * 1024,
      });
      return { code: r.status ?? -1, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
    };
    const spawnPulumi: SystemEnv["spawnPulumi"] = (args, opts = {}) => {
      // Another working copy (opts.cwd) reads its own stack file from its stacks/ folder.
      const cli = opts.cwd ? [...args] : cliArgs(args);
      const child = spawn("bash", [PULUMI_SH, "--cwd", opts.cwd ?? REPO, ...cli], {
        env: { ...env, ...opts.env },
        detached: true,
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      const done = new Promise<PulumiResult>((resolve) =>
        child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr })),
      );
      return {
        done,
        kill: () => {
          if (child.pid) process.kill(-child.pid, "SIGKILL");
        },
      };
    };
    const must = (args: string[]) => {
      const r = pulumi(args);
      if (r.code !== 0)
        throw new Error(
          `pulumi ${args.slice(0, 2).join(" ")} failed:\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`,
        );
      return r;
    };
    writeStackFile(stackFile, config, secretKeys);
    must(["stack", "init", stack, "--non-interactive"]);
    for (const key of secretKeys)
      must(["config", "set", "--secret", "--stack", stack, key, "--", config[key]!]);
    const up = (extra: readonly string[] = []) =>
      must(["up", "--yes", "--non-interactive", "--skip-preview", "--stack", stack, ...extra]);
    if (options.up !== false) up();

    return {
      stack,
      model,
      dir,
      stackFile,
      keycloak,
      clientSecret,
      admin,
      cloudsYaml,
      keycloakCa: ca,
      horizonSettings,
      pulumi,
      up,
      pulumiInBackground: (args) => spawnPulumi(args).done,
      spawnPulumi,
      deployed: () =>
        readDeployed(keycloak, model.keycloak.realm.name, model.keycloak.client.clientId),
      declared: (type) => {
        const exported = must(["stack", "export", "--stack", stack]);
        const resources = (
          JSON.parse(exported.stdout) as {
            deployment: { resources?: { type: string; inputs?: Record<string, unknown> }[] };
          }
        ).deployment.resources;
        return (resources ?? []).filter((r) => r.type === type).map((r) => r.inputs ?? {});
      },
      domainId: async (name) => {
        const r = await fetch(`${url}/v3/domains?name=${encodeURIComponent(name)}`, {
          headers: { "x-auth-token": admin.token },
        });
        const domains = ((await r.json()) as { domains: { id: string }[] }).domains;
        if (domains.length !== 1) throw new Error(`Keystone has no domain ${name}`);
        return domains[0]!.id;
      },
      backend,
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

/** Writes the plain keys of the stack file; secrets are added encrypted by `pulumi config set --secret`. */
function writeStackFile(file: string, config: ConfigMap, secretKeys: readonly string[]): void {
  const plain: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) {
    if (secretKeys.includes(k)) continue;
    plain[k] = v.startsWith("{") || v.startsWith("[") ? JSON.parse(v) : v;
  }
  writeFileSync(file, stringify({ config: plain }));
}
