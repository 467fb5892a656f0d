/**
 * The explicit providers of a stack. Default providers are disabled in every stack file
 * (`pulumi:disable-default-providers: [keycloak, openstack, command]`), so a resource without one of
 * these fails instead of silently using ambient credentials. Not `"*"`: that also disables
 * `pulumi-nodejs`, which the dynamic Keystone federation resources need and cannot name explicitly.
 */
import * as command from "@pulumi/command";
import * as keycloak from "@pulumi/keycloak";
import * as openstack from "@pulumi/openstack";
import type { StackConfig } from "../config/schema";
import type { StackSecrets } from "../config/load";

/** `caPem`: the PEM text of keycloak.caBundle (the provider takes the certificate, not a path). */
export function keycloakProvider(
  cfg: StackConfig,
  secrets: StackSecrets,
  caPem?: string,
): keycloak.Provider {
  const k = cfg.keycloak;
  return new keycloak.Provider("keycloak", {
    url: k.url,
    realm: k.admin.realm,
    clientId: k.admin.clientId ?? "admin-cli",
    ...(k.admin.clientId !== undefined ? { clientSecret: secrets.keycloakAdminSecret } : {}),
    ...(k.admin.username !== undefined
      ? { username: k.admin.username, password: secrets.keycloakAdminPassword }
      : {}),
    ...(caPem !== undefined ? { rootCaCertificate: caPem } : {}),
    tlsInsecureSkipVerify: k.insecure,
    // Do not log in at plan time: `pulumi preview` then works before Keycloak is reachable.
    initialLogin: false,
  });
}

export function openstackProvider(cfg: StackConfig, secrets: StackSecrets): openstack.Provider {
  const ks = cfg.keystone;
  const c = ks.credentials;
  return new openstack.Provider("openstack", {
    authUrl: ks.authUrl ?? `${ks.url}/v3`,
    region: ks.region,
    insecure: ks.insecure,
    ...(ks.caBundle !== undefined ? { cacertFile: ks.caBundle } : {}),
    ...(ks.cloud !== undefined ? { cloud: ks.cloud } : {}),
    ...(c?.method === "applicationCredential"
      ? {
          applicationCredentialId: c.applicationCredentialId,
          applicationCredentialSecret: secrets.keystoneApplicationCredentialSecret,
        }
      : {}),
    ...(c?.method === "password"
      ? {
          userName: c.username,
          password: secrets.keystonePassword,
          userDomainName: c.userDomainName,
          tenantName: c.projectName,
          projectDomainName: c.projectDomainName,
        }
      : {}),
    ...(c?.method === "token" ? { token: secrets.keystoneToken } : {}),
  });
}

/** Runs the smoke check's login and the delivery of host files; it holds no credential. */
export function commandProvider(): command.Provider {
  return new command.Provider("command", {});
}
