/**
 * Horizon local_settings snippet: websso with the stack's IdP, and a logout that also ends the
 * Keycloak session (end-session endpoint with post_logout_redirect_uri and client_id).
 *
 * Facts from Horizon's openstack_auth (Zed, checked against Debian's openstack-dashboard 23 in the
 * system suite): its logout view sends the browser to WEBSSO_DEFAULT_REDIRECT_LOGOUT only when
 * WEBSSO_DEFAULT_REDIRECT is on, after clearing the Horizon session; WEBSSO_DEFAULT_REDIRECT also
 * sends every login straight to Keystone's websso for WEBSSO_DEFAULT_REDIRECT_PROTOCOL (no choice
 * page). LOGOUT_URL is Horizon's own logout view: pointing it at Keycloak would skip that view and
 * leave the Horizon session alive, so it is never set here.
 * The logout target is mod_auth_openidc's logout on Keystone (`<redirect URI>?logout=<Horizon>`):
 * ending only the Keycloak session leaves mod_auth_openidc's own session on Keystone alive, and the
 * next visit to Horizon logs the user in again without a password (seen with the real services).
 * mod_auth_openidc clears its session, then ends the Keycloak session with the ID token as hint
 * (no confirmation page) and returns to Horizon, which Apache must allow (OIDCRedirectURLsAllowed).
 */
import type { DeploymentModel } from "../deployment-model";

/**
 * A Python string literal. JSON's string syntax is a subset of Python's: quotes, backslashes and
 * every control character come out escaped (\r too, which Python reads as a line break), so no value
 * can end the literal or the line.
 */
export function pyStr(s: string): string {
  return JSON.stringify(s)
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

export function renderHorizon(model: DeploymentModel): string {
  const f = model.federation;
  const choice = `${f.idpId}_${f.protocolId}`;
  const horizon = model.horizon.urls[0];
  const logout = `${model.keystone.urls.redirectUri}?logout=${encodeURIComponent(horizon ? `${horizon}/` : `${model.keystone.url}/`)}`;
  return [
    `# Horizon websso for stack ${model.stack}. Generated; do not edit.`,
    `OPENSTACK_KEYSTONE_URL = ${pyStr(model.keystone.urls.v3)}`,
    "WEBSSO_ENABLED = True",
    `WEBSSO_KEYSTONE_URL = ${pyStr(model.keystone.urls.v3)}`,
    "WEBSSO_CHOICES = (",
    `    ("credentials", "Keystone Credentials"),`,
    `    (${pyStr(choice)}, ${pyStr(model.keycloak.realm.displayName)}),`,
    ")",
    "WEBSSO_IDP_MAPPING = {",
    `    ${pyStr(choice)}: (${pyStr(f.idpId)}, ${pyStr(f.protocolId)}),`,
    "}",
    `WEBSSO_INITIAL_CHOICE = ${pyStr(choice)}`,
    "# Logins go straight to Keycloak; logout clears the Horizon session, then ends the Keycloak one.",
    "WEBSSO_DEFAULT_REDIRECT = True",
    `WEBSSO_DEFAULT_REDIRECT_PROTOCOL = ${pyStr(f.protocolId)}`,
    `WEBSSO_DEFAULT_REDIRECT_REGION = ${pyStr(model.keystone.urls.v3)}`,
    `WEBSSO_DEFAULT_REDIRECT_LOGOUT = ${pyStr(logout)}`,
    "",
  ].join("\n");
}
