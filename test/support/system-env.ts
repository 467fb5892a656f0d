/**
 * The system environment, all real and on loopback: Keycloak from Maven Central (TLS, so that
 * mod_auth_openidc can fetch its JWKS), Keystone under Apache with the stack's rendered
 * mod_auth_openidc and keystone.conf, and the real Pulumi CLI (scripts/pulumi.sh) with a fresh file
 * backend. The Keycloak side and the Keystone tenancy are put in place from the main program's
 * mock-runtime graph (their provider plugins cannot be built here); the Keystone federation objects
 * are left to `pulumi up` of test/system/program.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { renderAll } from "../../infra/model/artifacts";
import type { FederationModel } from "../../infra/model/federation-model";
import { modelFromConfig, renderedFileWriter } from "./e2e-env";
import {
  type AppliedKeycloak,
  applyKeycloakGraph,
  type KeycloakAdmin,
  keycloakAdmin,
} from "./keycloak-applier";
import {
  type Applied,
  applyOpenstackGraph,
  type KeystoneSession,
  passwordToken,
} from "./keystone-applier";
import { notStarted, REPO } from "./keystone-service";
import { runWithMocks, valueOf, type Registration } from "./mock-runtime";
import { PROJECT_NAMESPACE as PROJECT } from "../../infra/config/stack-file";

export const PROGRAM_DIR = join(REPO, "test", "system", "program");
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
  /** Keycloak's admin API over plain http on loopback (the issuer stays the pinned https URL). */
  readonly keycloak: KeycloakAdmin;
  readonly keycloakApplied: AppliedKeycloak;
  readonly admin: KeystoneSession;
  readonly tenancy: Applied;
  readonly registrations: Registration[];
  readonly userDomainId: string;
  /** The stack's rendered clouds.yaml (with the client secret) and Keycloak's CA certificate. */
  readonly cloudsYaml: string;
  readonly keycloakCa: string;
  /** The stack's rendered Horizon websso settings snippet. */
  readonly horizonSettings: string;
  /** Runs the real CLI in the system program with this environment's backend and passphrase. */
  pulumi(args: readonly string[], opts?: { timeoutMs?: number }): PulumiResult;
  /** The same, without waiting: resolves with the result when the CLI exits. */
  pulumiInBackground(args: readonly string[]): Promise<PulumiResult>;
  /**
   * The CLI in its own process group, from `cwd` (default: the system program), with this
   * environment's backend and passphrase plus `env`; `kill()` ends the whole group with SIGKILL.
   */
  spawnPulumi(
    args: readonly string[],
    opts?: { cwd?: string; env?: Record<string, string> },
  ): { done: Promise<PulumiResult>; kill(): void };
  /** The file backend's folder (unused when `options.backendEnv` names another backend). */
  readonly backend: string;
  stopKeycloak(): void;
  startKeycloak(): void;
  stop(): void;
}

/** The stack configuration as the engine hands it over: `namespace:key` -> string (JSON for objects). */
export type ConfigMap = Record<string, string>;

export const PASSPHRASE = "system-test-passphrase";

/** Starts everything for `stack`; undefined (with a one-line reason) when it cannot outside CI. */
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
  } = {},
): Promise<SystemEnv | undefined> {
  const dir = `/tmp/okf-system-${stack}`;
  const kcDir = join(dir, "keycloak");
  const ksDir = join(dir, "keystone");
  const stopAll = () => {
    spawnSync("bash", [APACHE_SH, "stop", ksDir], { stdio: "ignore" });
    spawnSync("bash", [KEYCLOAK_SH, "stop", kcDir], { stdio: "ignore" });
  };
  try {
    stopAll();
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(join(dir, "etc"), { recursive: true });
    const model = modelFromConfig(stack, config, [...secretKeys]);
    const adminPassword = config[`${PROJECT}:keystonePassword`] ?? "system-admin-password";

    // 1. The main program's graph under the mock runtime.
    const run = await runWithMocks(
      stack,
      async () => {
        const { loadStackConfig } = await import("../../infra/config/load");
        const { declareStack } = await import("../../infra/stack");
        await valueOf(declareStack(loadStackConfig(), stack).outputs.protocolId);
      },
      { config, secretKeys: [...secretKeys] },
    );

    // 2. The real Keycloak, with the stack's realm, client, mappers and groups.
    const startKc = () =>
      execFileSync(
        "bash",
        [KEYCLOAK_SH, "start", kcDir, String(ports.keycloakHttp), String(ports.keycloakHttps)],
        { stdio: ["ignore", "pipe", "pipe"], timeout: 600_000 },
      );
    startKc();
    const keycloak = keycloakAdmin(`http://127.0.0.1:${ports.keycloakHttp}`);
    const keycloakApplied = await applyKeycloakGraph(keycloak, run.registrations);

    // 3. Keystone under Apache with the stack's rendered files; mod_auth_openidc trusts Keycloak's TLS.
    const ca = join(dir, "etc", "keycloak-ca.pem");
    copyFileSync(join(kcDir, "tls", "cert.pem"), ca);
    chmodSync(ca, 0o644);
    const artifacts = renderAll(model, {
      secrets: {
        clientSecret: keycloakApplied.clientSecret,
        cryptoPassphrase: "system-crypto-passphrase",
      },
      apache: { caBundlePath: ca },
    });
    const write = renderedFileWriter(artifacts, join(dir, "etc"));
    const oidcConf = write("apache/keystone-oidc.conf");
    const overlay = write("keystone/keystone-federation.conf");
    const cloudsYaml = write("clients/clouds.yaml");
    const horizonSettings = write("horizon/local_settings.d/_50_okf_websso.py");
    execFileSync("bash", [APACHE_SH, "start", ksDir, String(ports.keystone), oidcConf, overlay], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, OKF_ADMIN_PASSWORD: adminPassword },
      timeout: 600_000,
    });

    // 4. Keystone tenancy from the captured @pulumi/openstack inputs.
    const url = model.keystone.url;
    const admin = { url, token: await passwordToken(url, "admin", adminPassword) };
    const tenancy = await applyOpenstackGraph(admin, run.registrations, run.invocations);
    const idp = run.registrations.find(
      (r) => r.type === "pulumi-nodejs:dynamic/keystone:IdentityProvider",
    );
    const userDomainId = tenancy.ids.get(String(idp?.inputs.domainId));
    if (!userDomainId) throw new Error("the federated users' domain was not applied");

    // 5. The system program's stack: a fresh file backend, the same configuration, secrets encrypted.
    const backend = join(dir, "state");
    mkdirSync(backend, { recursive: true });
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
    const pulumi = (args: readonly string[], opts: { timeoutMs?: number } = {}): PulumiResult => {
      const r = spawnSync("bash", [PULUMI_SH, "--cwd", PROGRAM_DIR, ...args], {
        env,
        encoding: "utf8",
        timeout: opts.timeoutMs ?? 600_000,
        maxBuffer: 64 * 1024 * 1024,
      });
      return { code: r.status ?? -1, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
    };
    const spawnPulumi: SystemEnv["spawnPulumi"] = (args, opts = {}) => {
      const child = spawn("bash", [PULUMI_SH, "--cwd", opts.cwd ?? PROGRAM_DIR, ...args], {
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
    writeSystemStackFile(stack, config, secretKeys);
    const must = (args: string[]) => {
      const r = pulumi(args);
      if (r.code !== 0)
        throw new Error(`pulumi ${args[0]} ${args[1] ?? ""} failed: ${r.stderr.slice(-600)}`);
    };
    must(["stack", "init", stack, "--non-interactive"]);
    for (const key of secretKeys)
      must(["config", "set", "--secret", "--stack", stack, key, "--", config[key]!]);
    must(["config", "set", "--stack", stack, "okf-system:userDomainId", userDomainId]);

    return {
      stack,
      model,
      dir,
      keycloak,
      keycloakApplied,
      admin,
      tenancy,
      registrations: run.registrations,
      userDomainId,
      cloudsYaml,
      keycloakCa: ca,
      horizonSettings,
      pulumi,
      pulumiInBackground: (args) => spawnPulumi(args).done,
      spawnPulumi,
      backend,
      stopKeycloak: () => void spawnSync("bash", [KEYCLOAK_SH, "stop", kcDir], { stdio: "ignore" }),
      startKeycloak: () => void startKc(),
      stop: stopAll,
    };
  } catch (e) {
    stopAll();
    return notStarted("the system environment", e, 600);
  }
}

/** Writes the plain keys of the stack file; secrets are added encrypted by `pulumi config set --secret`. */
function writeSystemStackFile(
  stack: string,
  config: ConfigMap,
  secretKeys: readonly string[],
): void {
  const plain: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) {
    if (secretKeys.includes(k)) continue;
    plain[k] = v.startsWith("{") || v.startsWith("[") ? JSON.parse(v) : v;
  }
  writeFileSync(join(PROGRAM_DIR, `Pulumi.${stack}.yaml`), stringify({ config: plain }));
}

/** Removes the system program's stack file (the state lives in the environment's own backend). */
export function removeSystemStackFile(stack: string): void {
  rmSync(join(PROGRAM_DIR, `Pulumi.${stack}.yaml`), { force: true });
}
