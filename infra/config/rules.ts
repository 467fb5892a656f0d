/**
 * Cross-field rules of a stack configuration: references, uniqueness, URL hygiene, environment
 * policies, and values Keystone's mapping engine would mis-parse. Pure: returns every problem.
 */
import type { ConfigIssue, Push } from "./issues";
import type { StackConfig } from "./schema";
import type { SecretPresence } from "./secrets";
import { SECRET_KEYS } from "./secrets";
import { checkGroupValue } from "../model/mapping-safety";
import { nameRules } from "./name-rules";
import { environmentRules } from "./environment-rules";
import { textRules } from "./text-rules";
import { remoteIdAttributes } from "../model/naming";

const LOOSE_ENVIRONMENTS = new Set(["local", "test"]);

/** The URL as it may appear in a message: credentials embedded in it are never echoed. */
const shownUrl = (raw: string) => raw.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#\s]*@/i, "$1***@");

/** Checks a base URL typed in the config; returns nothing when it is fine. */
function checkBaseUrl(
  push: Push,
  path: string,
  typed: string,
  env: StackConfig["environment"],
  what: string,
): URL | undefined {
  const raw = JSON.stringify(shownUrl(typed)); // quoted, control characters escaped
  let url: URL;
  try {
    url = new URL(typed);
  } catch {
    push(
      path,
      `${raw} is not a valid URL`,
      `give an absolute URL such as https://${what}.example.com`,
    );
    return undefined;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    push(path, `scheme "${url.protocol}" is not http(s)`, "use https://");
    return undefined;
  }
  if (url.protocol === "http:" && env !== "local") {
    push(
      path,
      `${raw} is not https`,
      `only a local stack may use http; this stack's environment is ${env}`,
    );
  }
  if (typed.endsWith("/")) {
    push(
      path,
      `${raw} ends with a slash`,
      `remove the trailing slash; derived URLs (issuer, redirect URIs) must match exactly`,
    );
  }
  if (url.search !== "" || url.hash !== "") {
    push(path, `${raw} has a query or fragment`, "give the bare base URL");
  }
  if (url.username !== "" || url.password !== "") {
    push(
      path,
      "the URL embeds credentials",
      "remove them; secrets are set with `pulumi config set --secret`",
    );
  }
  return url;
}

function duplicates(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const v of values) (seen.has(v) ? dup : seen).add(v);
  return [...dup];
}

function urlRules(cfg: StackConfig, push: Push): void {
  const env = cfg.environment;
  const kc = checkBaseUrl(push, "keycloak.url", cfg.keycloak.url, env, "id");
  if (kc && /\/realms(\/|$)/.test(kc.pathname)) {
    push(
      "keycloak.url",
      `"${cfg.keycloak.url}" contains /realms/`,
      "give the Keycloak base URL; the issuer https://<host>/realms/<realm> is derived from realm.name",
    );
  }
  const ks = checkBaseUrl(push, "keystone.url", cfg.keystone.url, env, "keystone");
  if (ks && /\/v3(\/|$)/.test(ks.pathname)) {
    push(
      "keystone.url",
      `"${cfg.keystone.url}" contains /v3`,
      "give Keystone's public base URL without /v3; API paths are derived",
    );
  }
  if (cfg.keystone.authUrl !== undefined) {
    checkBaseUrl(push, "keystone.authUrl", cfg.keystone.authUrl, env, "keystone");
  }
  cfg.horizon.urls.forEach((u, i) => checkBaseUrl(push, `horizon.urls[${i}]`, u, env, "dashboard"));
  for (const d of duplicates(cfg.horizon.urls))
    push("horizon.urls", `"${d}" is listed twice`, "list each dashboard once");
  cfg.client.extraRedirectUris.forEach((u, i) => {
    const path = `client.extraRedirectUris[${i}]`;
    if (u.includes("*")) {
      push(
        path,
        `"${u}" contains a wildcard`,
        "Keycloak must only redirect to exact URIs; list each URI in full",
      );
      return;
    }
    let url: URL;
    try {
      url = new URL(u);
    } catch {
      push(path, `"${u}" is not a valid URL`, "give an absolute URL");
      return;
    }
    if (url.protocol !== "https:" && !(env === "local" && url.protocol === "http:")) {
      push(
        path,
        `"${u}" is not https`,
        `only a local stack may use http; this stack's environment is ${env}`,
      );
    }
    if (url.hash !== "")
      push(path, `"${u}" has a fragment`, "redirect URIs must not contain a fragment");
  });
}

function clientRules(cfg: StackConfig, push: Push): void {
  const loose = LOOSE_ENVIRONMENTS.has(cfg.environment);
  const cliClientId = cfg.client.cliClientId;
  if (cliClientId !== undefined && cliClientId === cfg.client.clientId) {
    push(
      "client.cliClientId",
      `"${cliClientId}" is the Keystone client's own id`,
      "give the public CLI client its own id, or leave it out (default `<clientId>-cli`)",
    );
  }
  if (cliClientId !== undefined && !cfg.client.deviceGrant) {
    push(
      "client.cliClientId",
      "is set but client.deviceGrant is false, so no CLI client is declared",
      "remove client.cliClientId, or enable client.deviceGrant",
    );
  }
  if (cfg.client.pkceMethod !== "S256") {
    push(
      "client.pkceMethod",
      `"${cfg.client.pkceMethod}" is not allowed`,
      "PKCE must use S256; `plain` leaks the verifier",
    );
  }
  if (cfg.client.directAccessGrants && !loose) {
    push(
      "client.directAccessGrants",
      `the password grant is enabled on a ${cfg.environment} stack`,
      "only local or test stacks may enable it; use the device grant for CLI login",
    );
  }
  if (cfg.client.implicitFlow && !loose) {
    push(
      "client.implicitFlow",
      `the implicit flow is enabled on a ${cfg.environment} stack`,
      "only local or test stacks may enable it; the code flow with PKCE replaces it",
    );
  }
  if (cfg.keycloak.insecure && !loose) {
    push(
      "keycloak.insecure",
      `TLS verification is off on a ${cfg.environment} stack`,
      "give keycloak.caBundle instead",
    );
  }
  if (cfg.keystone.insecure && !loose) {
    push(
      "keystone.insecure",
      `TLS verification is off on a ${cfg.environment} stack`,
      "give keystone.caBundle instead",
    );
  }
  const t = cfg.realm.tokens;
  if (t.ssoSessionIdle > t.ssoSessionMax) {
    push(
      "realm.tokens.ssoSessionIdle",
      `idle timeout ${t.ssoSessionIdle}s exceeds the session maximum ${t.ssoSessionMax}s`,
      "make ssoSessionIdle <= ssoSessionMax",
    );
  }
  if (t.accessToken > t.ssoSessionIdle) {
    push(
      "realm.tokens.accessToken",
      `access token lifetime ${t.accessToken}s exceeds the SSO idle timeout ${t.ssoSessionIdle}s`,
      "keep access tokens shorter than sessions",
    );
  }
}

/** Longest `federation.authorizationTtlMinutes` accepted: 30 days (group memberships outlive logins). */
export const MAX_AUTHORIZATION_TTL_MINUTES = 43_200;

function federationRules(cfg: StackConfig, push: Push): void {
  const f = cfg.federation;
  if (f.claims.userId !== "sub") {
    push(
      "federation.claims.userId",
      `"${f.claims.userId}" can change or be chosen by whoever administers the realm`,
      "use sub: the Keystone user id must be immutable, or a recycled e-mail or username inherits an old Keystone identity",
    );
  }
  if (f.userType === "local" && cfg.realm.customerRealms.length > 0) {
    push(
      "federation.userType",
      "local users are looked up by a username a customer-realm admin can choose",
      "use ephemeral users with customer realms, so a brokered user can never become an existing Keystone user",
    );
  }
  if (
    f.authorizationTtlMinutes !== undefined &&
    f.authorizationTtlMinutes > MAX_AUTHORIZATION_TTL_MINUTES
  ) {
    push(
      "federation.authorizationTtlMinutes",
      `${f.authorizationTtlMinutes} minutes keeps group memberships for over 30 days after a login`,
      `give at most ${MAX_AUTHORIZATION_TTL_MINUTES}; a removed Keycloak group should not grant access for long`,
    );
  }
  if (f.claimDelimiter !== ";") {
    push(
      "federation.claimDelimiter",
      `"${f.claimDelimiter}" is not ";"`,
      "Keystone splits multi-valued attributes on ';' only; any other delimiter merges all groups into one value",
    );
  }
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(f.claimPrefix)) {
    push(
      "federation.claimPrefix",
      `"${f.claimPrefix}" is not a valid environment prefix`,
      "use letters, digits, '-' and '_', e.g. OIDC-",
    );
  }
  if (f.remoteIdAttribute !== undefined) {
    const allowed = remoteIdAttributes(f.claimPrefix);
    if (!allowed.includes(f.remoteIdAttribute)) {
      push(
        "federation.remoteIdAttribute",
        `"${f.remoteIdAttribute}" does not carry the token issuer`,
        `use one of ${allowed.join(", ")} (derived from claimPrefix)`,
      );
    }
  }
  for (const [key, claim] of Object.entries(f.claims)) {
    if (claim !== undefined && !/^[A-Za-z0-9_.:-]+$/.test(claim)) {
      push(
        `federation.claims.${key}`,
        `"${claim}" is not a plain claim name`,
        "use the claim name as it appears in the token",
      );
    }
  }
}

/** Keystone refuses to create a domain with this name, case-insensitively (its federated_domain_name default). */
const RESERVED_FEDERATED_DOMAIN = "federated";

function tenantRules(cfg: StackConfig, push: Push): void {
  if (cfg.federation.userDomain.toLowerCase() === RESERVED_FEDERATED_DOMAIN) {
    push(
      "federation.userDomain",
      `"${cfg.federation.userDomain}" is reserved by Keystone ([federation] federated_domain_name)`,
      "use another name, e.g. federated-users",
    );
  }
  const realmNames = new Set(cfg.realm.customerRealms.map((r) => r.name));
  for (const d of duplicates(cfg.tenants.map((t) => t.name.toLowerCase()))) {
    push(
      "tenants",
      `tenant "${d}" is declared twice (names are case-insensitive in Keystone)`,
      "give each tenant a unique name",
    );
  }
  cfg.tenants.forEach((t, i) => {
    if (
      cfg.federation.ruleLayout === "perTenant" &&
      cfg.client.groupsFullPath &&
      t.name.includes("name")
    ) {
      push(
        `tenants[${i}].name`,
        `"${t.name}" contains "name"`,
        'with the perTenant layout group paths feed Keystone\'s groups template, which switches to JSON mode on "name"; rename the tenant or use the perGroup layout',
      );
    }
    if (t.name.toLowerCase() === "default") {
      push(
        `tenants[${i}].name`,
        `"${t.name}" collides with Keystone's built-in Default domain`,
        "choose another tenant name",
      );
    }
    if (t.name.toLowerCase() === RESERVED_FEDERATED_DOMAIN) {
      push(
        `tenants[${i}].name`,
        `"${t.name}" is reserved by Keystone ([federation] federated_domain_name)`,
        "choose another tenant name",
      );
    }
    for (const d of duplicates(t.projects.map((p) => p.name))) {
      push(
        `tenants[${i}].projects`,
        `project "${d}" is declared twice in tenant "${t.name}"`,
        "project names are unique per domain",
      );
    }
    if (t.customerRealm !== undefined && !realmNames.has(t.customerRealm)) {
      push(
        `tenants[${i}].customerRealm`,
        `unknown customer realm "${t.customerRealm}"`,
        `declare it in realm.customerRealms (known: ${[...realmNames].join(", ") || "none"})`,
      );
    }
  });
  const customerNames = cfg.realm.customerRealms.map((r) => r.name);
  for (const d of duplicates(customerNames))
    push(
      "realm.customerRealms",
      `customer realm "${d}" is declared twice`,
      "give each customer realm a unique name",
    );
  const domainOwner = new Map<string, string>();
  cfg.realm.customerRealms.forEach((r, i) => {
    if (r.name === cfg.realm.name) {
      push(
        `realm.customerRealms[${i}].name`,
        `"${r.name}" is the proxy realm itself`,
        "a customer realm must be a separate realm",
      );
    }
    r.emailDomains.forEach((d, j) => {
      if (!/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(d)) {
        push(
          `realm.customerRealms[${i}].emailDomains[${j}]`,
          `"${d}" is not a lower-case DNS domain`,
          "write the part after @, e.g. acme.example",
        );
      } else if (domainOwner.has(d)) {
        push(
          `realm.customerRealms[${i}].emailDomains[${j}]`,
          `"${d}" is already routed to customer realm "${domainOwner.get(d)}"`,
          "home-IdP-discovery needs each e-mail domain in one realm only",
        );
      } else {
        domainOwner.set(d, r.name);
      }
    });
  });
}

/** Roles a tenant group must not get unless the stack says so: they reach beyond the tenant. */
function cloudWideRules(cfg: StackConfig, push: Push): void {
  if (cfg.roles.allowCloudWideGrants) return;
  const cloudWide = new Set(cfg.roles.cloudWide.map((r) => r.toLowerCase()));
  cfg.access.forEach((a, i) =>
    a.grants.forEach((g, j) => {
      if (!cloudWide.has(g.role.toLowerCase())) return;
      push(
        `access[${i}].grants[${j}].role`,
        `"${g.role}" is cloud-wide in Keystone: members of ${a.tenant}/${a.group} would administer every tenant, the mapping and the IdP`,
        "grant member or reader (or a role the stack creates), or set roles.allowCloudWideGrants: true if that is really meant",
      );
    }),
  );
}

function accessRules(cfg: StackConfig, push: Push): void {
  const tenants = new Map(cfg.tenants.map((t) => [t.name, t]));
  const roles = new Set([...cfg.roles.existing, ...cfg.roles.create]);
  for (const d of duplicates(cfg.roles.create))
    push("roles.create", `role "${d}" is listed twice`, "list each role once");
  for (const r of cfg.roles.create) {
    if (cfg.roles.existing.includes(r))
      push(
        "roles.create",
        `role "${r}" is also in roles.existing`,
        "a role is either looked up or created, not both",
      );
  }
  const seen = new Set<string>();
  const leafOwners = new Map<string, string>();
  cfg.access.forEach((a, i) => {
    const base = `access[${i}]`;
    const tenant = tenants.get(a.tenant);
    if (!tenant) {
      push(
        `${base}.tenant`,
        `unknown tenant "${a.tenant}"`,
        `declare it in tenants (known: ${[...tenants.keys()].join(", ")})`,
      );
    }
    const groupProblem = checkGroupValue(a.group);
    if (groupProblem) push(`${base}.group`, groupProblem.message, groupProblem.hint);
    const key = `${a.tenant}/${a.group}`;
    if (seen.has(key))
      push(
        `${base}.group`,
        `group "${a.group}" of tenant "${a.tenant}" has two access rules`,
        "merge their grants into one rule",
      );
    seen.add(key);
    if (!cfg.client.groupsFullPath) {
      const owner = leafOwners.get(a.group);
      if (owner !== undefined && owner !== a.tenant) {
        push(
          `${base}.group`,
          `group "${a.group}" exists in tenants "${owner}" and "${a.tenant}"`,
          "with client.groupsFullPath false Keycloak emits bare names, so tenants could not be told apart: set groupsFullPath true or rename",
        );
      }
      leafOwners.set(a.group, a.tenant);
    }
    const grantKeys = new Set<string>();
    a.grants.forEach((g, j) => {
      const gp = `${base}.grants[${j}]`;
      if (!roles.has(g.role)) {
        push(
          `${gp}.role`,
          `unknown role "${g.role}"`,
          `add it to roles.existing or roles.create (known: ${[...roles].join(", ")})`,
        );
      }
      if ((g.project === undefined) === (g.domain === undefined)) {
        push(
          gp,
          "a grant needs exactly one of project or domain",
          "set `project: <name>` or `domain: true`",
        );
      } else if (
        g.project !== undefined &&
        tenant &&
        !tenant.projects.some((p) => p.name === g.project)
      ) {
        push(
          `${gp}.project`,
          `unknown project "${g.project}" in tenant "${a.tenant}"`,
          `declare it in the tenant's projects (known: ${tenant.projects.map((p) => p.name).join(", ") || "none"})`,
        );
      }
      const gk = `${g.role}@${g.project ?? "<domain>"}`;
      if (grantKeys.has(gk))
        push(
          gp,
          `grant of "${g.role}" on ${g.project ? `project "${g.project}"` : "the domain"} is listed twice`,
          "list each grant once",
        );
      grantKeys.add(gk);
    });
  });
}

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
export function crossFieldIssues(
  cfg: StackConfig,
  secrets: SecretPresence,
  stack = "",
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const push: Push = (path, message, hint) => issues.push({ path, message, hint });
  urlRules(cfg, push);
  clientRules(cfg, push);
  federationRules(cfg, push);
  tenantRules(cfg, push);
  accessRules(cfg, push);
  cloudWideRules(cfg, push);
  nameRules(cfg, push);
  textRules(cfg, push);
  environmentRules(cfg, stack, push);
  protectionAndSecretRules(cfg, secrets, push);
  return issues;
}
