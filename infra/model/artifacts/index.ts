/**
 * Every host-side artifact of a stack, rendered from its model. Pure: returns files, writes none.
 */
import type { FederationModel } from "../federation-model";
import { renderMapping } from "../mapping/generate";
import { type ApacheOptions, renderApacheOidc } from "./apache-oidc";
import { renderCloudsYaml } from "./clouds-yaml";
import { renderHorizon } from "./horizon";
import { KOLLA_MAPPING_FILE, kollaMetadataStem, renderKollaGlobals, renderKollaMetadata } from "./kolla";
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

export function renderAll(model: FederationModel, opts: RenderOptions = {}): Artifact[] {
  const s = opts.secrets ?? {};
  const withSecret = s.clientSecret !== undefined || s.cryptoPassphrase !== undefined;
  const clientSecretIn = s.clientSecret !== undefined && model.keycloak.client.accessType === "CONFIDENTIAL";
  const file = (path: string, content: string, secret = false): Artifact => ({ path, content, mode: secret ? 0o600 : 0o644, secret });
  const meta = renderKollaMetadata(model, s);
  const stem = kollaMetadataStem(model.keycloak.issuer);
  return [
    file("apache/keystone-oidc.conf", renderApacheOidc(model, s, opts.apache), withSecret),
    file("keystone/keystone-federation.conf", renderKeystoneConf(model)),
    file("keystone/rules.json", renderMapping(model.federation.mapping)),
    file("horizon/local_settings.d/_50_okf_websso.py", renderHorizon(model)),
    file("kolla/globals.d/okf-federation.yml", renderKollaGlobals(model)),
    file(`kolla/config/keystone/federation/oidc/${KOLLA_MAPPING_FILE}`, renderMapping(model.federation.mapping)),
    file(`kolla/config/keystone/federation/oidc/metadata/${stem}.provider`, meta.provider),
    file(`kolla/config/keystone/federation/oidc/metadata/${stem}.client`, meta.client, clientSecretIn),
    file(`kolla/config/keystone/federation/oidc/metadata/${stem}.conf`, meta.conf),
    // The CLI's file never holds a secret: the device grant uses the public CLI client.
    file("clients/clouds.yaml", renderCloudsYaml(model)),
  ];
}

export type { RenderSecrets } from "./secrets";
