/**
 * Declares one stack's whole federation from its loaded configuration. Separate from index.ts so
 * tests and tools can build the graph under the mock runtime and inspect the returned objects.
 */
import * as pulumi from "@pulumi/pulumi";
import { KeycloakFederation } from "./components/keycloak-federation";
import { KeystoneFederation } from "./components/keystone-federation";
import { KeystoneTenancy } from "./components/keystone-tenancy";
import { keycloakProvider, openstackProvider } from "./components/providers";
import type { LoadedConfig } from "./config/load";
import { buildModel, type FederationModel } from "./model/federation-model";

export interface StackOutputs {
  issuer: string;
  clientId: string;
  idpId: pulumi.Output<string>;
  protocolId: pulumi.Output<string>;
  mappingId: pulumi.Output<string>;
  webssoUrl: string;
  cliAuthUrl: string;
  clientSecret: pulumi.Output<string>;
}

export function declareStack(loaded: LoadedConfig, stack: string): { model: FederationModel; outputs: StackOutputs } {
  const model = buildModel(loaded.config, stack);
  const protect = model.protection.protect;

  const kcProvider = keycloakProvider(loaded.config, loaded.secretValues);
  const osProvider = openstackProvider(loaded.config, loaded.secretValues);

  const keycloakSide = new KeycloakFederation("keycloak", {
    model,
    protect,
    ...(loaded.secretValues.clientSecret !== undefined ? { clientSecret: loaded.secretValues.clientSecret } : {}),
  }, { providers: [kcProvider] });

  const tenancy = new KeystoneTenancy("keystone", { model, provider: osProvider, protect }, { providers: [osProvider] });
  const userDomain = tenancy.domains[model.federation.idpDomainKey];
  if (!userDomain) throw new Error(`internal: the federated users' domain ${model.federation.idpDomainKey} is not declared`);

  const federation = new KeystoneFederation("federation", {
    model,
    domainId: userDomain.id,
    protect,
    retainIdpOnDelete: model.protection.retainIdpOnDelete,
    adopt: model.federation.adopt,
  });

  return {
    model,
    outputs: {
      issuer: model.keycloak.issuer,
      clientId: model.keycloak.client.clientId,
      idpId: federation.identityProvider.idpId,
      protocolId: federation.protocol.protocolId,
      mappingId: federation.mapping.mappingId,
      webssoUrl: model.keystone.urls.webssoIdp,
      cliAuthUrl: model.keystone.urls.cliAuth,
      clientSecret: keycloakSide.clientSecret,
    },
  };
}
