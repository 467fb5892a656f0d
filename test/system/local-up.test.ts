/**
 * The README's first command on this kind of machine: no Docker engine, the Pulumi CLI built from
 * its Go modules, and no provider plugins (the Go module proxy refuses their modules and no
 * download site is reachable). local-up.sh must provision the toolchain, name each missing plugin
 * with the reason, and fall back to offline mode without starting anything.
 */
import { KEYSTONE } from "../support/keystone-release";
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "../support/keystone-service";

describe(`scripts/local-up.sh without provider plugins [${KEYSTONE.label}]`, () => {
  it("provisions the toolchain, names every missing plugin and why, runs offline and starts nothing", () => {
    const home = mkdtempSync(join(tmpdir(), "okf-pulumi-home-"));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PULUMI_HOME: home,
      PULUMI_BACKEND_URL: `file://${home}/state`,
    };
    delete env.OKF_LOCAL_MODE;
    delete env.OKF_OFFLINE;
    const r = spawnSync("bash", [join(REPO, "scripts", "local-up.sh")], {
      encoding: "utf8",
      env,
      timeout: 1_800_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.split("\n");
    const reason = (name: string, version: string) =>
      `  - the Pulumi provider plugin ${name} ${version}: no download site is reachable and the Go module proxy refuses its modules ('scripts/toolchain.sh probe'); install it with 'pulumi plugin install resource ${name} ${version}' on a connected machine`;
    expect(lines.slice(0, 5)).toEqual([
      "local-up: missing:",
      reason("keycloak", "6.13.0"),
      reason("openstack", "3.15.2"),
      reason("command", "4.5.0"),
      "================ offline mode: no services, no pulumi up ================",
    ]);
    expect(r.stdout).toContain(
      "================ offline mode done; install what is missing above for the full run ================",
    );
    expect(
      spawnSync("curl", ["-s", "-o", "/dev/null", "http://127.0.0.1:8080/"]).status,
      "something listens on 8080",
    ).not.toBe(0);
  });
});
