import { beforeAll, describe, expect, it } from "vitest";
import { commonStackTests } from "./common";
import { type StackGraph, stackGraph, T } from "./graph";

let g: StackGraph;
beforeAll(async () => {
  g = await stackGraph("staging");
});

describe("staging stack graph", () => {
  commonStackTests(() => g, {
    issuer: "https://id.staging.example.com/realms/openstack",
    clientId: "keystone",
    idpId: "keycloak-openstack",
    stack: "staging",
    explicitResources: 52,
  });

  it("brokers the globex customer realm into the proxy realm with PKCE, found by its organization's e-mail domain", () => {
    const idp = g.one(T.kcIdp, "keycloak-customer-globex-idp").inputs;
    expect(idp).toMatchObject({
      realm: "openstack",
      alias: "globex",
      issuer: "https://id.staging.example.com/realms/globex",
      authorizationUrl: "https://id.staging.example.com/realms/globex/protocol/openid-connect/auth",
      tokenUrl: "https://id.staging.example.com/realms/globex/protocol/openid-connect/token",
      jwksUrl: "https://id.staging.example.com/realms/globex/protocol/openid-connect/certs",
      clientId: "openstack-broker",
      validateSignature: true,
      syncMode: "FORCE",
      organizationId: "keycloak-customer-globex-organization-id",
      orgDomain: "globex.example",
      orgRedirectModeEmailMatches: true,
      hideOnLoginPage: true,
      extraConfig: { pkceEnabled: "true", pkceMethod: "S256" },
    });
    expect(
      g.one("keycloak:index/organization:Organization", "keycloak-customer-globex-organization")
        .inputs,
    ).toEqual({
      realm: "openstack",
      alias: "globex",
      name: "globex",
      description: "Globex Login",
      enabled: true,
      domains: [{ name: "globex.example", verified: false }],
    });
    expect(g.one(T.realm, "keycloak-realm").inputs.organizationsEnabled).toBe(true);
    const broker = g.one(T.client, "keycloak-customer-globex-broker-client").inputs;
    expect(broker).toMatchObject({
      clientId: "openstack-broker",
      validRedirectUris: ["https://id.staging.example.com/realms/openstack/broker/globex/endpoint"],
      pkceCodeChallengeMethod: "S256",
      implicitFlowEnabled: false,
      directAccessGrantsEnabled: false,
    });
    expect(g.byType(T.kcIdpMapper).map((m) => m.inputs.extraConfig)).toEqual([
      {
        syncMode: "FORCE",
        claims: '[{"key":"groups","value":"/researchers"}]',
        "are.claim.values.regex": "false",
        group: "/globex/researchers",
      },
    ]);
  });

  it("adds the broker-alias claim and keeps Keycloak's own browser flow (identity-first with Organizations), binding none", () => {
    expect(
      g
        .byType(T.noteMapper)
        .map((m) => m.inputs)
        .sort((a, b) => String(a.clientId).localeCompare(String(b.clientId))),
    ).toEqual(
      ["keycloak-cli-client-id", "keycloak-client-id"].map((clientId) => ({
        realmId: "keycloak-realm-id",
        clientId,
        name: "identity_provider",
        addToIdToken: true,
        addToAccessToken: true,
        addToUserinfo: true,
        claimName: "identity_provider",
        sessionNote: "identity_provider",
      })),
    );
    const executions = g
      .byType("keycloak:authentication/execution:Execution")
      .map((e) => [e.inputs.parentFlowAlias, e.inputs.authenticator, e.inputs.requirement]);
    expect(executions).toEqual([
      ["openstack-first-broker-login-no-link", "idp-create-user-if-unique", "REQUIRED"],
      [
        "openstack-first-broker-login-no-link-organization",
        "conditional-user-configured",
        "REQUIRED",
      ],
      [
        "openstack-first-broker-login-no-link-organization",
        "idp-add-organization-member",
        "REQUIRED",
      ],
    ]);
    expect(g.byType("keycloak:authentication/bindings:Bindings")).toEqual([]);
    expect(
      g
        .byType("keycloak:authentication/subflow:Subflow")
        .map((f) => [f.inputs.parentFlowAlias, f.inputs.alias, f.inputs.requirement]),
    ).toEqual([
      [
        "openstack-first-broker-login-no-link",
        "openstack-first-broker-login-no-link-organization",
        "CONDITIONAL",
      ],
    ]);
  });

  it("requires the globex broker in the rule of globex's groups only (one rule per tenant)", () => {
    const rules = (
      g.one(T.mapping, "federation-mapping").inputs.rules as {
        rules: { remote: { type: string; any_one_of?: string[] }[] }[];
      }
    ).rules;
    const brokerOf = (r: (typeof rules)[number]) =>
      r.remote.find((x) => x.type === "OIDC-identity_provider")?.any_one_of;
    const groupsOf = (r: (typeof rules)[number]) =>
      r.remote.find((x) => x.type === "OIDC-openstack_access")?.any_one_of;
    expect(rules.map((r) => [groupsOf(r), brokerOf(r) ?? null])).toEqual([
      [["acme-admins", "acme-developers"], null],
      [["globex-researchers"], ["globex"]],
    ]);
  });

  it("binds the customer realm's identity provider to a first-broker-login flow that never links accounts", () => {
    expect(g.byType("keycloak:authentication/flow:Flow").map((f) => f.inputs.alias)).toContain(
      "openstack-first-broker-login-no-link",
    );
    expect(g.byType(T.kcIdp).map((i) => i.inputs.firstBrokerLoginFlowAlias)).toEqual([
      "openstack-first-broker-login-no-link",
    ]);
    const steps = g
      .byType("keycloak:authentication/execution:Execution")
      .filter((e) => e.inputs.parentFlowAlias === "openstack-first-broker-login-no-link");
    expect(steps.map((e) => e.inputs.authenticator)).toEqual(["idp-create-user-if-unique"]);
  });
});
