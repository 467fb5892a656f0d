/**
 * Rules on the credentials Pulumi uses and the secrets a stack holds: every secret key stored as a
 * secret, one way to log in to each service, each way's secret present, no secret a public client
 * cannot have.
 */
import type { Push } from "./issues";
import type { StackConfig } from "./schema";
import type { SecretPresence } from "./secrets";
import { SECRET_KEYS } from "./secrets";

/** A secret key the stack's settings need but that is not set: how to set it. */
export function missingSecret(push: Push, key: string, placeholder: string): void {
  push(key, "is not set", `run \`pulumi config set --secret ${key} <${placeholder}>\``);
}

export function credentialRules(cfg: StackConfig, secrets: SecretPresence, push: Push): void {
  for (const [key, where] of Object.entries(secrets)) {
    if (where === "plain") {
      push(
        key,
        "is stored in plain text",
        `run \`pulumi config set --secret ${key} <value>\`; ${SECRET_KEYS[key as keyof typeof SECRET_KEYS]}`,
      );
    }
  }
  const admin = cfg.keycloak.admin;
  if ((admin.clientId === undefined) === (admin.username === undefined)) {
    push(
      "keycloak.admin",
      "exactly one of clientId or username is required",
      "use an admin client (recommended) or an admin user",
    );
  } else if (admin.clientId !== undefined && !secrets.keycloakAdminSecret) {
    missingSecret(push, "keycloakAdminSecret", "secret");
  } else if (admin.username !== undefined && !secrets.keycloakAdminPassword) {
    missingSecret(push, "keycloakAdminPassword", "password");
  }
  const ks = cfg.keystone;
  if (ks.cloud === undefined && ks.credentials === undefined) {
    push(
      "keystone",
      "has neither credentials nor cloud",
      "set keystone.credentials (and its --secret key) or keystone.cloud; Pulumi never falls back to ambient OS_* variables",
    );
  }
  if (ks.cloud !== undefined && ks.credentials !== undefined) {
    push(
      "keystone",
      "both cloud and credentials are set",
      "use either a clouds.yaml entry or explicit credentials",
    );
  }
  const c = ks.credentials;
  // Each method's own keys are required by the schema; here only its secret.
  if (c?.method === "applicationCredential" && !secrets.keystoneApplicationCredentialSecret)
    missingSecret(push, "keystoneApplicationCredentialSecret", "secret");
  else if (c?.method === "password" && !secrets.keystonePassword)
    missingSecret(push, "keystonePassword", "password");
  else if (c?.method === "token" && !secrets.keystoneToken)
    missingSecret(push, "keystoneToken", "token");
  if (secrets.clientSecret && !cfg.client.confidential) {
    push(
      "clientSecret",
      "is set but client.confidential is false",
      "a public client has no secret: remove it or make the client confidential",
    );
  }
}
