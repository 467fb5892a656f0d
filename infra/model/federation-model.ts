/**
 * The whole federation as plain data: what the components declare on each side, with every value
 * both sides must agree on derived once. Pure: built from a validated StackConfig, no Pulumi.
 */
import type { Environment, StackConfig } from "../config/schema"; // types only: the model stays Pulumi-free
import { generateMapping, type MappedGroup } from "./mapping/generate";
import type { MappingDocument } from "./mapping/types";
import * as naming from "./naming";
import * as urls from "./urls";

/** A protocol mapper on the Keystone client; every one targets ID token, access token and userinfo. */
export type ClientMapper =
  | { kind: "groups"; name: string; claimName: string; fullPath: boolean }
  | { kind: "audience"; name: string; includedClientAudience: string }
  | { kind: "userProperty"; name: string; claimName: string; userProperty: string }
  | { kind: "sub"; name: string }
  | { kind: "sessionNote"; name: string; claimName: string; sessionNote: string };

export interface KeycloakGroupSpec {
  /** Stable key, also the Pulumi logical-name suffix. */
  readonly key: string;
  readonly name: string;
  readonly path: string;
  readonly parentKey?: string;
}

export interface CustomerRealmSpec {
  readonly name: string;
  readonly displayName: string;
  readonly issuer: string;
  readonly endpoints: ReturnType<typeof urls.realmEndpoints>;
  readonly emailDomains: readonly string[];
  /** Broker client in the customer realm that the proxy realm logs in with. */
  readonly brokerClientId: string;
  readonly brokerRedirectUri: string;
  /** Groups in the customer realm (bare names) and the proxy-realm group path each maps to. */
  readonly groups: readonly { readonly name: string; readonly claimValue: string; readonly proxyGroupPath: string; readonly proxyGroupKey: string }[];
}

export interface KeystoneDomainSpec {
  readonly key: string;
  readonly name: string;
  readonly description: string;
}

export interface KeystoneProjectSpec {
  readonly key: string;
  readonly domainKey: string;
  readonly name: string;
  readonly description: string;
}

export interface KeystoneGroupSpec {
  readonly key: string;
  readonly domainKey: string;
  readonly name: string;
  readonly description: string;
  readonly claimValue: string;
}

export interface GrantSpec {
  readonly key: string;
  readonly groupKey: string;
  readonly role: string;
  readonly target: { readonly projectKey: string } | { readonly domainKey: string };
}

export interface FederationModel {
  readonly stack: string;
  readonly environment: Environment;
  readonly keycloak: {
    readonly url: string;
    readonly issuer: string;
    readonly endpoints: ReturnType<typeof urls.realmEndpoints>;
    readonly realm: StackConfig["realm"] & { readonly displayName: string };
    readonly client: {
      readonly clientId: string;
      readonly accessType: "CONFIDENTIAL" | "PUBLIC";
      readonly implicitFlow: boolean;
      readonly directAccessGrants: boolean;
      readonly deviceGrant: boolean;
      readonly pkceMethod: "S256";
      readonly redirectUris: readonly string[];
      readonly postLogoutRedirectUris: readonly string[];
      readonly webOrigins: readonly string[];
      readonly backchannelLogoutUrl: string;
    };
    /**
     * The public client the OpenStack CLI uses for the device authorization grant (PKCE S256, no
     * secret, no browser flows), when `client.deviceGrant` is on. The mapping accepts it as `azp`.
     */
    readonly cliClient?: { readonly clientId: string; readonly pkceMethod: "S256" };
    readonly mappers: readonly ClientMapper[];
    readonly groups: readonly KeycloakGroupSpec[];
    readonly customerRealms: readonly CustomerRealmSpec[];
    readonly hiddFlowAlias?: string;
    /**
     * First-broker-login flow of the customer realms' identity providers: it creates the brokered
     * user if no user has that username or e-mail, and otherwise refuses. Keycloak's default flow
     * offers to link the brokered identity to the existing proxy-realm account instead, which a
     * customer-realm admin could aim at any proxy-realm user by choosing the e-mail.
     */
    readonly firstBrokerLoginFlowAlias?: string;
  };
  readonly keystone: {
    readonly url: string;
    readonly urls: urls.KeystoneUrls;
    readonly domains: readonly KeystoneDomainSpec[];
    readonly projects: readonly KeystoneProjectSpec[];
    readonly groups: readonly KeystoneGroupSpec[];
    readonly roles: { readonly lookup: readonly string[]; readonly create: readonly string[] };
    readonly grants: readonly GrantSpec[];
  };
  readonly federation: {
    readonly idpId: string;
    readonly idpDomainKey: string;
    readonly remoteIds: readonly string[];
    readonly protocolId: string;
    readonly mappingId: string;
    readonly remoteIdAttribute: string;
    readonly claimPrefix: string;
    readonly claimDelimiter: string;
    readonly userType: "ephemeral" | "local";
    readonly claims: StackConfig["federation"]["claims"];
    readonly mapping: MappingDocument;
    /** Take over existing Keystone objects (migration). */
    readonly adopt: boolean;
    /** `[federation] default_authorization_ttl` in minutes, when configured. */
    readonly authorizationTtlMinutes?: number;
  };
  readonly horizon: { readonly urls: readonly string[]; readonly trustedDashboards: readonly string[] };
  readonly protection: { readonly protect: boolean; readonly retainIdpOnDelete: boolean };
}

const domainKey = (name: string) => `domain-${name}`;
const uniq = <T>(xs: readonly T[]) => [...new Set(xs)];

function clientMappers(cfg: StackConfig): ClientMapper[] {
  const c = cfg.federation.claims;
  const mappers: ClientMapper[] = [];
  if (c.userId === "sub") mappers.push({ kind: "sub", name: "sub" });
  else mappers.push({ kind: "userProperty", name: c.userId, claimName: c.userId, userProperty: "id" });
  mappers.push({ kind: "userProperty", name: c.username, claimName: c.username, userProperty: "username" });
  if (c.email !== undefined) mappers.push({ kind: "userProperty", name: c.email, claimName: c.email, userProperty: "email" });
  mappers.push({ kind: "groups", name: c.groups, claimName: c.groups, fullPath: cfg.client.groupsFullPath });
  mappers.push({ kind: "audience", name: "audience", includedClientAudience: cfg.client.clientId });
  if (cfg.realm.customerRealms.length > 0) {
    mappers.push({ kind: "sessionNote", name: naming.IDENTITY_PROVIDER_NOTE, claimName: naming.IDENTITY_PROVIDER_NOTE, sessionNote: naming.IDENTITY_PROVIDER_NOTE });
  }
  return mappers;
}

/** Builds the model of one stack. The config must come from `parseStackConfig`. */
export function buildModel(cfg: StackConfig, stack: string): FederationModel {
  const realm = cfg.realm.name;
  const issuer = urls.issuerUrl(cfg.keycloak.url, realm);
  const idpId = cfg.federation.idpId ?? naming.defaultIdpId(realm);
  const protocolId = cfg.federation.protocolId;
  const ks = urls.keystoneUrls(cfg.keystone.url, idpId, protocolId);
  const tenantByName = new Map(cfg.tenants.map((t) => [t.name, t]));
  const fullPath = cfg.client.groupsFullPath;

  // Keystone domains: every tenant, plus the federated users' domain when it is not a tenant.
  const domains: KeystoneDomainSpec[] = cfg.tenants.map((t) => ({ key: domainKey(t.name), name: t.name, description: t.description ?? `Tenant ${t.name}` }));
  if (!tenantByName.has(cfg.federation.userDomain)) {
    const u = cfg.federation.userDomain;
    domains.push({ key: domainKey(u), name: u, description: `Federated users of ${idpId}` });
  }
  const projects: KeystoneProjectSpec[] = cfg.tenants.flatMap((t) =>
    t.projects.map((p) => ({ key: `project-${t.name}-${p.name}`, domainKey: domainKey(t.name), name: p.name, description: p.description ?? "" })),
  );

  const keystoneGroups: KeystoneGroupSpec[] = [];
  const grants: GrantSpec[] = [];
  const kcGroups: KeycloakGroupSpec[] = [];
  const mapped: MappedGroup[] = [];
  for (const tenant of uniq(cfg.access.map((a) => a.tenant))) {
    kcGroups.push({ key: `kcgroup-${tenant}`, name: tenant, path: `/${tenant}` });
  }
  for (const a of cfg.access) {
    const gKey = `group-${a.tenant}-${a.group}`;
    const claimValue = naming.groupClaimValue(a.tenant, a.group, fullPath);
    const name = naming.keystoneGroupName(a.tenant, a.group, cfg.federation.ruleLayout, claimValue);
    keystoneGroups.push({ key: gKey, domainKey: domainKey(a.tenant), name, description: a.description ?? `Keycloak ${naming.keycloakGroupPath(a.tenant, a.group)}`, claimValue });
    kcGroups.push({ key: naming.keycloakGroupKey(a.tenant, a.group), name: a.group, path: naming.keycloakGroupPath(a.tenant, a.group), parentKey: `kcgroup-${a.tenant}` });
    const broker = tenantByName.get(a.tenant)?.customerRealm;
    mapped.push({ tenant: a.tenant, claimValue, keystoneGroup: name, domain: a.tenant, ...(broker !== undefined ? { brokerAlias: broker } : {}) });
    for (const g of a.grants) {
      const target = g.project !== undefined ? { projectKey: `project-${a.tenant}-${g.project}` } : { domainKey: domainKey(a.tenant) };
      grants.push({ key: `grant-${a.tenant}-${a.group}-${g.role}-${g.project ?? "domain"}`, groupKey: gKey, role: g.role, target });
    }
  }
  const usedRoles = uniq(cfg.access.flatMap((a) => a.grants.map((g) => g.role)));

  const customerRealms: CustomerRealmSpec[] = cfg.realm.customerRealms.map((cr) => {
    const bound = cfg.tenants.filter((t) => t.customerRealm === cr.name).map((t) => t.name);
    const groups = cfg.access
      .filter((a) => bound.includes(a.tenant))
      .map((a) => ({ name: a.group, claimValue: `/${a.group}`, proxyGroupPath: naming.keycloakGroupPath(a.tenant, a.group), proxyGroupKey: naming.keycloakGroupKey(a.tenant, a.group) }));
    return {
      name: cr.name,
      displayName: cr.displayName ?? cr.name,
      issuer: urls.issuerUrl(cfg.keycloak.url, cr.name),
      endpoints: urls.realmEndpoints(urls.issuerUrl(cfg.keycloak.url, cr.name)),
      emailDomains: cr.emailDomains,
      brokerClientId: naming.brokerClientId(realm),
      brokerRedirectUri: urls.brokerRedirectUri(issuer, cr.name),
      groups,
    };
  });

  const remoteIdAttribute = cfg.federation.remoteIdAttribute ?? naming.remoteIdAttributes(cfg.federation.claimPrefix)[0];
  const cliClientId = cfg.client.cliClientId ?? naming.cliClientId(cfg.client.clientId);
  const mapping = generateMapping({
    issuer,
    clientIds: [cfg.client.clientId, ...(cfg.client.deviceGrant ? [cliClientId] : [])],
    remoteIdAttribute,
    claimPrefix: cfg.federation.claimPrefix,
    claims: cfg.federation.claims,
    brokerClaim: naming.IDENTITY_PROVIDER_NOTE,
    userType: cfg.federation.userType,
    userDomain: cfg.federation.userDomain,
    denyWithoutGroup: cfg.federation.denyWithoutGroup,
    layout: cfg.federation.ruleLayout,
    groups: mapped,
  });

  const horizonUrls = cfg.horizon.urls;
  const redirectUris = uniq([ks.redirectUri, ks.websso, ks.webssoIdp, ...cfg.client.extraRedirectUris]);
  const protectByDefault = cfg.environment === "staging" || cfg.environment === "production";
  return {
    stack,
    environment: cfg.environment,
    keycloak: {
      url: cfg.keycloak.url,
      issuer,
      endpoints: urls.realmEndpoints(issuer),
      realm: { ...cfg.realm, displayName: cfg.realm.displayName ?? realm },
      client: {
        clientId: cfg.client.clientId,
        accessType: cfg.client.confidential ? "CONFIDENTIAL" : "PUBLIC",
        implicitFlow: cfg.client.implicitFlow,
        directAccessGrants: cfg.client.directAccessGrants,
        // The device grant lives on the public CLI client, never on this one (whose secret the CLI
        // would otherwise need).
        deviceGrant: false,
        pkceMethod: "S256",
        redirectUris,
        postLogoutRedirectUris: uniq([...horizonUrls.map(urls.postLogoutRedirect), `${cfg.keystone.url}/`]),
        webOrigins: uniq([urls.originOf(cfg.keystone.url), ...horizonUrls.map(urls.originOf)]),
        backchannelLogoutUrl: ks.backchannelLogout,
      },
      ...(cfg.client.deviceGrant ? { cliClient: { clientId: cliClientId, pkceMethod: "S256" as const } } : {}),
      mappers: clientMappers(cfg),
      groups: kcGroups,
      customerRealms,
      ...(customerRealms.length > 0 ? { hiddFlowAlias: naming.hiddFlowAlias(realm), firstBrokerLoginFlowAlias: naming.firstBrokerLoginAlias(realm) } : {}),
    },
    keystone: {
      url: cfg.keystone.url,
      urls: ks,
      domains,
      projects,
      groups: keystoneGroups,
      roles: {
        lookup: cfg.roles.existing.filter((r) => usedRoles.includes(r)),
        create: cfg.roles.create,
      },
      grants,
    },
    federation: {
      idpId,
      idpDomainKey: domainKey(cfg.federation.userDomain),
      remoteIds: [issuer],
      protocolId,
      mappingId: naming.mappingId(idpId, protocolId),
      remoteIdAttribute,
      claimPrefix: cfg.federation.claimPrefix,
      claimDelimiter: cfg.federation.claimDelimiter,
      userType: cfg.federation.userType,
      claims: cfg.federation.claims,
      mapping,
      adopt: cfg.federation.adopt,
      ...(cfg.federation.authorizationTtlMinutes !== undefined ? { authorizationTtlMinutes: cfg.federation.authorizationTtlMinutes } : {}),
    },
    horizon: { urls: horizonUrls, trustedDashboards: horizonUrls.map(urls.trustedDashboard) },
    protection: {
      protect: cfg.protection.protect,
      retainIdpOnDelete: cfg.protection.retainIdpOnDelete ?? protectByDefault,
    },
  };
}
