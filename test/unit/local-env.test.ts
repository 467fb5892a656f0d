/**
 * The local environment's compose file agrees with the dev stack. (Docker cannot run on the
 * machines this suite runs on; the file is checked structurally, the script in offline mode.)
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { PROJECT, readStackFile } from "../support/stack-files";

const ROOT = join(__dirname, "..", "..");
const compose = parse(readFileSync(join(ROOT, "docker-compose.yaml"), "utf8")) as { services: Record<string, { image?: string; ports: string[]; environment: Record<string, string>; build?: unknown }> };
const dev = readStackFile("dev").config;

describe("local environment (docker-compose.yaml)", () => {
  it("pins the Keycloak image and publishes both services on loopback at the dev stack's URLs", () => {
    expect(compose.services.keycloak!.image).toMatch(/^quay\.io\/keycloak\/keycloak:\d+\.\d+/);
    expect(compose.services.keycloak!.ports).toEqual(["127.0.0.1:8080:8080"]);
    expect(compose.services.keystone!.ports).toEqual(["127.0.0.1:5000:5000"]);
    expect(JSON.parse(dev[`${PROJECT}:keycloak`]!).url).toBe("http://localhost:8080");
    expect(JSON.parse(dev[`${PROJECT}:keystone`]!).url).toBe("http://localhost:5000");
  });

  it("uses the dev stack's (throw-away) credentials", () => {
    expect(compose.services.keycloak!.environment.KC_BOOTSTRAP_ADMIN_PASSWORD).toBe(dev[`${PROJECT}:keycloakAdminPassword`]);
    expect(compose.services.keystone!.environment.OKF_ADMIN_PASSWORD).toBe(dev[`${PROJECT}:keystonePassword`]);
  });

  it("local-up.sh says what is missing and runs the offline tools when Docker or Pulumi is absent", () => {
    const out = execFileSync("bash", [join(ROOT, "scripts", "local-up.sh")], { encoding: "utf8", env: { ...process.env, OKF_OFFLINE: "1" } });
    expect(out).toContain("local-up: cannot run the full local environment; missing:\n  - nothing: offline mode was requested (OKF_OFFLINE=1)\n");
    expect(out).toContain("== offline mode: rendering the dev stack's host configuration and explaining its mapping");
    expect(out).toContain("  project acme/web: member, reader\n");
    expect(out).toContain("== offline mode done");
  });
});
