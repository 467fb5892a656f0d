/** Invalid configurations and the exact problems each must report. */
import { validRaw, withValue, without } from "./fixtures";

export interface InvalidCase {
  readonly name: string;
  readonly raw: Record<string, unknown>;
  /** Secret keys stored as secrets (default: every secret key present in `raw`). */
  readonly secretKeys?: string[];
  /** Every reported line, exactly, in order. */
  readonly expected: string[];
}

const v = validRaw;
/** A local stack: environment local, and the example hosts moved to loopback (where a case kept them). */
const local = (raw: Record<string, unknown>) => {
  const r = withValue("environment", "local", raw) as {
    keycloak: { url: string };
    keystone: { url: string };
    horizon: { urls: string[] };
  };
  if (r.keycloak.url === "https://id.example.com") r.keycloak.url = "http://localhost:8080";
  if (r.keystone.url === "https://keystone.example.com:5000")
    r.keystone.url = "http://localhost:5000";
  r.horizon.urls = r.horizon.urls.map((u) =>
    u === "https://dashboard.example.com" ? "http://localhost:8000" : u,
  );
  return r as unknown as Record<string, unknown>;
};

export const INVALID_CASES: InvalidCase[] = [
  {
    name: "unknown top-level key",
    raw: withValue("tenant", []),
    expected: [
      "tenant: unknown key (known keys of the project namespace: environment, keycloak, realm, client, keystone, horizon, federation, tenants, access, roles, protection, delivery, smokeCheck, keycloakAdminSecret, keycloakAdminPassword, keystonePassword, keystoneApplicationCredentialSecret, keystoneToken, clientSecret, oidcCryptoPassphrase, deliverySshKey, smokeCheckPassword)",
    ],
  },
  {
    name: "unknown nested key",
    raw: withValue("keycloak.adminUrl", "https://id.example.com"),
    expected: [
      "keycloak.adminUrl: unknown key (known keys: url, admin, caBundle, insecure, version)",
    ],
  },
  {
    name: "password typed into plain config",
    raw: withValue("keycloak.admin.password", "hunter2"),
    expected: [
      "keycloak.admin.password: unknown key (secrets are never plain configuration: use `pulumi config set --secret <key>` with one of keycloakAdminSecret, keycloakAdminPassword, keystonePassword, keystoneApplicationCredentialSecret, keystoneToken, clientSecret, oidcCryptoPassphrase, deliverySshKey, smokeCheckPassword)",
    ],
  },
  {
    name: "missing environment",
    raw: without("environment"),
    expected: ["environment: is required (Kind of stack; drives URL and protection policies.)"],
  },
  {
    name: "environment not a known kind",
    raw: withValue("environment", "prod"),
    expected: [
      'environment: "prod" is not one of local, test, staging, production (pick one of the listed values)',
    ],
  },
  {
    name: "missing keycloak url",
    raw: without("keycloak.url"),
    expected: [
      "keycloak.url: is required (Keycloak base URL, e.g. `https://id.example.com` (include `/auth` for Keycloak < 17). No trailing slash.)",
    ],
  },
  {
    name: "keycloak url not https on production",
    raw: withValue("keycloak.url", "http://id.example.com"),
    expected: [
      'keycloak.url: "http://id.example.com" is not https (only a local stack may use http; this stack\'s environment is production)',
    ],
  },
  {
    name: "keycloak url with trailing slash",
    raw: withValue("keycloak.url", "https://id.example.com/"),
    expected: [
      'keycloak.url: "https://id.example.com/" ends with a slash (remove the trailing slash; derived URLs (issuer, redirect URIs) must match exactly)',
    ],
  },
  {
    name: "issuer typed instead of base URL",
    raw: withValue("keycloak.url", "https://id.example.com/realms/openstack"),
    expected: [
      'keycloak.url: "https://id.example.com/realms/openstack" contains /realms/ (give the Keycloak base URL; the issuer https://<host>/realms/<realm> is derived from realm.name)',
    ],
  },
  {
    name: "keycloak url not a URL",
    raw: withValue("keycloak.url", "id.example.com"),
    expected: [
      'keycloak.url: "id.example.com" is not a valid URL (give an absolute URL such as https://id.example.com)',
    ],
  },
  {
    name: "keycloak url with query",
    raw: withValue("keycloak.url", "https://id.example.com?x=1"),
    expected: [
      'keycloak.url: "https://id.example.com?x=1" has a query or fragment (give the bare base URL)',
    ],
  },
  {
    name: "keycloak url with credentials",
    raw: withValue("keycloak.url", "https://admin:pw@id.example.com"),
    expected: [
      "keycloak.url: the URL embeds credentials (remove them; secrets are set with `pulumi config set --secret`)",
    ],
  },
  {
    name: "keystone url with /v3",
    raw: withValue("keystone.url", "https://keystone.example.com:5000/v3"),
    expected: [
      'keystone.url: "https://keystone.example.com:5000/v3" contains /v3 (give Keystone\'s public base URL without /v3; API paths are derived)',
    ],
  },
  {
    name: "keystone url not https on staging",
    raw: withValue(
      "environment",
      "staging",
      withValue("keystone.url", "http://keystone.example.com:5000"),
    ),
    expected: [
      'keystone.url: "http://keystone.example.com:5000" is not https (only a local stack may use http; this stack\'s environment is staging)',
    ],
  },
  {
    name: "horizon url with trailing slash",
    raw: withValue("horizon.urls", ["https://dashboard.example.com/"]),
    expected: [
      'horizon.urls[0]: "https://dashboard.example.com/" ends with a slash (remove the trailing slash; derived URLs (issuer, redirect URIs) must match exactly)',
    ],
  },
  {
    name: "horizon url listed twice",
    raw: withValue("horizon.urls", [
      "https://dashboard.example.com",
      "https://dashboard.example.com",
    ]),
    expected: [
      'horizon.urls: "https://dashboard.example.com" is listed twice (list each dashboard once)',
    ],
  },
  {
    name: "wildcard redirect URI",
    raw: withValue("client.extraRedirectUris", ["https://app.example.com/*"]),
    expected: [
      'client.extraRedirectUris[0]: "https://app.example.com/*" contains a wildcard (Keycloak must only redirect to exact URIs; list each URI in full)',
    ],
  },
  {
    name: "http redirect URI on production",
    raw: withValue("client.extraRedirectUris", ["http://app.example.com/cb"]),
    expected: [
      'client.extraRedirectUris[0]: "http://app.example.com/cb" is not https (only a local stack may use http; this stack\'s environment is production)',
    ],
  },
  {
    name: "CLI client with the Keystone client's id",
    raw: withValue("client.cliClientId", "keystone"),
    expected: [
      'client.cliClientId: "keystone" is the Keystone client\'s own id (give the public CLI client its own id, or leave it out (default `<clientId>-cli`))',
    ],
  },
  {
    name: "CLI client id without the device grant",
    raw: withValue("client", { deviceGrant: false, cliClientId: "os-cli" }),
    expected: [
      "client.cliClientId: is set but client.deviceGrant is false, so no CLI client is declared (remove client.cliClientId, or enable client.deviceGrant)",
    ],
  },
  {
    name: "PKCE plain",
    raw: withValue("client.pkceMethod", "plain"),
    expected: [
      "client.pkceMethod: is retired: PKCE is always S256 (`plain` leaks the verifier) (remove the key)",
    ],
  },
  {
    name: "password grant on production",
    raw: withValue("client.directAccessGrants", true),
    expected: [
      "client.directAccessGrants: the password grant is enabled on a production stack (only local or test stacks may enable it; use the device grant for CLI login)",
    ],
  },
  {
    name: "implicit flow on staging",
    raw: withValue("environment", "staging", withValue("client.implicitFlow", true)),
    expected: [
      "client.implicitFlow: the implicit flow is enabled on a staging stack (only local or test stacks may enable it; the code flow with PKCE replaces it)",
    ],
  },
  {
    name: "keycloak TLS verification off on production",
    raw: withValue("keycloak.insecure", true),
    expected: [
      "keycloak.insecure: TLS verification is off on a production stack (give keycloak.caBundle instead)",
    ],
  },
  {
    name: "keystone TLS verification off on production",
    raw: withValue("keystone.insecure", true),
    expected: [
      "keystone.insecure: TLS verification is off on a production stack (give keystone.caBundle instead)",
    ],
  },
  {
    name: "realm name with a space",
    raw: withValue("realm.name", "open stack"),
    expected: [
      "realm.name: realm name may contain only letters, digits, '.', '_' and '-' and must start with a letter or digit (rename it)",
    ],
  },
  {
    name: "sso idle longer than max",
    raw: withValue("realm.tokens", { ssoSessionIdle: 7200, ssoSessionMax: 3600 }),
    expected: [
      "realm.tokens.ssoSessionIdle: idle timeout 7200s exceeds the session maximum 3600s (make ssoSessionIdle <= ssoSessionMax)",
    ],
  },
  {
    name: "negative access token lifetime",
    raw: withValue("realm.tokens", { accessToken: -5 }),
    expected: [
      "realm.tokens.accessToken: must be a positive number of seconds (give a larger value)",
    ],
  },
  {
    name: "claim delimiter comma",
    raw: withValue("federation", { claimDelimiter: "," }),
    expected: [
      "federation.claimDelimiter: is retired: mod_auth_openidc's delimiter is always `;`, the only one Keystone splits multi-valued claims on (remove the key)",
    ],
  },
  {
    name: "remote id attribute that is not the issuer",
    raw: withValue("federation", { remoteIdAttribute: "HTTP_OIDC_SUB" }),
    expected: [
      'federation.remoteIdAttribute: "HTTP_OIDC_SUB" does not carry the token issuer (use one of HTTP_OIDC_ISS, OIDC-iss (derived from claimPrefix))',
    ],
  },
  {
    name: "claim prefix with a space",
    raw: withValue("federation", { claimPrefix: "OIDC " }),
    expected: [
      "federation.claimPrefix: \"OIDC \" is not a valid environment prefix (use letters, digits, '-' and '_', e.g. OIDC-)",
    ],
  },
  {
    name: "no tenants",
    raw: withValue("tenants", []),
    expected: ["tenants: at least one tenant is required (add at least one entry)"],
  },
  {
    name: "duplicate tenant (case-insensitive)",
    raw: withValue("tenants[1].name", "ACME"),
    expected: [
      'tenants: tenant "acme" is declared twice (names are case-insensitive in Keystone) (give each tenant a unique name)',
      'access[2].tenant: unknown tenant "globex" (declare it in tenants (known: acme, ACME))',
    ],
  },
  {
    name: "the manager role looked up on a Keystone whose bootstrap does not create it",
    raw: withValue("roles", { existing: ["member", "manager"] }),
    expected: [
      'roles.existing[1]: "manager" is not created by Keystone 22\'s bootstrap (only from Keystone 24 on) (list it in roles.create so the stack creates it, or set keystone.release to the Keystone you deploy to)',
    ],
  },
  {
    name: "a Keystone release outside the tested range",
    raw: withValue("keystone.release", 31),
    expected: [
      "keystone.release: is newer than the newest Keystone this project is tested against (30); check the compatibility table in docs/proof.md, then raise the limit (give a smaller value)",
    ],
  },
  {
    name: "no access rule",
    raw: withValue("access", []),
    expected: [
      "access: at least one access rule is required: without one the generated mapping has no rules, and Keystone refuses an empty mapping (add at least one entry)",
    ],
  },
  {
    name: "tenant named Default",
    raw: withValue(
      "tenants[1].name",
      "Default",
      withValue("access", [
        { tenant: "acme", group: "admins", grants: [{ role: "member", domain: true }] },
      ]),
    ),
    expected: [
      'tenants[1].name: "Default" collides with Keystone\'s built-in Default domain (choose another tenant name)',
    ],
  },
  {
    name: "duplicate project in a domain",
    raw: withValue("tenants[0].projects[1].name", "web"),
    expected: [
      'tenants[0].projects: project "web" is declared twice in tenant "acme" (project names are unique per domain)',
    ],
  },
  {
    name: "project name with braces",
    raw: withValue("tenants[0].projects[1].name", "{data}"),
    expected: [
      "tenants[0].projects[1].name: project name may contain only letters, digits, '.', '_' and '-' and must start with a letter or digit (rename it)",
    ],
  },
  {
    name: "access rule naming an unknown tenant",
    raw: withValue("access[2].tenant", "initech"),
    expected: [
      'access[2].tenant: unknown tenant "initech" (declare it in tenants (known: acme, globex))',
    ],
  },
  {
    name: "access rule naming an unknown project",
    raw: withValue("access[1].grants[0].project", "mobile"),
    expected: [
      'access[1].grants[0].project: unknown project "mobile" in tenant "acme" (declare it in the tenant\'s projects (known: web, data))',
    ],
  },
  {
    name: "access rule naming an unknown role",
    raw: withValue("access[1].grants[0].role", "superuser"),
    expected: [
      'access[1].grants[0].role: unknown role "superuser" (add it to roles.existing or roles.create (known: admin, member, reader))',
    ],
  },
  {
    name: "grant with both project and domain",
    raw: withValue("access[1].grants[0].domain", true),
    expected: [
      "access[1].grants[0]: a grant needs exactly one of project or domain (set `project: <name>` or `domain: true`)",
    ],
  },
  {
    name: "grant with neither project nor domain",
    raw: without("access[0].grants[0].domain"),
    expected: [
      "access[0].grants[0]: a grant needs exactly one of project or domain (set `project: <name>` or `domain: true`)",
    ],
  },
  {
    name: "access rule without grants",
    raw: withValue("access[0].grants", []),
    expected: [
      "access[0].grants: an access rule needs at least one grant (add at least one entry)",
    ],
  },
  {
    name: "duplicate access rule",
    raw: withValue("access[1].group", "admins"),
    expected: [
      'access[1].group: group "admins" of tenant "acme" has two access rules (merge their grants into one rule)',
    ],
  },
  {
    name: "duplicate grant",
    raw: withValue("access[1].grants", [
      { role: "member", project: "web" },
      { role: "member", project: "web" },
    ]),
    expected: [
      'access[1].grants[1]: grant of "member" on project "web" is listed twice (list each grant once)',
    ],
  },
  {
    name: "group value containing name",
    raw: withValue("access[1].group", "project-names"),
    expected: [
      'access[1].group: group "project-names" contains "name" (Keystone\'s engine treats a groups value containing "name" as JSON and refuses the login; rename it (e.g. \'nm\' or \'label\'))',
    ],
  },
  {
    name: "group value containing braces",
    raw: withValue("access[1].group", "dev{0}"),
    expected: [
      'access[1].group: group "dev{0}" contains a brace (Keystone formats every mapped string with Python str.format, where braces are placeholders; rename it)',
    ],
  },
  {
    name: "group value containing ;",
    raw: withValue("access[1].group", "dev;ops"),
    expected: [
      "access[1].group: group \"dev;ops\" contains ';' (mod_auth_openidc joins groups with ';' and Keystone splits on it, so this group would arrive as two values; rename it)",
    ],
  },
  {
    name: "group value containing /",
    raw: withValue("access[1].group", "acme/dev"),
    expected: [
      "access[1].group: group \"acme/dev\" contains '/' ('/' separates Keycloak group paths; give the bare group name, the path /<tenant>/<group> is derived)",
    ],
  },
  {
    name: "group value with a quote",
    raw: withValue("access[1].group", "dev's"),
    expected: [
      "access[1].group: group \"dev's\" has characters other than letters, digits, '.', '_' and '-' (quotes, brackets and spaces are re-parsed by Keystone's literal_eval; use a plain name)",
    ],
  },
  {
    name: "offline access for a CLI client that is not declared",
    raw: withValue("client", { deviceGrant: false, cliOfflineAccess: true }),
    expected: [
      "client.cliOfflineAccess: is true but client.deviceGrant is false, so no CLI client is declared (remove client.cliOfflineAccess, or enable client.deviceGrant)",
    ],
  },
  {
    name: "an offline session idle timeout beyond its maximum, and a production maximum beyond 90 days",
    raw: withValue("realm.tokens", { offlineSessionIdle: 2_000_000, offlineSessionMax: 8_000_000 }),
    expected: [
      "realm.tokens.offlineSessionMax: 8000000 s is longer than a production stack allows (7776000 s) (give at most 7776000; longer lifetimes are for local and test stacks)",
    ],
  },
  {
    name: "an offline idle timeout longer than the offline maximum",
    raw: withValue("realm.tokens", { offlineSessionIdle: 600_000, offlineSessionMax: 500_000 }),
    expected: [
      "realm.tokens.offlineSessionIdle: idle timeout 600000s exceeds the offline session maximum 500000s (make offlineSessionIdle <= offlineSessionMax)",
    ],
  },
  {
    name: "no lockout at all",
    raw: withValue("realm.bruteForce", { maxLoginFailures: 0 }),
    expected: [
      "realm.bruteForce.maxLoginFailures: Too small: expected number to be >=1 (give a larger value)",
    ],
  },
  {
    name: "the retired groupsFullPath switch",
    raw: withValue("client.groupsFullPath", true),
    expected: [
      'client.groupsFullPath: is retired: tokens no longer carry group paths, and access rides on the Keystone client\'s client roles (docs/operations.md, "Access keyed on client roles") (remove the key)',
    ],
  },
  {
    name: "the retired groups claim",
    raw: withValue("federation.claims.groups", "groups"),
    expected: [
      "federation.claims.groups: is retired: access is no longer keyed on Keycloak group paths, which whoever may create groups can forge; access roles arrive in federation.claims.access (remove the key)",
    ],
  },
  {
    name: "an access claim a Keycloak scope fills with realm roles",
    raw: withValue("federation.claims.access", "groups"),
    expected: [
      'federation.claims.access: "groups" is a claim Keycloak or the mapping already fills with something else (give the access roles a claim of their own, e.g. openstack_access)',
    ],
  },
  {
    name: "an access claim named like the username claim",
    raw: withValue("federation.claims.access", "Preferred_Username"),
    expected: [
      'federation.claims.access: "Preferred_Username" is a claim Keycloak or the mapping already fills with something else (give the access roles a claim of their own, e.g. openstack_access)',
    ],
  },
  {
    name: "a nested access claim",
    raw: withValue("federation.claims.access", "openstack.access"),
    expected: [
      "federation.claims.access: \"openstack.access\" is not a plain claim name (use letters, digits and '_' (a '.' nests the claim in Keycloak), e.g. openstack_access)",
    ],
  },
  {
    name: "production stack without protection",
    raw: withValue("protection.protect", false),
    expected: [
      "protection.protect: a production stack is not protected (set protection.protect: true so `pulumi destroy` cannot delete production objects)",
    ],
  },
  {
    name: "secret stored in plain text",
    raw: v(),
    secretKeys: ["keystoneApplicationCredentialSecret"],
    expected: [
      "keycloakAdminSecret: is stored in plain text (run `pulumi config set --secret keycloakAdminSecret <value>`; client secret of the Keycloak admin client (keycloak.admin.clientId))",
    ],
  },
  {
    name: "admin client without its secret",
    raw: without("keycloakAdminSecret"),
    expected: [
      "keycloakAdminSecret: is not set (run `pulumi config set --secret keycloakAdminSecret <secret>`)",
    ],
  },
  {
    name: "admin with both client and user",
    raw: withValue("keycloak.admin.username", "admin"),
    expected: [
      "keycloak.admin: exactly one of clientId or username is required (use an admin client (recommended) or an admin user)",
    ],
  },
  {
    name: "admin with neither client nor user",
    raw: without("keycloak.admin.clientId"),
    expected: [
      "keycloak.admin: exactly one of clientId or username is required (use an admin client (recommended) or an admin user)",
    ],
  },
  {
    name: "application credential without id",
    raw: without("keystone.credentials.applicationCredentialId"),
    expected: [
      "keystone.credentials.applicationCredentialId: is required (Application credential id (method applicationCredential); its secret is `keystoneApplicationCredentialSecret`.)",
    ],
  },
  {
    name: "password credentials without user",
    raw: withValue("keystone.credentials", { method: "password" }),
    expected: [
      "keystone.credentials.username: is required (User name (method password); the password is the `keystonePassword` secret.)",
    ],
  },
  {
    name: "password credentials without password",
    raw: withValue("keystone.credentials", { method: "password", username: "pulumi" }),
    expected: [
      "keystonePassword: is not set (run `pulumi config set --secret keystonePassword <password>`)",
    ],
  },
  {
    name: "credentials with a key of another method",
    raw: withValue("keystone.credentials", {
      method: "applicationCredential",
      applicationCredentialId: "abc123",
      username: "pulumi",
    }),
    expected: [
      "keystone.credentials.username: unknown key (known keys: method, applicationCredentialId)",
    ],
  },
  {
    name: "credentials with an unknown method",
    raw: withValue("keystone.credentials", { method: "kerberos" }),
    expected: [
      'keystone.credentials.method: "kerberos" is not one of applicationCredential, password, token (set it to one of applicationCredential, password, token)',
    ],
  },
  {
    name: "credentials without a method",
    raw: withValue("keystone.credentials", { applicationCredentialId: "abc123" }),
    expected: [
      "keystone.credentials.method: is required (set it to one of applicationCredential, password, token)",
    ],
  },
  {
    name: "cloud and credentials together",
    raw: withValue("keystone.cloud", "openstack"),
    expected: [
      "keystone: both cloud and credentials are set (use either a clouds.yaml entry or explicit credentials)",
    ],
  },
  {
    name: "client secret for a public client",
    raw: withValue(
      "client",
      { confidential: false },
      withValue("clientSecret", "a-fixed-client-secret-of-40-characters!!"),
    ),
    expected: [
      "clientSecret: is set but client.confidential is false (a public client has no secret: remove it or make the client confidential)",
    ],
  },
  {
    name: "a short client secret and crypto passphrase, reported by length and never echoed",
    raw: withValue("oidcCryptoPassphrase", "hunter2-passphrase", withValue("clientSecret", "abc")),
    expected: [
      'clientSecret: is 3 characters long, under the 32 a guessing attacker needs to face (set a random one of at least 32 characters, e.g. `pulumi config set --secret clientSecret "$(openssl rand -base64 32)"`)',
      'oidcCryptoPassphrase: is 18 characters long, under the 32 a guessing attacker needs to face (set a random one of at least 32 characters, e.g. `pulumi config set --secret oidcCryptoPassphrase "$(openssl rand -base64 32)"`)',
    ],
  },
  {
    name: "an authUrl on a host that is not keystone.url's",
    raw: withValue("keystone.authUrl", "https://collector.evil.example/v3"),
    expected: [
      "keystone.authUrl: names host collector.evil.example, not keystone.url's keystone.example.com (Pulumi sends the Keystone credentials there: if that host is yours, list it in keystone.authHosts)",
    ],
  },
  {
    name: "unknown customer realm on a tenant",
    raw: withValue("tenants[1].customerRealm", "globex"),
    expected: [
      'tenants[1].customerRealm: unknown customer realm "globex" (declare it in realm.customerRealms (known: none))',
    ],
  },
  {
    name: "customer realm with an invalid e-mail domain",
    raw: withValue("realm.customerRealms", [{ name: "globex", emailDomains: ["@Globex.example"] }]),
    expected: [
      'realm.customerRealms[0].emailDomains[0]: "@Globex.example" is not a lower-case DNS domain (write the part after @, e.g. acme.example)',
    ],
  },
  {
    name: "e-mail domain routed to two realms",
    raw: withValue("realm.customerRealms", [
      { name: "globex", emailDomains: ["globex.example"] },
      { name: "initech", emailDomains: ["globex.example"] },
    ]),
    expected: [
      'realm.customerRealms[1].emailDomains[0]: "globex.example" is already routed to customer realm "globex" (each e-mail domain can lead to one customer realm only)',
    ],
  },
  {
    name: "one customer realm bound to two tenants with the same group",
    raw: withValue(
      "realm.customerRealms",
      [{ name: "partner", emailDomains: ["partner.example"] }],
      withValue(
        "tenants[0].customerRealm",
        "partner",
        withValue("tenants[1].customerRealm", "partner", withValue("access[2].group", "admins")),
      ),
    ),
    expected: [
      'access[2].group: customer realm "partner" is bound to tenants "acme" and "globex", which both have group "admins": its members would get both tenants\' access (give the groups different names, or bind each tenant to a customer realm of its own)',
    ],
  },
  {
    name: "Organizations asked of a Keycloak older than 26",
    raw: withValue(
      "keycloak.version",
      25,
      withValue("realm.customerRealms", [{ name: "globex", emailDomains: ["globex.example"] }]),
    ),
    expected: [
      'realm.discovery: "organizations" needs Keycloak 26 or later, and keycloak.version is 25 (upgrade Keycloak and set keycloak.version to 26, or install the keycloak-home-idp-discovery extension and set realm.discovery to "home-idp-discovery-extension")',
    ],
  },
  {
    name: "an unknown discovery mechanism",
    raw: withValue("realm.discovery", "hidd"),
    expected: [
      'realm.discovery: "hidd" is not one of organizations, home-idp-discovery-extension (pick one of the listed values)',
    ],
  },
  {
    name: "customer realm that is the proxy realm",
    raw: withValue("realm.customerRealms", [
      { name: "openstack", emailDomains: ["globex.example"] },
    ]),
    expected: [
      'realm.customerRealms[0].name: "openstack" is the proxy realm itself (a customer realm must be a separate realm)',
    ],
  },
  {
    name: "role both existing and created",
    raw: withValue("roles", { create: ["member"] }),
    expected: [
      'roles.create: role "member" is also in roles.existing (a role is either looked up or created, not both)',
    ],
  },
  {
    name: "federated users' domain named Federated",
    raw: withValue("federation", { userDomain: "Federated" }),
    expected: [
      'federation.userDomain: "Federated" is reserved by Keystone ([federation] federated_domain_name) (use another name, e.g. federated-users)',
    ],
  },
  {
    name: "ssh delivery without host and key",
    raw: withValue("delivery", {
      enabled: true,
      targets: [{ name: "ks1", kind: "ssh", artifacts: ["apache"], directory: "/etc/okf" }],
    }),
    expected: [
      "delivery.targets[0].host: is required (SSH host (kind ssh).)",
      "delivery.targets[0].hostKey: is required (The target's SSH host key (kind ssh), as a known_hosts line without the host name (`ssh-ed25519 AAAA…`; `ssh-keyscan -t ed25519 <host>` prints it, to be checked out of band). Delivery sends the client secret and the crypto passphrase, and refuses any other key.)",
    ],
  },
  {
    name: "ssh delivery without the key to log in with",
    raw: withValue("delivery", {
      enabled: true,
      targets: [
        {
          name: "ks1",
          kind: "ssh",
          host: "ks1.example.com",
          hostKey:
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIO1cO7wIn4n1Wn3ZB2K9cX9GQ9Vtq3zWn0Jrmn6vJmjA",
          artifacts: ["apache"],
          directory: "/etc/okf",
        },
      ],
    }),
    expected: [
      "deliverySshKey: is not set but a delivery target uses ssh (run `pulumi config set --secret deliverySshKey < id_ed25519`)",
    ],
  },
  {
    name: "a local target with an ssh host",
    raw: withValue("delivery", {
      targets: [
        {
          name: "kolla",
          kind: "local",
          host: "ks1.example.com",
          artifacts: ["kolla"],
          directory: "/etc/kolla",
        },
      ],
    }),
    expected: [
      "delivery.targets[0].host: unknown key (known keys: kind, name, artifacts, directory, reloadCommand)",
    ],
  },
  {
    name: "an ssh host key that is not a key",
    raw: withValue("delivery", {
      targets: [
        {
          name: "ks1",
          kind: "ssh",
          host: "ks1.example.com",
          hostKey: "ks1.example.com ssh-ed25519 AAAA",
          artifacts: ["apache"],
          directory: "/etc/okf",
        },
      ],
    }),
    expected: [
      "delivery.targets[0].hostKey: is not an SSH public key (give the key type and its base64 text, e.g. `ssh-ed25519 AAAAC3Nza…`, without the host name)",
    ],
  },
  {
    name: "delivery enabled without targets",
    raw: withValue("delivery", { enabled: true }),
    expected: [
      "delivery.targets: delivery is enabled but has no targets (add a target or set delivery.enabled: false)",
    ],
  },
  {
    name: "smoke check without the password grant, user, password or project",
    raw: withValue("smokeCheck", { enabled: true }),
    expected: [
      "smokeCheck.enabled: the smoke check logs in with the password grant, which this stack's client does not allow (enable client.directAccessGrants (local/test stacks only) or turn the smoke check off)",
      "smokeCheck.username: is required when the smoke check is enabled (give a Keycloak test user in a granted group)",
      "smokeCheckPassword: is not set (run `pulumi config set --secret smokeCheckPassword <password>`)",
      "smokeCheck.project: is required when the smoke check is enabled (give <tenant>/<project>)",
    ],
  },
  {
    name: "smoke check creating a user on production",
    raw: withValue(
      "smokeCheck",
      {
        enabled: true,
        username: "smoke",
        project: "acme/web",
        createUser: true,
        group: "acme/ops",
      },
      withValue("client", { directAccessGrants: false }, withValue("smokeCheckPassword", "pw")),
    ),
    expected: [
      "smokeCheck.enabled: the smoke check logs in with the password grant, which this stack's client does not allow (enable client.directAccessGrants (local/test stacks only) or turn the smoke check off)",
      "smokeCheck.createUser: a test user would be created on a production stack (only local or test stacks may create one; use an existing user)",
      'smokeCheck.group: no access rule for "acme/ops" (name a group of the access rules)',
    ],
  },
  {
    name: "a tenant named like the federated users' domain (any case)",
    raw: withValue("federation", { userDomain: "ACME" }),
    expected: [
      "tenants[0].name: tenant \"acme\" is also the federated users' domain (every tenant's federated users live there, and this tenant's readers could list them: rename the tenant or set federation.userDomain to a domain of its own)",
    ],
  },
  {
    name: "federated users in Keystone's Default domain",
    raw: withValue("federation", { userDomain: "default" }),
    expected: [
      'federation.userDomain: "default" is Keystone\'s built-in Default domain (give the federated users a domain of their own, e.g. federated-users)',
    ],
  },
  {
    name: "Keycloak's master realm as the proxy realm",
    raw: withValue("realm.name", "Master"),
    expected: [
      'realm.name: "Master" is Keycloak\'s administration realm (declare a realm of its own for the federation)',
    ],
  },
  {
    name: "a derived Keystone group name longer than Keystone stores",
    raw: withValue(
      "access[1].group",
      "gggggggggggggggggggggggggggggggggggggggggggggggggggggggggggg",
    ),
    expected: [
      'access[1].group: the derived Keystone group name "acme-gggggggggggggggggggggggggggggggggggggggggggggggggggggggggggg" is 65 characters long (Keystone accepts at most 64; shorten it)',
    ],
  },
  {
    name: "credentials in a URL are reported, never echoed",
    raw: withValue("keystone.url", "http://admin:hunter2-pw@keystone.example.com:5000/"),
    expected: [
      'keystone.url: "http://***@keystone.example.com:5000/" is not https (only a local stack may use http; this stack\'s environment is production)',
      'keystone.url: "http://***@keystone.example.com:5000/" ends with a slash (remove the trailing slash; derived URLs (issuer, redirect URIs) must match exactly)',
      "keystone.url: the URL embeds credentials (remove them; secrets are set with `pulumi config set --secret`)",
    ],
  },
  {
    name: "no Keystone credentials at all (ambient OS_* variables are never used)",
    raw: withValue(
      "keystone",
      { url: "https://keystone.example.com:5000" },
      without("keystoneApplicationCredentialSecret"),
    ),
    expected: [
      "keystone: has neither credentials nor cloud (set keystone.credentials (and its --secret key) or keystone.cloud; Pulumi never falls back to ambient OS_* variables)",
    ],
  },
  {
    name: "Keystone's admin role granted to a tenant group (cloud-wide)",
    raw: withValue("access[0].grants", [
      { role: "admin", domain: true },
      { role: "member", project: "web" },
    ]),
    expected: [
      'access[0].grants[0].role: "admin" is cloud-wide in Keystone: members of acme/admins would administer every tenant, the mapping and the IdP (grant member or reader (or a role the stack creates), or set roles.allowCloudWideGrants: true if that is really meant)',
    ],
  },
  {
    name: "roles.cloudWide emptied: admin stays cloud-wide",
    raw: withValue(
      "roles",
      { cloudWide: [] },
      withValue("access[0].grants", [{ role: "admin", project: "web" }]),
    ),
    expected: [
      'access[0].grants[0].role: "admin" is cloud-wide in Keystone: members of acme/admins would administer every tenant, the mapping and the IdP (grant member or reader (or a role the stack creates), or set roles.allowCloudWideGrants: true if that is really meant)',
    ],
  },
  {
    name: "Keystone's service and ResellerAdmin roles granted to tenant groups (cloud-wide)",
    raw: withValue(
      "roles",
      { create: ["service", "ResellerAdmin"] },
      withValue(
        "access[0].grants",
        [{ role: "service", project: "web" }],
        withValue("access[1].grants", [{ role: "ResellerAdmin", project: "web" }]),
      ),
    ),
    expected: [
      'access[0].grants[0].role: "service" is cloud-wide in Keystone: members of acme/admins would administer every tenant, the mapping and the IdP (grant member or reader (or a role the stack creates), or set roles.allowCloudWideGrants: true if that is really meant)',
      'access[1].grants[0].role: "ResellerAdmin" is cloud-wide in Keystone: members of acme/developers would administer every tenant, the mapping and the IdP (grant member or reader (or a role the stack creates), or set roles.allowCloudWideGrants: true if that is really meant)',
    ],
  },
  {
    name: "claim prefix of request headers (any case)",
    raw: withValue("federation", { claimPrefix: "Http_" }),
    expected: [
      'federation.claimPrefix: "Http_" is the prefix of request headers, which any client can set (use a prefix no header becomes, e.g. OIDC-)',
    ],
  },
  {
    name: "an operator's own cloud-wide role",
    raw: withValue(
      "roles",
      { create: ["cloud-operator"], cloudWide: ["cloud-operator"] },
      withValue("access[1].grants", [{ role: "cloud-operator", project: "web" }]),
    ),
    expected: [
      'access[1].grants[0].role: "cloud-operator" is cloud-wide in Keystone: members of acme/developers would administer every tenant, the mapping and the IdP (grant member or reader (or a role the stack creates), or set roles.allowCloudWideGrants: true if that is really meant)',
    ],
  },
  {
    name: "tenant and project names whose joined resource names collide",
    raw: withValue(
      "tenants",
      [
        { name: "a", projects: [{ name: "b-c" }] },
        { name: "a-b", projects: [{ name: "c" }] },
      ],
      withValue("access", [
        { tenant: "a", group: "g", grants: [{ role: "member", domain: true }] },
      ]),
    ),
    expected: [
      "tenants[1].projects[0].name: a-b/c gets the same resource name as a/b-c (\"project-a-b-c\") (rename one of them: tenant and project names are joined with '-')",
    ],
  },
  {
    name: "a tenant's own group and another tenant's access group with one resource name",
    raw: withValue(
      "tenants",
      [
        { name: "a", projects: [{ name: "web" }] },
        { name: "a-b", projects: [{ name: "app" }] },
      ],
      withValue("access", [
        { tenant: "a", group: "b", grants: [{ role: "member", project: "web" }] },
        { tenant: "a-b", group: "ops", grants: [{ role: "member", project: "app" }] },
      ]),
    ),
    expected: [
      "access[0].group: a/b gets the same resource name as tenant a-b (\"kcgroup-a-b\") (rename one of them: names are joined with '-' and compared without case)",
    ],
  },
  {
    name: "access groups of a tenant differing only in case",
    raw: withValue("access[1].group", "Admins"),
    expected: [
      "access[1].group: acme/Admins gets the same resource name as access group acme/admins (\"kcgroup-acme-Admins\") (rename one of them: names are joined with '-' and compared without case)",
    ],
  },
  {
    name: "projects differing only in case",
    raw: withValue("tenants[0].projects[1].name", "Web"),
    expected: [
      'tenants[0].projects[1].name: "Web" and "web" differ only in case (Keystone compares project names case-insensitively within a domain: rename one)',
    ],
  },
  {
    name: "a mutable claim as the Keystone user id",
    raw: withValue("federation", { claims: { userId: "email" } }),
    expected: [
      "federation.claims.userId: is retired: the Keystone user id is always `sub`: any other claim can change or be chosen by whoever administers the realm, and a recycled e-mail or username would inherit an old Keystone identity (remove the key)",
    ],
  },
  {
    name: "local users with customer realms",
    raw: withValue(
      "federation",
      { userType: "local" },
      withValue("realm", {
        name: "openstack",
        customerRealms: [{ name: "partner", emailDomains: ["partner.example"] }],
      }),
    ),
    expected: [
      "federation.userType: local users are looked up by a username a customer-realm admin can choose (use ephemeral users with customer realms, so a brokered user can never become an existing Keystone user)",
    ],
  },
  {
    name: "group memberships kept for months",
    raw: withValue("federation", { authorizationTtlMinutes: 525600 }),
    expected: [
      "federation.authorizationTtlMinutes: 525600 minutes keeps group memberships for over 30 days after a login (give at most 43200; a removed Keycloak group should not grant access for long)",
    ],
  },
  {
    name: "a newline in a Horizon URL (it would add a mod_auth_openidc directive)",
    raw: withValue("horizon.urls[0]", "https://dashboard.example.com\nOIDCXForwardedHeaders"),
    expected: [
      "horizon.urls[0]: contains a control character (U+000A) (URLs are written into Apache, keystone.conf and Horizon's settings; give a plain URL)",
    ],
  },
  {
    name: "an Apache variable in a URL and a carriage return in a display name",
    raw: withValue(
      "keystone.url",
      "https://keystone.example.com:5000/${OKF_OIDC_CRYPTO_PASSPHRASE}",
      withValue("realm.displayName", "ACME\rCloud"),
    ),
    expected: [
      "keystone.url: contains '${' (URLs are written into Apache, keystone.conf and Horizon's settings; give a plain URL)",
      "realm.displayName: contains a control character (U+000D) (remove it; display names and descriptions are shown on login pages and written into settings files)",
    ],
  },
  {
    name: "a quote in a redirect URI",
    raw: withValue("client.extraRedirectUris", ['https://app.example.com/cb" x']),
    expected: [
      "client.extraRedirectUris[0]: contains a quote, backslash, space or angle bracket (URLs are written into Apache, keystone.conf and Horizon's settings; give a plain URL)",
    ],
  },
  {
    name: "a local stack pointing at remote services",
    raw: withValue("environment", "local", withValue("keycloak.url", "http://id.example.com")),
    expected: [
      'keycloak.url: host "id.example.com" is not on this machine, but the environment is local (local turns off TLS and grant guards and is only for services on loopback; use environment test, staging or production)',
      'keystone.url: host "keystone.example.com" is not on this machine, but the environment is local (local turns off TLS and grant guards and is only for services on loopback; use environment test, staging or production)',
      'horizon.urls[0]: host "dashboard.example.com" is not on this machine, but the environment is local (local turns off TLS and grant guards and is only for services on loopback; use environment test, staging or production)',
    ],
  },
  {
    name: "http allowed on local but not a trailing slash",
    raw: local(withValue("keycloak.url", "http://localhost:8080/")),
    expected: [
      'keycloak.url: "http://localhost:8080/" ends with a slash (remove the trailing slash; derived URLs (issuer, redirect URIs) must match exactly)',
    ],
  },
];
