/**
 * Cross-field rules on the Keystone client and the federation settings: flows, PKCE, claims,
 * identifiers and the authorization TTL.
 */
import type { Push } from "./issues";
import type { StackConfig } from "./schema";
import { remoteIdAttributes } from "../base/naming";
import { LOOSE_ENVIRONMENTS } from "./url-rules";

export function clientRules(cfg: StackConfig, push: Push): void {
  const loose = LOOSE_ENVIRONMENTS.has(cfg.environment);
  const cliClientId = cfg.client.cliClientId;
  if (cliClientId !== undefined && cliClientId === cfg.client.clientId) {
    push(
      "client.cliClientId",
      `"${cliClientId}" is the Keystone client's own id`,
      "give the public CLI client its own id, or leave it out (default `<clientId>-cli`)",
    );
  }
  if (cliClientId !== undefined && !cfg.client.deviceGrant) {
    push(
      "client.cliClientId",
      "is set but client.deviceGrant is false, so no CLI client is declared",
      "remove client.cliClientId, or enable client.deviceGrant",
    );
  }
  if (cfg.client.cliOfflineAccess && !cfg.client.deviceGrant) {
    push(
      "client.cliOfflineAccess",
      "is true but client.deviceGrant is false, so no CLI client is declared",
      "remove client.cliOfflineAccess, or enable client.deviceGrant",
    );
  }
  if (cfg.client.directAccessGrants && !loose) {
    push(
      "client.directAccessGrants",
      `the password grant is enabled on a ${cfg.environment} stack`,
      "only local or test stacks may enable it; use the device grant for CLI login",
    );
  }
  if (cfg.client.implicitFlow && !loose) {
    push(
      "client.implicitFlow",
      `the implicit flow is enabled on a ${cfg.environment} stack`,
      "only local or test stacks may enable it; the code flow with PKCE replaces it",
    );
  }
  if (cfg.keycloak.insecure && !loose) {
    push(
      "keycloak.insecure",
      `TLS verification is off on a ${cfg.environment} stack`,
      "give keycloak.caBundle instead",
    );
  }
  if (cfg.keystone.insecure && !loose) {
    push(
      "keystone.insecure",
      `TLS verification is off on a ${cfg.environment} stack`,
      "give keystone.caBundle instead",
    );
  }
  const t = cfg.realm.tokens;
  if (t.offlineSessionIdle > t.offlineSessionMax) {
    push(
      "realm.tokens.offlineSessionIdle",
      `idle timeout ${t.offlineSessionIdle}s exceeds the offline session maximum ${t.offlineSessionMax}s`,
      "make offlineSessionIdle <= offlineSessionMax",
    );
  }
  if (t.ssoSessionIdle > t.ssoSessionMax) {
    push(
      "realm.tokens.ssoSessionIdle",
      `idle timeout ${t.ssoSessionIdle}s exceeds the session maximum ${t.ssoSessionMax}s`,
      "make ssoSessionIdle <= ssoSessionMax",
    );
  }
  if (t.accessToken > t.ssoSessionIdle) {
    push(
      "realm.tokens.accessToken",
      `access token lifetime ${t.accessToken}s exceeds the SSO idle timeout ${t.ssoSessionIdle}s`,
      "keep access tokens shorter than sessions",
    );
  }
}

/** Longest `federation.authorizationTtlMinutes` accepted: 30 days (group memberships outlive logins). */
export const MAX_AUTHORIZATION_TTL_MINUTES = 43_200;

export function federationRules(cfg: StackConfig, push: Push): void {
  const f = cfg.federation;
  accessClaimRules(cfg, push);
  if (f.userType === "local" && cfg.realm.customerRealms.length > 0) {
    push(
      "federation.userType",
      "local users are looked up by a username a customer-realm admin can choose",
      "use ephemeral users with customer realms, so a brokered user can never become an existing Keystone user",
    );
  }
  if (
    f.authorizationTtlMinutes !== undefined &&
    f.authorizationTtlMinutes > MAX_AUTHORIZATION_TTL_MINUTES
  ) {
    push(
      "federation.authorizationTtlMinutes",
      `${f.authorizationTtlMinutes} minutes keeps group memberships for over 30 days after a login`,
      `give at most ${MAX_AUTHORIZATION_TTL_MINUTES}; a removed Keycloak group should not grant access for long`,
    );
  }
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(f.claimPrefix)) {
    push(
      "federation.claimPrefix",
      `"${f.claimPrefix}" is not a valid environment prefix`,
      "use letters, digits, '-' and '_', e.g. OIDC-",
    );
  } else if (/^http_/i.test(f.claimPrefix)) {
    // Apache hands every request header to Keystone as HTTP_<NAME>: claims under that prefix could
    // be met by headers the client sends itself.
    push(
      "federation.claimPrefix",
      `"${f.claimPrefix}" is the prefix of request headers, which any client can set`,
      "use a prefix no header becomes, e.g. OIDC-",
    );
  }
  if (f.remoteIdAttribute !== undefined) {
    const allowed = remoteIdAttributes(f.claimPrefix);
    if (!allowed.includes(f.remoteIdAttribute)) {
      push(
        "federation.remoteIdAttribute",
        `"${f.remoteIdAttribute}" does not carry the token issuer`,
        `use one of ${allowed.join(", ")} (derived from claimPrefix)`,
      );
    }
  }
  for (const [key, claim] of Object.entries(f.claims)) {
    if (claim !== undefined && !/^[A-Za-z0-9_.:-]+$/.test(claim)) {
      push(
        `federation.claims.${key}`,
        `"${claim}" is not a plain claim name`,
        "use the claim name as it appears in the token",
      );
    }
  }
}

/**
 * Claims Keycloak's own scopes and mappers write, or that the mapping reads for something else: an
 * access claim named like one of them could be filled by a scope a user may request (the optional
 * `microprofile-jwt` scope writes realm roles into `groups`) or by another mapper.
 */
const RESERVED_CLAIMS = new Set([
  "sub",
  "iss",
  "aud",
  "azp",
  "exp",
  "iat",
  "nbf",
  "jti",
  "typ",
  "sid",
  "nonce",
  "acr",
  "auth_time",
  "scope",
  "session_state",
  "groups",
  "roles",
  "realm_access",
  "resource_access",
  "preferred_username",
  "email",
  "email_verified",
  "name",
  "given_name",
  "family_name",
  "upn",
  "identity_provider",
  "organization",
]);

function accessClaimRules(cfg: StackConfig, push: Push): void {
  const c = cfg.federation.claims;
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(c.access)) {
    push(
      "federation.claims.access",
      `"${c.access}" is not a plain claim name`,
      "use letters, digits and '_' (a '.' nests the claim in Keycloak), e.g. openstack_access",
    );
  } else if (
    RESERVED_CLAIMS.has(c.access.toLowerCase()) ||
    [c.username, c.email].some((o) => o?.toLowerCase() === c.access.toLowerCase())
  ) {
    push(
      "federation.claims.access",
      `"${c.access}" is a claim Keycloak or the mapping already fills with something else`,
      "give the access roles a claim of their own, e.g. openstack_access",
    );
  }
}
