import { describe, expect, it } from "vitest";
import { ConfigError, formatIssue } from "../../../infra/config/issues";
import { parseStackConfig } from "../../../infra/config/parse";
import { listStacks } from "../../../infra/stack-files/stack-file";
import { FIXTURES_DIR, fixtureValues } from "../../support/stack-files";
import { SECRET_KEYS_SET, validRaw, withValue } from "./fixtures";
import { INVALID_CASES } from "./invalid-cases";

function parse(raw: Record<string, unknown>, secretKeys?: string[]) {
  const secrets = new Set(secretKeys ?? Object.keys(raw).filter((k) => SECRET_KEYS_SET.has(k)));
  return parseStackConfig(raw, { stack: "unit", secretKeys: secrets });
}

function issuesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e.issues.map(formatIssue);
    throw e;
  }
  throw new Error("expected a ConfigError");
}

describe("parseStackConfig: invalid configurations", () => {
  it("covers at least 40 distinct invalid configurations", () => {
    expect(new Set(INVALID_CASES.map((c) => c.name)).size).toBe(INVALID_CASES.length);
    expect(INVALID_CASES.length).toBeGreaterThanOrEqual(40);
  });

  it.each(INVALID_CASES.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    expect(issuesOf(() => parse(c.raw, c.secretKeys))).toEqual(c.expected);
  });

  it("lists every problem at once, one per line, under a header naming the stack", () => {
    const raw = {
      ...validRaw(),
      environment: "staging",
      keycloak: { url: "http://id.example.com/", admin: { clientId: "a" } },
    };
    try {
      parse(raw);
      throw new Error("no error");
    } catch (e) {
      expect((e as Error).message).toBe(
        [
          'invalid configuration for stack "unit" (2 problems):',
          '  keycloak.url: "http://id.example.com/" is not https (only a local stack may use http; this stack\'s environment is staging)',
          '  keycloak.url: "http://id.example.com/" ends with a slash (remove the trailing slash; derived URLs (issuer, redirect URIs) must match exactly)',
        ].join("\n"),
      );
    }
  });

  it("never echoes a secret value in an error", () => {
    const raw = {
      ...validRaw(),
      keycloakAdminSecret: "TOPSECRET-1",
      keystoneApplicationCredentialSecret: "TOPSECRET-2",
      protection: { protect: false },
    };
    const lines = issuesOf(() => parse(raw, []));
    expect(lines.length).toBe(3);
    expect(lines.join("\n")).not.toContain("TOPSECRET");
  });
});

describe("parseStackConfig: valid configurations", () => {
  it("accepts the minimal production configuration and applies documented defaults", () => {
    const { config, secrets } = parse(validRaw());
    expect(secrets).toEqual({
      keycloakAdminSecret: "secret",
      keystoneApplicationCredentialSecret: "secret",
    });
    expect(config.client).toEqual({
      clientId: "keystone",
      confidential: true,
      deviceGrant: true,
      cliOfflineAccess: false,
      directAccessGrants: false,
      implicitFlow: false,
      extraRedirectUris: [],
    });
    expect(config.federation).toEqual({
      protocolId: "openid",
      claimPrefix: "OIDC-",
      userType: "ephemeral",
      userDomain: "federated-users",
      ruleLayout: "perTenant",
      denyWithoutGroup: true,
      adopt: false,
      claims: { username: "preferred_username", access: "openstack_access" },
    });
    expect(config.realm.tokens).toEqual({
      accessToken: 300,
      ssoSessionIdle: 1800,
      ssoSessionMax: 36000,
      deviceCode: 600,
      offlineSessionIdle: 2_592_000,
      offlineSessionMax: 5_184_000,
    });
    expect(config.realm.bruteForce).toEqual({
      maxLoginFailures: 10,
      waitIncrementSeconds: 60,
      maxFailureWaitSeconds: 900,
      failureResetTimeSeconds: 43_200,
      quickLoginCheckMilliSeconds: 1000,
      minimumQuickLoginWaitSeconds: 60,
    });
    expect(config.roles).toEqual({
      existing: ["admin", "member", "reader"],
      create: [],
      cloudWide: [],
      allowCloudWideGrants: false,
    });
  });

  it("looks up the manager role on a Keystone whose bootstrap creates it (24 and later)", () => {
    const raw = withValue(
      "keystone.release",
      30,
      withValue("roles", { existing: ["member", "manager"] }),
    );
    expect(parse(raw).config.keystone.release).toBe(30);
    expect(parse(validRaw()).config.keystone.release).toBe(22);
  });

  it("allows http, the password grant and no protection on a local stack", () => {
    const raw = {
      ...validRaw(),
      environment: "local",
      keycloak: {
        url: "http://localhost:8080",
        admin: { clientId: "pulumi-admin" },
        insecure: true,
      },
      keystone: {
        url: "http://127.0.0.1:5000",
        credentials: { method: "applicationCredential", applicationCredentialId: "abc123" },
      },
      horizon: { urls: ["http://localhost:8000"] },
      client: { directAccessGrants: true, implicitFlow: true },
      protection: { protect: false },
    };
    expect(parse(raw).config.client.directAccessGrants).toBe(true);
  });

  it.each(listStacks(FIXTURES_DIR))("fixture stack %s is valid", (stack) => {
    const { raw, secretKeys } = fixtureValues(stack);
    const { config, secrets } = parseStackConfig(raw, { stack, secretKeys });
    expect(config.tenants.length).toBeGreaterThanOrEqual(2);
    expect(Object.values(secrets).every((w) => w === "secret")).toBe(true);
  });

  describe("cloud-wide roles", () => {
    it("are accepted on a tenant group only with the explicit opt-in", () => {
      const raw = withValue(
        "access[0].grants",
        [{ role: "admin", domain: true }],
        withValue("roles", { allowCloudWideGrants: true }),
      );
      expect(
        parseStackConfig(raw, {
          stack: "s",
          secretKeys: new Set(["keycloakAdminSecret", "keystoneApplicationCredentialSecret"]),
        }).config.access[0]!.grants,
      ).toEqual([{ role: "admin", domain: true }]);
    });
  });

  describe("environment is bound to what it names", () => {
    it("a stack named like production must declare production", () => {
      expect(() =>
        parseStackConfig(
          { ...validRaw(), environment: "test", protection: { protect: false } },
          { stack: "prod-eu", secretKeys: SECRET_KEYS_SET },
        ),
      ).toThrow(
        'environment: stack "prod-eu" is named like production, but declares "test" (declare environment: production, or give a test stack another name)',
      );
      expect(() =>
        parseStackConfig(
          { ...validRaw(), environment: "test", protection: { protect: false } },
          { stack: "product-demo", secretKeys: SECRET_KEYS_SET },
        ),
      ).not.toThrow();
    });

    it.each(["eu-prod", "live", "prod2", "cloud_production", "Stage-3"])(
      "a stack named %s (production or staging by a word of its name) cannot declare test",
      (stack) => {
        expect(() =>
          parseStackConfig(
            { ...validRaw(), environment: "test", protection: { protect: false } },
            { stack, secretKeys: SECRET_KEYS_SET },
          ),
        ).toThrow(new RegExp(`environment: stack "${stack}" is named like (production|staging)`));
      },
    );

    it("a production realm's token and session lifetimes are bounded", () => {
      const raw = validRaw() as { realm: Record<string, unknown> };
      raw.realm = {
        ...raw.realm,
        tokens: {
          accessToken: 3600,
          ssoSessionIdle: 86400,
          ssoSessionMax: 604800,
          deviceCode: 600,
        },
      };
      expect(() => parseStackConfig(raw, { stack: "prod", secretKeys: SECRET_KEYS_SET })).toThrow(
        [
          "realm.tokens.accessToken: 3600 s is longer than a production stack allows (900 s) (give at most 900; longer lifetimes are for local and test stacks)",
          "realm.tokens.ssoSessionIdle: 86400 s is longer than a production stack allows (28800 s) (give at most 28800; longer lifetimes are for local and test stacks)",
          "realm.tokens.ssoSessionMax: 604800 s is longer than a production stack allows (86400 s) (give at most 86400; longer lifetimes are for local and test stacks)",
        ].join("\n  "),
      );
    });
  });
});
