/** Assertions every committed stack's graph must satisfy. */
import { expect, it } from "vitest";
import { readFixture } from "../../support/stack-files";
import { type StackGraph, T } from "./graph";

const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** Unwraps a secret input as the mock runtime delivers it. */
export function secretValue(v: unknown): unknown {
  if (v && typeof v === "object" && (v as Record<string, unknown>)[SECRET_SIG] !== undefined)
    return (v as { value: unknown }).value;
  return undefined;
}

export function commonStackTests(
  graph: () => StackGraph,
  expected: {
    issuer: string;
    clientId: string;
    idpId: string;
    stack: string;
    /** How many Keycloak and OpenStack resources the fixture declares. */
    explicitResources: number;
  },
): void {
  it("serializes the Keystone dynamic provider without any credential of the stack", () => {
    const g = graph();
    const { config, secretKeys } = readFixture(expected.stack);
    const secrets = secretKeys.map((k) => config[k]!).filter((v) => v.length >= 8); // shorter ones (dev: "admin") are ordinary words in code
    expect(secrets.length).toBeGreaterThan(0);
    const dynamic = g.registrations.filter((r) =>
      r.type.startsWith("pulumi-nodejs:dynamic/keystone:"),
    );
    expect([...new Set(dynamic.map((r) => r.type))].sort()).toEqual(
      [T.protocol, T.idp, T.mapping, T.domainRelease].sort(),
    );
    for (const r of dynamic) {
      const text = String(r.inputs.__provider);
      expect(text).toContain("exports.handler");
      for (const s of secrets)
        expect(text.includes(s), `${r.name} serializes a secret`).toBe(false);
      const { __provider: _p, ...inputs } = r.inputs;
      for (const s of secrets) expect(JSON.stringify(inputs)).not.toContain(s);
    }
  });

  it("gives every Keycloak and OpenStack resource the stack's explicit provider", () => {
    const g = graph();
    const custom = g.registrations.filter(
      (r) =>
        r.custom &&
        (r.type.startsWith("keycloak:") || r.type.startsWith("openstack:")) &&
        !r.type.startsWith("pulumi:providers:"),
    );
    expect(custom.length).toBe(expected.explicitResources);
    for (const r of custom) {
      const pkg = r.type.split(":")[0]!;
      expect(r.provider, `${r.type} ${r.name}`).toMatch(
        new RegExp(`^urn:pulumi:.*::pulumi:providers:${pkg}::${pkg}::${pkg}-id$`),
      );
    }
  });

  it("gives every command (smoke check, delivery) the stack's explicit command provider", () => {
    // The stacks disable the default command provider: the engine refuses a Command without one.
    for (const r of graph().registrations.filter(
      (x) => x.custom && x.type.startsWith("command:") && !x.type.startsWith("pulumi:providers:"),
    ))
      expect(r.provider, `${r.type} ${r.name}`).toMatch(
        /^urn:pulumi:.*::pulumi:providers:command::command::command-id$/,
      );
  });

  it("lets every domain be deleted: a release per domain, and what lives in a domain takes its id from the release", () => {
    // Keystone refuses to delete an enabled domain; the release disables it once its contents are gone.
    const g = graph();
    const domains = g.registrations.filter(
      (r) => r.type === T.project && r.inputs.isDomain === true,
    );
    expect(domains.length).toBeGreaterThan(0);
    for (const d of domains)
      expect(g.one(T.domainRelease, `${d.name}-release`).inputs.domainId).toBe(`${d.name}-id`);
    const contents = g.registrations.filter(
      (r) =>
        (r.type === T.project && r.inputs.isDomain !== true) ||
        r.type === T.osGroup ||
        r.type === T.idp,
    );
    for (const r of contents)
      expect(
        domains.map((d) => `${d.name}-id`),
        `${r.type} ${r.name}`,
      ).toContain(r.inputs.domainId);
  });

  it("declares the Keystone client with code flow + PKCE S256, no implicit flow, no device grant", () => {
    const c = graph().one(T.client, "keycloak-client").inputs;
    expect(c).toMatchObject({
      clientId: expected.clientId,
      standardFlowEnabled: true,
      pkceCodeChallengeMethod: "S256",
      implicitFlowEnabled: false,
      oauth2DeviceAuthorizationGrantEnabled: false,
      serviceAccountsEnabled: false,
    });
    for (const uri of c.validRedirectUris as string[]) expect(uri).not.toContain("*");
  });

  it("declares the public CLI client: device grant with PKCE S256 and nothing else, no secret", () => {
    expect(graph().one(T.client, "keycloak-cli-client").inputs).toEqual({
      realmId: "keycloak-realm-id",
      clientId: `${expected.clientId}-cli`,
      name: "OpenStack CLI",
      accessType: "PUBLIC",
      standardFlowEnabled: false,
      implicitFlowEnabled: false,
      directAccessGrantsEnabled: false,
      serviceAccountsEnabled: false,
      frontchannelLogoutEnabled: false,
      pkceCodeChallengeMethod: "S256",
      oauth2DeviceAuthorizationGrantEnabled: true,
      oauth2DeviceCodeLifespan: "600",
    });
  });

  it("emits every mapped claim into the ID token, the access token and userinfo", () => {
    const g = graph();
    for (const t of [T.accessMapper, T.propertyMapper]) {
      for (const m of g.byType(t))
        expect(m.inputs).toMatchObject({
          addToIdToken: true,
          addToAccessToken: true,
          addToUserinfo: true,
        });
    }
    // Both clients emit the same claims: the mapping reads them whichever client issued the token.
    const byClient = (a: { clientId?: unknown }, b: { clientId?: unknown }) =>
      String(a.clientId).localeCompare(String(b.clientId));
    const onBothClients = (type: string) =>
      g
        .byType(type)
        .map((m) => m.inputs)
        .sort(byClient);
    const forBothClients = (inputs: Record<string, unknown>) =>
      ["keycloak-cli-client-id", "keycloak-client-id"].map((clientId) => ({
        realmId: "keycloak-realm-id",
        clientId,
        ...inputs,
      }));
    expect(onBothClients(T.audienceMapper)).toEqual(
      forBothClients({
        name: "audience",
        addToIdToken: true,
        addToAccessToken: true,
        includedClientAudience: expected.clientId,
      }),
    );
    // Access rides on the Keystone client's roles, as an array; no token carries group paths.
    expect(onBothClients(T.accessMapper)).toEqual(
      forBothClients({
        name: "openstack_access",
        claimName: "openstack_access",
        clientIdForRoleMappings: expected.clientId,
        multivalued: true,
        claimValueType: "String",
        addToIdToken: true,
        addToAccessToken: true,
        addToUserinfo: true,
      }),
    );
    expect(
      g.byType(T.groupsMapper).filter((m) => m.inputs.realmId === "keycloak-realm-id"),
    ).toEqual([]);
  });

  it("keys access on client roles: one role of the Keystone client per access group, assigned to that group only", () => {
    const g = graph();
    const roles = g.byType(T.role).filter((r) => r.inputs.realmId === "keycloak-realm-id");
    const access = g
      .byType(T.group)
      .filter((r) => r.inputs.realmId === "keycloak-realm-id" && r.inputs.parentId !== undefined);
    expect(roles.length).toBe(access.length);
    expect(roles.length).toBeGreaterThan(0);
    for (const group of access) {
      const tenant = g.registrations.find((r) => `${r.name}-id` === group.inputs.parentId)!.inputs
        .name;
      const role = roles.find((r) => r.inputs.name === `${tenant}-${group.inputs.name}`);
      expect(role?.inputs.clientId, `${group.name}`).toBe("keycloak-client-id");
      const assigned = g
        .byType(T.groupRoles)
        .filter((a) => a.inputs.groupId === `${group.name}-id`);
      expect(assigned.map((a) => a.inputs)).toEqual([
        {
          realmId: "keycloak-realm-id",
          groupId: `${group.name}-id`,
          roleIds: [`${role!.name}-id`],
          exhaustive: false,
        },
      ]);
    }
  });

  it("binds the IdP to the realm's exact issuer and the protocol to the generated mapping", () => {
    const g = graph();
    const idp = g.one(T.idp, "federation-idp").inputs;
    expect(idp.remoteIds).toEqual([expected.issuer]);
    expect(idp.idpId).toBe(expected.idpId);
    const mapping = g.one(T.mapping, "federation-mapping").inputs;
    const protocol = g.one(T.protocol, "federation-protocol").inputs;
    expect(protocol.mappingId).toBe(mapping.mappingId);
    expect(protocol.idpId).toBe(expected.idpId);
    expect(protocol.remoteIdAttribute).toBe("HTTP_OIDC_ISS");
    expect(g.byId(idp.domainId)?.inputs).toMatchObject({ isDomain: true });
  });

  it("keeps secrets out of plain inputs and outputs", () => {
    const g = graph();
    for (const r of g.registrations.filter(
      (x) => x.type === "pulumi:providers:keycloak" || x.type === "pulumi:providers:openstack",
    )) {
      for (const key of ["password", "clientSecret", "applicationCredentialSecret", "token"]) {
        const v = r.inputs[key];
        if (v !== undefined)
          expect(secretValue(v), `${r.type}.${key} must be a secret`).toBeDefined();
      }
    }
    // The client secret and the files that embed it are exported as secrets, and only they.
    expect(g.secretOutputs).toEqual(["clientSecret", "hostConfigurationWithSecrets"]);
    expect(g.outputs.clientSecret).toEqual(expect.any(String));
  });

  it("exports the federation identifiers", () => {
    expect(graph().outputs).toMatchObject({
      issuer: expected.issuer,
      clientId: expected.clientId,
      idpId: expected.idpId,
      protocolId: "openid",
    });
  });
}
