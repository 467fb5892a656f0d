/**
 * A new environment's stack file from a few values: the environment kind, the Keycloak and
 * Keystone URLs, the realm, Pulumi's credentials and a first tenant with one access group. Secrets are left as markers
 * (`secure:` values that name the command that sets them), so the file validates offline and holds
 * no secret; `pulumi config set --secret` replaces each marker. Pure: returns the text, or throws
 * ConfigError naming each key, before anything is written.
 */
import { Document } from "yaml";
import { parseStackConfig } from "../config/parse";
import { PROJECT_NAMESPACE } from "../config/project";
import type { Environment } from "../config/schema";
import type { SecretKey } from "../config/secrets";

export interface NewStackOptions {
  /** Stack name (the file is stacks/Pulumi.<name>.yaml). */
  readonly name: string;
  readonly environment: Environment;
  readonly keycloakUrl: string;
  readonly keystoneUrl: string;
  readonly horizonUrls: readonly string[];
  /** Proxy realm. */
  readonly realm: string;
  /** Pulumi's Keycloak login: a confidential admin client, or an admin user. */
  readonly keycloakAdmin: { readonly clientId: string } | { readonly username: string };
  /** Pulumi's Keystone login: a clouds.yaml entry, or an application credential. */
  readonly keystoneAuth: { readonly cloud: string } | { readonly applicationCredentialId: string };
  /** The first tenant and its projects (a stack needs at least one). */
  readonly tenant: string;
  readonly projects: readonly string[];
  /** Its first access group (Keycloak /<tenant>/<group>), granted `role` on each project. */
  readonly group: string;
  readonly role: string;
}

/** The text a secret marker holds: the command that replaces it. */
export const secretMarker = (key: SecretKey, stack: string): string =>
  `SET-ME: pulumi config set --secret ${key} <value> --stack ${stack}`;

/** The secrets a new stack needs, in the order to set them. */
export function newStackSecrets(o: NewStackOptions): SecretKey[] {
  return [
    "clientId" in o.keycloakAdmin ? "keycloakAdminSecret" : "keycloakAdminPassword",
    ...("applicationCredentialId" in o.keystoneAuth
      ? (["keystoneApplicationCredentialSecret"] as const)
      : []),
    "oidcCryptoPassphrase",
  ];
}

/** The project's keys of the new stack, in file order (secrets as their markers). */
function values(o: NewStackOptions): [string, unknown][] {
  const marker = (key: SecretKey): [string, unknown] => [
    key,
    { secure: secretMarker(key, o.name) },
  ];
  const secrets = newStackSecrets(o);
  const longLived = o.environment === "staging" || o.environment === "production";
  return [
    ["environment", o.environment],
    ["keycloak", { url: o.keycloakUrl, admin: { ...o.keycloakAdmin } }],
    marker(secrets[0]!),
    ["realm", { name: o.realm }],
    [
      "keystone",
      "cloud" in o.keystoneAuth
        ? { url: o.keystoneUrl, cloud: o.keystoneAuth.cloud }
        : {
            url: o.keystoneUrl,
            credentials: {
              method: "applicationCredential",
              applicationCredentialId: o.keystoneAuth.applicationCredentialId,
            },
          },
    ],
    ...secrets.slice(1).map(marker),
    ...(o.horizonUrls.length > 0
      ? [["horizon", { urls: [...o.horizonUrls] }] as [string, unknown]]
      : []),
    ["federation", { userDomain: `federated-${o.name}` }],
    ["tenants", [{ name: o.tenant, projects: o.projects.map((name) => ({ name })) }]],
    [
      "access",
      [
        {
          tenant: o.tenant,
          group: o.group,
          grants: o.projects.map((project) => ({ role: o.role, project })),
        },
      ],
    ],
    ["protection", { protect: longLived }],
  ];
}

/** The stack file's text; throws ConfigError (every problem, by key) when it would be invalid. */
export function newStackFile(o: NewStackOptions): string {
  const entries = values(o);
  const raw = Object.fromEntries(entries);
  parseStackConfig(raw, { stack: o.name, secretKeys: new Set(newStackSecrets(o)) });
  const doc = new Document({
    config: {
      "pulumi:disable-default-providers": ["keycloak", "openstack", "command"],
      ...Object.fromEntries(entries.map(([k, v]) => [`${PROJECT_NAMESPACE}:${k}`, v])),
    },
  });
  doc.commentBefore =
    ` ${o.name} (${o.environment}): created by npm run new-env. The secure: values are markers;\n` +
    ` set each secret with the command it names. Tenants and access: docs/operations.md.`;
  return doc.toString({ lineWidth: 0 });
}
