/**
 * Cross-field rules of a stack configuration: references, uniqueness, URL hygiene, environment
 * policies, and values Keystone's mapping engine would mis-parse. Pure: returns every problem.
 */
import type { ConfigIssue, Push } from "./issues";
import type { StackConfig } from "./schema";
import type { SecretPresence } from "./secrets";
import { SECRET_KEYS } from "./secrets";
import { nameRules } from "./name-rules";
import { environmentRules } from "./environment-rules";
import { textRules } from "./text-rules";
import { urlRules, LOOSE_ENVIRONMENTS } from "./url-rules";
import { clientRules, federationRules } from "./federation-rules";
import { retiredRules } from "./retired-rules";
import { accessRules, cloudWideRules, releaseRoleRules, tenantRules } from "./tenancy-rules";

export { MAX_AUTHORIZATION_TTL_MINUTES } from "./federation-rules";

function protectionAndSecretRules(cfg: StackConfig, secrets: SecretPresence, push: Push): void {
  if (cfg.environment === "production" && !cfg.protection.protect) {
    push(
      "protection.protect",
      "a production stack is not protected",
      "set protection.protect: true so `pulumi destroy` cannot delete production objects",
    );
  }
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
    push(
      "keycloakAdminSecret",
      "is not set",
      "run `pulumi config set --secret keycloakAdminSecret <secret>`",
    );
  } else if (admin.username !== undefined && !secrets.keycloakAdminPassword) {
    push(
      "keycloakAdminPassword",
      "is not set",
      "run `pulumi config set --secret keycloakAdminPassword <password>`",
    );
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
  if (c?.method === "applicationCredential") {
    if (c.applicationCredentialId === undefined)
      push(
        "keystone.credentials.applicationCredentialId",
        "is required for method applicationCredential",
        "give the application credential's id",
      );
    if (!secrets.keystoneApplicationCredentialSecret)
      push(
        "keystoneApplicationCredentialSecret",
        "is not set",
        "run `pulumi config set --secret keystoneApplicationCredentialSecret <secret>`",
      );
  } else if (c?.method === "password") {
    if (c.username === undefined)
      push(
        "keystone.credentials.username",
        "is required for method password",
        "give the Keystone user name",
      );
    if (!secrets.keystonePassword)
      push(
        "keystonePassword",
        "is not set",
        "run `pulumi config set --secret keystonePassword <password>`",
      );
  } else if (c?.method === "token" && !secrets.keystoneToken) {
    push("keystoneToken", "is not set", "run `pulumi config set --secret keystoneToken <token>`");
  }
  cfg.delivery.targets.forEach((t, i) => {
    if (t.kind === "ssh" && t.host === undefined)
      push(
        `delivery.targets[${i}].host`,
        "is required for kind ssh",
        "give the host name or address",
      );
    if (t.kind === "ssh" && t.hostKey === undefined)
      push(
        `delivery.targets[${i}].hostKey`,
        "is required for kind ssh: without it the delivery would send secrets to whichever host answers",
        "pin the target's host key (e.g. `ssh-keyscan -t ed25519 <host>`, checked out of band), as `ssh-ed25519 AAAA…`",
      );
    else if (t.hostKey !== undefined && !SSH_HOST_KEY.test(t.hostKey.trim()))
      push(
        `delivery.targets[${i}].hostKey`,
        "is not an SSH public key",
        "give the key type and its base64 text, e.g. `ssh-ed25519 AAAAC3Nza…`, without the host name",
      );
    if (cfg.delivery.enabled && t.kind === "ssh" && !secrets.deliverySshKey)
      push(
        "deliverySshKey",
        "is not set but a delivery target uses ssh",
        "run `pulumi config set --secret deliverySshKey < id_ed25519`",
      );
  });
  const smoke = cfg.smokeCheck;
  if (smoke.enabled) {
    if (!cfg.client.directAccessGrants)
      push(
        "smokeCheck.enabled",
        "the smoke check logs in with the password grant, which this stack's client does not allow",
        "enable client.directAccessGrants (local/test stacks only) or turn the smoke check off",
      );
    if (smoke.username === undefined)
      push(
        "smokeCheck.username",
        "is required when the smoke check is enabled",
        "give a Keycloak test user in a granted group",
      );
    if (!secrets.smokeCheckPassword)
      push(
        "smokeCheckPassword",
        "is not set",
        "run `pulumi config set --secret smokeCheckPassword <password>`",
      );
    const [tenant, project] = (smoke.project ?? "").split("/");
    if (smoke.project === undefined)
      push(
        "smokeCheck.project",
        "is required when the smoke check is enabled",
        "give <tenant>/<project>",
      );
    else if (
      !cfg.tenants.some((t) => t.name === tenant && t.projects.some((p) => p.name === project))
    )
      push(
        "smokeCheck.project",
        `unknown project "${smoke.project}"`,
        "name a project of one of the stack's tenants",
      );
    if (smoke.createUser) {
      if (!LOOSE_ENVIRONMENTS.has(cfg.environment))
        push(
          "smokeCheck.createUser",
          `a test user would be created on a ${cfg.environment} stack`,
          "only local or test stacks may create one; use an existing user",
        );
      const [gt, gg] = (smoke.group ?? "").split("/");
      if (smoke.group === undefined)
        push(
          "smokeCheck.group",
          "is required when createUser is set",
          "give the access group <tenant>/<group> the test user joins",
        );
      else if (!cfg.access.some((a) => a.tenant === gt && a.group === gg))
        push(
          "smokeCheck.group",
          `no access rule for "${smoke.group}"`,
          "name a group of the access rules",
        );
    }
  }
  if (cfg.delivery.enabled && cfg.delivery.targets.length === 0)
    push(
      "delivery.targets",
      "delivery is enabled but has no targets",
      "add a target or set delivery.enabled: false",
    );
  if (secrets.clientSecret && !cfg.client.confidential) {
    push(
      "clientSecret",
      "is set but client.confidential is false",
      "a public client has no secret: remove it or make the client confidential",
    );
  }
}

/** Every cross-field problem of a schema-valid configuration. */
/** An OpenSSH public key line: type and base64 body (a trailing comment is allowed). */
const SSH_HOST_KEY =
  /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com) [A-Za-z0-9+/]+={0,3}( \S+)?$/;

export function crossFieldIssues(
  cfg: StackConfig,
  secrets: SecretPresence,
  stack = "",
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const push: Push = (path, message, hint) => issues.push({ path, message, hint });
  urlRules(cfg, push);
  retiredRules(cfg, push);
  clientRules(cfg, push);
  federationRules(cfg, push);
  tenantRules(cfg, push);
  accessRules(cfg, push);
  cloudWideRules(cfg, push);
  releaseRoleRules(cfg, push);
  nameRules(cfg, push);
  textRules(cfg, push);
  environmentRules(cfg, stack, push);
  protectionAndSecretRules(cfg, secrets, push);
  return issues;
}
