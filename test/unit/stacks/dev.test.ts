import { beforeAll, describe, expect, it } from "vitest";
import { commonStackTests } from "./common";
import { type StackGraph, stackGraph, T } from "./graph";

let g: StackGraph;
beforeAll(async () => {
  g = await stackGraph("dev");
});

describe("dev stack graph", () => {
  commonStackTests(() => g, {
    issuer: "http://localhost:8080/realms/openstack",
    clientId: "keystone",
    idpId: "keycloak-openstack",
    stack: "dev",
    explicitResources: 45,
  });

  it("declares the realm and the client exactly", () => {
    expect(g.one(T.realm, "keycloak-realm").inputs).toEqual({
      realm: "openstack",
      enabled: true,
      displayName: "OpenStack (local)",
      accessTokenLifespan: "300s",
      ssoSessionIdleTimeout: "1800s",
      ssoSessionMaxLifespan: "36000s",
      offlineSessionIdleTimeout: "2592000s",
      offlineSessionMaxLifespanEnabled: true,
      offlineSessionMaxLifespan: "5184000s",
      sslRequired: "none",
      securityDefenses: {
        bruteForceDetection: {
          permanentLockout: false,
          maxLoginFailures: 10,
          waitIncrementSeconds: 60,
          maxFailureWaitSeconds: 900,
          failureResetTimeSeconds: 43200,
          quickLoginCheckMilliSeconds: 1000,
          minimumQuickLoginWaitSeconds: 60,
        },
      },
    });
    expect(g.one(T.client, "keycloak-client").inputs).toEqual({
      realmId: "keycloak-realm-id",
      clientId: "keystone",
      name: "OpenStack Keystone",
      accessType: "CONFIDENTIAL",
      standardFlowEnabled: true,
      pkceCodeChallengeMethod: "S256",
      implicitFlowEnabled: false,
      directAccessGrantsEnabled: true,
      serviceAccountsEnabled: false,
      oauth2DeviceAuthorizationGrantEnabled: false,
      validRedirectUris: [
        "http://localhost:5000/redirect_uri",
        "http://localhost:5000/v3/auth/OS-FEDERATION/websso/openid",
        "http://localhost:5000/v3/auth/OS-FEDERATION/identity_providers/keycloak-openstack/protocols/openid/websso",
      ],
      validPostLogoutRedirectUris: ["http://localhost:8000/", "http://localhost:5000/"],
      webOrigins: ["http://localhost:5000", "http://localhost:8000"],
      backchannelLogoutUrl: "http://localhost:5000/redirect_uri?logout=backchannel",
      backchannelLogoutSessionRequired: true,
      frontchannelLogoutEnabled: false,
    });
  });

  it("offers the CLI client no optional scope: no offline_access, no microprofile-jwt", () => {
    expect(
      g.one(
        "keycloak:openid/clientOptionalScopes:ClientOptionalScopes",
        "keycloak-cli-optional-scopes",
      ).inputs,
    ).toEqual({
      realmId: "keycloak-realm-id",
      clientId: "keycloak-cli-client-id",
      optionalScopes: [],
    });
  });

  it("declares the Keycloak group tree the access rules name", () => {
    expect(
      g.byType(T.group).map((r) => [r.name, r.inputs.name, r.inputs.parentId ?? null]),
    ).toEqual([
      ["keycloak-kcgroup-acme", "acme", null],
      ["keycloak-kcgroup-globex", "globex", null],
      ["keycloak-kcgroup-acme-admins", "admins", "keycloak-kcgroup-acme-id"],
      ["keycloak-kcgroup-acme-developers", "developers", "keycloak-kcgroup-acme-id"],
      ["keycloak-kcgroup-acme-auditors", "auditors", "keycloak-kcgroup-acme-id"],
      ["keycloak-kcgroup-globex-researchers", "researchers", "keycloak-kcgroup-globex-id"],
    ]);
  });

  it("declares the Keystone domain/project/group/grant graph", () => {
    const name = (id: unknown) => {
      const r = g.byId(id);
      return r ? String(r.inputs.name) : `?${String(id)}`;
    };
    expect(
      g
        .byType(T.project)
        .map(
          (r) =>
            `${r.inputs.isDomain ? "domain" : `project ${name(r.inputs.domainId)}/`}${r.inputs.isDomain ? ` ${r.inputs.name}` : r.inputs.name}`,
        ),
    ).toEqual([
      "domain acme",
      "domain globex",
      "domain federated-users",
      "project acme/web",
      "project acme/data",
      "project globex/research",
    ]);
    expect(g.byType(T.osGroup).map((r) => `${name(r.inputs.domainId)}/${r.inputs.name}`)).toEqual([
      "acme/acme-admins",
      "acme/acme-developers",
      "acme/acme-auditors",
      "globex/globex-researchers",
    ]);
    expect(
      g
        .byType(T.roleAssignment)
        .map(
          (r) =>
            `${name(r.inputs.groupId)} ${String(r.inputs.roleId)} ${r.inputs.projectId ? `project ${name(r.inputs.projectId)}` : `domain ${name(r.inputs.domainId)}`}`,
        ),
    ).toEqual([
      "acme-admins role-member-id domain acme",
      "acme-admins role-member-id project web",
      "acme-admins role-member-id project data",
      "acme-developers role-member-id project web",
      "acme-auditors role-reader-id project web",
      "acme-auditors role-reader-id project data",
      "globex-researchers role-member-id project research",
    ]);
  });

  it("creates the smoke-check user in acme/developers and runs the login after everything else", () => {
    const user = g.one("keycloak:index/user:User", "smoke-check-user").inputs;
    expect(user).toMatchObject({ realmId: "keycloak-realm-id", username: "smoke", enabled: true });
    expect(g.one("keycloak:index/userGroups:UserGroups", "smoke-check-user-groups").inputs).toEqual(
      {
        realmId: "keycloak-realm-id",
        userId: "smoke-check-user-id",
        groupIds: ["keycloak-kcgroup-acme-developers-id"],
        exhaustive: true,
      },
    );
    expect(g.byType("command:local:Command").map((c) => c.name)).toEqual(["smoke-check-login"]);
  });

  it("declares no customer realm and no home-IdP-discovery flow", () => {
    expect(g.byType(T.kcIdp)).toEqual([]);
    expect(g.registrations.filter((r) => r.type.startsWith("keycloak:authentication/"))).toEqual(
      [],
    );
  });
});
