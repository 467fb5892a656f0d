/**
 * kolla-ansible inputs that match the stack, for operators who keep kolla-ansible in charge of
 * Apache: `keystone_identity_providers` / `keystone_identity_mappings` (globals) and the metadata
 * folder files mod_auth_openidc's multi-provider mode reads: `<issuer without scheme, URL-encoded>`
 * + `.provider`, `.client`, `.conf`.
 */
import { stringify } from "yaml";
import type { DeploymentModel } from "../deployment-model";
import { CLIENT_SECRET_PLACEHOLDER, type RenderSecrets } from "./secrets";

export const KOLLA_MAPPING_FILE = "okf-mapping.json";
/** The scopes the browser login asks for, here and in the metadata's `.conf`. */
const OIDC_SCOPES = "openid email profile";

/** The metadata file stem kolla-ansible expects: issuer without scheme, URL-encoded. */
export function kollaMetadataStem(issuer: string): string {
  return encodeURIComponent(issuer.replace(/^https?:\/\//, ""));
}

export function renderKollaGlobals(model: DeploymentModel): string {
  const f = model.federation;
  const userDomain =
    model.keystone.domains.find((d) => d.key === f.idpDomainKey)?.name ?? f.idpDomainKey;
  return `# kolla-ansible globals for stack ${model.stack}. Generated; do not edit.\n${stringify({
    enable_keystone_federation: "yes",
    keystone_identity_providers: [
      {
        name: f.idpId,
        openstack_domain: userDomain,
        protocol: f.protocolId,
        identifier: model.keycloak.issuer,
        // kolla registers the IdP with this as its description: the program's, or each run of
        // kolla-ansible and of pulumi up would change it back.
        public_name: f.idpDescription,
        attribute_mapping: f.mappingId,
        metadata_folder: "{{ node_custom_config }}/keystone/federation/oidc/metadata",
      },
    ],
    keystone_identity_mappings: [
      {
        name: f.mappingId,
        file: `{{ node_custom_config }}/keystone/federation/oidc/${KOLLA_MAPPING_FILE}`,
      },
    ],
    // kolla's keystone site writes these directives itself from its own variables (its default
    // response type is the implicit flow's `id_token`, which the stack's client refuses); a second
    // directive through the additional options would be a duplicate.
    keystone_federation_oidc_response_type: "code",
    keystone_federation_oidc_scopes: OIDC_SCOPES,
    keystone_federation_oidc_claim_delimiter: f.claimDelimiter,
    keystone_federation_oidc_jwks_uri: model.keycloak.endpoints.jwks,
    // Only what kolla's site has no variable for. kolla's site reads the providers from its
    // metadata folder and names one only on the IdP's own websso path; the generic one, where
    // Horizon's default redirect (WEBSSO_DEFAULT_REDIRECT) goes, would show mod_auth_openidc's
    // provider choice page instead of the realm's login. The discovery URL names the realm there.
    keystone_federation_oidc_additional_options: {
      OIDCPKCEMethod: model.keycloak.client.pkceMethod,
      OIDCDiscoverURL: `${model.keystone.urls.redirectUri}?iss=${encodeURIComponent(model.keycloak.issuer)}`,
    },
    // kolla derives these from its own Horizon (and Skyline); the stack's dashboards are the ones
    // Keystone must trust for the WebSSO redirect.
    keystone_trusted_dashboards: [...model.horizon.trustedDashboards],
  })}`;
}

export function renderKollaMetadata(
  model: DeploymentModel,
  secrets: RenderSecrets = {},
): { provider: string; client: string; conf: string } {
  const e = model.keycloak.endpoints;
  const provider = {
    issuer: model.keycloak.issuer,
    authorization_endpoint: e.authorization,
    token_endpoint: e.token,
    userinfo_endpoint: e.userinfo,
    jwks_uri: e.jwks,
    end_session_endpoint: e.endSession,
    response_types_supported: ["code"],
    code_challenge_methods_supported: ["S256"],
  };
  const client = {
    client_id: model.keycloak.client.clientId,
    ...(model.keycloak.client.accessType === "CONFIDENTIAL"
      ? { client_secret: secrets.clientSecret ?? CLIENT_SECRET_PLACEHOLDER }
      : {}),
  };
  const conf = {
    scope: OIDC_SCOPES,
    pkce_method: model.keycloak.client.pkceMethod,
    response_type: "code",
  };
  return {
    provider: `${JSON.stringify(provider, null, 2)}\n`,
    client: `${JSON.stringify(client, null, 2)}\n`,
    conf: `${JSON.stringify(conf, null, 2)}\n`,
  };
}
