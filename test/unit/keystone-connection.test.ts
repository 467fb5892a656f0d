/**
 * The dynamic provider's credentials come from the stack only: explicit credentials or the
 * clouds.yaml entry it names, always with the stack's endpoint and TLS policy; never OS_*.
 */
import { PROJECT_NAMESPACE } from "../../infra/stack-files/stack-file";
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

  it("refuses, before any request, TLS verification off outside local and test stacks, as a refresh reads the raw configuration", () => {
    const creds = { method: "token" };
    const tokenKey = { [`${ns}:keystoneToken`]: "tok-1234567890" };
    for (const environment of ["production", '"staging"', undefined])
      expect(() =>
        connectionFromStackConfig(
          stack(
            { url: "https://keystone.example.com:5000", insecure: true, credentials: creds },
            { ...tokenKey, ...(environment ? { [`${ns}:environment`]: environment } : {}) },
          ),
        ),
      ).toThrow(/^keystone\.insecure: TLS verification is off on a (production|staging) stack/);
    expect(
      connectionFromStackConfig(
        stack(
          { url: "https://keystone.example.com:5000", insecure: true, credentials: creds },
          { ...tokenKey, [`${ns}:environment`]: "test" },
        ),
      )?.insecure,
    ).toBe(true);
  });

  it("refuses an authUrl on another host than keystone.url's unless keystone.authHosts lists it", () => {
    const creds = { method: "token" };
    const tokenKey = { [`${ns}:keystoneToken`]: "tok-1234567890" };
    const url = "https://keystone.example.com:5000";
    expect(() =>
      connectionFromStackConfig(
        stack({ url, authUrl: "https://collector.evil.example/v3", credentials: creds }, tokenKey),
      ),
    ).toThrow(
      "keystone.authUrl: names host collector.evil.example, not keystone.url's keystone.example.com; the Keystone provider sends no credential there (list the host in keystone.authHosts if it is yours)",
    );
    expect(
      connectionFromStackConfig(
        stack(
          { url, authUrl: "https://KEYSTONE.example.com:35357/v3", credentials: creds },
          tokenKey,
        ),
      )?.authUrl,
    ).toBe("https://KEYSTONE.example.com:35357/v3");
    expect(
      connectionFromStackConfig(
        stack(
          {
            url,
            authUrl: "https://keystone-internal.example.net:5000/v3",
            authHosts: ["keystone-internal.example.net"],
            credentials: creds,
          },
          tokenKey,
        ),
      )?.authUrl,
    ).toBe("https://keystone-internal.example.net:5000/v3");
  });
});
