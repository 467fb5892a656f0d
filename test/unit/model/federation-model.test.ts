import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseStackConfig } from "../../../infra/config/parse";
import { buildModel } from "../../../infra/model/deployment-model";
import { fixtureValues } from "../../support/stack-files";
import { rawConfig, tenancyArb } from "./arbitraries";

function modelOf(raw: Record<string, unknown>, stack = "unit") {
  const secretKeys = new Set(
    [
      "keycloakAdminSecret",
      "keystoneApplicationCredentialSecret",
      "keycloakAdminPassword",
      "keystonePassword",
    ].filter((k) => k in raw),
  );
  return buildModel(parseStackConfig(raw, { stack, secretKeys }).config, stack);
}

function committedModel(stack: string) {
  const { raw, secretKeys } = fixtureValues(stack);
  return buildModel(parseStackConfig(raw, { stack, secretKeys }).config, stack);
}

describe("buildModel on the committed dev stack", () => {
  const m = committedModel("dev");

  it("derives the issuer, client and federation identifiers once", () => {
    expect(m.keycloak.issuer).toBe("http://localhost:8080/realms/openstack");
    expect(m.federation).toMatchObject({
      idpId: "keycloak-openstack",
      remoteIds: ["http://localhost:8080/realms/openstack"],
      protocolId: "openid",
      mappingId: "keycloak-openstack-openid-mapping",
      remoteIdAttribute: "HTTP_OIDC_ISS",
      idpDomainKey: "domain-federated-users",
    });
    expect(m.keycloak.client).toEqual({
      clientId: "keystone",
      accessType: "CONFIDENTIAL",
      implicitFlow: false,
      directAccessGrants: true,
      deviceGrant: false,
      pkceMethod: "S256",
      redirectUris: [
        "http://localhost:5000/redirect_uri",
        "http://localhost:5000/v3/auth/OS-FEDERATION/websso/openid",
        "http://localhost:5000/v3/auth/OS-FEDERATION/identity_providers/keycloak-openstack/protocols/openid/websso",
      ],
      postLogoutRedirectUris: ["http://localhost:8000/", "http://localhost:5000/"],
      webOrigins: ["http://localhost:5000", "http://localhost:8000"],
      backchannelLogoutUrl: "http://localhost:5000/redirect_uri?logout=backchannel",
    });
    expect(m.keycloak.cliClient).toEqual({
      clientId: "keystone-cli",
      pkceMethod: "S256",
      optionalScopes: [],
    });
  });

  it("declares the Keystone graph: domains, projects, groups and grants", () => {
    expect(m.keystone.domains.map((d) => d.name)).toEqual(["acme", "globex", "federated-users"]);
    expect(m.keystone.projects.map((p) => `${p.domainKey}/${p.name}`)).toEqual([
      "domain-acme/web",
      "domain-acme/data",
      "domain-globex/research",
    ]);
    expect(m.keystone.groups.map((g) => [g.domainKey, g.name, g.claimValue])).toEqual([
      // Every layout: Keystone groups are named like the access roles the claim carries.
      ["domain-acme", "acme-admins", "acme-admins"],
      ["domain-acme", "acme-developers", "acme-developers"],
      ["domain-acme", "acme-auditors", "acme-auditors"],
      ["domain-globex", "globex-researchers", "globex-researchers"],
    ]);
    expect(
      m.keystone.grants.map((g) => `${g.groupKey} ${g.role} ${JSON.stringify(g.target)}`),
    ).toEqual([
      'group-acme-admins member {"domainKey":"domain-acme"}',
      'group-acme-admins member {"projectKey":"project-acme-web"}',
      'group-acme-admins member {"projectKey":"project-acme-data"}',
      'group-acme-developers member {"projectKey":"project-acme-web"}',
      'group-acme-auditors reader {"projectKey":"project-acme-web"}',
      'group-acme-auditors reader {"projectKey":"project-acme-data"}',
      'group-globex-researchers member {"projectKey":"project-globex-research"}',
    ]);
    expect(m.keystone.roles).toEqual({ lookup: ["member", "reader"], create: [] });
  });

  it("puts every claim the mapping reads into the tokens", () => {
    expect(m.keycloak.mappers).toEqual([
      { kind: "sub", name: "sub" },
      {
        kind: "userProperty",
        name: "preferred_username",
        claimName: "preferred_username",
        userProperty: "username",
      },
      {
        kind: "accessRoles",
        name: "openstack_access",
        claimName: "openstack_access",
        roleClientId: "keystone",
      },
      { kind: "audience", name: "audience", includedClientAudience: "keystone" },
    ]);
  });

  it("protects staging and production and keeps their IdP on destroy; test stacks destroy everything", () => {
    expect(committedModel("prod").protection).toEqual({ protect: true, retainIdpOnDelete: true });
    expect(committedModel("staging").protection).toEqual({
      protect: true,
      retainIdpOnDelete: true,
    });
    expect(committedModel("test-template").protection).toEqual({
      protect: false,
      retainIdpOnDelete: false,
    });
    expect(m.protection).toEqual({ protect: false, retainIdpOnDelete: false });
  });
});

describe("buildModel: how customer realms are found", () => {
  const withRealms = (realm: Record<string, unknown>) =>
    modelOf({
      ...rawConfig({
        tenants: [{ name: "acme", projects: [{ name: "web" }] }],
        access: [{ tenant: "acme", group: "devs", grants: [{ role: "member", project: "web" }] }],
      }),
      realm: { name: "openstack", ...realm },
    });

  it("organizations: one per customer realm, its domains sorted and unique, the provider on ANY of several", () => {
    const m = withRealms({
      customerRealms: [
        { name: "globex", emailDomains: ["globex.example", "eu.globex.example"] },
        { name: "initech", displayName: "Initech", emailDomains: ["initech.example"] },
      ],
    });
    expect(m.keycloak.discovery).toBe("organizations");
    expect(m.keycloak.organizationsEnabled).toBe(true);
    expect(m.keycloak).not.toHaveProperty("hiddFlowAlias");
    expect(m.keycloak.customerRealms.map((r) => [r.organization, r.hiddDomains])).toEqual([
      [
        {
          alias: "globex",
          name: "globex",
          description: "globex",
          domains: ["eu.globex.example", "globex.example"],
          idpDomain: "ANY",
        },
        undefined,
      ],
      [
        {
          alias: "initech",
          name: "initech",
          description: "Initech",
          domains: ["initech.example"],
          idpDomain: "initech.example",
        },
        undefined,
      ],
    ]);
  });

  it("the extension: its browser flow and domain list, no organization, Organizations left off", () => {
    const m = withRealms({
      discovery: "home-idp-discovery-extension",
      customerRealms: [{ name: "globex", emailDomains: ["globex.example", "eu.globex.example"] }],
    });
    expect(m.keycloak.organizationsEnabled).toBe(false);
    expect(m.keycloak.hiddFlowAlias).toBe("openstack-browser-hidd");
    expect(m.keycloak.customerRealms[0]!.organization).toBeUndefined();
    expect(m.keycloak.customerRealms[0]!.hiddDomains).toBe("globex.example##eu.globex.example");
  });

  it("without customer realms: Organizations stay off whatever the mechanism", () => {
    expect(withRealms({}).keycloak.organizationsEnabled).toBe(false);
    expect(withRealms({}).keycloak).not.toHaveProperty("firstBrokerLoginFlowAlias");
  });
});

describe("buildModel properties", () => {
  it("Keystone and Pulumi names are unique, and every grant targets its own tenant", () => {
    fc.assert(
      fc.property(tenancyArb, (shape) => {
        const m = modelOf(rawConfig(shape));
        const keys = [
          ...m.keystone.domains,
          ...m.keystone.projects,
          ...m.keystone.groups,
          ...m.keystone.grants,
        ].map((x) => x.key);
        expect(new Set(keys).size).toBe(keys.length);
        const perDomain = m.keystone.groups.map((g) => `${g.domainKey}/${g.name}`);
        expect(new Set(perDomain).size).toBe(perDomain.length);
        const groupDomain = new Map(m.keystone.groups.map((g) => [g.key, g.domainKey]));
        const projectDomain = new Map(m.keystone.projects.map((p) => [p.key, p.domainKey]));
        for (const grant of m.keystone.grants) {
          const target =
            "projectKey" in grant.target
              ? projectDomain.get(grant.target.projectKey)
              : grant.target.domainKey;
          expect(target).toBe(groupDomain.get(grant.groupKey));
        }
        const kcPaths = m.keycloak.groups.map((g) => g.path);
        expect(new Set(kcPaths).size).toBe(kcPaths.length);
      }),
      { numRuns: 300 },
    );
  });

  it("perGroup: every mapping rule requires the exact issuer and azp, produces the user, and grants one group of the tenant its claim names", () => {
    fc.assert(
      fc.property(tenancyArb, fc.boolean(), (shape, denyWithoutGroup) => {
        const m = modelOf(
          rawConfig(shape, { federation: { denyWithoutGroup, ruleLayout: "perGroup" } }),
        );
        const rules = m.federation.mapping.rules;
        expect(rules.length).toBe(shape.access.length + (denyWithoutGroup ? 0 : 1));
        for (const rule of rules) {
          expect(rule.remote).toContainEqual({
            type: "HTTP_OIDC_ISS",
            any_one_of: [m.keycloak.issuer],
          });
          expect(rule.remote).toContainEqual({
            type: "OIDC-azp",
            any_one_of: ["keystone", "keystone-cli"],
          });
          expect(rule.local[0]).toEqual({ user: { id: "{0}", name: "{1}", type: "ephemeral" } });
          const groups = rule.local.filter((l) => l.group !== undefined);
          const groupClaim = rule.remote.find((r) => r.type === "OIDC-openstack_access");
          if (groups.length === 0) {
            expect(groupClaim).toBeUndefined();
            continue;
          }
          expect(groups.length).toBe(1);
          const role = groupClaim?.any_one_of?.[0];
          const spec = m.keystone.groups.find((g) => g.claimValue === role)!;
          const tenant = spec.accessGroup.split("/")[0]!;
          expect(groups[0]?.group).toEqual({ name: role, domain: { name: tenant } });
          expect(role).toBe(`${tenant}-${spec.accessGroup.split("/")[1]}`);
          expect(
            rule.local.some(
              (l) =>
                l.projects !== undefined || l.groups !== undefined || l.group_ids !== undefined,
            ),
          ).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });
});
