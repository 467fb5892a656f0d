import { beforeAll, describe, expect, it } from "vitest";
import { commonStackTests } from "./common";
import { type StackGraph, stackGraph, T } from "./graph";

let g: StackGraph;
beforeAll(async () => {
  g = await stackGraph("prod");
});

describe("prod stack graph", () => {
  commonStackTests(() => g, {
    issuer: "https://id.example.com/realms/openstack",
    clientId: "keystone",
    idpId: "keycloak-openstack",
    stack: "prod",
    explicitResources: 57,
  });

  it("turns off the password grant and requires TLS", () => {
    expect(g.one(T.client, "keycloak-client").inputs).toMatchObject({
      directAccessGrantsEnabled: false,
      implicitFlowEnabled: false,
    });
    expect(g.one(T.realm, "keycloak-realm").inputs.sslRequired).toBe("external");
  });

  it("generates the dedicated signing key", () => {
    expect(
      g
        .byType("keycloak:index/realmKeystoreRsaGenerated:RealmKeystoreRsaGenerated")
        .map((k) => k.inputs),
    ).toEqual([
      {
        realmId: "keycloak-realm-id",
        name: "openstack-rs256-3072",
        algorithm: "RS256",
        keySize: 3072,
        priority: 200,
        active: true,
        enabled: true,
      },
    ]);
  });

  it("authenticates to Keystone with the application credential, to Keycloak with the admin client", () => {
    const os = g.one("pulumi:providers:openstack", "openstack").inputs;
    expect(os).toMatchObject({
      authUrl: "https://keystone.example.com:5000/v3",
      region: "RegionOne",
      applicationCredentialId: "9f8e7d6c5b4a39281706f5e4d3c2b1a0",
    });
    const kc = g.one("pulumi:providers:keycloak", "keycloak").inputs;
    expect(kc).toMatchObject({
      url: "https://id.example.com",
      clientId: "pulumi-admin",
      realm: "master",
      // Not the provider's 5 s: a busy Keycloak's token refresh took longer during a large destroy.
      clientTimeout: "60", // provider inputs reach the engine as strings
    });
  });

  it("with the explicit home-idp-discovery-extension option: the extension's browser flow and domain list, no organization", () => {
    expect(g.one(T.kcIdp, "keycloak-customer-globex-idp").inputs.extraConfig).toEqual({
      pkceEnabled: "true",
      pkceMethod: "S256",
      "home.idp.discovery.domains": "globex.example",
    });
    expect(g.one(T.kcIdp, "keycloak-customer-globex-idp").inputs).not.toHaveProperty(
      "organizationId",
    );
    expect(g.byType("keycloak:index/organization:Organization")).toEqual([]);
    expect(g.one(T.realm, "keycloak-realm").inputs).not.toHaveProperty("organizationsEnabled");
    const executions = g
      .byType("keycloak:authentication/execution:Execution")
      .map((e) => [e.inputs.parentFlowAlias, e.inputs.authenticator, e.inputs.requirement]);
    expect(executions).toEqual([
      ["openstack-first-broker-login-no-link", "idp-create-user-if-unique", "REQUIRED"],
      ["openstack-browser-hidd", "auth-cookie", "ALTERNATIVE"],
      ["openstack-browser-hidd-forms", "auth-username-form", "REQUIRED"],
      ["openstack-browser-hidd-idp-or-password", "home-idp-discovery", "ALTERNATIVE"],
      ["openstack-browser-hidd-idp-or-password", "auth-password-form", "ALTERNATIVE"],
    ]);
    expect(
      g.byType("keycloak:authentication/bindings:Bindings").map((b) => b.inputs.browserFlow),
    ).toEqual(["openstack-browser-hidd"]);
  });
});
