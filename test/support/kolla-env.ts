/**
 * The kolla suite's environment: the program's kolla inputs (globals.d file, mapping file, metadata
 * files under node_custom_config) rendered by kolla-ansible's own keystone role templates through
 * Ansible's template engine, with kolla-ansible's group variables, role defaults and filter plugins
 * (test/kolla/render.yml), then Keystone run the way kolla runs it (scripts/kolla-keystone.sh:
 * uWSGI behind kolla's rendered Apache site, memcached), with the stack's Keystone side made by
 * `pulumi up` of the program and a fake Keycloak minting the tokens.
 *
 * What differs from a kolla host, written down here and nowhere else:
 *  - the site's container paths map to the test's folders: /var/log/kolla/keystone -> DIR/log,
 *    /etc/apache2/metadata -> the rendered metadata folder;
 *  - the host's facts are loopback's (network_interface: lo), and kolla's site variables a test
 *    needs are set (ports, public name, the passwords kolla-genpwd would write);
 *  - the fake Keycloak's certificate is self-signed: `OIDCCABundlePath` joins the program's
 *    `keystone_federation_oidc_additional_options` (a real Keycloak's certificate is trusted by the
 *    system store), and nothing else of the program's values is changed;
 *  - keystone.conf: the [federation], [openid] and [auth] sections kolla rendered are appended to
 *    the test's private keystone.conf (database, tokens and keys stay the test's).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parse, stringify } from "yaml";
import { renderAll } from "../../infra/model/artifacts";
import type { DeploymentModel } from "../../infra/model/deployment-model";
import { type FakeKeycloak, type FakeUsers, startFakeKeycloak } from "./fake-keycloak";
import { type KeystoneSession, passwordToken } from "./keystone-admin";
import { notStarted, REPO } from "./keystone-service";
import { KEYSTONE_TARGETS } from "./e2e-env";
import { createStack, type PulumiStack } from "./pulumi-stack";
import { fixtureModel, readFixture } from "./stack-files";
import { PROJECT_NAMESPACE } from "../../infra/stack-files/stack-file";

const FIXTURE_PASSPHRASE = "example-passphrase";
const KOLLA_SH = join(REPO, "scripts", "kolla-keystone.sh");
const CLIENT_SECRET = "kolla-client-secret-0123456789abcdef";
const CRYPTO_PASSPHRASE = "kolla-crypto-passphrase-0123456789abcdef";

export interface KollaRendered {
  /** kolla's httpd-keystone.conf as rendered (container paths). */
  readonly site: string;
  /** kolla's keystone.conf as rendered. */
  readonly keystoneConf: string;
  /** The metadata files kolla templated, by name. */
  readonly metadata: Record<string, string>;
  /** The program's globals.d file as emitted. */
  readonly globals: Record<string, unknown>;
}

export interface KollaEnv {
  readonly model: DeploymentModel;
  readonly dir: string;
  readonly rendered: KollaRendered;
  readonly keycloak: FakeKeycloak;
  readonly admin: KeystoneSession;
  readonly cli: PulumiStack;
  stop(): Promise<void>;
}

/** The kolla-ansible virtualenv (scripts/kolla-ansible.sh, cached). */
function kollaVenv(): string {
  return execFileSync("bash", [join(REPO, "scripts", "kolla-ansible.sh")], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 900_000,
  })
    .trim()
    .split("\n")
    .pop()!;
}

/**
 * Renders the program's kolla inputs with kolla-ansible's keystone role: writes them under
 * DIR/program (node_custom_config = DIR/program/kolla/config), runs test/kolla/render.yml.
 */
export function renderWithKolla(
  model: DeploymentModel,
  dir: string,
  site: {
    port: number;
    uwsgiPort: number;
    memcachedPort: number;
    caBundle?: string;
    /** The Keycloak client's secret, for the metadata's `.client` file. */
    clientSecret?: string;
  },
): KollaRendered {
  const artifacts = renderAll(model, {
    secrets: {
      clientSecret: site.clientSecret ?? CLIENT_SECRET,
      cryptoPassphrase: CRYPTO_PASSPHRASE,
    },
  });
  const program = join(dir, "program");
  for (const a of artifacts.filter((x) => x.path.startsWith("kolla/"))) {
    const f = join(program, a.path);
    mkdirSync(dirname(f), { recursive: true });
    writeFileSync(f, a.content, { mode: 0o600 });
  }
  const globalsFile = join(program, "kolla", "globals.d", "okf-federation.yml");
  const globals = parse(readFileSync(globalsFile, "utf8")) as Record<string, unknown>;

  const venv = kollaVenv();
  const share = join(venv, "share", "kolla-ansible", "ansible");
  const run = join(dir, "ansible");
  const out = join(dir, "rendered");
  rmSync(run, { recursive: true, force: true });
  mkdirSync(join(run, "roles", "okf_keystone_render"), { recursive: true });
  mkdirSync(join(out, "metadata"), { recursive: true });
  writeFileSync(join(run, "render.yml"), readFileSync(join(REPO, "test", "kolla", "render.yml")));
  const role = join(run, "roles", "okf_keystone_render");
  symlinkSync(
    join(REPO, "test", "kolla", "roles", "okf_keystone_render", "tasks"),
    join(role, "tasks"),
  );
  symlinkSync(join(share, "roles", "keystone", "defaults"), join(role, "defaults"));
  symlinkSync(join(share, "roles", "keystone", "templates"), join(role, "templates"));
  symlinkSync(join(share, "group_vars"), join(run, "group_vars"));
  symlinkSync(join(share, "filter_plugins"), join(run, "filter_plugins"));
  writeFileSync(
    join(run, "inventory"),
    [
      "[keystone]",
      `localhost ansible_connection=local ansible_python_interpreter=${join(venv, "bin", "python3")}`,
      ...["memcached", "rabbitmq", "mariadb", "control"].flatMap((g) => [
        `[${g}:children]`,
        "keystone",
      ]),
      "",
    ].join("\n"),
  );
  const options = {
    ...((globals.keystone_federation_oidc_additional_options as Record<string, unknown>) ?? {}),
    ...(site.caBundle ? { OIDCCABundlePath: site.caBundle } : {}),
  };
  writeFileSync(
    join(run, "site.yml"),
    stringify({
      kolla_base_distro: "debian",
      network_interface: "lo",
      kolla_internal_vip_address: "127.0.0.1",
      keystone_external_fqdn: "127.0.0.1",
      keystone_public_port: site.port,
      keystone_public_listen_port: site.port,
      keystone_wsgi_socket_port: site.uwsgiPort,
      memcached_port: site.memcachedPort,
      node_custom_config: join(program, "kolla", "config"),
      okf_out: out,
      service_name: "keystone",
      keystone_domain_directory: { stat: { exists: false } },
      keystone_federation_oidc_additional_options: options,
    }),
  );
  // What kolla-genpwd writes into passwords.yml for these.
  writeFileSync(
    join(run, "passwords.yml"),
    stringify({
      keystone_federation_openid_crypto_password: CRYPTO_PASSPHRASE,
      keystone_database_password: "kolla-db-password",
      rabbitmq_password: "kolla-rabbitmq-password",
    }),
  );
  try {
    execFileSync(
      join(venv, "bin", "ansible-playbook"),
      [
        "-i",
        "inventory",
        "render.yml",
        "-e",
        `@${globalsFile}`,
        "-e",
        "@site.yml",
        "-e",
        "@passwords.yml",
      ],
      { cwd: run, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 300_000 },
    );
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    throw new Error(
      `kolla-ansible's templates did not render:\n${err.stdout ?? ""}${err.stderr ?? ""}`,
    );
  }
  const metadataDir = join(out, "metadata");
  const metadata: Record<string, string> = {};
  for (const f of readdirSync(metadataDir))
    metadata[f] = readFileSync(join(metadataDir, f), "utf8");
  return {
    site: readFileSync(join(out, "httpd-keystone.conf"), "utf8"),
    keystoneConf: readFileSync(join(out, "keystone.conf"), "utf8"),
    metadata,
    globals,
  };
}

/** The [federation], [openid] and [auth] sections of a rendered keystone.conf, as they are. */
export function federationSections(conf: string): string {
  const keep = new Set(["federation", "openid", "auth"]);
  const out: string[] = [];
  let on = false;
  for (const line of conf.split("\n")) {
    const section = /^\[([^\]]+)\]/.exec(line)?.[1];
    if (section !== undefined) on = keep.has(section);
    if (on) out.push(line);
  }
  return `${out.join("\n")}\n`;
}

/**
 * Renders with kolla (renderWithKolla) into DIR and starts Keystone the way kolla runs it, its
 * state in STATE (scripts/kolla-keystone.sh); the container paths of kolla's site mapped to DIR.
 */
export function startKollaKeystone(
  model: DeploymentModel,
  dir: string,
  state: string,
  site: Parameters<typeof renderWithKolla>[2] & { adminPassword: string },
): KollaRendered {
  mkdirSync(join(dir, "log"), { recursive: true });
  const rendered = renderWithKolla(model, dir, site);
  const siteFile = join(dir, "httpd-keystone.conf");
  writeFileSync(
    siteFile,
    rendered.site
      .replaceAll("/var/log/kolla/keystone", join(dir, "log"))
      .replaceAll("/etc/apache2/metadata", join(dir, "rendered", "metadata")),
  );
  const overlay = join(dir, "keystone-federation.conf");
  writeFileSync(overlay, federationSections(rendered.keystoneConf));
  execFileSync("chmod", ["-R", "a+rX", dir]);
  execFileSync("chown", ["-R", "keystone:keystone", join(dir, "log"), join(dir, "rendered")]);
  execFileSync(
    "bash",
    [
      KOLLA_SH,
      "start",
      state,
      String(site.port),
      siteFile,
      overlay,
      String(site.uwsgiPort),
      String(site.memcachedPort),
    ],
    {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, OKF_ADMIN_PASSWORD: site.adminPassword },
      timeout: 600_000,
    },
  );
  return rendered;
}

/** Stops what startKollaKeystone started in STATE. */
export function stopKollaKeystone(state: string): void {
  execFileSync("bash", [KOLLA_SH, "stop", state], { stdio: "ignore" });
}

/** Starts the kolla-shaped Keystone for a fixture stack; undefined (one-line reason) outside CI. */
export async function startKolla(
  stack: string,
  ports: { keystone: number; uwsgi: number; memcached: number },
  users: FakeUsers = {},
): Promise<KollaEnv | undefined> {
  const dir = `/tmp/okf-kolla-${stack}`;
  const state = join(dir, "state");
  let keycloak: FakeKeycloak | undefined;
  const stopKeystone = () => stopKollaKeystone(state);
  try {
    try {
      stopKeystone();
    } catch {
      // nothing was running
    }
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(join(dir, "log"), { recursive: true });
    const model = fixtureModel(stack);
    keycloak = await startFakeKeycloak(
      model.keycloak.issuer,
      users,
      model.keycloak.client.clientId,
    );
    const ca = join(dir, "keycloak-ca.pem");
    writeFileSync(ca, readFileSync(keycloak.caFile), { mode: 0o644 });
    const adminPassword =
      readFixture(stack).config[`${PROJECT_NAMESPACE}:keystonePassword`] ?? "e2e-admin-password";
    const rendered = startKollaKeystone(model, dir, state, {
      port: ports.keystone,
      uwsgiPort: ports.uwsgi,
      memcachedPort: ports.memcached,
      caBundle: ca,
      adminPassword,
    });
    const url = model.keystone.url;
    const admin = { url, token: await passwordToken(url, "admin", adminPassword) };
    const cli = createStack(dir, stack, {
      file: join(REPO, "test", "fixtures", "stacks", `Pulumi.${stack}.yaml`),
      passphrase: FIXTURE_PASSPHRASE,
    });
    cli.up(KEYSTONE_TARGETS.flatMap((t) => ["--target", t]));
    const kc = keycloak;
    return {
      model,
      dir,
      rendered,
      keycloak: kc,
      admin,
      cli,
      async stop() {
        stopKeystone();
        await kc.close();
      },
    };
  } catch (e) {
    await keycloak?.close();
    try {
      stopKeystone();
    } catch {
      // nothing was started
    }
    return notStarted("the kolla environment", e, 3000);
  }
}
