/**
 * The protocol mappers of the Keystone client and the CLI client: one Pulumi resource per claim the
 * mapping reads. Wiring only: each mapper's data comes from the DeploymentModel.
 */
import * as keycloak from "@pulumi/keycloak";
import type * as pulumi from "@pulumi/pulumi";
import type { ClientMapper } from "../model/deployment-model";

/** One protocol mapper; every claim goes to the ID token, the access token (CLI path) and userinfo. */
export function declareClientMapper(
  prefix: string,
  m: ClientMapper,
  realmId: pulumi.Input<string>,
  clientId: pulumi.Input<string>,
  opts: pulumi.CustomResourceOptions,
): void {
  const everywhere = { addToIdToken: true, addToAccessToken: true, addToUserinfo: true };
  const base = { realmId, clientId, name: m.name };
  switch (m.kind) {
    case "accessRoles":
      // Only the Keystone client's roles, as a JSON array (the provider's default is one string).
      new keycloak.openid.UserClientRoleProtocolMapper(
        `${prefix}-${m.name}`,
        {
          ...base,
          ...everywhere,
          claimName: m.claimName,
          clientIdForRoleMappings: m.roleClientId,
          multivalued: true,
          claimValueType: "String",
        },
        opts,
      );
      return;
    case "audience":
      // The audience mapper has no userinfo switch: `aud` is a token-only claim.
      new keycloak.openid.AudienceProtocolMapper(
        `${prefix}-${m.name}`,
        {
          ...base,
          addToIdToken: true,
          addToAccessToken: true,
          includedClientAudience: m.includedClientAudience,
        },
        opts,
      );
      return;
    case "userProperty":
      new keycloak.openid.UserPropertyProtocolMapper(
        `${prefix}-${m.name}`,
        { ...base, ...everywhere, claimName: m.claimName, userProperty: m.userProperty },
        opts,
      );
      return;
    case "sub":
      new keycloak.openid.SubProtocolMapper(
        `${prefix}-${m.name}`,
        { ...base, addToAccessToken: true, addToTokenIntrospection: true },
        opts,
      );
      return;
    case "sessionNote":
      new keycloak.openid.UserSessionNoteProtocolMapper(
        `${prefix}-${m.name}`,
        { ...base, ...everywhere, claimName: m.claimName, sessionNote: m.sessionNote },
        opts,
      );
      return;
  }
}
