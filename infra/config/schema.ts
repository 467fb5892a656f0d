/** The shape of one stack's configuration (the `openstack-keycloak-federation:*` keys of `stacks/Pulumi.<stack>.yaml`). Pure zod: no Pulumi import. Cross-field rules (references between tenants, projects and access rules, environment policies) live in `rules.ts`. Every object is strict: an unknown key is an error, so a typo never silently falls back to a default. Secrets never appear here; they are separate `--secret` keys (see `secrets.ts`). */
import { z } from "zod";

/** Stack kinds. `local` allows http URLs; `test` may enable the password/implicit grants; `production` must be protected. */
export const EnvironmentSchema = z.enum(["local", "test", "staging", "production"]);
export type Environment = z.infer<typeof EnvironmentSchema>;

/** A Keystone/Keycloak identifier we create: letters, digits, `-`, `_`, `.`; starts with a letter or digit. */
const identifier = (what: string) =>
  z
    .string()
    .min(1, { message: `${what} must not be empty` })
    .max(64, { message: `${what} is longer than 64 characters (Keystone's limit for names)` })
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, {
      message: `${what} may contain only letters, digits, '.', '_' and '-' and must start with a letter or digit`,
    });

/** A duration in whole seconds, as Keycloak stores token lifetimes. */
const seconds = z
  .number()
  .int({ message: "must be a whole number of seconds" })
  .positive({ message: "must be a positive number of seconds" });

export const KeycloakAdminSchema = z.strictObject({
  realm: z
    .string()
    .min(1)
    .default("master")
    .describe("Realm the admin account lives in. Default `master`."),
  clientId: z
    .string()
    .min(1)
    .optional()
    .describe(
      "Client id of a confidential admin client (service account). Its secret is the `keycloakAdminSecret` secret.",
    ),
  username: z
    .string()
    .min(1)
    .optional()
    .describe(
      "Admin user name (password grant against `admin-cli`). Its password is the `keycloakAdminPassword` secret.",
    ),
});

export const KeycloakSchema = z.strictObject({
  url: z
    .string()
    .describe(
      "Keycloak base URL, e.g. `https://id.example.com` (include `/auth` for Keycloak < 17). No trailing slash.",
    ),
  admin: KeycloakAdminSchema.describe("How Pulumi authenticates to Keycloak's admin API."),
  caBundle: z
    .string()
    .min(1)
    .optional()
    .describe("PEM CA bundle file used to verify Keycloak's TLS certificate."),
  insecure: z
    .boolean()
    .default(false)
    .describe("Skip TLS verification. Only accepted on `local` and `test` stacks. Default false."),
});

export const TokenLifetimesSchema = z.strictObject({
  accessToken: seconds
    .default(300)
    .describe(
      "Access token lifetime in seconds. Default 300. Keystone tokens outlive it; keep it short.",
    ),
  ssoSessionIdle: seconds
    .default(1800)
    .describe("SSO session idle timeout in seconds. Default 1800."),
  ssoSessionMax: seconds
    .default(36000)
    .describe("SSO session max lifetime in seconds. Default 36000."),
  deviceCode: seconds
    .default(600)
    .describe("Device code lifetime in seconds (CLI login). Default 600."),
});

export const SigningKeySchema = z.strictObject({
  algorithm: z
    .enum(["RS256", "RS384", "RS512", "PS256"])
    .default("RS256")
    .describe(
      "JWS algorithm of the generated realm key. Default RS256 (what mod_auth_openidc verifies by default).",
    ),
  keySize: z
    .union([z.literal(2048), z.literal(3072), z.literal(4096)])
    .default(2048)
    .describe("RSA key size in bits. Default 2048."),
  priority: z
    .number()
    .int()
    .default(200)
    .describe(
      "Key priority; the highest active key signs. Default 200 (above Keycloak's generated default of 100).",
    ),
});

export const CustomerRealmSchema = z.strictObject({
  name: identifier("customer realm name").describe(
    "Realm name of the customer realm; also the alias of its identity provider in the proxy realm.",
  ),
  displayName: z
    .string()
    .min(1)
    .optional()
    .describe("Display name on the login page. Default: the name."),
  emailDomains: z
    .array(z.string())
    .min(1, { message: "at least one e-mail domain is required" })
    .describe(
      "E-mail domains that home-IdP-discovery routes to this realm, e.g. `acme.example`. At least one.",
    ),
});

export const RealmSchema = z.strictObject({
  name: identifier("realm name").describe(
    "Name of the central (proxy) realm that issues the tokens Keystone accepts.",
  ),
  displayName: z.string().min(1).optional().describe("Display name shown on the login page."),
  tokens: TokenLifetimesSchema.prefault({}).describe("Token and session lifetimes."),
  signingKey: SigningKeySchema.optional().describe(
    "Generate a dedicated realm signing key with these settings. Omit to keep Keycloak's default key.",
  ),
  customerRealms: z
    .array(CustomerRealmSchema)
    .default([])
    .describe(
      "Customer realms brokered into the proxy realm with home-IdP-discovery. Default none.",
    ),
});

export const ClientSchema = z.strictObject({
  clientId: identifier("client id")
    .default("keystone")
    .describe(
      "OIDC client id Keystone (mod_auth_openidc) uses; required as `azp` by every mapping rule. Default `keystone`.",
    ),
  confidential: z
    .boolean()
    .default(true)
    .describe(
      "Confidential client (has a secret). Default true. A public client relies on PKCE alone.",
    ),
  pkceMethod: z.string().default("S256").describe("PKCE method. Only `S256` is accepted."),
  deviceGrant: z
    .boolean()
    .default(true)
    .describe(
      "Declare the public CLI client with the device authorization grant (CLI `v3oidcdeviceauthz`, PKCE S256, no secret), accepted as `azp` next to `clientId`. The Keystone client itself never has the device grant, so CLI users never need its secret. Default true.",
    ),
  cliClientId: identifier("CLI client id")
    .optional()
    .describe(
      "Client id of the public CLI client (deviceGrant). Default `<clientId>-cli`. Must differ from `clientId`.",
    ),
  directAccessGrants: z
    .boolean()
    .default(false)
    .describe(
      "Enable the resource-owner password grant. Default false; only `local`/`test` stacks may enable it.",
    ),
  implicitFlow: z
    .boolean()
    .default(false)
    .describe("Enable the implicit flow. Default false; only `local`/`test` stacks may enable it."),
  groupsFullPath: z
    .boolean()
    .default(true)
    .describe(
      "Emit Keycloak group paths (`/tenant/group`) rather than bare names in the groups claim. Default true.",
    ),
  extraRedirectUris: z
    .array(z.string())
    .default([])
    .describe("Extra exact redirect URIs (no wildcards). Default none."),
});

export const KeystoneCredentialsSchema = z.strictObject({
  method: z
    .enum(["applicationCredential", "password", "token"])
    .describe(
      "`applicationCredential` (recommended), `password`, or `token`. The secret part is a `--secret` key.",
    ),
  applicationCredentialId: z
    .string()
    .min(1)
    .optional()
    .describe(
      "Application credential id (method applicationCredential); its secret is `keystoneApplicationCredentialSecret`.",
    ),
  username: z
    .string()
    .min(1)
    .optional()
    .describe("User name (method password); the password is the `keystonePassword` secret."),
  userDomainName: z
    .string()
    .min(1)
    .default("Default")
    .describe("Domain of the user. Default `Default`."),
  projectName: z
    .string()
    .min(1)
    .default("admin")
    .describe("Project to scope to (method password). Default `admin`."),
  projectDomainName: z
    .string()
    .min(1)
    .default("Default")
    .describe("Domain of that project. Default `Default`."),
});

export const KeystoneSchema = z.strictObject({
  url: z
    .string()
    .describe(
      "Keystone's public base URL as browsers and CLIs reach it, e.g. `https://keystone.example.com:5000` (no `/v3`).",
    ),
  authUrl: z.string().optional().describe("Identity API URL Pulumi uses. Default `<url>/v3`."),
  region: z.string().min(1).default("RegionOne").describe("Region name. Default `RegionOne`."),
  cloud: z
    .string()
    .min(1)
    .optional()
    .describe(
      "Cloud name from clouds.yaml for Pulumi's own credentials. Exclusive with `credentials`.",
    ),
  credentials: KeystoneCredentialsSchema.optional().describe(
    "Explicit credentials for Pulumi. Exclusive with `cloud`.",
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
    .default("sub")
    .describe("Claim holding a stable user id; becomes the Keystone user id. Default `sub`."),
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
  groups: z
    .string()
    .default("groups")
    .describe("Claim holding the Keycloak groups. Default `groups`."),
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
    .default(";")
    .describe(
      "mod_auth_openidc claim delimiter. Must be `;`: Keystone splits multi-valued attributes on `;` only.",
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
    .default("perGroup")
    .describe(
      "`perGroup`: one mapping rule per access group, Keystone groups named `<tenant>-<group>`. `perTenant`: one rule per tenant (whitelist of the tenant's exact group values), Keystone groups named like the claim values; for stacks with hundreds of groups, since Keystone evaluates every rule on every login. Default perGroup.",
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

export const ProjectSchema = z.strictObject({
  name: identifier("project name").describe("Project name inside the tenant's domain."),
  description: z.string().optional().describe("Description."),
});

export const TenantSchema = z.strictObject({
  name: identifier("tenant name").describe(
    "Tenant name; also the Keystone domain name and the Keycloak parent group.",
  ),
  description: z.string().optional().describe("Description of the domain."),
  customerRealm: z
    .string()
    .optional()
    .describe(
      "Customer realm whose users belong to this tenant. Their rules then also require that broker.",
    ),
  projects: z.array(ProjectSchema).default([]).describe("Projects of the tenant. Default none."),
});

export const GrantSchema = z.strictObject({
  role: z
    .string()
    .min(1)
    .describe("Role name (must be listed in `roles.existing` or `roles.create`)."),
  project: z
    .string()
    .optional()
    .describe("Project of the tenant to grant the role on. Exclusive with `domain`."),
  domain: z
    .literal(true)
    .optional()
    .describe("Grant the role on the tenant's domain instead of a project."),
});

export const AccessRuleSchema = z.strictObject({
  tenant: z.string().min(1).describe("Tenant the access belongs to."),
  group: z
    .string()
    .min(1)
    .describe(
      "Keycloak group name under the tenant's group (`/<tenant>/<group>`); also names the Keystone group.",
    ),
  description: z.string().optional().describe("Description of the Keystone group."),
  grants: z
    .array(GrantSchema)
    .min(1, { message: "an access rule needs at least one grant" })
    .describe("Role grants of the group. At least one."),
});

export const RolesSchema = z.strictObject({
  existing: z
    .array(z.string().min(1))
    .default(["admin", "member", "reader"])
    .describe(
      "Roles that already exist in Keystone and are looked up. Default admin, member, reader (Keystone bootstrap).",
    ),
  create: z
    .array(identifier("role name"))
    .default([])
    .describe("Roles this stack creates. Default none."),
  cloudWide: z
    .array(z.string().min(1))
    .default(["admin"])
    .describe(
      "Roles Keystone treats as cloud-wide whatever they are assigned on: with its default policy, `admin` on any project or domain administers the whole cloud, every tenant, the mapping and the IdP included. Access rules may not grant them (see allowCloudWideGrants). Default [admin]; add your own.",
    ),
  allowCloudWideGrants: z
    .boolean()
    .default(false)
    .describe(
      "Let access rules grant a cloud-wide role (roles.cloudWide) to a tenant group, whose members then administer the whole cloud. Default false.",
    ),
});

export const ProtectionSchema = z.strictObject({
  protect: z
    .boolean()
    .default(false)
    .describe(
      "Mark Keystone and Keycloak resources `protect: true`. Required on production. Default false.",
    ),
  retainIdpOnDelete: z
    .boolean()
    .optional()
    .describe(
      "Keep the Keystone IdP (and its shadow users) when the stack is destroyed (`retainOnDelete`). Deleting an IdP deletes its protocols and all its federated users. Default true on staging/production.",
    ),
});

export const DeliveryTargetSchema = z.strictObject({
  name: identifier("delivery target name").describe("Name of the target (used in resource names)."),
  kind: z
    .enum(["ssh", "local"])
    .describe(
      "`ssh` copies to a host over SSH (key: the `deliverySshKey` secret); `local` writes on the machine running Pulumi (e.g. a kolla-ansible config directory).",
    ),
  host: z.string().min(1).optional().describe("SSH host (kind ssh)."),
  user: z.string().min(1).default("root").describe("SSH user. Default `root`."),
  port: z.number().int().positive().default(22).describe("SSH port. Default 22."),
  artifacts: z
    .array(z.enum(["apache", "keystone", "horizon", "kolla", "clients"]))
    .min(1)
    .describe(
      "Which rendered folders go to this target (apache, keystone, horizon, kolla, clients).",
    ),
  directory: z
    .string()
    .min(1)
    .describe(
      "Directory on the target the files are written under (keeping their relative paths).",
    ),
  reloadCommand: z
    .string()
    .min(1)
    .optional()
    .describe(
      "Command run after any file changed, e.g. `systemctl reload apache2` or `kolla-ansible reconfigure -t keystone`.",
    ),
});

export const DeliverySchema = z.strictObject({
  enabled: z
    .boolean()
    .default(false)
    .describe(
      "Deliver the rendered host configuration with @pulumi/command. Default false (render only).",
    ),
  targets: z.array(DeliveryTargetSchema).default([]).describe("Where the files go. Default none."),
});

export const SmokeCheckSchema = z.strictObject({
  enabled: z
    .boolean()
    .default(false)
    .describe(
      "After everything else, log in for real (Keycloak password grant -> Keystone -> project scope) and fail the update if federation does not work. Needs client.directAccessGrants (local/test stacks). Default false.",
    ),
  username: z
    .string()
    .min(1)
    .optional()
    .describe("Keycloak test user; its password is the `smokeCheckPassword` secret."),
  project: z
    .string()
    .regex(/^[^/]+\/[^/]+$/, { message: "must read <tenant>/<project>" })
    .optional()
    .describe("Project to scope to, as `<tenant>/<project>`."),
  createUser: z
    .boolean()
    .default(false)
    .describe(
      "Create the test user in Keycloak (local/test stacks only), with `smokeCheckPassword`, in `group`. Default false.",
    ),
  group: z
    .string()
    .regex(/^[^/]+\/[^/]+$/, { message: "must read <tenant>/<group>" })
    .optional()
    .describe("Access group (`<tenant>/<group>`) the created test user joins."),
});

export const StackConfigSchema = z.strictObject({
  environment: EnvironmentSchema.describe("Kind of stack; drives URL and protection policies."),
  keycloak: KeycloakSchema.describe("Keycloak connection."),
  realm: RealmSchema.describe("The proxy realm."),
  client: ClientSchema.prefault({}).describe("The OIDC client Keystone uses."),
  keystone: KeystoneSchema.describe("Keystone connection and public URL."),
  horizon: HorizonSchema.prefault({}).describe("Horizon dashboards."),
  federation: FederationSchema.prefault({}).describe("Federation settings."),
  tenants: z
    .array(TenantSchema)
    .min(1, { message: "at least one tenant is required" })
    .describe("Tenants: Keystone domains with their projects."),
  access: z
    .array(AccessRuleSchema)
    .default([])
    .describe("Access rules: Keycloak group -> Keystone group -> roles."),
  roles: RolesSchema.prefault({}).describe("Roles used by grants."),
  protection: ProtectionSchema.prefault({}).describe("Protection of the stack's resources."),
  delivery: DeliverySchema.prefault({}).describe(
    "Delivery of the rendered host configuration to hosts (opt-in).",
  ),
  smokeCheck: SmokeCheckSchema.prefault({}).describe(
    "An end-to-end login after each update (opt-in, test stacks).",
  ),
});

export type StackConfig = z.infer<typeof StackConfigSchema>;
export type Tenant = z.infer<typeof TenantSchema>;
export type AccessRule = z.infer<typeof AccessRuleSchema>;
export type Grant = z.infer<typeof GrantSchema>;
export type CustomerRealm = z.infer<typeof CustomerRealmSchema>;
export type DeliveryTarget = z.infer<typeof DeliveryTargetSchema>;
