/**
 * The local environment (docker-compose.yaml, docker/keystone, scripts/local-up.sh) agrees with the
 * dev stack. Docker and the Pulumi CLI are not available where this suite runs: the compose file
 * is checked structurally, and local-up.sh runs with stand-ins for `docker`, `pulumi` and `curl`
 * that record how they were called.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { main as explain } from "../../infra/cli/mapping";
import { main as render } from "../../infra/cli/render";
import { readLocalDevStack } from "../support/stack-files";
import { PROJECT_NAMESPACE as PROJECT } from "../../infra/stack-files/stack-file";

const ROOT = join(__dirname, "..", "..");
interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  ports: string[];
  environment: Record<string, string>;
  volumes: string[];
  depends_on?: Record<string, { condition: string }>;
}
const compose = parse(readFileSync(join(ROOT, "docker-compose.yaml"), "utf8")) as {
  services: Record<string, Service>;
  volumes: Record<string, null>;
};
const dev = readLocalDevStack().config;
const devJson = (key: string) => JSON.parse(dev[`${PROJECT}:${key}`]!) as Record<string, unknown>;
const keycloak = compose.services.keycloak!;
const keystone = compose.services.keystone!;

describe("docker-compose.yaml", () => {
  it("has exactly Keycloak and Keystone, with named volumes for their databases", () => {
    expect(Object.keys(compose.services)).toEqual(["keycloak", "keystone"]);
    expect(Object.keys(compose.volumes)).toEqual(["keycloak-data", "keystone-data"]);
  });

  it("runs the official Keycloak image in dev mode, at the version scripts/toolchain.env pins", () => {
    const pinned = /^OKF_KEYCLOAK_VERSION=(\S+)$/m.exec(
      readFileSync(join(ROOT, "scripts", "toolchain.env"), "utf8"),
    )?.[1];
    expect(pinned).toMatch(/^26\.\d+\.\d+$/);
    expect(keycloak.image).toBe(`quay.io/keycloak/keycloak:${pinned}`);
    expect(keycloak.command).toEqual([
      "start-dev",
      "--http-port=8080",
      "--spi-group--jpa--escape-slashes-in-group-path=true",
    ]);
  });

  it("publishes both services on loopback only, at the dev stack's URLs", () => {
    expect(keycloak.ports).toEqual(["127.0.0.1:8080:8080"]);
    expect(keystone.ports).toEqual(["127.0.0.1:5000:5000"]);
    expect(devJson("keycloak").url).toBe("http://localhost:8080");
    expect(devJson("keystone").url).toBe("http://localhost:5000");
  });

  it("uses the dev stack's throw-away credentials (decrypted from stacks/Pulumi.dev.yaml)", () => {
    expect(keycloak.environment.KC_BOOTSTRAP_ADMIN_USERNAME).toBe("admin");
    expect(keycloak.environment.KC_BOOTSTRAP_ADMIN_PASSWORD).toBe("admin");
    expect((devJson("keycloak").admin as { username: string }).username).toBe("admin");
    expect(dev[`${PROJECT}:keycloakAdminPassword`]).toBe("admin");
    expect(keystone.environment.OKF_ADMIN_PASSWORD).toBe("local-admin-password");
    expect(dev[`${PROJECT}:keystonePassword`]).toBe("local-admin-password");
  });

  it("builds Keystone from debian:12 with the project's scripts and serves the rendered out/dev", () => {
    expect(keystone.build).toEqual({ context: ".", dockerfile: "docker/keystone/Dockerfile" });
    expect(keystone.volumes).toEqual([
      "./out/dev:/etc/okf/rendered:ro",
      "keystone-data:/var/lib/okf-keystone",
    ]);
    expect(keystone.depends_on).toEqual({ keycloak: { condition: "service_healthy" } });
    const dockerfile = readFileSync(join(ROOT, "docker", "keystone", "Dockerfile"), "utf8");
    expect(dockerfile.match(/^FROM .*$/gm)).toEqual(["FROM debian:12"]);
    expect(dockerfile.match(/^(?:COPY|ENTRYPOINT|RUN \/opt).*$/gm)).toEqual([
      "COPY scripts/install-debian-deps.sh scripts/keystone.sh /opt/okf/scripts/",
      "COPY scripts/lib/keystone-httpd-conf.sh scripts/lib/process-group.sh /opt/okf/scripts/lib/",
      "RUN /opt/okf/scripts/install-debian-deps.sh all && rm -rf /var/lib/apt/lists/* /tmp/okf-apt-updated",
      "COPY docker/keystone/entrypoint.sh /opt/okf/entrypoint.sh",
      'ENTRYPOINT ["/opt/okf/entrypoint.sh"]',
    ]);
    expect(statSync(join(ROOT, "docker", "keystone", "entrypoint.sh")).mode & 0o111).toBe(0o111);
  });

  it("docker mode renders the JWKS URI over https to the container's TLS forwarder, trusting its certificate", () => {
    // mod_auth_openidc 2.4.12 rejects an http OIDCOAuthVerifyJwksUri at parse time, so local-up
    // renders the https forwarder's URL and the certificate the entrypoint makes; the entrypoint
    // includes the file as rendered and refuses one that is not https.
    const localUp = readFileSync(join(ROOT, "scripts", "local-up.sh"), "utf8");
    const entrypoint = readFileSync(join(ROOT, "docker", "keystone", "entrypoint.sh"), "utf8");
    // The docker-mode render (the processes mode's paths start with $state).
    const flags = /render_dev --ca-bundle (\/\S+) --jwks-uri (\S+)\n/.exec(localUp);
    expect(
      flags,
      "local-up.sh renders with --ca-bundle and --jwks-uri in docker mode",
    ).not.toBeNull();
    const [, caBundle, jwksUri] = flags!;
    expect(caBundle).toBe(`${/state=\$\{OKF_STATE:-(\S+)\}/.exec(entrypoint)![1]}/tls/cert.pem`);
    expect(jwksUri).toBe("https://127.0.0.1:8443/realms/openstack/protocol/openid-connect/certs");
    expect(entrypoint).toContain('"OPENSSL-LISTEN:8443,bind=127.0.0.1');
    const out = mkdtempSync(join(tmpdir(), "okf-docker-render-"));
    expect(
      render(["--stack", "dev", "--out", out, "--ca-bundle", caBundle!, "--jwks-uri", jwksUri!])
        .code,
    ).toBe(0);
    const conf = readFileSync(join(out, "apache", "keystone-oidc.conf"), "utf8");
    expect(conf.match(/^OIDCOAuthVerifyJwksUri .*$/gm)).toEqual([
      `OIDCOAuthVerifyJwksUri "${jwksUri}"`,
    ]);
    expect(conf).toContain(`OIDCCABundlePath "${caBundle}"`);
    rmSync(out, { recursive: true, force: true });
  });
});

/** What `mapping explain` says of the example token on the dev stack (local-up prints it). */
const explained = explain([
  "explain",
  "--stack",
  "dev",
  "--claims",
  join(ROOT, "mappings", "examples", "dev-alice.json"),
]).stdout;
const ALICE = explained.slice(explained.indexOf("result: ")).trimEnd();
if (!ALICE.startsWith("result: user alice"))
  throw new Error(`mapping explain of the dev example: ${explained}`);

describe("scripts/local-up.sh", () => {
  const tmp = mkdtempSync(join(tmpdir(), "okf-local-up-"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const log = join(tmp, "calls.log");

  /** Puts stand-ins for docker (engine answering or not, compose present or not), pulumi and curl first on PATH. */
  function fakeBin(
    name: string,
    tools: { engine: boolean; compose: boolean; pulumi: boolean },
  ): string {
    const bin = join(tmp, name);
    execFileSync("mkdir", ["-p", bin]);
    const write = (tool: string, body: string) => {
      writeFileSync(
        join(bin, tool),
        `#!/usr/bin/env bash\necho "${tool} $*" >>"${log}"\n${body}\n`,
      );
      chmodSync(join(bin, tool), 0o755);
    };
    write(
      "docker",
      [
        `[ "$1" = info ] && exit ${tools.engine ? 0 : 1}`,
        `[ "$1 $2" = "compose version" ] && exit ${tools.compose ? 0 : 1}`,
        `[ "$1 $2" = "compose up" ] && [ "\${@: -1}" = keystone ] && echo "  with OKF_OIDC_CLIENT_SECRET=$OKF_OIDC_CLIENT_SECRET" >>"${log}"`,
        "exit 0",
      ].join("\n"),
    );
    if (tools.pulumi) {
      write(
        "pulumi",
        [
          'if [ "$1 $2" = "stack output" ]; then case "$3" in',
          "  issuer) echo http://localhost:8080/realms/openstack ;;",
          "  cliAuthUrl) echo http://localhost:5000/v3/OS-FEDERATION/identity_providers/keycloak-openstack/protocols/openid/auth ;;",
          "  clientSecret) echo generated-secret ;;",
          "  clientId) echo keystone ;;",
          "esac; fi",
          'if [ "$1 $2" = "config get" ]; then case "$3" in',
          `  smokeCheck) echo '{"username":"smoke","project":"acme/web"}' ;;`,
          "  smokeCheckPassword) echo smoke-password ;;",
          "esac; fi",
        ].join("\n"),
      );
    }
    write("curl", 'for a in "$@"; do [ "$a" = "%{http_code}" ] && printf 401; done; exit 0');
    return bin;
  }

  /** A Pulumi home where the plugins the npm packages request are already installed. */
  const home = join(tmp, "pulumi-home");
  for (const [name, version] of [
    ["keycloak", "6.13.0"],
    ["openstack", "3.15.2"],
    ["command", "1.2.1"],
  ]) {
    const dir = join(home, "plugins", `resource-${name}-v${version}`);
    execFileSync("mkdir", ["-p", dir]);
    writeFileSync(join(dir, `pulumi-resource-${name}`), "#!/bin/sh\n", { mode: 0o755 });
  }

  function run(bin: string, extraEnv: Record<string, string> = {}) {
    rmSync(log, { force: true });
    const path = bin ? `${bin}:${process.env.PATH}` : process.env.PATH!;
    const res = spawnSync("bash", [join(ROOT, "scripts", "local-up.sh")], {
      encoding: "utf8",
      env: {
        ...process.env,
        PATH: path,
        PULUMI_BACKEND_URL: `file://${tmp}/state`,
        PULUMI_CONFIG_PASSPHRASE: "local-dev-passphrase",
        PULUMI_HOME: home,
        ...extraEnv,
      },
    });
    let calls: string[] = [];
    try {
      calls = readFileSync(log, "utf8").trimEnd().split("\n");
    } catch {
      /* nothing called */
    }
    return { ...res, calls, bin };
  }

  it("offline mode (OKF_OFFLINE=1): banner, render, mapping explain, exit 0", () => {
    const r = run("", { OKF_OFFLINE: "1" });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      "local-up: missing:\n  - nothing: offline mode was requested (OKF_OFFLINE=1)\n================ offline mode: no services, no pulumi up ================\n",
    );
    expect(r.stdout).toContain("644 out/dev/apache/keystone-oidc.conf\n");
    expect(r.stdout).toContain(
      `${ALICE}\n================ offline mode done; install what is missing above for the full run ================\n`,
    );
  });

  it("docker mode: lists each missing piece on its own line with how to install it, then runs offline", () => {
    const r = run(fakeBin("no-engine", { engine: false, compose: false, pulumi: false }), {
      OKF_LOCAL_MODE: "docker",
    });
    expect(r.status).toBe(0);
    expect(r.stdout.split("\n").slice(0, 4)).toEqual([
      "local-up: missing:",
      "  - a running Docker engine: start it ('sudo systemctl start docker') or let your user reach /var/run/docker.sock",
      "  - docker compose: install the Compose plugin, e.g. 'sudo apt-get install docker-compose-plugin'",
      "================ offline mode: no services, no pulumi up ================",
    ]);
    expect(r.calls.filter((c) => !c.startsWith("pulumi"))).toEqual([
      "docker info",
      "docker compose version",
    ]);
  });

  it("docker mode with Docker and Pulumi present: renders, starts the containers, updates the dev stack, checks the endpoints and ends with a login, whose failure fails the run", () => {
    const r = run(fakeBin("all-present", { engine: true, compose: true, pulumi: true }), {
      OKF_LOCAL_MODE: "docker",
    });
    expect(r.calls).toEqual([
      "docker info",
      "docker compose version",
      "docker compose up -d --build --wait",
      "pulumi stack select --create dev --non-interactive",
      "pulumi up --yes --non-interactive --skip-preview --refresh --stack dev --suppress-progress --suppress-outputs",
      "pulumi stack output clientSecret --show-secrets --stack dev",
      "docker compose up -d --wait keystone",
      "  with OKF_OIDC_CLIENT_SECRET=generated-secret",
      "pulumi stack output issuer --stack dev",
      "pulumi stack output cliAuthUrl --stack dev",
      "curl -fsS -o /dev/null http://localhost:8080/realms/openstack/.well-known/openid-configuration",
      "curl -fsS -o /dev/null http://localhost:5000/v3",
      "curl -s -o /dev/null -w %{http_code} -X POST http://localhost:5000/v3/OS-FEDERATION/identity_providers/keycloak-openstack/protocols/openid/auth",
      "pulumi config get smokeCheck --stack dev",
      "pulumi stack output clientId --stack dev",
      "pulumi config get smokeCheckPassword --stack dev",
    ]);
    // Behind the stand-ins no Keycloak answers: the real login fails, and so does the run.
    expect(r.stderr).toContain("smoke check failed at Keycloak token request");
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("== a real login as the dev stack's smoke user\n");
    expect(r.stdout).not.toContain("local-up: done.");
  });

  it("fails (non-zero) when a step of the full run fails", () => {
    const bin = fakeBin("up-fails", { engine: true, compose: true, pulumi: true });
    writeFileSync(
      join(bin, "pulumi"),
      `#!/usr/bin/env bash\necho "pulumi $*" >>"${log}"\n[ "$1" = up ] && exit 255\nexit 0\n`,
    );
    const r = run(bin, { OKF_LOCAL_MODE: "docker" });
    expect(r.status).toBe(255);
    expect(r.calls.at(-1)).toBe(
      "pulumi up --yes --non-interactive --skip-preview --refresh --stack dev --suppress-progress --suppress-outputs",
    );
    // After Pulumi's own error: where the services logged theirs, and how to go on.
    expect(r.stderr).toContain(
      "local-up: pulumi up failed (the error is above); the services' last errors:",
    );
    expect(r.stderr).toContain(
      "local-up: a re-run continues from what was created: bash scripts/local-up.sh",
    );
  });
});
