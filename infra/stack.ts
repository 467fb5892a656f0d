/**
 * Declares one stack's whole federation from its loaded configuration. Separate from index.ts so
 * tests and tools can build the graph under the mock runtime and inspect the returned objects.
 */
import * as pulumi from "@pulumi/pulumi";
import { KeycloakSide } from "./components/keycloak-side";
import { KeystoneFederation } from "./components/keystone-federation";
import { HostConfiguration } from "./components/host-config";
import { KeystoneTenancy } from "./components/keystone-tenancy";
import {
  commandProvider,
  keycloakProvider,
  openstackProvider,
} from "./components/explicit-providers";
import { SmokeCheck } from "./components/smoke-check";
import { StackProtection } from "./components/stack-protection";
import type { LoadedConfig } from "./config/load";
import { plannedArtifacts, renderAll } from "./model/artifacts";
import { buildModel, type DeploymentModel } from "./model/deployment-model";

export interface StackOutputs {
  issuer: string;
  clientId: string;
  idpId: pulumi.Output<string>;
  protocolId: pulumi.Output<string>;
  mappingId: pulumi.Output<string>;
  webssoUrl: string;
  cliAuthUrl: string;
  clientSecret: pulumi.Output<string>;
  /** Rendered host configuration with secret references: path -> content. */
  hostConfiguration: Record<string, string>;
  /** The same with the secrets filled in (a secret output). */
  hostConfigurationWithSecrets: pulumi.Output<Record<string, string>>;
}

export function declareStack(
  loaded: LoadedConfig,
  stack: string,
): { model: DeploymentModel; outputs: StackOutputs } {
  const model = buildModel(loaded.config, stack);
  const protect = model.protection.protect;

  const kcProvider = keycloakProvider(
    model.providers.keycloak,
    loaded.secretValues,
    loaded.keycloakCaPem,
  );
  const osProvider = openstackProvider(model.providers.openstack, loaded.secretValues);
  const cmdProvider = commandProvider();

  const keycloakSide = new KeycloakSide(
    "keycloak",
    {
      model,
      protect,
      ...(loaded.secretValues.clientSecret !== undefined
        ? { clientSecret: loaded.secretValues.clientSecret }
        : {}),
    },
    { providers: [kcProvider] },
  );

  const tenancy = new KeystoneTenancy(
    "keystone",
    { model, provider: osProvider, protect },
    { providers: [osProvider] },
  );
  const userDomainId = tenancy.domainIds[model.federation.idpDomainKey];
  if (!userDomainId)
    throw new Error(
      `internal: the federated users' domain ${model.federation.idpDomainKey} is not declared`,
    );

  // After the tenancy: the mapping names Keystone groups, so the groups and their grants exist before
  // a mapping that reads them, and what it no longer names goes after it. No edge to the Keycloak
  // side: deploying the Keystone side alone (`pulumi up --target '**okf:keystone:**'`) must stay
  // possible, and the engine refuses targets that depend on resources outside them. A change that
  // needs Keycloak first is ordered with targets instead (docs/operations.md).
  const federation = new KeystoneFederation(
    "federation",
    {
      model,
      domainId: userDomainId,
      protect,
      retainIdpOnDelete: model.protection.retainIdpOnDelete,
      adopt: model.federation.adopt,
    },
    { dependsOn: [tenancy] },
  );

  // Host configuration: references in plain outputs; with the real secrets only in secret outputs
  // and, when delivery is enabled, on the hosts.
  const cryptoPassphrase = loaded.secretValues.oidcCryptoPassphrase;
  const referenceFiles = renderAll(model);
  const withSecrets = pulumi
    .all([keycloakSide.clientSecret, cryptoPassphrase ?? pulumi.output(undefined)])
    .apply(([clientSecret, passphrase]) =>
      renderAll(model, {
        secrets: {
          clientSecret,
          ...(passphrase !== undefined ? { cryptoPassphrase: passphrase } : {}),
        },
      }),
    );
  const delivered = model.delivery
    ? new HostConfiguration(
        "host-config",
        {
          artifacts: withSecrets,
          paths: plannedArtifacts(model, {
            clientSecret: true,
            cryptoPassphrase: cryptoPassphrase !== undefined,
          }),
          targets: model.delivery.targets,
          ...(loaded.secretValues.deliverySshKey !== undefined
            ? { sshPrivateKey: loaded.secretValues.deliverySshKey }
            : {}),
        },
        { providers: [cmdProvider] },
      )
    : undefined;

  const smoke = model.smokeCheck;
  const smokePassword = loaded.secretValues.smokeCheckPassword;
  if (smoke && smokePassword !== undefined) {
    const groupKey = smoke.createUserInGroupKey;
    const group = groupKey !== undefined ? keycloakSide.groups[groupKey] : undefined;
    if (groupKey !== undefined && !group)
      throw new Error(`internal: the smoke check's group ${groupKey} is not declared`);
    new SmokeCheck(
      "smoke-check",
      {
        model,
        username: smoke.username,
        password: smokePassword,
        clientSecret: keycloakSide.clientSecret,
        project: smoke.project,
        ...(group
          ? {
              createUser: {
                realmId: keycloakSide.realm.id,
                groupId: group.id,
                profile: smoke.profile,
              },
            }
          : {}),
        // No data edge: the login needs every object in place first.
      },
      {
        providers: [kcProvider, cmdProvider],
        dependsOn: [keycloakSide, tenancy, federation, ...(delivered ? [delivered] : [])],
      },
    );
  }

  // Declared on every stack, so turning protection off is an update of its flag, not a delete.
  new StackProtection("protection", { guards: [keycloakSide, tenancy, federation], protect });

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
      hostConfiguration: Object.fromEntries(referenceFiles.map((a) => [a.path, a.content])),
      hostConfigurationWithSecrets: pulumi.secret(
        withSecrets.apply((files) => Object.fromEntries(files.map((a) => [a.path, a.content]))),
      ),
    },
  };
}
