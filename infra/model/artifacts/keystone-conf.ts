/** keystone.conf overlay for federation; merge it into Keystone's configuration. */
import type { FederationModel } from "../federation-model";

export function renderKeystoneConf(model: FederationModel): string {
  const f = model.federation;
  return [
    `# keystone.conf federation overlay: stack ${model.stack}. Generated; do not edit.`,
    "[auth]",
    `methods = password,token,${f.protocolId},mapped,application_credential`,
    "",
    `[${f.protocolId}]`,
    `remote_id_attribute = ${f.remoteIdAttribute}`,
    "",
    "[federation]",
    ...model.horizon.trustedDashboards.map((d) => `trusted_dashboard = ${d}`),
    ...(f.authorizationTtlMinutes !== undefined ? [`default_authorization_ttl = ${f.authorizationTtlMinutes}`] : []),
    "",
  ].join("\n");
}
