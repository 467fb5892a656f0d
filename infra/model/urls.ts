/**
 * Every URL both sides must agree on, derived from the two base URLs in the configuration.
 * Keystone compares the issuer byte for byte against the IdP's remote_ids, and Keycloak compares
 * redirect URIs exactly, so these strings are built in one place and nowhere else.
 */

/** `https://id.example.com` + `openstack` -> `https://id.example.com/realms/openstack` (Keycloak >= 17 layout). */
export function issuerUrl(keycloakUrl: string, realm: string): string {
  return `${keycloakUrl}/realms/${encodeURIComponent(realm)}`;
}

/** OpenID discovery document of a realm. */
export function discoveryUrl(issuer: string): string {
  return `${issuer}/.well-known/openid-configuration`;
}

/** Keycloak's endpoints under a realm issuer. */
export function realmEndpoints(issuer: string) {
  const oidc = `${issuer}/protocol/openid-connect`;
  return {
    authorization: `${oidc}/auth`,
    token: `${oidc}/token`,
    userinfo: `${oidc}/userinfo`,
    jwks: `${oidc}/certs`,
    endSession: `${oidc}/logout`,
    deviceAuthorization: `${oidc}/auth/device`,
  } as const;
}

/** Where Keycloak sends a brokered login back to the proxy realm. */
export function brokerRedirectUri(proxyIssuer: string, alias: string): string {
  return `${proxyIssuer}/broker/${encodeURIComponent(alias)}/endpoint`;
}

export interface KeystoneUrls {
  /** Identity API root, e.g. https://keystone.example.com:5000/v3 */
  readonly v3: string;
  /** mod_auth_openidc's OIDCRedirectURI (a path Apache owns, never served by Keystone). */
  readonly redirectUri: string;
  /** Back-channel logout endpoint of mod_auth_openidc. */
  readonly backchannelLogout: string;
  /** Generic websso endpoint (Horizon lists the IdP choice itself). */
  readonly websso: string;
  /** IdP-specific websso endpoint. */
  readonly webssoIdp: string;
  /** The bearer-token (CLI) federated auth endpoint. */
  readonly cliAuth: string;
}

export function keystoneUrls(keystoneUrl: string, idpId: string, protocolId: string): KeystoneUrls {
  const v3 = `${keystoneUrl}/v3`;
  const idp = encodeURIComponent(idpId);
  const proto = encodeURIComponent(protocolId);
  const redirectUri = `${keystoneUrl}/redirect_uri`;
  return {
    v3,
    redirectUri,
    backchannelLogout: `${redirectUri}?logout=backchannel`,
    websso: `${v3}/auth/OS-FEDERATION/websso/${proto}`,
    webssoIdp: `${v3}/auth/OS-FEDERATION/identity_providers/${idp}/protocols/${proto}/websso`,
    cliAuth: `${v3}/OS-FEDERATION/identity_providers/${idp}/protocols/${proto}/auth`,
  };
}

/** Horizon's websso landing page, which keystone.conf must list as a trusted dashboard. */
export function trustedDashboard(horizonUrl: string): string {
  return `${horizonUrl}/auth/websso/`;
}

/** Where Keycloak may send the browser after logout. */
export function postLogoutRedirect(horizonUrl: string): string {
  return `${horizonUrl}/`;
}

/** The origin (scheme://host[:port]) of a URL, for Keycloak's web origins. */
export function originOf(url: string): string {
  return new URL(url).origin;
}
