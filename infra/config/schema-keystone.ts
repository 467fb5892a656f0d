/** Configuration schema: the Keystone connection, Horizon and the federation settings. */
import { z } from "zod";
import { identifier } from "./schema-common";

const name = z.string().min(1);
const methodKey = <M extends string>(method: M, what: string) =>
  z.literal(method).describe(`\`${method}\` ${what}`);

/** One variant per login method, each with exactly its own keys (a key of another is refused). */
export const KeystoneCredentialsSchema = z.discriminatedUnion("method", [
  z.strictObject({
    method: methodKey(
      "applicationCredential",
      "(recommended; `keystoneApplicationCredentialSecret`)",
    ),
    applicationCredentialId: name.describe(
      "Application credential id (method applicationCredential); its secret is `keystoneApplicationCredentialSecret`.",
    ),
  }),
  z.strictObject({
    method: methodKey("password", "(`keystonePassword`)"),
    username: name.describe(
      "User name (method password); the password is the `keystonePassword` secret.",
    ),
    userDomainName: name
      .default("Default")
      .describe("Domain of the user (method password). Default `Default`."),
    projectName: name
      .default("admin")
      .describe("Project to scope to (method password). Default `admin`."),
    projectDomainName: name
      .default("Default")
      .describe("Domain of that project (method password). Default `Default`."),
  }),
  z.strictObject({
    method: methodKey("token", "(`keystoneToken`)"),
  }),
]);

export const KeystoneSchema = z.strictObject({
  url: z
    .string()
    .describe(
      "Keystone's public base URL as browsers and CLIs reach it, e.g. `https://keystone.example.com:5000` (no `/v3`).",
    ),
  authUrl: z
    .string()
    .optional()
    .describe(
      "Identity API URL Pulumi uses. Default `<url>/v3`. Its host must be `url`'s, or listed in `authHosts`.",
    ),
  authHosts: z
    .array(z.string().min(1))
    .default([])
    .describe(
      "Hosts other than `url`'s that `authUrl` may name (e.g. an internal endpoint). Pulumi sends the stack's Keystone credentials there. Default none.",
    ),
  region: z.string().min(1).default("RegionOne").describe("Region name. Default `RegionOne`."),
  release: z
    .number()
    .int({
      message: "must be Keystone's major version, a whole number (22 for Zed, 30 for 2026.2)",
    })
    .min(22, { message: "Keystone before 22 (Zed) is not supported" })
    .max(30, {
      message:
        "is newer than the newest Keystone this project is tested against (30); check the compatibility table in docs/proof.md, then raise the limit",
    })
    .default(22)
    .describe(
      "Major version of the Keystone the stack deploys to: 22 (Zed, Debian 12) to 30 (2026.2); both ends are tested. The mapping verifier (`mapping explain`, access tables) evaluates as that release does. Default 22.",
    ),
  cloud: z
    .string()
    .min(1)
    .optional()
    .describe(
      "Cloud name from clouds.yaml for Pulumi's own credentials. Exclusive with `credentials`.",
    ),
  credentials: KeystoneCredentialsSchema.optional().describe(
    "Explicit credentials for Pulumi, by `method`; each method's secret is the `--secret` key named with it. Exclusive with `cloud`.",
  ),
  caBundle: z
    .string()
    .min(1)
    .optional()
    .describe("PEM CA bundle file used to verify Keystone's TLS certificate."),
  insecure: z
    .boolean()
    .default(false)
    .describe("Skip TLS verification. Only accepted on `local` and `test` stacks. Default false."),
});

export const HorizonSchema = z.strictObject({
  urls: z
    .array(z.string())
    .default([])
    .describe(
      "Horizon base URLs, e.g. `https://dashboard.example.com`. Each becomes a trusted dashboard. Default none.",
    ),
});

export const ClaimsSchema = z.strictObject({
  userId: z
    .string()
    .optional()
    .describe(
      "Retired: the Keystone user id is always `sub`, the one claim nobody can change or choose. Remove the key.",
    ),
  username: z
    .string()
    .default("preferred_username")
    .describe("Claim holding the user name. Default `preferred_username`."),
  email: z
    .string()
    .optional()
    .describe(
      "Claim holding the e-mail address. Omit to not map e-mail (if set, tokens without it are refused).",
    ),
  access: z
    .string()
    .default("openstack_access")
    .describe(
      "Claim holding the user's access roles: the Keystone client's client roles, one per access rule, which the stack assigns to the access groups. Default `openstack_access`.",
    ),
  groups: z
    .string()
    .optional()
    .describe(
      "Retired: access is no longer keyed on group paths (a group creator could forge them). Remove the key; see `access`.",
    ),
});

export const FederationSchema = z.strictObject({
  idpId: identifier("identity provider id")
    .optional()
    .describe("Keystone identity provider id. Default `keycloak-<realm>`."),
  protocolId: identifier("protocol id")
    .default("openid")
    .describe("Federation protocol id. Default `openid`."),
  claimPrefix: z
    .string()
    .default("OIDC-")
    .describe("mod_auth_openidc claim prefix (`OIDCClaimPrefix`). Default `OIDC-`."),
  claimDelimiter: z
    .string()
    .optional()
    .describe(
      "Retired: mod_auth_openidc's claim delimiter is always `;`, the one Keystone splits on. Remove the key.",
    ),
  remoteIdAttribute: z
    .string()
    .optional()
    .describe(
      "Environ key Keystone compares with the IdP's remote_ids. Default `HTTP_<PREFIX>ISS` (e.g. `HTTP_OIDC_ISS`).",
    ),
  userType: z
    .enum(["ephemeral", "local"])
    .default("ephemeral")
    .describe(
      "Federated user type: `ephemeral` (shadow users, default) or `local` (users must pre-exist).",
    ),
  userDomain: identifier("user domain")
    .default("federated-users")
    .describe(
      "Keystone domain federated users land in; the IdP is bound to it. Created by the stack; never a tenant nor Default. Default `federated-users` (Keystone reserves the name `Federated`).",
    ),
  ruleLayout: z
    .enum(["perGroup", "perTenant"])
    .default("perTenant")
    .describe(
      "`perTenant`: one mapping rule per tenant (a whitelist of the tenant's exact access roles). `perGroup`: one rule per access group. Keystone groups are named `<tenant>-<group>` either way. Keystone reads and parses the whole mapping on every login, so its size is on every login's path: at 1,000 groups in 10 tenants perTenant measured within noise of a one-rule mapping and perGroup 38% slower (docs/measurements.md). Default perTenant.",
    ),
  denyWithoutGroup: z
    .boolean()
    .default(true)
    .describe("Refuse a token to users who hold no granted group (no rule matches). Default true."),
  claims: ClaimsSchema.prefault({}).describe("Which token claims the mapping reads."),
  adopt: z
    .boolean()
    .default(false)
    .describe(
      "Take over an existing Keystone IdP, mapping and protocol with these ids instead of failing (migration from kolla-ansible). Default false.",
    ),
  authorizationTtlMinutes: z
    .number()
    .int()
    .nonnegative()
    .optional()
    .describe(
      "`[federation] default_authorization_ttl` in minutes for group memberships. Default unset (Keystone: 0 = never expire).",
    ),
});
