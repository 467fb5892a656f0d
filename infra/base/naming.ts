/**
 * Every Keystone and Keycloak identifier the stack creates, and every Pulumi logical name, derived
 * here and nowhere else. Changing a function changes names of shipped resources: add aliases.
 */

/** Default Keystone identity provider id for a realm. */
export function defaultIdpId(realm: string): string {
  return `keycloak-${realm}`;
}

/** Keystone mapping id of an identity provider + protocol. */
export function mappingId(idpId: string, protocolId: string): string {
  return `${idpId}-${protocolId}-mapping`;
}

/** Keycloak group path of an access rule's group: `/<tenant>/<group>`. */
export function keycloakGroupPath(tenant: string, group: string): string {
  return `/${tenant}/${group}`;
}

/** Model key (and Pulumi logical-name suffix) of the Keycloak group of an access rule. */
export function keycloakGroupKey(tenant: string, group: string): string {
  return `kcgroup-${tenant}-${group}`;
}

/**
 * Name of the Keystone client's client role that grants an access rule, and of the Keystone group
 * (inside the tenant's domain) that carries the rule's roles: `<tenant>-<group>`. Access is keyed on
 * this role, which only the stack declares (and assigns to the access group), never on a group
 * name or path that whoever may create groups could choose.
 */
export function accessRoleName(tenant: string, group: string): string {
  return `${tenant}-${group}`;
}

/** Keystone group name of an access rule: the same as its access role, in every mapping layout. */
export function keystoneGroupName(tenant: string, group: string): string {
  return accessRoleName(tenant, group);
}

/** Model key (and logical-name suffix) of the client role of an access rule. */
export function accessRoleKey(tenant: string, group: string): string {
  return `kcrole-${tenant}-${group}`;
}

/** The claim that becomes the Keystone user id: the one nobody can change or choose. */
export const USER_ID_CLAIM = "sub";

/** mod_auth_openidc's delimiter for multi-valued claims: the one Keystone splits on. */
export const CLAIM_DELIMITER = ";";

/** Default name of the claim that carries a user's access roles. */
export const DEFAULT_ACCESS_CLAIM = "openstack_access";

/** Name of a realm's dedicated generated signing key: realm, algorithm and size. */
export function signingKeyName(realm: string, algorithm: string, keySize: number): string {
  return `${realm}-${algorithm.toLowerCase()}-${keySize}`;
}

/** Default client id of the public CLI client: the Keystone client's id with `-cli`. */
export function cliClientId(clientId: string): string {
  return `${clientId}-cli`;
}

/** Client id of the broker client a customer realm offers the proxy realm. */
export function brokerClientId(proxyRealm: string): string {
  return `${proxyRealm}-broker`;
}

/** Alias of the first-broker-login flow that creates brokered users and never links them. */
export function firstBrokerLoginAlias(realm: string): string {
  return `${realm}-first-broker-login-no-link`;
}

/** Alias of the home-IdP-discovery browser flow in the proxy realm. */
/** The organization of a customer realm in the proxy realm: named and aliased like the realm. */
export function organizationAlias(customerRealm: string): string {
  return customerRealm;
}

/** An identity provider's organization domain that matches every domain of its organization. */
export const ANY_ORGANIZATION_DOMAIN = "ANY";

/** Separator the home-IdP-discovery extension uses between e-mail domains in the IdP config. */
export const HIDD_DOMAIN_SEPARATOR = "##";

export function hiddFlowAlias(realm: string): string {
  return `${realm}-browser-hidd`;
}

/** Session note (and claim) Keycloak sets to the broker alias a user came through. */
export const IDENTITY_PROVIDER_NOTE = "identity_provider";

/** Model key (and logical-name suffix) of a tenant's Keystone domain. */
export function domainKey(domain: string): string {
  return `domain-${domain}`;
}

/** Model key of a tenant's Keystone project. */
export function projectKey(tenant: string, project: string): string {
  return `project-${tenant}-${project}`;
}

/** Model key of the Keystone group of an access rule. */
export function keystoneGroupKey(tenant: string, group: string): string {
  return `group-${tenant}-${group}`;
}

/** Model key of one role grant of an access rule (on a project, or on the tenant's domain). */
export function grantKey(
  tenant: string,
  group: string,
  role: string,
  project: string | undefined,
): string {
  return `grant-${tenant}-${group}-${role}-${project ?? "domain"}`;
}

/** Model key of a tenant's top-level Keycloak group (the parent of its access groups). */
export function keycloakTenantGroupKey(tenant: string): string {
  return `kcgroup-${tenant}`;
}

/**
 * The WSGI environ key of an HTTP header: Apache passes header `OIDC-iss` as `HTTP_OIDC_ISS`
 * (upper case, `-` as `_`). mod_auth_openidc sets a header per claim, named with the claim prefix.
 */
export function headerEnvName(header: string): string {
  return `HTTP_${header.toUpperCase().replace(/-/g, "_")}`;
}

/**
 * The environ keys under which mod_auth_openidc exposes the `iss` claim: the header copy
 * (`HTTP_OIDC_ISS`, the default) and the claim variable (`OIDC-iss`). Both work as Keystone's
 * remote_id_attribute (docs/local-services.md).
 */
export function remoteIdAttributes(claimPrefix: string): [string, string] {
  return [headerEnvName(`${claimPrefix}iss`), `${claimPrefix}iss`];
}
