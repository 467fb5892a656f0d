/**
 * The dynamic provider's credentials come from the stack only: explicit credentials or the
 * clouds.yaml entry it names, always with the stack's endpoint and TLS policy; never OS_*.
 */
import { PROJECT_NAMESPACE } from "../../infra/config/stack-file";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { connectionFromStackConfig } from "../../infra/providers/keystone/connection";
import {
  configureFromStack,
  currentConnection,
  setConnection,
} from "../../infra/providers/keystone/runtime";

const ns = PROJECT_NAMESPACE;
const stack =
  (keystone: unknown, extra: Record<string, string> = {}) =>
  (k: string) =>
    ({ [`${ns}:keystone`]: JSON.stringify(keystone), ...extra })[k];
const saved = { ...process.env };

afterEach(() => {
  process.env = { ...saved };
  setConnection(undefined);
});

describe("Keystone connection of the dynamic provider", () => {
  it("never uses ambient OS_* variables when the stack has no credentials", () => {
    Object.assign(process.env, {
      OS_AUTH_URL: "https://other-keystone.example.com/v3",
      OS_USERNAME: "admin",
      OS_PASSWORD: "ambient-pw",
      OS_INSECURE: "true",
    });
    configureFromStack(stack({ url: "https://keystone.example.com:5000" }));
    expect(() => currentConnection()).toThrow(
      "no Keystone credentials in the stack: set keystone.credentials (with its --secret key) or keystone.cloud; ambient OS_* variables are never used",
    );
  });

  it("fails on a keystone.cloud that no clouds.yaml has", () => {
    const dir = mkdtempSync(join(tmpdir(), "okf-clouds-"));
    writeFileSync(
      join(dir, "clouds.yaml"),
      "clouds:\n  other:\n    auth: {auth_url: https://x/v3, username: u, password: p}\n",
    );
    process.env.OS_CLIENT_CONFIG_FILE = join(dir, "clouds.yaml");
    expect(() =>
      connectionFromStackConfig(
        stack({ url: "https://keystone.example.com:5000", cloud: "prod-admin" }),
      ),
    ).toThrow(/^keystone\.cloud "prod-admin": no such cloud with credentials in clouds\.yaml/);
  });

  it("takes only the credentials from clouds.yaml: the endpoint and TLS verification stay the stack's", () => {
    const dir = mkdtempSync(join(tmpdir(), "okf-clouds-"));
    writeFileSync(
      join(dir, "clouds.yaml"),
      "clouds:\n  prod-admin:\n    verify: false\n    auth: {auth_url: https://elsewhere.example.com:5000, username: ops, password: cloud-pw, project_name: admin}\n",
    );
    process.env.OS_CLIENT_CONFIG_FILE = join(dir, "clouds.yaml");
    const conn = connectionFromStackConfig(
      stack({ url: "https://keystone.example.com:5000", cloud: "prod-admin" }),
    );
    expect(conn).toMatchObject({
      authUrl: "https://keystone.example.com:5000/v3",
      insecure: false,
      auth: { method: "password", username: "ops", password: "cloud-pw" },
    });
  });
});
