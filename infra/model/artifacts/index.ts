/**
 * Every host-side artifact of a stack, rendered from its model. Pure: returns files, writes none.
 */
import type { DeploymentModel } from "../deployment-model";
import { renderMapping } from "../mapping/generate";
import { type ApacheOptions, renderApacheOidc } from "./apache-oidc";
import { renderCloudsYaml } from "./clouds-yaml";
import { renderHorizon } from "./horizon";
import {
  KOLLA_MAPPING_FILE,
  kollaMetadataStem,
  renderKollaGlobals,
  renderKollaMetadata,
} from "./kolla";
import { renderKeystoneConf } from "./keystone-conf";
import type { RenderSecrets } from "./secrets";

export interface Artifact {
  /** Relative path in the output folder. */
  readonly path: string;
  readonly content: string;
  /** File mode: 0o600 for files holding secret values, else 0o644. */
  readonly mode: number;
  /** True when the file holds a secret value (only when secrets were passed explicitly). */
  readonly secret: boolean;
}

export interface RenderOptions {
  readonly secrets?: RenderSecrets;
  readonly apache?: ApacheOptions;
}

/** Which secret values a render fills in (known before the values themselves). */
export interface SecretsPresent {
  readonly clientSecret: boolean;
  readonly cryptoPassphrase: boolean;
}

const APACHE_FILE = "apache/keystone-oidc.conf";
const kollaClientFile = (model: DeploymentModel): string =>
  `kolla/config/keystone/federation/oidc/metadata/${kollaMetadataStem(model.keycloak.issuer)}.client`;

/** The files that hold a secret value when the given secrets are filled in. */
export function secretPaths(model: DeploymentModel, present: SecretsPresent): Set<string> {
  const paths = new Set<string>();
  if (present.clientSecret || present.cryptoPassphrase) paths.add(APACHE_FILE);
  if (present.clientSecret && model.keycloak.client.accessType === "CONFIDENTIAL")
    paths.add(kollaClientFile(model));
  return paths;
}

export function renderAll(model: DeploymentModel, opts: RenderOptions = {}): Artifact[] {
  const s = opts.secrets ?? {};
  const secret = secretPaths(model, {
    clientSecret: s.clientSecret !== undefined,
    cryptoPassphrase: s.cryptoPassphrase !== undefined,
  });
  const file = (path: string, content: string): Artifact => ({
    path,
    content,
    mode: secret.has(path) ? 0o600 : 0o644,
    secret: secret.has(path),
  });
  const meta = renderKollaMetadata(model, s);
  const stem = kollaMetadataStem(model.keycloak.issuer);
  return [
    file(APACHE_FILE, renderApacheOidc(model, s, opts.apache)),
    file("keystone/keystone-federation.conf", renderKeystoneConf(model)),
    file("keystone/rules.json", renderMapping(model.federation.mapping)),
    file("horizon/local_settings.d/_50_okf_websso.py", renderHorizon(model)),
    file("kolla/globals.d/okf-federation.yml", renderKollaGlobals(model)),
    file(
      `kolla/config/keystone/federation/oidc/${KOLLA_MAPPING_FILE}`,
      renderMapping(model.federation.mapping),
    ),
    file(`kolla/config/keystone/federation/oidc/metadata/${stem}.provider`, meta.provider),
    file(kollaClientFile(model), meta.client),
    file(`kolla/config/keystone/federation/oidc/metadata/${stem}.conf`, meta.conf),
    // The CLI's file never holds a secret: the device grant uses the public CLI client.
    file("clients/clouds.yaml", renderCloudsYaml(model)),
  ];
}

/**
 * The files as known at plan time, before the secret values resolve: references in place of
 * secrets, and the mode and secrecy each file will have once `present` secrets are filled in.
 */
export function plannedArtifacts(model: DeploymentModel, present: SecretsPresent): Artifact[] {
  const secret = secretPaths(model, present);
  return renderAll(model).map((a) => ({
    ...a,
    mode: secret.has(a.path) ? 0o600 : 0o644,
    secret: secret.has(a.path),
  }));
}

export type { RenderSecrets } from "./secrets";
