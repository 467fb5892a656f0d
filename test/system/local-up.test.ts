/**
 * The README's first command, for real: scripts/local-up.sh starts Keycloak and Keystone, installs
 * the provider plugins from the plugin folder, runs `pulumi up` of the dev stack (whose smoke check
 * logs in through Keycloak and Keystone) and logs in again; a second run changes nothing and logs in;
 * scripts/local-down.sh --yes leaves nothing running. Without the plugins it names what is missing
 * and runs offline, starting nothing.
 */
import { KEYSTONE } from "../support/keystone-release";
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO } from "../support/keystone-service";

const listening = (port: number) =>
  spawnSync("curl", ["-s", "-o", "/dev/null", `http://127.0.0.1:${port}/`]).status === 0;

function script(name: string, env: NodeJS.ProcessEnv, args: string[] = []) {
  const r = spawnSync("bash", [join(REPO, "scripts", name), ...args], {
    encoding: "utf8",
    env,
    timeout: 1_800_000,
  });
  return { code: r.status, out: `${r.stdout}\n${r.stderr}`, stdout: r.stdout };
}

/** A failed run's error lines first (a long log is cut from the front), then its end. */
function why(r: { out: string }): string {
  const errors = r.out.match(/^.*(error|failed).*$/gim) ?? ["(no error line)"];
  return `${errors.slice(-20).join("\n")}\n---\n${r.out.slice(-2000)}`;
}

describe(`scripts/local-up.sh and local-down.sh, for real [${KEYSTONE.label}]`, () => {
  const home = mkdtempSync(join(tmpdir(), "okf-pulumi-home-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PULUMI_HOME: home,
    PULUMI_BACKEND_URL: `file://${home}/state`,
  };
  delete env.OKF_LOCAL_MODE;
  delete env.OKF_OFFLINE;
  delete env.PULUMI_CONFIG_PASSPHRASE;

  afterAll(() => void script("local-down.sh", env, ["--yes"]));

  it("from a fresh start: services up, the dev stack created by pulumi up, a real login, a summary", () => {
    script("local-down.sh", env, ["--yes"]);
    const r = script("local-up.sh", env);
    expect(r.code, why(r)).toBe(0);
    expect(r.stdout).not.toContain("offline mode");
    expect(r.stdout).toMatch(/\+ \d+ created/);
    // The update's own smoke check and the login after it: both real, both to exactly acme/web.
    expect(r.stdout).toMatch(/smoke-check-login created .*smoke check passed: smoke on acme\/web/);
    expect(r.stdout).toMatch(/^smoke check passed: smoke on acme\/web with roles member, reader$/m);
    expect(r.stdout).toContain("local-up: done. Where everything runs:");
    expect(r.stdout).toContain(`  Pulumi state    file://${home}/state`);
    expect(listening(8080) && listening(5000)).toBe(true);
  });

  it("a second run changes nothing and logs in again", () => {
    const r = script("local-up.sh", env);
    expect(r.code, why(r)).toBe(0);
    expect(r.stdout).toMatch(/^ +\d+ unchanged$/m);
    expect(r.stdout).not.toMatch(/[+~-] \d+ (created|updated|deleted|replaced)/);
    expect(r.stdout).toMatch(/^smoke check passed: smoke on acme\/web with roles member, reader$/m);
  });

  it("local-down.sh --yes stops everything it started", () => {
    const r = script("local-down.sh", env, ["--yes"]);
    expect(r.code, r.out).toBe(0);
    expect(listening(8080) || listening(5000)).toBe(false);
    // What this run started: the plugins from its Pulumi home, the services from .local/.
    const left = spawnSync("pgrep", ["-f", `${home}/plugins|${REPO}/.local/`], {
      encoding: "utf8",
    }).stdout;
    expect(left.trim(), "processes left running").toBe("");
  });

  it("without the provider plugins: names what is missing, runs offline and starts nothing", () => {
    const empty = mkdtempSync(join(tmpdir(), "okf-no-plugins-"));
    const r = script("local-up.sh", {
      ...env,
      PULUMI_HOME: mkdtempSync(join(tmpdir(), "okf-pulumi-home-")),
      OKF_PLUGIN_DIR: empty,
    });
    expect(r.code, r.out.slice(-3000)).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines.slice(0, 3)).toEqual([
      "local-up: missing:",
      `  - the Pulumi provider plugins: plugins: ${empty} has no pulumi-resource-keycloak-v6.13.0-linux-amd64.tar.gz (the keycloak plugin 6.13.0 the npm packages request): add it to the folder`,
      "================ offline mode: no services, no pulumi up ================",
    ]);
    expect(listening(8080)).toBe(false);
  });
});
