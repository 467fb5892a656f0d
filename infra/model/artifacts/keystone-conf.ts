/** keystone.conf overlay for federation; merge it into Keystone's configuration. */
import type { DeploymentModel } from "../deployment-model";
import { safe } from "../../base/safe-text";

/** Keystone's default `[oslo_middleware] max_request_body_size` (bytes). */
export const KEYSTONE_MAX_BODY_DEFAULT = 114_688;

/** Bytes of the mapping request the provider sends (PUT/PATCH body). */
export function mappingRequestBytes(model: DeploymentModel): number {
  return Buffer.byteLength(JSON.stringify({ mapping: { rules: model.federation.mapping.rules } }));
}

/**
 * A large mapping (about 200+ access groups) exceeds Keystone's default request size limit and is
 * refused with HTTP 413 (measured on Keystone 22 with 1,000 groups); raise the limit with headroom.
 */
function bodySizeLimit(model: DeploymentModel): string[] {
  const bytes = mappingRequestBytes(model);
  if (bytes * 2 <= KEYSTONE_MAX_BODY_DEFAULT) return [];
  const limit = Math.ceil((bytes * 2) / 65_536) * 65_536;
  return [
    "",
    "[oslo_middleware]",
    `# the mapping request is ${bytes} bytes; Keystone's default limit is ${KEYSTONE_MAX_BODY_DEFAULT}`,
    `max_request_body_size = ${limit}`,
  ];
}

export function renderKeystoneConf(model: DeploymentModel): string {
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
    ...model.horizon.trustedDashboards.map(
      (d) => `trusted_dashboard = ${safe(d, "ini", "keystone.conf overlay")}`,
    ),
    ...(f.authorizationTtlMinutes !== undefined
      ? [`default_authorization_ttl = ${f.authorizationTtlMinutes}`]
      : []),
    ...bodySizeLimit(model),
    "",
  ].join("\n");
}
