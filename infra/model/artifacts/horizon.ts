/**
 * Horizon local_settings snippet: websso with the stack's IdP, and a logout that also ends the
 * Keycloak session (end-session endpoint with post_logout_redirect_uri and client_id).
 */
import type { FederationModel } from "../federation-model";

/** A Python string literal. */
export function pyStr(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}

export function renderHorizon(model: FederationModel): string {
  const f = model.federation;
  const choice = `${f.idpId}_${f.protocolId}`;
  const horizon = model.horizon.urls[0];
  const logout = horizon
    ? `${model.keycloak.endpoints.endSession}?client_id=${encodeURIComponent(model.keycloak.client.clientId)}&post_logout_redirect_uri=${encodeURIComponent(`${horizon}/`)}`
    : model.keycloak.endpoints.endSession;
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
    "# Horizon logs the user out, then sends the browser to Keycloak to end the SSO session too.",
    `WEBSSO_DEFAULT_REDIRECT_LOGOUT = ${pyStr(logout)}`,
    `LOGOUT_URL = ${pyStr(logout)}`,
    "",
  ].join("\n");
}
