/**
 * Steps on the Keycloak side: the group tree the access rules name, the customer realms brokered
 * into the proxy realm, and the Keystone client with its protocol mappers.
 */
import type { StackConfig } from "../config/schema";
import * as naming from "../base/naming";
import type { ClientMapper, CustomerRealmSpec, DeploymentModel, KeycloakGroupSpec } from "./types";
import * as urls from "./urls";

const uniq = <T>(xs: readonly T[]) => [...new Set(xs)];

/** Keycloak's client scope that turns a refresh token into an offline token. */
const OFFLINE_ACCESS_SCOPE = "offline_access";

/**
 * Step "Keycloak groups": one top-level group per tenant with access, its access groups below, each
 * holding the client role that grants the access rule (group names and paths grant nothing).
 */
export function keycloakGroups(cfg: StackConfig): KeycloakGroupSpec[] {
  const tenants = uniq(cfg.access.map((a) => a.tenant)).map((tenant) => ({
    key: naming.keycloakTenantGroupKey(tenant),
    name: tenant,
    path: `/${tenant}`,
  }));
  const groups = cfg.access.map((a) => ({
    key: naming.keycloakGroupKey(a.tenant, a.group),
    name: a.group,
    path: naming.keycloakGroupPath(a.tenant, a.group),
    parentKey: naming.keycloakTenantGroupKey(a.tenant),
    accessRole: {
      key: naming.accessRoleKey(a.tenant, a.group),
      name: naming.accessRoleName(a.tenant, a.group),
      description: `Access of ${naming.keycloakGroupPath(a.tenant, a.group)} in OpenStack (declared by the stack)`,
    },
  }));
  return [...tenants, ...groups];
}

/** Step "customer realms": each brokered realm with the groups of the tenants bound to it. */
export function customerRealms(cfg: StackConfig, issuer: string): CustomerRealmSpec[] {
  return cfg.realm.customerRealms.map((cr) => {
    const bound = cfg.tenants.filter((t) => t.customerRealm === cr.name).map((t) => t.name);
    const groups = cfg.access
      .filter((a) => bound.includes(a.tenant))
      .map((a) => ({
        name: a.group,
        claimValue: `/${a.group}`,
        proxyGroupPath: naming.keycloakGroupPath(a.tenant, a.group),
        proxyGroupKey: naming.keycloakGroupKey(a.tenant, a.group),
      }));
    const crIssuer = urls.issuerUrl(cfg.keycloak.url, cr.name);
    const displayName = cr.displayName ?? cr.name;
    // Validation has made them lower-case and unique; sorted, they read as Keycloak's set does.
    const domains = [...cr.emailDomains].sort();
    return {
      name: cr.name,
      bruteForce: cfg.realm.bruteForce,
      displayName,
      issuer: crIssuer,
      endpoints: urls.realmEndpoints(crIssuer),
      emailDomains: cr.emailDomains,
      ...(cfg.realm.discovery === "organizations"
        ? {
            organization: {
              alias: naming.organizationAlias(cr.name),
              name: naming.organizationAlias(cr.name),
              description: displayName,
              domains,
              idpDomain: domains.length === 1 ? domains[0]! : naming.ANY_ORGANIZATION_DOMAIN,
            },
          }
        : { hiddDomains: cr.emailDomains.join(naming.HIDD_DOMAIN_SEPARATOR) }),
      brokerClientId: naming.brokerClientId(cfg.realm.name),
      brokerRedirectUri: urls.brokerRedirectUri(issuer, cr.name),
      groups,
    };
  });
}

/** The protocol mappers of the Keystone client: every claim the mapping reads. */
export function clientMappers(cfg: StackConfig): ClientMapper[] {
  const c = cfg.federation.claims;
  const note = naming.IDENTITY_PROVIDER_NOTE;
  return [
    { kind: "sub", name: naming.USER_ID_CLAIM },
    { kind: "userProperty", name: c.username, claimName: c.username, userProperty: "username" },
    ...(c.email !== undefined
      ? [
          {
            kind: "userProperty",
            name: c.email,
            claimName: c.email,
            userProperty: "email",
          } as const,
        ]
      : []),
    {
      kind: "accessRoles",
      name: c.access,
      claimName: c.access,
      roleClientId: cfg.client.clientId,
    },
    { kind: "audience", name: "audience", includedClientAudience: cfg.client.clientId },
    ...(cfg.realm.customerRealms.length > 0
      ? [{ kind: "sessionNote", name: note, claimName: note, sessionNote: note } as const]
      : []),
  ];
}

/** Step "client": the Keystone client (code flow + PKCE S256) and the public CLI client. */
export function keycloakClient(
  cfg: StackConfig,
  ks: urls.KeystoneUrls,
): Pick<DeploymentModel["keycloak"], "client" | "cliClient"> {
  const horizonUrls = cfg.horizon.urls;
  const cliClientId = cfg.client.cliClientId ?? naming.cliClientId(cfg.client.clientId);
  return {
    client: {
      clientId: cfg.client.clientId,
      accessType: cfg.client.confidential ? "CONFIDENTIAL" : "PUBLIC",
      implicitFlow: cfg.client.implicitFlow,
      directAccessGrants: cfg.client.directAccessGrants,
      // The device grant lives on the public CLI client, never on this one (whose secret the CLI
      // would otherwise need).
      deviceGrant: false,
      pkceMethod: "S256",
      redirectUris: uniq([
        ks.redirectUri,
        ks.websso,
        ks.webssoIdp,
        ...cfg.client.extraRedirectUris,
      ]),
      postLogoutRedirectUris: uniq([
        ...horizonUrls.map(urls.postLogoutRedirect),
        `${cfg.keystone.url}/`,
      ]),
      webOrigins: uniq([urls.originOf(cfg.keystone.url), ...horizonUrls.map(urls.originOf)]),
      backchannelLogoutUrl: ks.backchannelLogout,
    },
    ...(cfg.client.deviceGrant
      ? {
          cliClient: {
            clientId: cliClientId,
            pkceMethod: "S256" as const,
            optionalScopes: cfg.client.cliOfflineAccess ? [OFFLINE_ACCESS_SCOPE] : [],
          },
        }
      : {}),
  };
}
