/**
 * Test-only applier for the real Keycloak: creates through the admin REST API what the stack's
 * program declares with @pulumi/keycloak, from the inputs a mock-runtime run captured. The Keycloak
 * provider plugin cannot be built on these machines (the Go module proxy refuses its modules), so
 * this is how the suites get the stack's realm, client, mappers and groups into a real Keycloak
 * without a hand-written copy of them. It translates each input the way the Terraform provider
 * behind @pulumi/keycloak does (Go durations to seconds, `##`-joined lists, client attributes);
 * what Keycloak then stores and issues is read back from Keycloak itself by the tests.
 */
import { hiddFlowAlias } from "../../infra/model/naming";
import type { Registration } from "./mock-runtime";

export interface KeycloakAdmin {
  readonly url: string; // base URL, e.g. https://127.0.0.1:36443
  token(): Promise<string>;
}

/** An admin session for the master realm's bootstrap admin (tokens are re-issued per call). */
export function keycloakAdmin(url: string, username = "admin", password = "admin"): KeycloakAdmin {
  return {
    url,
    async token() {
      const res = await fetch(`${url}/realms/master/protocol/openid-connect/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "password",
          client_id: "admin-cli",
          username,
          password,
        }),
      });
      const body = (await res.json()) as { access_token?: string; error_description?: string };
      if (!res.ok || !body.access_token)
        throw new Error(`Keycloak admin login: HTTP ${res.status} ${body.error_description ?? ""}`);
      return body.access_token;
    },
  };
}

/** One admin API call: status, parsed JSON body (if any) and the Location header. */
export async function kcCall(
  kc: KeycloakAdmin,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: unknown; location: string | null }> {
  const res = await fetch(`${kc.url}/admin/realms${path}`, {
    method,
    headers: { authorization: `Bearer ${await kc.token()}`, "content-type": "application/json" },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return {
    status: res.status,
    json: text ? (JSON.parse(text) as unknown) : undefined,
    location: res.headers.get("location"),
  };
}

async function kcOk(
  kc: KeycloakAdmin,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ json: unknown; id: string }> {
  const r = await kcCall(kc, method, path, body);
  if (r.status >= 300)
    throw new Error(`Keycloak ${method} ${path}: HTTP ${r.status} ${JSON.stringify(r.json)}`);
  return { json: r.json, id: r.location?.split("/").pop() ?? "" };
}

/** Go duration strings as the provider accepts them (`300s`, `5m`, `1h30m`) to seconds. */
export function goDurationSeconds(d: unknown): number | undefined {
  if (d === undefined) return undefined;
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(String(d));
  if (!m || String(d) === "") throw new Error(`not a Go duration: ${String(d)}`);
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

const T = {
  realm: "keycloak:index/realm:Realm",
  client: "keycloak:openid/client:Client",
  group: "keycloak:index/group:Group",
  groupMembership: "keycloak:openid/groupMembershipProtocolMapper:GroupMembershipProtocolMapper",
  audience: "keycloak:openid/audienceProtocolMapper:AudienceProtocolMapper",
  userProperty: "keycloak:openid/userPropertyProtocolMapper:UserPropertyProtocolMapper",
  sub: "keycloak:openid/subProtocolMapper:SubProtocolMapper",
  sessionNote: "keycloak:openid/userSessionNoteProtocolMapper:UserSessionNoteProtocolMapper",
} as const;

const flag = (v: unknown, dflt: boolean): string => String(v ?? dflt);

/** The realm fields the provider writes for `securityDefenses.bruteForceDetection`. */
function bruteForce(defenses: unknown): Record<string, unknown> {
  const b = (defenses as { bruteForceDetection?: Record<string, unknown> } | undefined)
    ?.bruteForceDetection;
  if (!b) return { bruteForceProtected: false };
  return {
    bruteForceProtected: true,
    permanentLockout: b.permanentLockout ?? false,
    failureFactor: b.maxLoginFailures ?? 30,
    waitIncrementSeconds: b.waitIncrementSeconds ?? 60,
    maxFailureWaitSeconds: b.maxFailureWaitSeconds ?? 900,
    maxDeltaTimeSeconds: b.failureResetTimeSeconds ?? 43200,
    quickLoginCheckMilliSeconds: b.quickLoginCheckMilliSeconds ?? 1000,
    minimumQuickLoginWaitSeconds: b.minimumQuickLoginWaitSeconds ?? 60,
  };
}

/** The protocol mapper representation Keycloak stores for one captured mapper registration. */
function mapperBody(r: Registration): Record<string, unknown> | undefined {
  const i = r.inputs;
  const tokens = {
    "id.token.claim": flag(i.addToIdToken, true),
    "access.token.claim": flag(i.addToAccessToken, true),
  };
  const userinfo = { "userinfo.token.claim": flag(i.addToUserinfo, true) };
  const base = { name: i.name, protocol: "openid-connect" };
  switch (r.type) {
    case T.groupMembership:
      return {
        ...base,
        protocolMapper: "oidc-group-membership-mapper",
        config: {
          ...tokens,
          ...userinfo,
          "claim.name": i.claimName,
          "full.path": flag(i.fullPath, true),
          "introspection.token.claim": flag(i.addToTokenIntrospection, false),
        },
      };
    case T.audience:
      return {
        ...base,
        protocolMapper: "oidc-audience-mapper",
        config: { ...tokens, "included.client.audience": i.includedClientAudience },
      };
    case T.userProperty:
      return {
        ...base,
        protocolMapper: "oidc-usermodel-property-mapper",
        config: {
          ...tokens,
          ...userinfo,
          "claim.name": i.claimName,
          "user.attribute": i.userProperty,
          "jsonType.label": "String",
        },
      };
    case T.sub:
      return {
        ...base,
        protocolMapper: "oidc-sub-mapper",
        config: {
          "access.token.claim": flag(i.addToAccessToken, true),
          "introspection.token.claim": flag(i.addToTokenIntrospection, true),
        },
      };
    case T.sessionNote:
      return {
        ...base,
        protocolMapper: "oidc-usersessionmodel-note-mapper",
        config: {
          ...tokens,
          ...userinfo,
          "claim.name": i.claimName,
          "user.session.note": i.sessionNote,
          "jsonType.label": "String",
        },
      };
    default:
      return undefined;
  }
}

export interface AppliedKeycloak {
  /** the proxy realm */
  readonly realm: string;
  /** the Keystone client's internal id (UUID) */
  readonly clientUuid: string;
  readonly clientSecret: string;
  /** proxy-realm group path -> group id */
  readonly groups: Map<string, string>;
  /** customer realm -> (group path -> group id) */
  readonly customerGroups: Map<string, Map<string, string>>;
  /** What was not applied, and why (the home-IdP-discovery flow needs a third-party extension). */
  readonly skipped: string[];
}

/**
 * Authentication flows. In the `home-idp-discovery-extension` mode the proxy realm's browser flow
 * uses a third-party authenticator that is not on Maven Central, so this Keycloak does not have it:
 * that flow and its binding are not applied (listed in `skipped`). Every other flow is.
 */
const HIDD_FLOW_TYPES = new Set([
  "keycloak:authentication/flow:Flow",
  "keycloak:authentication/subflow:Subflow",
  "keycloak:authentication/execution:Execution",
  "keycloak:authentication/bindings:Bindings",
]);
const IDP = "keycloak:oidc/identityProvider:IdentityProvider";
const ORGANIZATION = "keycloak:index/organization:Organization";
const IDP_MAPPER = "keycloak:index/customIdentityProviderMapping:CustomIdentityProviderMapping";

interface Execution {
  providerId?: string;
  displayName?: string;
}

/** Creates every realm, client, mapper, group, identity provider and IdP mapper of a captured graph. */
export async function applyKeycloakGraph(
  kc: KeycloakAdmin,
  regs: readonly Registration[],
): Promise<AppliedKeycloak> {
  const known = new Set<string>([
    ...Object.values(T),
    IDP,
    IDP_MAPPER,
    ORGANIZATION,
    ...HIDD_FLOW_TYPES,
  ]);
  const unsupported = regs.filter((r) => r.type.startsWith("keycloak:") && !known.has(r.type));
  if (unsupported.length > 0)
    throw new Error(
      `keycloak applier: no translation for ${[...new Set(unsupported.map((r) => r.type))].join(", ")}`,
    );

  // Realms: the proxy realm first (the main program names it keycloak-realm), then customer realms.
  const realmOf = new Map<string, string>(); // mock realm id -> realm name
  const proxy = regs.find((r) => r.type === T.realm && r.name === "keycloak-realm");
  if (!proxy) throw new Error("keycloak applier: the graph has no keycloak-realm");
  for (const r of [proxy, ...regs.filter((x) => x.type === T.realm && x !== proxy)]) {
    const ri = r.inputs;
    await kcOk(kc, "POST", "", {
      realm: ri.realm,
      enabled: ri.enabled ?? true,
      displayName: ri.displayName,
      accessTokenLifespan: goDurationSeconds(ri.accessTokenLifespan),
      ssoSessionIdleTimeout: goDurationSeconds(ri.ssoSessionIdleTimeout),
      ssoSessionMaxLifespan: goDurationSeconds(ri.ssoSessionMaxLifespan),
      sslRequired: ri.sslRequired ?? "external",
      ...(ri.organizationsEnabled !== undefined
        ? { organizationsEnabled: ri.organizationsEnabled }
        : {}),
      ...bruteForce(ri.securityDefenses),
    });
    realmOf.set(r.id, String(ri.realm));
  }
  const realm = String(proxy.inputs.realm);
  // The extension's flow exists only in its mode; Organizations use Keycloak's own browser flow.
  const hidd = regs.some(
    (r) =>
      r.type === "keycloak:authentication/flow:Flow" && r.inputs.alias === hiddFlowAlias(realm),
  )
    ? hiddFlowAlias(realm)
    : undefined;
  const isHidd = (r: Registration) =>
    hidd !== undefined &&
    (r.type === "keycloak:authentication/bindings:Bindings" ||
      String(r.inputs.alias ?? r.inputs.parentFlowAlias ?? "").startsWith(hidd));
  const skipped = regs
    .filter((r) => HIDD_FLOW_TYPES.has(r.type) && isHidd(r))
    .map((r) => `${r.type} ${r.name}`);
  const inRealm = (r: Registration) => {
    const name = realmOf.get(String(r.inputs.realmId));
    if (!name)
      throw new Error(`keycloak applier: ${r.name} names a realm that is not in the graph`);
    return name;
  };

  // Every client (the Keystone client, the public CLI client, customer realms' broker clients), then their mappers.
  const clients = new Map<string, { uuid: string; realm: string; clientId: string }>(); // by mock id
  for (const r of regs.filter((x) => x.type === T.client)) {
    const ci = r.inputs;
    const attributes: Record<string, string> = {
      "pkce.code.challenge.method": String(ci.pkceCodeChallengeMethod ?? ""),
      "oauth2.device.authorization.grant.enabled": flag(
        ci.oauth2DeviceAuthorizationGrantEnabled,
        false,
      ),
      "post.logout.redirect.uris": (
        (ci.validPostLogoutRedirectUris as string[] | undefined) ?? []
      ).join("##"),
      "backchannel.logout.session.required": flag(ci.backchannelLogoutSessionRequired, true),
    };
    if (ci.backchannelLogoutUrl !== undefined)
      attributes["backchannel.logout.url"] = String(ci.backchannelLogoutUrl);
    const lifespan = goDurationSeconds(ci.oauth2DeviceCodeLifespan);
    if (lifespan !== undefined) attributes["oauth2.device.code.lifespan"] = String(lifespan);
    const secretInput = ci.clientSecret as { value?: string } | string | undefined;
    const fixedSecret = typeof secretInput === "string" ? secretInput : secretInput?.value;
    const clientRealm = inRealm(r);
    const created = await kcOk(kc, "POST", `/${clientRealm}/clients`, {
      clientId: ci.clientId,
      name: ci.name,
      protocol: "openid-connect",
      publicClient: ci.accessType === "PUBLIC",
      bearerOnly: ci.accessType === "BEARER-ONLY",
      standardFlowEnabled: ci.standardFlowEnabled ?? false,
      implicitFlowEnabled: ci.implicitFlowEnabled ?? false,
      directAccessGrantsEnabled: ci.directAccessGrantsEnabled ?? false,
      serviceAccountsEnabled: ci.serviceAccountsEnabled ?? false,
      frontchannelLogout: ci.frontchannelLogoutEnabled ?? false,
      redirectUris: ci.validRedirectUris ?? [],
      webOrigins: ci.webOrigins ?? [],
      attributes,
      ...(fixedSecret !== undefined ? { secret: fixedSecret } : {}),
    });
    clients.set(r.id, { uuid: created.id, realm: clientRealm, clientId: String(ci.clientId) });
  }
  for (const r of regs) {
    const body = mapperBody(r);
    if (!body) continue;
    const client = clients.get(String(r.inputs.clientId));
    if (!client)
      throw new Error(`keycloak applier: mapper ${r.name} names a client that is not in the graph`);
    await kcOk(kc, "POST", `/${client.realm}/clients/${client.uuid}/protocol-mappers/models`, body);
  }
  const main = regs.find((r) => r.type === T.client && r.name === "keycloak-client");
  if (!main) throw new Error("keycloak applier: the graph has no keycloak-client");
  const clientUuid = clients.get(main.id)!.uuid;
  const secretOf = async (c: { uuid: string; realm: string }) =>
    (
      (await kcOk(kc, "GET", `/${c.realm}/clients/${c.uuid}/client-secret`)).json as {
        value?: string;
      }
    ).value ?? "";

  // Groups, parents first, per realm.
  const groupsByRealm = new Map<string, Map<string, string>>();
  const byMockId = new Map<string, { id: string; path: string }>();
  const pending = regs.filter((r) => r.type === T.group);
  while (pending.length > 0) {
    const next = pending.findIndex(
      (r) => r.inputs.parentId === undefined || byMockId.has(String(r.inputs.parentId)),
    );
    if (next < 0) throw new Error("keycloak applier: a group's parent is not in the graph");
    const r = pending.splice(next, 1)[0]!;
    const groupRealm = inRealm(r);
    const parent =
      r.inputs.parentId !== undefined ? byMockId.get(String(r.inputs.parentId)) : undefined;
    const path = `${parent?.path ?? ""}/${String(r.inputs.name)}`;
    const made = await kcOk(
      kc,
      "POST",
      parent ? `/${groupRealm}/groups/${parent.id}/children` : `/${groupRealm}/groups`,
      { name: r.inputs.name },
    );
    byMockId.set(r.id, { id: made.id, path });
    if (!groupsByRealm.has(groupRealm)) groupsByRealm.set(groupRealm, new Map());
    groupsByRealm.get(groupRealm)!.set(path, made.id);
  }

  // Other authentication flows (the first-broker-login flow): top-level flows, then their executions.
  for (const r of regs.filter(
    (x) => x.type === "keycloak:authentication/flow:Flow" && !isHidd(x),
  )) {
    await kcOk(kc, "POST", `/${inRealm(r)}/authentication/flows`, {
      alias: r.inputs.alias,
      description: r.inputs.description ?? "",
      providerId: "basic-flow",
      topLevel: true,
      builtIn: false,
    });
  }
  const setRequirement = async (
    flowPath: string,
    find: (x: Execution) => boolean,
    requirement: unknown,
  ) => {
    const made = ((await kcOk(kc, "GET", flowPath)).json as Execution[]).find(find);
    if (!made) throw new Error(`keycloak applier: ${flowPath} lacks the step just added`);
    await kcOk(kc, "PUT", flowPath, { ...made, requirement });
  };
  // Their steps: Keycloak orders a flow's steps by when they were added, so each flow's subflows and
  // executions go in by priority, and a subflow's own steps once it exists.
  const steps = regs.filter(
    (x) =>
      (x.type === "keycloak:authentication/subflow:Subflow" ||
        x.type === "keycloak:authentication/execution:Execution") &&
      !isHidd(x),
  );
  const flowsMade = new Set(
    regs
      .filter((x) => x.type === "keycloak:authentication/flow:Flow" && !isHidd(x))
      .map((x) => String(x.inputs.alias)),
  );
  while (steps.length > 0) {
    const ready = steps
      .filter((x) => flowsMade.has(String(x.inputs.parentFlowAlias)))
      .sort((x, y) => Number(x.inputs.priority ?? 0) - Number(y.inputs.priority ?? 0));
    if (ready.length === 0) throw new Error("keycloak applier: a step's flow is not in the graph");
    for (const r of ready) {
      steps.splice(steps.indexOf(r), 1);
      const flowPath = `/${inRealm(r)}/authentication/flows/${encodeURIComponent(String(r.inputs.parentFlowAlias))}/executions`;
      if (r.type === "keycloak:authentication/subflow:Subflow") {
        await kcOk(kc, "POST", `${flowPath}/flow`, {
          alias: r.inputs.alias,
          type: r.inputs.providerId ?? "basic-flow",
          provider: r.inputs.authenticator ?? "registration-page-form",
          description: r.inputs.description ?? "",
        });
        await setRequirement(
          flowPath,
          (x) => x.displayName === r.inputs.alias,
          r.inputs.requirement,
        );
        flowsMade.add(String(r.inputs.alias));
      } else {
        await kcOk(kc, "POST", `${flowPath}/execution`, { provider: r.inputs.authenticator });
        await setRequirement(
          flowPath,
          (x) => x.providerId === r.inputs.authenticator,
          r.inputs.requirement,
        );
      }
    }
  }

  // Organizations in the proxy realm (Organizations discovery), by mock id.
  const organizations = new Map<string, string>();
  for (const r of regs.filter((x) => x.type === ORGANIZATION)) {
    const o = r.inputs;
    const made = await kcOk(kc, "POST", `/${String(o.realm)}/organizations`, {
      name: o.name,
      alias: o.alias,
      description: o.description,
      enabled: o.enabled ?? true,
      domains: o.domains ?? [],
    });
    organizations.set(r.id, made.id);
  }

  // Identity providers in the proxy realm (customer realms brokered in), with their mappers.
  for (const r of regs.filter((x) => x.type === IDP)) {
    const i = r.inputs;
    const broker = [...clients.values()].find(
      (c) => c.clientId === i.clientId && c.realm !== realm,
    );
    if (!broker)
      throw new Error(
        `keycloak applier: identity provider ${String(i.alias)} names a broker client that is not in the graph`,
      );
    await kcOk(kc, "POST", `/${String(i.realm)}/identity-provider/instances`, {
      alias: i.alias,
      displayName: i.displayName,
      providerId: "oidc",
      enabled: i.enabled ?? true,
      trustEmail: i.trustEmail ?? false,
      hideOnLogin: i.hideOnLoginPage ?? false,
      ...(i.firstBrokerLoginFlowAlias !== undefined
        ? { firstBrokerLoginFlowAlias: i.firstBrokerLoginFlowAlias }
        : {}),
      config: {
        issuer: i.issuer,
        authorizationUrl: i.authorizationUrl,
        tokenUrl: i.tokenUrl,
        userInfoUrl: i.userInfoUrl,
        jwksUrl: i.jwksUrl,
        useJwksUrl: "true",
        logoutUrl: i.logoutUrl,
        clientId: i.clientId,
        clientSecret: await secretOf(broker),
        clientAuthMethod: "client_secret_post",
        validateSignature: flag(i.validateSignature, false),
        backchannelSupported: flag(i.backchannelSupported, false),
        syncMode: i.syncMode ?? "LEGACY",
        defaultScope: i.defaultScopes ?? "openid",
        ...(i.orgDomain !== undefined ? { "kc.org.domain": i.orgDomain } : {}),
        ...(i.orgRedirectModeEmailMatches !== undefined
          ? {
              "kc.org.broker.redirect.mode.email-matches": flag(
                i.orgRedirectModeEmailMatches,
                false,
              ),
            }
          : {}),
        ...((i.extraConfig as Record<string, string> | undefined) ?? {}),
      },
    });
    // Keycloak ignores `organizationId` when an identity provider is created; the link is made
    // through the organization (as the provider does).
    if (i.organizationId !== undefined) {
      const org = organizations.get(String(i.organizationId));
      if (!org)
        throw new Error(
          `keycloak applier: identity provider ${String(i.alias)} names an organization that is not in the graph`,
        );
      await kcOk(
        kc,
        "POST",
        `/${String(i.realm)}/organizations/${org}/identity-providers`,
        i.alias,
      );
    }
  }
  for (const r of regs.filter((x) => x.type === IDP_MAPPER)) {
    const i = r.inputs;
    await kcOk(
      kc,
      "POST",
      `/${String(i.realm)}/identity-provider/instances/${String(i.identityProviderAlias)}/mappers`,
      {
        name: i.name,
        identityProviderAlias: i.identityProviderAlias,
        identityProviderMapper: i.identityProviderMapper,
        config: i.extraConfig ?? {},
      },
    );
  }
  const customerGroups = new Map([...groupsByRealm].filter(([name]) => name !== realm));
  return {
    realm,
    clientUuid,
    clientSecret: await secretOf(clients.get(main.id)!),
    groups: groupsByRealm.get(realm) ?? new Map(),
    customerGroups,
    skipped,
  };
}

/** A complete test user (no pending required action), optionally a member of some groups. */
export async function createKeycloakUser(
  kc: KeycloakAdmin,
  realm: string,
  user: { username: string; password: string; email: string; groupIds?: readonly string[] },
): Promise<string> {
  const made = await kcOk(kc, "POST", `/${realm}/users`, {
    username: user.username,
    email: user.email,
    emailVerified: true,
    firstName: "Test",
    lastName: user.username,
    enabled: true,
    credentials: [{ type: "password", value: user.password, temporary: false }],
  });
  for (const g of user.groupIds ?? [])
    await kcOk(kc, "PUT", `/${realm}/users/${made.id}/groups/${g}`);
  return made.id;
}

/** The password grant against a realm's client: the raw token response. */
export async function passwordGrant(
  baseUrl: string,
  realm: string,
  client: { id: string; secret?: string },
  username: string,
  password: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const form = new URLSearchParams({
    grant_type: "password",
    client_id: client.id,
    username,
    password,
    scope: "openid",
  });
  if (client.secret) form.set("client_secret", client.secret);
  const res = await fetch(`${baseUrl}/realms/${realm}/protocol/openid-connect/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: form,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
