/**
 * The explicit providers of a stack. Default providers are disabled in every stack file
 * (`pulumi:disable-default-providers: [keycloak, openstack, command]`), so a resource without one of
 * these fails instead of silently using ambient credentials. Not `"*"`: that also disables
 * `pulumi-nodejs`, which the dynamic Keystone federation resources need and cannot name explicitly.
 */
import * as command from "@pulumi/command";
import * as keycloak from "@pulumi/keycloak";
import * as openstack from "@pulumi/openstack";
import type * as pulumi from "@pulumi/pulumi";
import type { ProviderSecret, ProviderSpecs } from "../model/deployment-model";

/** The values of the secret keys the provider specs name (Outputs from the configuration edge). */
export type ProviderSecretValues = Partial<Record<ProviderSecret, pulumi.Input<string>>>;

/**
 * Seconds the Keycloak provider waits for an answer (its own default is 5). A busy Keycloak can take
 * longer, e.g. for a new admin token while hundreds of groups are being deleted: with 5 s a destroy
 * of 10 tenants failed on "error refreshing credentials … Client.Timeout exceeded".
 */
export const KEYCLOAK_CLIENT_TIMEOUT_SECONDS = 60;

/** `caPem`: the PEM text of keycloak.caBundle (the provider takes the certificate, not a path). */
export function keycloakProvider(
  spec: ProviderSpecs["keycloak"],
  secrets: ProviderSecretValues,
  caPem?: string,
): keycloak.Provider {
  const login = spec.login;
  return new keycloak.Provider("keycloak", {
    url: spec.url,
    realm: spec.realm,
    clientId: spec.clientId,
    ...(login.kind === "client" ? { clientSecret: secrets[login.secret] } : {}),
    ...(login.kind === "user" ? { username: login.username, password: secrets[login.secret] } : {}),
    ...(caPem !== undefined ? { rootCaCertificate: caPem } : {}),
    tlsInsecureSkipVerify: spec.insecure,
    clientTimeout: KEYCLOAK_CLIENT_TIMEOUT_SECONDS,
    // Do not log in at plan time: `pulumi preview` then works before Keycloak is reachable.
    initialLogin: false,
  });
}

export function openstackProvider(
  spec: ProviderSpecs["openstack"],
  secrets: ProviderSecretValues,
): openstack.Provider {
  const c = spec.credentials;
  return new openstack.Provider("openstack", {
    authUrl: spec.authUrl,
    region: spec.region,
    insecure: spec.insecure,
    ...(spec.caBundle !== undefined ? { cacertFile: spec.caBundle } : {}),
    ...(spec.cloud !== undefined ? { cloud: spec.cloud } : {}),
    ...(c?.method === "applicationCredential"
      ? { applicationCredentialId: c.id, applicationCredentialSecret: secrets[c.secret] }
      : {}),
    ...(c?.method === "password"
      ? {
          userName: c.username,
          password: secrets[c.secret],
          userDomainName: c.userDomainName,
          tenantName: c.projectName,
          projectDomainName: c.projectDomainName,
        }
      : {}),
    ...(c?.method === "token" ? { token: secrets[c.secret] } : {}),
  });
}

/** Runs the smoke check's login and the delivery of host files; it holds no credential. */
export function commandProvider(): command.Provider {
  return new command.Provider("command", {});
}
