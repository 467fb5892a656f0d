/**
 * Step "providers": how Pulumi reaches Keycloak and Keystone, from the stack's settings. Names the
 * secret keys it needs; their values stay with the configuration edge (`config/load.ts`).
 */
import type { StackConfig } from "../config/schema";
import type { DeliveryTargetSpec, ProviderSpecs } from "./types";

export function providerSpecs(cfg: StackConfig): ProviderSpecs {
  const k = cfg.keycloak;
  const ks = cfg.keystone;
  const c = ks.credentials;
  return {
    keycloak: {
      url: k.url,
      realm: k.admin.realm,
      clientId: k.admin.clientId ?? "admin-cli",
      login:
        k.admin.clientId !== undefined
          ? { kind: "client", secret: "keycloakAdminSecret" }
          : k.admin.username !== undefined
            ? { kind: "user", username: k.admin.username, secret: "keycloakAdminPassword" }
            : { kind: "none" },
      insecure: k.insecure,
    },
    openstack: {
      authUrl: ks.authUrl ?? `${ks.url}/v3`,
      region: ks.region,
      insecure: ks.insecure,
      ...(ks.caBundle !== undefined ? { caBundle: ks.caBundle } : {}),
      ...(ks.cloud !== undefined ? { cloud: ks.cloud } : {}),
      ...(c?.method === "applicationCredential"
        ? {
            credentials: {
              method: "applicationCredential",
              id: c.applicationCredentialId,
              secret: "keystoneApplicationCredentialSecret",
            },
          }
        : c?.method === "password"
          ? {
              credentials: {
                method: "password",
                username: c.username,
                userDomainName: c.userDomainName,
                projectName: c.projectName,
                projectDomainName: c.projectDomainName,
                secret: "keystonePassword",
              },
            }
          : c?.method === "token"
            ? { credentials: { method: "token", secret: "keystoneToken" } }
            : {}),
    },
  };
}

/** Step "delivery": the targets of the rendered files, when delivery is enabled. */
export function deliveryTargets(cfg: StackConfig): DeliveryTargetSpec[] {
  return cfg.delivery.targets.map((t) =>
    t.kind === "ssh"
      ? { ...t, artifacts: [...t.artifacts], hostKey: t.hostKey.trim() }
      : { ...t, artifacts: [...t.artifacts] },
  );
}
